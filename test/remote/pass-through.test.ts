/** The engine's pass-through: a store that answers SPARQL itself gets the checked query whole, under the same limits. */
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Forbidden, SyntaxProblem } from '../../src/errors/index.ts';
import { DataFactory } from '../../src/rdf/index.ts';
import { createSparqlEngine, type SparqlEngine } from '../../src/sparql/index.ts';
import { openStore, type RemoteQueryOptions, type RemoteQueryResult, type VinculoStore } from '../../src/store/index.ts';

interface Call {
  readonly text: string;
  readonly options: RemoteQueryOptions;
}

/** An embedded store that also claims to answer SPARQL, with canned answers and a record of what it was asked. */
async function answeringStore(answer: (options: RemoteQueryOptions) => RemoteQueryResult): Promise<{ store: VinculoStore; calls: Call[] }> {
  const embedded = await openStore({ baseIRI: 'http://example.org/' });
  const calls: Call[] = [];
  const sparqlEndpoint = {
    query: async (text: string, options: RemoteQueryOptions) => {
      calls.push({ text, options });
      return answer(options);
    },
  };
  const store = new Proxy(embedded, {
    get(target, key) {
      if (key === 'sparqlEndpoint') return sparqlEndpoint;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as VinculoStore;
  return { store, calls };
}

const limits = { timeoutMs: 1234, maxResultRows: 3, maxQueryLength: 1000, serviceAllowlist: [] };
const x = DataFactory.variable?.('x') as RDF.Variable;
const rows = [1, 2, 3, 4, 5].map((n) => new Map<string, RDF.Term>([['x', DataFactory.literal(String(n))]]));

function engineOf(store: VinculoStore): SparqlEngine {
  return createSparqlEngine({ store, limits, defaultGraph: 'union' });
}

test('SELECT goes to the store whole, with protocol graphs, default-graph mode and the time limit', async () => {
  const { store, calls } = await answeringStore(() => ({ type: 'bindings', variables: [x], rows: rows.slice(0, 2) }));
  const text = 'SELECT ?x WHERE { ?x ?p ?o }';
  const result = await engineOf(store).query(text, { defaultGraphUris: ['http://example.org/graph/a'], baseIRI: 'http://example.org/sparql' });
  assert.is(result.type, 'bindings');
  assert.is(calls.length, 1);
  assert.is(calls[0]?.text, text);
  assert.equal(calls[0]?.options.defaultGraphUris, ['http://example.org/graph/a']);
  assert.is(calls[0]?.options.defaultGraph, 'union');
  assert.is(calls[0]?.options.timeoutMs, 1234);
  assert.is(calls[0]?.options.namesDataset, false);
  assert.is(calls[0]?.options.form, 'select');
});

test('a query with FROM says so, so the store does not scope it to its own graphs', async () => {
  const { store, calls } = await answeringStore(() => ({ type: 'bindings', variables: [x], rows: [] }));
  await engineOf(store).query('SELECT ?x FROM <http://example.org/graph/a> WHERE { ?x ?p ?o } LIMIT 5');
  assert.is(calls[0]?.options.namesDataset, true);
});

test('the row cap cuts the answer and the result says it was cut', async () => {
  const { store } = await answeringStore(() => ({ type: 'bindings', variables: [x], rows }));
  const result = await engineOf(store).query('SELECT ?x WHERE { ?x ?p ?o }');
  assert.ok(result.type === 'bindings');
  const seen: string[] = [];
  for await (const bindings of result.bindings) seen.push(bindings.get('x')?.value ?? '');
  assert.equal(seen, ['1', '2', '3']);
  assert.ok(result.truncated());
});

test('ASK and CONSTRUCT come back as a boolean and as quads', async () => {
  const quad = DataFactory.quad(DataFactory.namedNode('http://example.org/s'), DataFactory.namedNode('http://example.org/p'), DataFactory.literal('o'));
  const { store, calls } = await answeringStore((options) =>
    options.form === 'ask' ? { type: 'boolean', value: true } : { type: 'quads', quads: [quad] },
  );
  const engine = engineOf(store);
  assert.equal(await engine.query('ASK { ?s ?p ?o }'), { type: 'boolean', value: true });
  const constructed = await engine.query('CONSTRUCT WHERE { ?s ?p ?o }');
  assert.ok(constructed.type === 'quads');
  const quads: RDF.Quad[] = [];
  for await (const item of constructed.quads) quads.push(item);
  assert.is(quads.length, 1);
  assert.ok(quads[0]?.equals(quad));
  assert.is(calls[1]?.options.form, 'construct');
  assert.not.ok(constructed.truncated());
});

test('syntax errors and refused SERVICE calls are answered here, without asking the store', async () => {
  const { store, calls } = await answeringStore(() => ({ type: 'boolean', value: false }));
  const engine = engineOf(store);
  await engine.query('SELECT ?x WHERE { ?x ').then(
    () => assert.unreachable(),
    (error: unknown) => assert.instance(error, SyntaxProblem),
  );
  await engine.query('SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }').then(
    () => assert.unreachable(),
    (error: unknown) => assert.instance(error, Forbidden),
  );
  assert.is(calls.length, 0);
});

test.run();
