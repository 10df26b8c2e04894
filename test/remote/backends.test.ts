/** One table of HTTP checks run against the embedded store and the Virtuoso-backed store: same answers; plus a failed re-import. */
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as RDF from '@rdfjs/types';
import { pino } from 'pino';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { publishMapping, publishVocabularies } from '../../src/publish/index.ts';
import { loadConfig, type VinculoConfig } from '../../src/config/index.ts';
import { createApp } from '../../src/http/index.ts';
import { DataFactory, parseRdfToArray } from '../../src/rdf/index.ts';
import { createSparqlEngine } from '../../src/sparql/index.ts';
import { openSparqlStore, openStore, SparqlStore, type VinculoStore } from '../../src/store/index.ts';
import { sameGraph } from '../support/graphs.ts';
import { type RunningVirtuoso, startVirtuoso, virtuosoMissing } from './virtuoso.ts';

const root = new URL('../../', import.meta.url).pathname;
const mapping = join(root, 'mappings/municipios.yml');
const baseIRI = 'http://localhost:3030/';
const updateToken = 'remote-test-update-token';

interface Backend {
  readonly name: string;
  readonly store: VinculoStore;
  readonly url: string;
  readonly server: Server;
}

interface Check {
  readonly path: string;
  readonly accept: string;
  /**
   * How bodies are compared: results as sets of rows (or in order), RDF as graphs, else status
   * only. 'topic' compares the statements about the document's topic: a document also shows a
   * sample of its incoming links, and which ones are "first" is each store's own order.
   */
  readonly body: 'results' | 'ordered-results' | 'graph' | 'topic' | 'none';
  readonly topic?: string;
}

const query = (text: string) => `/sparql?query=${encodeURIComponent(text)}`;
const json = 'application/sparql-results+json';

const checks: readonly Check[] = [
  { path: query('SELECT ?m ?label WHERE { ?m a <http://localhost:3030/def/territorio#Municipio> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label'), accept: json, body: 'ordered-results' },
  { path: query('SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://localhost:3030/graph/municipios> { ?s ?p ?o } }'), accept: json, body: 'results' },
  { path: query('SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ?type } FILTER(?g != <http://localhost:3030/graph/catalog>) } GROUP BY ?g'), accept: json, body: 'results' },
  { path: query('SELECT ?m ?pop WHERE { ?m <http://localhost:3030/def/territorio#poblacion> ?pop FILTER(?pop > 100000) }'), accept: json, body: 'results' },
  { path: query('SELECT ?lat WHERE { <http://localhost:3030/id/municipio/05001> <http://www.w3.org/2003/01/geo/wgs84_pos#lat> ?lat }'), accept: json, body: 'results' },
  { path: query('ASK { <http://localhost:3030/id/municipio/05001> ?p ?o }'), accept: json, body: 'results' },
  { path: query('ASK { <http://localhost:3030/id/municipio/99999> ?p ?o }'), accept: json, body: 'results' },
  { path: query('CONSTRUCT { ?d ?p ?o } WHERE { ?d a <http://localhost:3030/def/territorio#Departamento> ; ?p ?o }'), accept: 'application/n-triples', body: 'graph' },
  { path: query('SELECT * WHERE { ?s ?p }'), accept: json, body: 'none' },
  { path: '/doc/municipio/05001', accept: 'text/turtle', body: 'graph' },
  { path: '/doc/municipio/05001.nt', accept: '*/*', body: 'graph' },
  { path: '/doc/departamento/05', accept: 'application/n-triples', body: 'graph' },
  { path: '/doc/municipio/05001', accept: 'text/html', body: 'none' },
  { path: '/doc/municipio/99999', accept: 'text/turtle', body: 'none' },
  { path: '/def/territorio', accept: 'application/n-triples', body: 'graph' },
  { path: '/catalog', accept: 'application/n-triples', body: 'graph' },
  { path: '/catalog.ttl', accept: '*/*', body: 'graph' },
  { path: '/dataset/municipios', accept: 'text/turtle', body: 'topic', topic: `${baseIRI}dataset/municipios` },
  { path: '/graph/municipios', accept: 'application/n-triples', body: 'graph' },
  { path: '/graph-store?graph=http%3A%2F%2Flocalhost%3A3030%2Fgraph%2Fmunicipios', accept: 'application/n-triples', body: 'graph' },
];

/** A result row as a comparable string (terms as N-Triples-like text). */
function rowKey(row: Record<string, { type: string; value: string; datatype?: string; 'xml:lang'?: string }>): string {
  return Object.keys(row)
    .sort()
    .map((name) => {
      const term = row[name];
      // Blank node labels are each store's own; rows are compared up to them.
      const value = term?.type === 'bnode' ? '_' : term?.datatype && numeric.has(term.datatype) ? String(Number(term.value)) : term?.value;
      return `${name}=${term?.type === 'literal' || term?.type === 'typed-literal' ? 'literal' : term?.type}|${value}|${term?.datatype ?? ''}|${term?.['xml:lang'] ?? ''}`;
    })
    .join(' ');
}

async function resultsOf(text: string, ordered: boolean): Promise<unknown> {
  const parsed = JSON.parse(text) as { boolean?: boolean; head: { vars?: string[] }; results?: { bindings: Array<Parameters<typeof rowKey>[0]> } };
  if (typeof parsed.boolean === 'boolean') return parsed.boolean;
  const rows = (parsed.results?.bindings ?? []).map(rowKey);
  return { vars: parsed.head.vars, rows: ordered ? rows : rows.sort() };
}

/** Document metadata (hydra counts of incoming links) is the same; only the graph is compared. */
async function graphOf(text: string, contentType: string): Promise<RDF.Quad[]> {
  const format = contentType.includes('turtle') ? 'turtle' : 'ntriples';
  return parseRdfToArray(text, { format, baseIRI });
}

const dateTime = 'http://www.w3.org/2001/XMLSchema#dateTime';
const numeric = new Set(['decimal', 'integer', 'double', 'float'].map((name) => `http://www.w3.org/2001/XMLSchema#${name}`));

/**
 * Virtuoso keeps numeric literals as numbers, not as their lexical form ("10.3910"^^xsd:decimal
 * comes back as "10.391"): the same value, another spelling. Comparisons use the value for those.
 */
function byValue(term: RDF.Term): RDF.Term {
  // Each backend imported the sample at its own moment: the catalog's times differ, nothing else may.
  if (term.termType === 'Literal' && term.datatype.value === dateTime) return DataFactory.literal('import time', term.datatype);
  if (term.termType !== 'Literal' || !numeric.has(term.datatype.value)) return term;
  return DataFactory.literal(String(Number(term.value)), term.datatype);
}

function canonical(quads: readonly RDF.Quad[]): RDF.Quad[] {
  return quads.map((quad) => DataFactory.quad(quad.subject, quad.predicate, byValue(quad.object) as RDF.Quad_Object, quad.graph));
}

/** The triples only one side has (ground ones; enough to tell why two graphs differ). */
function difference(actual: readonly RDF.Quad[], expected: readonly RDF.Quad[]): string {
  const text = (term: RDF.Term) =>
    term.termType === 'Literal' ? `"${term.value}"@${term.language}^^${term.datatype.value}` : term.termType === 'BlankNode' ? '_' : `<${term.value}>`;
  const key = (quad: RDF.Quad) => `${text(quad.subject)} ${text(quad.predicate)} ${text(quad.object)}`;
  const [a, e] = [new Set(canonical(actual).map(key)), new Set(canonical(expected).map(key))];
  const only = (from: Set<string>, other: Set<string>) => [...from].filter((line) => !other.has(line)).slice(0, 5).join('\n');
  return `virtuoso only:\n${only(a, e)}\nembedded only:\n${only(e, a)}\n(${a.size} vs ${e.size} triples)`;
}

async function* failingAfter(quads: readonly RDF.Quad[], count: number): AsyncGenerator<RDF.Quad> {
  let sent = 0;
  for (const quad of quads) {
    if (sent++ === count) throw new Error('the source broke half-way');
    yield quad;
  }
}

const missing = virtuosoMissing();
const test = suite('remote SPARQL store (Virtuoso) vs embedded');

if (missing) {
  console.log(`remote store tests skipped: ${missing}`);
} else {
  let virtuoso: RunningVirtuoso | undefined;
  let dataDir = '';
  const backends: Backend[] = [];

  const start = async (name: string, store: VinculoStore, config: VinculoConfig): Promise<Backend> => {
    const say = () => {};
    await publishVocabularies({ config, store, say });
    await publishMapping(mapping, { config, store, say, force: true });
    const engine = createSparqlEngine({
      store,
      defaultGraph: config.sparql.defaultGraph,
      limits: { timeoutMs: 10_000, maxResultRows: 1000, maxQueryLength: 10_000, serviceAllowlist: [] },
    });
    const server = createServer(createApp({ store, engine, config, logger: pino({ level: process.env.VINCULO_TEST_LOG ?? 'silent' }) }));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return { name, store, server, url: `http://127.0.0.1:${port}` };
  };

  test.before(async () => {
    try {
      await setUp();
    } catch (error) {
      // uvu reports a failing hook only as a count: say what it was.
      console.error(error);
      throw error;
    }
  });

  const setUp = async () => {
    virtuoso = await startVirtuoso();
    dataDir = await mkdtemp(join(tmpdir(), 'vinculo-remote-'));
    const config = await loadConfig({ cwd: root, env: {}, flags: { baseIRI, dataDir, updateToken } });
    backends.push(await start('embedded', await openStore({ baseIRI }), config));
    const { queryUrl, updateUrl, graphStoreUrl } = virtuoso;
    const remote = await openSparqlStore({ baseIRI, queryUrl, updateUrl, graphStoreUrl, pollMs: 0, batchSize: 20 });
    backends.push(await start('virtuoso', remote, config));
  };

  test.after(async () => {
    for (const backend of backends) {
      backend.server.closeAllConnections();
      backend.server.close();
      await backend.store.close();
    }
    await virtuoso?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('both backends hold the same datasets and counts', () => {
    const [embedded, remote] = backends;
    assert.ok(embedded && remote);
    const summary = (store: VinculoStore) => store.listDatasets().map((info) => `${info.id}:${info.quads}`);
    assert.equal(summary(remote.store), summary(embedded.store));
    assert.ok((embedded.store.dataset('municipios')?.quads ?? 0) > 50, 'the sample mapping produced data');
    const label = DataFactory.namedNode('http://www.w3.org/2000/01/rdf-schema#label');
    assert.is(remote.store.countQuads(null, label, null, null), embedded.store.countQuads(null, label, null, null));
  });

  for (const check of checks) {
    test(`same answer: GET ${decodeURIComponent(check.path).slice(0, 110)} (${check.accept})`, async () => {
      const answers = await Promise.all(
        backends.map(async (backend) => {
          const response = await fetch(`${backend.url}${check.path}`, { headers: { accept: check.accept }, redirect: 'manual' });
          return { name: backend.name, status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
        }),
      );
      const [embedded, remote] = answers;
      assert.ok(embedded && remote);
      assert.is(remote.status, embedded.status, `status (embedded said ${embedded.text.slice(0, 200)}; virtuoso said ${remote.text.slice(0, 200)})`);
      assert.is(remote.type, embedded.type, 'content type');
      if (embedded.status !== 200 || check.body === 'none') return;
      if (check.body === 'graph' || check.body === 'topic') {
        const about = (quads: RDF.Quad[]) => (check.body === 'topic' ? quads.filter((quad) => quad.subject.value === check.topic) : quads);
        const [expected, actual] = [about(await graphOf(embedded.text, embedded.type)), about(await graphOf(remote.text, remote.type))];
        assert.ok(expected.length > 0, 'the embedded answer has triples');
        assert.ok(sameGraph(canonical(actual), canonical(expected)), `graphs differ:\n${difference(actual, expected)}`);
      } else {
        const ordered = check.body === 'ordered-results';
        assert.equal(await resultsOf(remote.text, ordered), await resultsOf(embedded.text, ordered));
      }
    });
  }

  test('writes by SPARQL Update and the Graph Store Protocol leave both backends answering the same', async () => {
    const g = 'http://localhost:3030/graph/notas';
    const writes: ReadonlyArray<{ method: string; path: string; type: string; body?: string; status: number }> = [
      { method: 'PUT', path: `/graph-store?graph=${encodeURIComponent(g)}`, type: 'text/turtle', body: '<http://localhost:3030/id/nota/1> <http://www.w3.org/2000/01/rdf-schema#label> "uno"@es , "one"@en ; <http://localhost:3030/def/territorio#ref> [ <http://www.w3.org/2000/01/rdf-schema#label> "anidada" ] .', status: 201 },
      { method: 'POST', path: '/sparql', type: 'application/sparql-update', body: `INSERT DATA { GRAPH <${g}> { <http://localhost:3030/id/nota/2> <http://www.w3.org/2000/01/rdf-schema#label> "dos" } }`, status: 204 },
      { method: 'POST', path: '/sparql', type: 'application/sparql-update', body: `DELETE { GRAPH <${g}> { ?s ?p "one"@en } } WHERE { GRAPH <${g}> { ?s ?p "one"@en } }`, status: 204 },
      { method: 'POST', path: '/graph-store?default', type: 'application/n-triples', body: '<http://localhost:3030/id/nota/3> <http://www.w3.org/2000/01/rdf-schema#label> "tres" .\n', status: 204 },
    ];
    for (const write of writes) {
      for (const backend of backends) {
        const response = await fetch(`${backend.url}${write.path}`, {
          method: write.method,
          headers: { 'content-type': write.type, authorization: `Bearer ${updateToken}` },
          body: write.body,
        });
        assert.is(response.status, write.status, `${backend.name} ${write.method} ${write.path}: ${await response.text()}`);
      }
    }
    const [embedded, remote] = backends;
    assert.ok(embedded && remote);
    const read = async (backend: Backend, path: string, accept: string) =>
      (await fetch(`${backend.url}${path}`, { headers: { accept } })).text();
    const select = query(`SELECT ?s ?label WHERE { GRAPH <${g}> { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } }`);
    const expected = await resultsOf(await read(embedded, select, json), false);
    assert.equal(await resultsOf(await read(remote, select, json), false), expected);
    assert.is((expected as { rows: string[] }).rows.length, 3, 'uno, anidada, dos');
    const graphPath = `/graph-store?graph=${encodeURIComponent(g)}`;
    const nt = 'application/n-triples';
    assert.ok(sameGraph(await graphOf(await read(remote, graphPath, nt), nt), await graphOf(await read(embedded, graphPath, nt), nt)), 'blank nodes written by GSP read back alike');
    const defaultGraph = query('SELECT ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> "tres" }');
    assert.equal(await resultsOf(await read(remote, defaultGraph, json), false), await resultsOf(await read(embedded, defaultGraph, json), false));
    for (const backend of backends) {
      const response = await fetch(`${backend.url}${graphPath}`, { method: 'DELETE', headers: { authorization: `Bearer ${updateToken}` } });
      assert.is(response.status, 204);
      assert.is((await fetch(`${backend.url}${graphPath}`, { headers: { accept: nt } })).status, 404, `${backend.name}: dropped graph is gone`);
    }
  });

  test('a write that fails is undone on Virtuoso, exactly: quads it found already there stay', async () => {
    const store = backends[1]?.store;
    assert.ok(store);
    const g = DataFactory.namedNode(`${baseIRI}graph/deshacer`);
    const label = DataFactory.namedNode('http://www.w3.org/2000/01/rdf-schema#label');
    const s = (n: number) => DataFactory.namedNode(`${baseIRI}id/deshacer/${n}`);
    const [kept, added, removed] = [
      DataFactory.quad(s(0), label, DataFactory.literal('1.50', DataFactory.namedNode('http://www.w3.org/2001/XMLSchema#decimal')), g),
      DataFactory.quad(s(1), label, DataFactory.literal('nuevo'), g),
      DataFactory.quad(s(2), label, DataFactory.literal('viejo'), g),
    ];
    const run = (work: (target: RDF.Store<RDF.Quad>) => Promise<void>) => store.write(work);
    const settle = (emitter: NodeJS.EventEmitter) => once(emitter, 'end');
    await run(async (target) => {
      await settle(target.import(Readable.from([kept, removed])));
    });
    const version = store.version;
    await run(async (target) => {
      await settle(target.import(Readable.from([kept, added])));
      await settle(target.remove(Readable.from([removed])));
      throw new Error('the work failed');
    }).then(
      () => assert.unreachable('the write should fail'),
      (error: Error) => assert.match(error.message, /work failed/),
    );
    assert.is(store.version, version, 'no version for an undone write');
    const left: RDF.Quad[] = [];
    for await (const quad of store.exportQuads(g)) left.push(quad);
    assert.equal(left.map((quad) => quad.subject.value).sort(), [s(0).value, s(2).value]);
  });

  test('a re-import that fails half-way leaves the previous version visible in Virtuoso', async () => {
    const remote = backends[1];
    assert.ok(remote);
    const store = remote.store;
    const before = store.dataset('municipios');
    assert.ok(before);
    const quads: RDF.Quad[] = [];
    for await (const quad of store.exportQuads(before.graph)) quads.push(quad);
    const replacement = quads.map((quad) => DataFactory.quad(quad.subject, quad.predicate, DataFactory.literal('broken'), quad.graph));
    // batchSize is 20, so several batches reached Virtuoso before the source broke.
    await store.putDataset('municipios', failingAfter(replacement, 70)).then(
      () => assert.unreachable('the import should fail'),
      (error: Error) => assert.match(error.message, /half-way/),
    );
    assert.is(store.dataset('municipios')?.version, before.version);
    const after: RDF.Quad[] = [];
    for await (const quad of store.exportQuads(before.graph)) after.push(quad);
    assert.ok(sameGraph(after, quads), 'the dataset graph is unchanged');
    const response = await fetch(`${remote.url}${query('SELECT (COUNT(*) AS ?n) WHERE { ?s ?p "broken" }')}`, { headers: { accept: json } });
    const body = (await response.json()) as { results: { bindings: Array<{ n: { value: string } }> } };
    assert.is(body.results.bindings[0]?.n.value, '0', 'no staged quad is visible to queries');
  });

  test('a second instance (SPARQL Update only, no graph store) shares the datasets; its re-import replaces the dataset', async () => {
    const first = backends[1]?.store;
    assert.ok(first && virtuoso);
    const before = first.dataset('municipios');
    assert.ok(before);
    const second = await openSparqlStore({ baseIRI, queryUrl: virtuoso.queryUrl, updateUrl: virtuoso.updateUrl, pollMs: 0 });
    const remote = { store: second };
    assert.equal(second.listDatasets(), first.listDatasets());
    assert.is(second.version, first.version);
    const subject = DataFactory.namedNode(`${baseIRI}id/municipio/00000`);
    const label = DataFactory.namedNode('http://www.w3.org/2000/01/rdf-schema#label');
    const info = await remote.store.putDataset(
      'municipios',
      (async function* () {
        yield DataFactory.quad(subject, label, DataFactory.literal('Nuevo', 'es'));
        yield DataFactory.quad(DataFactory.blankNode('x'), label, DataFactory.literal('anónimo "con" comillas\n'));
      })(),
    );
    assert.ok(info.version > before.version);
    assert.is(info.quads, 2);
    const stored: RDF.Quad[] = [];
    for await (const quad of remote.store.exportQuads(info.graph)) stored.push(quad);
    assert.is(stored.length, 2);
    assert.ok(stored.some((quad) => quad.subject.termType === 'BlankNode' && quad.object.value === 'anónimo "con" comillas\n'), 'blank nodes and escapes round-trip');
    // The first instance notices on its next refresh (the poll, here called directly).
    assert.ok(first instanceof SparqlStore);
    await first.refresh();
    assert.is(first.dataset('municipios')?.version, info.version);
    assert.ok(await remote.store.dropDataset('municipios'));
    assert.is(remote.store.dataset('municipios'), undefined);
    assert.is(remote.store.countQuads(null, null, null, info.graph), 0);
    await second.close();
  });

  test.run();
}
