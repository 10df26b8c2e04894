/** The representation cache never answers stale data after a write, leaves other datasets' documents (and ETags) alone, and stays within its byte bound. */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MetricsRegistry } from '../../src/http/metrics.ts';
import { RepresentationCache } from '../../src/http/representation-cache.ts';
import { DataFactory } from '../../src/rdf/index.ts';
import { catalogGraph, datasetGraph, openStore, vocabularyGraph } from '../../src/store/index.ts';
import { type TestSite, startSite } from './support/server.ts';

const { namedNode, literal, quad } = DataFactory;
const label = namedNode('http://www.w3.org/2000/01/rdf-schema#label');

async function insert(site: TestSite, quads: readonly RDF.Quad[]): Promise<void> {
  await site.store.write(async (target) => {
    await once(target.import(Readable.from(quads, { objectMode: true })), 'end');
  });
}

/** The figure `name` of the site's `/metrics` text. */
function metric(site: TestSite, name: string): number {
  const line = new MetricsRegistry().render(site.store).split('\n').find((candidate) => candidate.startsWith(`${name} `));
  if (line === undefined) throw new Error(`no ${name} in /metrics`);
  return Number(line.split(' ')[1]);
}

async function get(site: TestSite, path: string, headers: Record<string, string>): Promise<{ status: number; etag: string | null; body: string }> {
  const response = await site.fetch(path, { headers });
  return { status: response.status, etag: response.headers.get('ETag'), body: await response.text() };
}

// Every cached kind of response, with a write that must show in it: a label on `subject` (a path
// under the base IRI) in `graph`, and the text the next answer must then hold.
const medellin = 'id/municipio/05001';
const cases: ReadonlyArray<{ name: string; path: string; headers: Record<string, string>; subject: string; graph: (baseIRI: string) => RDF.NamedNode; shows: string }> = [
  { name: '/doc Turtle', path: '/doc/municipio/05001', headers: { Accept: 'text/turtle' }, subject: medellin, graph: (base) => datasetGraph(base, 'municipios'), shows: 'Medellín nuevo' },
  { name: '/doc HTML', path: '/doc/municipio/05001', headers: { Accept: 'text/html', 'Accept-Language': 'es' }, subject: medellin, graph: (base) => datasetGraph(base, 'municipios'), shows: 'Medellín nuevo' },
  { name: '/fragments', path: '/fragments?subject=SUBJECT', headers: { Accept: 'text/turtle' }, subject: medellin, graph: (base) => datasetGraph(base, 'municipios'), shows: 'Medellín nuevo' },
  { name: '/kos document', path: '/doc/kos/categoria/especial', headers: { Accept: 'text/turtle' }, subject: 'kos/categoria/especial', graph: (base) => datasetGraph(base, 'categorias'), shows: 'Medellín nuevo' },
  { name: '/def vocabulary', path: '/def/territorio', headers: { Accept: 'text/turtle' }, subject: 'def/territorio#Municipio', graph: vocabularyGraph, shows: 'Medellín nuevo' },
  // The dataset's own page: a new title in the catalog graph.
  { name: '/dataset', path: '/dataset/municipios', headers: { Accept: 'text/turtle' }, subject: 'dataset/municipios', graph: catalogGraph, shows: 'Medellín nuevo' },
  // Store-wide documents: a new thing changes the figures (VoID) and the URL list (sitemap).
  { name: 'VoID', path: '/.well-known/void', headers: { Accept: 'application/n-triples' }, subject: 'id/municipio/99999', graph: (base) => datasetGraph(base, 'municipios'), shows: '' },
  { name: 'sitemap', path: '/sitemap.xml', headers: {}, subject: 'id/municipio/99999', graph: (base) => datasetGraph(base, 'municipios'), shows: 'doc/municipio/99999' },
];

for (const { name, path, headers, subject, graph, shows } of cases) {
  test(`${name}: after a write the next GET shows it, and the old ETag gets 200, not 304`, async () => {
    const site = await startSite();
    try {
      const target = path.replace('SUBJECT', encodeURIComponent(`${site.baseIRI}${medellin}`));
      const before = await get(site, target, headers);
      assert.is(before.status, 200, target);
      const again = await get(site, target, headers);
      assert.is(again.body, before.body);
      assert.ok(metric(site, 'vinculo_representation_cache_hits_total') >= 1, 'the second request came from the cache');
      assert.is((await get(site, target, { ...headers, 'If-None-Match': before.etag ?? '' })).status, 304);

      await insert(site, [quad(namedNode(`${site.baseIRI}${subject}`), label, literal('Medellín nuevo'), graph(site.baseIRI))]);
      const after = await get(site, target, headers);
      assert.ok(after.body.includes(shows), `the write shows: ${shows}`);
      assert.is.not(after.body, before.body);
      assert.is.not(after.etag, before.etag);
      assert.is((await get(site, target, { ...headers, 'If-None-Match': before.etag ?? '' })).status, 200);
    } finally {
      await site.close();
    }
  });
}

test('/id/ 303: a thing written after a 404 redirects at once', async () => {
  const site = await startSite();
  try {
    assert.is((await site.fetch('/id/municipio/99001')).status, 404);
    await insert(site, [quad(namedNode(`${site.baseIRI}id/municipio/99001`), label, literal('Nuevo'), datasetGraph(site.baseIRI, 'municipios'))]);
    const redirect = await site.fetch('/id/municipio/99001');
    assert.is(redirect.status, 303);
    assert.is(redirect.headers.get('Location'), '/doc/municipio/99001');
    assert.is((await site.fetch('/id/municipio/99001')).status, 303, 'the cached redirect');
    await site.store.write(async (target) => {
      await once(target.removeMatches(namedNode(`${site.baseIRI}id/municipio/99001`)), 'end');
    });
    assert.is((await site.fetch('/id/municipio/99001')).status, 404, 'gone from the store, gone from the cache');
  } finally {
    await site.close();
  }
});

test('a write to one dataset keeps the ETag and the cached copy of a document that does not read it', async () => {
  const site = await startSite({ datasets: ['municipios', 'departamentos', 'categorias', 'contratos'] });
  try {
    const headers = { Accept: 'text/turtle' };
    // Abejorral's document reads municipios (itself), departamentos (its department's label) and no contract.
    const before = await get(site, '/doc/municipio/05002', headers);
    const contract = await get(site, '/doc/contrato/c-1', headers);
    await insert(site, [quad(namedNode(`${site.baseIRI}id/contrato/c-1`), label, literal('Contrato uno'), datasetGraph(site.baseIRI, 'contratos'))]);
    const hits = metric(site, 'vinculo_representation_cache_hits_total');
    const after = await get(site, '/doc/municipio/05002', headers);
    assert.is(after.etag, before.etag);
    assert.is(after.body, before.body);
    assert.is(metric(site, 'vinculo_representation_cache_hits_total'), hits + 1, 'answered from the cache');
    assert.is((await get(site, '/doc/municipio/05002', { ...headers, 'If-None-Match': before.etag ?? '' })).status, 304);
    const changed = await get(site, '/doc/contrato/c-1', headers);
    assert.is.not(changed.etag, contract.etag, 'the document of the changed dataset did change');
    assert.ok(changed.body.includes('Contrato uno'));
  } finally {
    await site.close();
  }
});

test("a linked thing's new label shows in the next document built after the write, not only in the cached ones", async () => {
  const site = await startSite();
  try {
    const headers = { Accept: 'text/turtle' };
    // Both link to Antioquia: the first build learns its label, the second would reuse it.
    assert.ok((await get(site, '/doc/municipio/05002', headers)).body.includes('"Antioquia"@es'));
    await insert(site, [quad(namedNode(`${site.baseIRI}id/departamento/05`), label, literal('Antioquia nueva', 'es'), datasetGraph(site.baseIRI, 'departamentos'))]);
    const built = await get(site, '/doc/municipio/05004', headers);
    assert.ok(built.body.includes('"Antioquia nueva"@es'), built.body);
  } finally {
    await site.close();
  }
});

test('a link from a graph the document never read still reaches it (its incoming links)', async () => {
  const site = await startSite();
  try {
    const headers = { Accept: 'application/n-triples' };
    const before = await get(site, '/doc/municipio/05001', headers);
    const other = namedNode('http://example.org/otra-fuente');
    await insert(site, [quad(namedNode('http://example.org/visita/1'), namedNode('http://example.org/lugar'), namedNode(`${site.baseIRI}id/municipio/05001`), other)]);
    const after = await get(site, '/doc/municipio/05001', headers);
    assert.is.not(after.etag, before.etag);
    assert.ok(after.body.includes('<http://example.org/visita/1>'), 'the new incoming link is listed');
    await site.store.write(async (target) => {
      await once(target.removeMatches(namedNode('http://example.org/visita/1')), 'end');
    });
    const removed = await get(site, '/doc/municipio/05001', headers);
    assert.not.ok(removed.body.includes('<http://example.org/visita/1>'), 'and gone once removed');
    assert.is(removed.body, before.body);
  } finally {
    await site.close();
  }
});

test('the cache stays within its byte bound, evicting the least recently used', async () => {
  const site = await startSite({ cacheBytes: 60_000 });
  try {
    // Each asked for twice: once the cache is full, only a representation asked for again gets in.
    for (const code of ['05001', '05002', '05004']) {
      for (const accept of ['text/turtle', 'application/n-triples', 'application/ld+json', 'text/html']) {
        for (let time = 0; time < 2; time++) assert.is((await site.fetch(`/doc/municipio/${code}`, { headers: { Accept: accept } })).status, 200);
      }
    }
    assert.ok(metric(site, 'vinculo_representation_cache_bytes') <= 60_000);
    assert.ok(metric(site, 'vinculo_representation_cache_evictions_total') > 0);
    const hits = metric(site, 'vinculo_representation_cache_hits_total');
    await (await site.fetch('/doc/municipio/05004', { headers: { Accept: 'application/ld+json' } })).text();
    assert.is(metric(site, 'vinculo_representation_cache_hits_total'), hits + 1, 'the most recent one is kept');
    await (await site.fetch('/doc/municipio/05001', { headers: { Accept: 'text/turtle' } })).text();
    assert.is(metric(site, 'vinculo_representation_cache_hits_total'), hits + 1, 'the oldest one went');
  } finally {
    await site.close();
  }
});

test('once full, the cache keeps a representation asked for a second time, not one asked for once (sent gzipped all the same)', async () => {
  const store = await openStore({ baseIRI: 'http://example.org/' });
  const cache = new RepresentationCache(store, { maxBytes: 64 << 10 });
  const server = createServer((request, response) => {
    if (cache.answer(request, response)) return;
    const path = request.url ?? '/';
    // Big enough to be gzipped.
    const body = `# ${path}\n${'#'.repeat(2000)}\n`;
    cache.respond(request, response, { key: path, status: 200, contentType: 'text/turtle', body, dependencies: { graphs: [], patterns: [] }, builtAt: store.version });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const encodings: Array<string | null> = [];
  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`, { headers: { 'Accept-Encoding': 'gzip' } });
    encodings.push(response.headers.get('Content-Encoding'));
    return response.text();
  };
  try {
    // While there is room, every representation is kept at once.
    await get('/first');
    assert.is(cache.figures.entries, 1);
    for (let index = 0; cache.figures.entries === index + 1; index++) await get(`/fill/${index}`);
    const { entries, evictions } = cache.figures;
    await get('/once');
    assert.equal([cache.figures.entries, cache.figures.evictions], [entries, evictions], 'asked for once: sent, not kept, nothing evicted');
    const { hits } = cache.figures;
    await get('/once');
    assert.ok(cache.figures.evictions > evictions, 'asked for again: kept, in place of the least recently used');
    await get('/once');
    assert.is(cache.figures.hits, hits + 1);
    assert.ok(encodings.every((encoding) => encoding === 'gzip'), `every answer gzipped, kept or not: ${encodings.join(', ')}`);
  } finally {
    server.closeAllConnections();
    server.close();
    await store.close();
  }
});

test('cacheBytes 0 turns the cache off: every request is built', async () => {
  const site = await startSite({ cacheBytes: 0 });
  try {
    for (let index = 0; index < 3; index++) await get(site, '/doc/municipio/05001', { Accept: 'text/turtle' });
    assert.is(metric(site, 'vinculo_representation_cache_hits_total'), 0);
    assert.is(metric(site, 'vinculo_representation_cache_entries'), 0);
  } finally {
    await site.close();
  }
});


test('a body too big to compress on the event loop is gzipped once, off it, and answered gzipped', async () => {
  const store = await openStore({ baseIRI: 'http://example.org/' });
  const cache = new RepresentationCache(store, { maxBytes: 4 << 20 });
  // Lines that differ, so the body does not shrink to nothing (300 KB, beyond the sync threshold).
  const body = Array.from({ length: 6000 }, (_, index) => `<http://example.org/id/${index}> <http://example.org/p> "${index * 7919}" .`).join('\n');
  let built = 0;
  const server = createServer((request, response) => {
    if (cache.answer(request, response)) return;
    built++;
    cache.respond(request, response, { key: 'big', status: 200, contentType: 'application/n-triples', body, dependencies: { graphs: [], patterns: [] }, builtAt: store.version });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/big`;
  try {
    // Two at once: both wait for the one compression.
    const answers = await Promise.all([1, 2, 3].map(() => fetch(url, { headers: { 'Accept-Encoding': 'gzip' } })));
    for (const response of answers) {
      assert.is(response.headers.get('content-encoding'), 'gzip');
      assert.ok(Number(response.headers.get('content-length')) < Buffer.byteLength(body) / 2, 'the compressed bytes were sent');
      assert.is(await response.text(), body);
    }
    assert.is(built, 1, 'the later requests came from the cache');
    assert.ok(cache.figures.bytes > Buffer.byteLength(body), 'the compressed copy is counted');
  } finally {
    server.closeAllConnections();
    server.close();
    await store.close();
  }
});

test('request keys live and die with their entry: a bounded few per representation, none after eviction', async () => {
  const store = await openStore({ baseIRI: 'http://example.org/' });
  const cache = new RepresentationCache(store, { maxBytes: 64 << 10 });
  let built = 0;
  const server = createServer((request, response) => {
    if (cache.answer(request, response)) return;
    built++;
    // Every Accept variant negotiates to the one representation of its path.
    const path = request.url ?? '/';
    cache.respond(request, response, { key: path, status: 200, contentType: 'text/turtle', body: `# ${path}\n`, dependencies: { graphs: [], patterns: [] }, builtAt: store.version });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = async (path: string, accept: string) => (await fetch(`${base}${path}`, { headers: { Accept: accept } })).text();
  try {
    await get('/a', 'text/turtle');
    await get('/a', 'text/turtle;q=0.9');
    built = 0;
    await get('/a', 'text/turtle');
    await get('/a', 'text/turtle;q=0.9');
    assert.is(built, 0, 'both variants are remembered across the rebuild that added the second');
    for (let variant = 0; variant < 40; variant++) await get('/a', `text/turtle;q=0.${variant + 10}`);
    assert.ok(cache.figures.aliases <= 16, `aliases of one entry are capped (${cache.figures.aliases})`);
    // A crawl of distinct paths: entries are evicted, and their request keys with them.
    for (let index = 0; index < 2000; index++) await get(`/crawl/${index}`, 'text/turtle');
    const { entries, aliases, bytes } = cache.figures;
    assert.ok(bytes <= 64 << 10);
    assert.ok(aliases <= entries * 16 && aliases < 2000, `${aliases} aliases for ${entries} entries`);
  } finally {
    server.closeAllConnections();
    server.close();
    await store.close();
  }
});

test.run();
