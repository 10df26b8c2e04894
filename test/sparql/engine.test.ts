/** The engine adapter: results, limits (timeout, row cap, length, SERVICE), syntax errors, write scopes. */
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Forbidden, QueryTimeout, SyntaxProblem, TooLarge } from '../../src/errors/index.ts';
import { createSparqlEngine, type QueryResult, type SparqlLimits } from '../../src/sparql/index.ts';
import { ex, people } from './support/data.ts';
import { memoryStore } from './support/memory-store.ts';

const limits: SparqlLimits = { timeoutMs: 5_000, maxResultRows: 1_000, maxQueryLength: 10_000, serviceAllowlist: [] };

async function rows(result: QueryResult): Promise<RDF.Bindings[]> {
  if (result.type !== 'bindings') throw new Error(`expected bindings, got ${result.type}`);
  const all: RDF.Bindings[] = [];
  for await (const bindings of result.bindings) all.push(bindings);
  return all;
}

test('the default graph is the union of the graphs, or the store default graph', async () => {
  const store = await memoryStore(people(3));
  const union = createSparqlEngine({ store, limits, defaultGraph: 'union' });
  const own = createSparqlEngine({ store, limits, defaultGraph: 'store' });
  assert.is((await rows(await union.query('SELECT * { ?s ?p ?o }'))).length, 5);
  assert.is((await rows(await own.query('SELECT * { ?s ?p ?o }'))).length, 1);
});

test('protocol dataset parameters replace FROM', async () => {
  const engine = createSparqlEngine({ store: await memoryStore(people(3)), limits, defaultGraph: 'union' });
  const result = await engine.query('SELECT * FROM <http://example.org/g1> { ?s ?p ?o }', {
    defaultGraphUris: ['http://example.org/g2'],
  });
  const found = await rows(result);
  assert.is(found.length, 1);
  assert.is(found[0]?.get('o')?.value, 'Bogotá');
});

test('ASK, CONSTRUCT and the row cap that is signalled, not silent', async () => {
  const engine = createSparqlEngine({
    store: await memoryStore(people(20)),
    limits: { ...limits, maxResultRows: 5 },
    defaultGraph: 'union',
  });
  const ask = await engine.query('ASK { ?s <http://example.org/name> "Person 7" }');
  assert.equal(ask, { type: 'boolean', value: true });
  const none = await engine.query('ASK { ?s <http://example.org/name> "nobody" }');
  assert.equal(none, { type: 'boolean', value: false });
  const capped = await engine.query('SELECT * { ?s ?p ?o }');
  assert.is((await rows(capped)).length, 5);
  assert.ok(capped.type === 'bindings' && capped.truncated());
  const small = await engine.query('SELECT * { ?s ?p ?o } LIMIT 3');
  assert.is((await rows(small)).length, 3);
  assert.ok(small.type === 'bindings' && !small.truncated());
  const graph = await engine.query('CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2');
  assert.is(graph.type, 'quads');
});

test('a syntax error carries the line and column', async () => {
  const engine = createSparqlEngine({ store: await memoryStore(), limits, defaultGraph: 'union' });
  try {
    await engine.query('SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?o = ) }');
    assert.unreachable('accepted a broken query');
  } catch (error) {
    assert.instance(error, SyntaxProblem);
    assert.is((error as SyntaxProblem).position.line, 3);
    assert.ok(((error as SyntaxProblem).position.column ?? 0) > 10);
  }
});

test('over-long text, SERVICE and LOAD are refused', async () => {
  const engine = createSparqlEngine({ store: await memoryStore(), limits: { ...limits, maxQueryLength: 100 }, defaultGraph: 'union' });
  await engine.query(`SELECT * { ?s ?p ?o } #${'x'.repeat(200)}`).then(
    () => assert.unreachable('accepted an over-long query'),
    (error) => assert.instance(error, TooLarge),
  );
  await engine.query('SELECT * { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }').then(
    () => assert.unreachable('ran SERVICE'),
    (error) => assert.instance(error, Forbidden),
  );
  await engine.update('LOAD <http://example.org/data.ttl>').then(
    () => assert.unreachable('ran LOAD'),
    (error) => assert.instance(error, Forbidden),
  );
});

test('a scoped update may change only its graphs, and is all or nothing', async () => {
  const store = await memoryStore(people(2));
  const engine = createSparqlEngine({ store, limits, defaultGraph: 'union' });
  await engine.update('INSERT DATA { GRAPH <http://example.org/g1> { <http://example.org/a> <http://example.org/b> 1 } }', {
    scope: ['http://example.org/g1'],
  });
  assert.is(store.countQuads(null, null, null, ex('g1')), 3);
  const before = store.countQuads();
  await engine
    .update(
      'INSERT DATA { GRAPH <http://example.org/g1> { <http://example.org/c> <http://example.org/d> 2 } GRAPH <http://example.org/g2> { <http://example.org/c> <http://example.org/d> 2 } }',
      { scope: ['http://example.org/g1'] },
    )
    .then(
      () => assert.unreachable('wrote outside the scope'),
      (error) => assert.instance(error, Forbidden),
    );
  assert.is(store.countQuads(), before);
  await engine.update('CLEAR DEFAULT', { scope: ['http://example.org/g1'] }).then(
    () => assert.unreachable('cleared the default graph'),
    (error) => assert.instance(error, Forbidden),
  );
});

test('a heavy update is cut at the timeout and leaves the store as it was', async () => {
  const store = await memoryStore(people(200));
  const engine = createSparqlEngine({ store, limits: { ...limits, timeoutMs: 500 }, defaultGraph: 'union' });
  const before = store.countQuads();
  const started = Date.now();
  await engine
    .update('INSERT { GRAPH <http://example.org/out> { ?a <http://example.org/knows> ?c } } WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }')
    .then(
      () => assert.unreachable('the cartesian update finished'),
      (error) => assert.instance(error, QueryTimeout),
    );
  assert.ok(Date.now() - started < 2_000, `cut after ${Date.now() - started} ms`);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.is(store.countQuads(), before);
  await engine.update('INSERT DATA { <http://example.org/after> <http://example.org/p> 1 }');
  assert.is(store.countQuads(), before + 1);
});

test('a heavy query is cut at the timeout, stops reading the store, and does not stall a small one', async () => {
  const store = await memoryStore(people(300));
  let read = 0;
  const match = store.match.bind(store);
  store.match = (s, p, o, g) => {
    const stream = match(s, p, o, g);
    stream.on('data', () => read++);
    return stream;
  };
  const engine = createSparqlEngine({ store, limits: { ...limits, timeoutMs: 600 }, defaultGraph: 'union' });
  const started = Date.now();
  const heavy = engine
    .query('SELECT (COUNT(*) AS ?n) { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }')
    .then(rows)
    .then(
      () => assert.unreachable('the cartesian product finished'),
      (error: unknown) => {
        assert.instance(error, QueryTimeout);
        return Date.now() - started;
      },
    );
  await new Promise((resolve) => setTimeout(resolve, 100));
  const smallStarted = Date.now();
  const small = await rows(await engine.query('SELECT * { ?s <http://example.org/label> ?o }'));
  const smallMs = Date.now() - smallStarted;
  assert.is(small.length, 2);
  const heavyMs = Number(await heavy);
  assert.ok(heavyMs < 2_000, `cut after ${heavyMs} ms`);
  assert.ok(smallMs < 500, `the small query took ${smallMs} ms`);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const after = read;
  await new Promise((resolve) => setTimeout(resolve, 400));
  assert.is(read, after, 'the timed-out query kept reading the store');
  console.log(`  heavy query cut after ${heavyMs} ms; concurrent small query answered in ${smallMs} ms`);
});

test.run();
