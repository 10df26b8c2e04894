/** HTTP tests that act as crawlers: the 303 dance, suffix URLs, revalidation, HEAD, 404/406/410, dumps, VoID, sitemap. */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { datasetLedger } from '../../src/publish/index.ts';
import { DataFactory, type RdfFormatName, parseRdfToArray } from '../../src/rdf/index.ts';
import { openStore } from '../../src/store/index.ts';
import { sameGraph } from '../support/graphs.ts';
import { type TestSite, startSite } from './support/server.ts';

let site: TestSite;
test.before(async () => {
  site = await startSite({ datasets: ['municipios', 'departamentos', 'categorias', 'contratos'] });
});
test.after(async () => {
  await site.close();
});

const browsers = {
  firefox: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
  chrome: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
};

const formatOfType: Record<string, RdfFormatName> = {
  'text/turtle': 'turtle',
  'application/ld+json': 'jsonld',
  'application/rdf+xml': 'rdfxml',
  'application/n-triples': 'ntriples',
  'application/n-quads': 'nquads',
  'application/trig': 'trig',
};

function mediaType(response: Response): string {
  return (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
}

async function graphOf(response: Response, body: string): Promise<RDF.Quad[]> {
  const format = formatOfType[mediaType(response)];
  if (!format) throw new Error(`not RDF: ${mediaType(response)}`);
  return parseRdfToArray(body, { format, baseIRI: response.url });
}

const iri = (path: string) => DataFactory.namedNode(`${site.baseIRI}${path}`);
const has = (quads: readonly RDF.Quad[], subject: string, predicate?: string) =>
  quads.some((quad) => quad.subject.value === `${site.baseIRI}${subject}` && (predicate === undefined || quad.predicate.value === predicate));

// The 303 dance: /id/ redirects whatever the Accept, and the document it names answers in the expected type.
const dance: Array<[string, string | undefined, string]> = [
  ['Firefox', browsers.firefox, 'text/html'],
  ['Chrome', browsers.chrome, 'text/html'],
  ['curl (*/*)', '*/*', 'text/html'],
  ['no Accept', undefined, 'text/html'],
  ['a Turtle client', 'text/turtle', 'text/turtle'],
  ['an RDF/XML crawler', 'application/rdf+xml,text/rdf+n3;q=0.9,text/turtle;q=0.8,*/*;q=0.5', 'application/rdf+xml'],
  ['a JSON-LD client', 'application/ld+json', 'application/ld+json'],
  ['an N-Triples client with q-values', 'text/turtle;q=0.5, application/n-triples', 'application/n-triples'],
  ['a quad client', 'application/n-quads', 'application/n-quads'],
  ['a TriG client', 'application/trig, text/turtle;q=0.1', 'application/trig'],
];

for (const [who, accept, expected] of dance) {
  test(`303 dance for ${who}`, async () => {
    const headers: Record<string, string> = accept === undefined ? {} : { Accept: accept };
    const redirect = await site.fetch('/id/municipio/05001', { headers });
    assert.is(redirect.status, 303);
    assert.is(redirect.headers.get('location'), '/doc/municipio/05001');
    assert.match(redirect.headers.get('vary') ?? '', /Accept/);
    const document = await site.fetch(redirect.headers.get('location') ?? '', { headers });
    assert.is(document.status, 200);
    assert.is(mediaType(document), expected);
    assert.match(document.headers.get('vary') ?? '', /Accept/);
    const location = document.headers.get('content-location') ?? '';
    assert.match(location, /^\/doc\/municipio\/05001\.(html|ttl|jsonld|rdf|nt|nq|trig)$/);
    const links = document.headers.get('link') ?? '';
    for (const type of ['text/html', ...Object.keys(formatOfType)]) assert.ok(links.includes(`rel="alternate"; type="${type}"`), `Link for ${type}`);
    // The Content-Location is itself a URL that serves the same representation.
    const direct = await site.fetch(location);
    assert.is(direct.status, 200);
    assert.is(mediaType(direct), expected);
    const body = await document.text();
    if (expected === 'text/html') assert.match(body, /<h1>Medellín<\/h1>/);
    else assert.ok(has(await graphOf(document, body), 'id/municipio/05001', 'http://www.w3.org/2000/01/rdf-schema#label'));
  });
}

interface Row {
  readonly method?: 'GET' | 'HEAD';
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly status: number;
  readonly type?: string;
  readonly check?: (quadsOrBody: { body: string; quads: () => Promise<RDF.Quad[]>; response: Response }) => void | Promise<void>;
}

const rows: Array<[string, Row]> = [
  ['suffix .html', { path: '/doc/municipio/05001.html', status: 200, type: 'text/html' }],
  ['suffix .ttl', { path: '/doc/municipio/05001.ttl', status: 200, type: 'text/turtle' }],
  ['suffix .jsonld', { path: '/doc/municipio/05001.jsonld', status: 200, type: 'application/ld+json' }],
  ['suffix .rdf', { path: '/doc/municipio/05001.rdf', status: 200, type: 'application/rdf+xml' }],
  ['suffix .nt', { path: '/doc/municipio/05001.nt', status: 200, type: 'application/n-triples' }],
  ['suffix .nq keeps the graphs', {
    path: '/doc/municipio/05001.nq', status: 200, type: 'application/n-quads',
    check: async ({ quads }) => {
      const graphs = new Set((await quads()).map((quad) => quad.graph.value));
      assert.ok(graphs.has(`${site.baseIRI}graph/municipios`) && graphs.has(`${site.baseIRI}graph/departamentos`), [...graphs].join(' '));
    },
  }],
  ['a suffix wins over Accept', { path: '/doc/municipio/05001.ttl', headers: { Accept: 'text/html' }, status: 200, type: 'text/turtle' }],
  ['the document holds the blank-node closure, linked labels and incoming links', {
    path: '/doc/municipio/05001.ttl', status: 200, type: 'text/turtle',
    check: async ({ quads }) => {
      const all = await quads();
      const geo = all.find((quad) => quad.predicate.value === 'http://schema.org/geo');
      assert.ok(geo && all.some((quad) => quad.subject.equals(geo.object) && quad.predicate.value.endsWith('wgs84_pos#lat')), 'closure');
      assert.ok(has(all, 'id/departamento/05', 'http://www.w3.org/2000/01/rdf-schema#label'), 'label of the linked department');
      assert.ok(has(all, 'kos/categoria/especial', 'http://www.w3.org/2004/02/skos/core#prefLabel'), 'label of the linked concept');
      assert.ok(all.some((quad) => quad.subject.value.endsWith('/id/municipio/05002') && quad.object.equals(iri('id/municipio/05001'))), 'incoming sample');
      const total = all.find((quad) => quad.predicate.value === 'http://www.w3.org/ns/hydra/core#totalItems');
      assert.is(total?.object.value, String(site.store.countQuads(null, null, iri('id/municipio/05001'), null)));
      assert.ok(total?.subject.value.startsWith(`${site.baseIRI}fragments?object=`), 'incoming links are paged by /fragments');
    },
  }],
  ['HEAD of a document', { method: 'HEAD', path: '/doc/municipio/05001', headers: { Accept: 'text/turtle' }, status: 200, type: 'text/turtle', check: ({ body }) => assert.is(body, '') }],
  ['HEAD of /id/', { method: 'HEAD', path: '/id/municipio/05001', status: 303 }],
  ['a code list concept is a thing: 303 to its document', { path: '/kos/categoria/especial', headers: { Accept: 'text/turtle' }, status: 303, check: ({ response }) => assert.is(response.headers.get('location'), '/doc/kos/categoria/especial') }],
  ['unknown thing, asked in Turtle: 404 in Turtle', { path: '/doc/municipio/99999', headers: { Accept: 'text/turtle' }, status: 404, type: 'text/turtle', check: async ({ quads }) => assert.is((await quads()).length, 0) }],
  ['unknown thing, asked as JSON-LD by suffix: 404 in JSON-LD', { path: '/doc/municipio/99999.jsonld', status: 404, type: 'application/ld+json', check: ({ body }) => assert.ok(JSON.parse(body)) }],
  ['unknown thing, asked by a browser: 404 page', { path: '/doc/municipio/99999', headers: { Accept: browsers.firefox }, status: 404, type: 'text/html', check: ({ body }) => assert.match(body, /No encontrado/) }],
  ['unknown thing through /id/: 404 at once, no redirect to a missing document', { path: '/id/municipio/99999', headers: { Accept: 'text/turtle' }, status: 404, type: 'text/turtle' }],
  ['nothing acceptable: 406', { path: '/doc/municipio/05001', headers: { Accept: 'image/png' }, status: 406 }],
  ['a suffix that is not offered: 406', { path: '/graph/municipios.jsonld', status: 406 }],
  ['hash URIs: the vocabulary answers for its terms', {
    path: '/def/territorio', headers: { Accept: 'text/turtle' }, status: 200, type: 'text/turtle',
    check: async ({ quads }) => {
      const all = await quads();
      assert.ok(has(all, 'def/territorio#Municipio', 'http://www.w3.org/2000/01/rdf-schema#label'));
      assert.ok(has(all, 'def/territorio'));
    },
  }],
  ['the vocabulary page anchors each term at its fragment id', { path: '/def/territorio', headers: { Accept: browsers.firefox }, status: 200, type: 'text/html', check: ({ body }) => assert.match(body, /<section id="Municipio"/) }],
  ['a code list concept', { path: '/kos/categoria/especial.ttl', status: 200, type: 'text/turtle', check: async ({ quads }) => assert.ok(has(await quads(), 'kos/categoria/especial', 'http://www.w3.org/2004/02/skos/core#inScheme')) }],
  ['the dataset page: catalog description, its blank nodes, and the live figures', {
    path: '/dataset/municipios.ttl', status: 200, type: 'text/turtle',
    check: async ({ quads }) => {
      const all = await quads();
      assert.ok(has(all, 'dataset/municipios', 'http://purl.org/dc/terms/title'), 'catalog title');
      const publisher = all.find((quad) => quad.predicate.value === 'http://purl.org/dc/terms/publisher');
      assert.ok(publisher && all.some((quad) => quad.subject.equals(publisher.object)), 'publisher closure');
      const dumps = all.filter((quad) => quad.predicate.value === 'http://rdfs.org/ns/void#dataDump').map((quad) => quad.object.value).sort();
      assert.equal(dumps, ['nq', 'nt', 'ttl'].map((kind) => `${site.baseIRI}dumps/municipios.${kind}.gz`));
    },
  }],
  ['an unknown dataset is 404', { path: '/dataset/nada', headers: { Accept: 'text/turtle' }, status: 404, type: 'text/turtle' }],
  ['the whole graph, streamed', {
    path: '/graph/municipios', headers: { Accept: 'application/n-triples' }, status: 200, type: 'application/n-triples',
    check: async ({ quads }) => {
      const expected = site.store.match(null, null, null, iri('graph/municipios')) as unknown as Iterable<RDF.Quad>;
      const triples = [...expected].map((quad) => DataFactory.quad(quad.subject, quad.predicate, quad.object));
      assert.ok(sameGraph(await quads(), triples));
    },
  }],
  ['a browser asking for a graph gets Turtle (no HTML view of whole graphs)', { path: '/graph/municipios', headers: { Accept: browsers.chrome }, status: 200, type: 'text/turtle' }],
  ['the stylesheet the pages link to', { path: '/assets/vinculo.css', status: 200, type: 'text/css' }],
  ['robots.txt points at the sitemap', { path: '/robots.txt', status: 200, type: 'text/plain', check: ({ body }) => assert.ok(body.includes(`Sitemap: ${site.baseIRI}sitemap.xml`)) }],
  ['sitemap.xml with the semantic extension', {
    path: '/sitemap.xml', status: 200, type: 'application/xml',
    check: ({ body }) => {
      assert.is(body.match(/<sc:dataset>/g)?.length, 4);
      assert.ok(body.includes(`<loc>${site.baseIRI}doc/municipio/05001</loc>`));
      assert.ok(body.includes(`<sc:dataDumpLocation>${site.baseIRI}dumps/municipios.nt.gz</sc:dataDumpLocation>`));
      assert.ok(body.includes(`<sc:linkedDataPrefix sc:slicing="subject-object">${site.baseIRI}id/municipio/</sc:linkedDataPrefix>`));
    },
  }],
];

for (const [name, row] of rows) {
  test(name, async () => {
    const response = await site.fetch(row.path, { method: row.method ?? 'GET', headers: row.headers ?? {} });
    assert.is(response.status, row.status);
    if (row.type) assert.is(mediaType(response), row.type);
    const body = await response.text();
    await row.check?.({ body, quads: () => graphOf(response, body), response });
  });
}

// Before the tests that replace datasets: it checks figures of the fixtures.
test('VoID: per dataset endpoint, dumps, URI space, examples, vocabularies, figures and linksets', async () => {
  const response = await site.fetch('/.well-known/void', { headers: { Accept: 'text/turtle' } });
  assert.is(response.status, 200);
  const quads = await graphOf(response, await response.text());
  const voidNs = 'http://rdfs.org/ns/void#';
  const about = (subject: string, predicate: string) =>
    quads.filter((quad) => quad.subject.value === subject && quad.predicate.value === `${voidNs}${predicate}`).map((quad) => quad.object.value);
  const dataset = `${site.baseIRI}dataset/departamentos`;
  assert.equal(about(dataset, 'sparqlEndpoint'), [`${site.baseIRI}sparql`]);
  assert.is(about(dataset, 'dataDump').length, 3);
  assert.equal(about(dataset, 'uriSpace'), [`${site.baseIRI}id/departamento/`]);
  assert.equal(about(dataset, 'exampleResource'), [`${site.baseIRI}id/departamento/05`]);
  assert.ok(about(dataset, 'vocabulary').includes(`${site.baseIRI}def/territorio#`));
  assert.equal(about(dataset, 'triples'), [String(site.store.dataset('departamentos')?.quads)]);
  assert.equal(about(dataset, 'entities'), ['1']);
  // contratos links to municipios through def/territorio#municipio: one linkset with one triple.
  const contratos = `${site.baseIRI}dataset/contratos`;
  // Among its subsets (its LDES too), the one that is a void:Linkset.
  const isLinkset = (subset: string) => quads.some((quad) => quad.subject.value === subset && quad.predicate.value === 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type' && quad.object.value === `${voidNs}Linkset`);
  const linkset = about(contratos, 'subset').find(isLinkset) ?? '';
  assert.equal(about(linkset, 'objectsTarget'), [`${site.baseIRI}dataset/municipios`]);
  assert.equal(about(linkset, 'linkPredicate'), [`${site.baseIRI}def/territorio#municipio`]);
  assert.equal(about(linkset, 'triples'), ['1']);
});

test('revalidation: ETag and Last-Modified give 304; a change gives a new ETag', async () => {
  const path = '/doc/departamento/05.ttl';
  const first = await site.fetch(path);
  const etag = first.headers.get('etag') ?? '';
  const lastModified = first.headers.get('last-modified') ?? '';
  assert.ok(etag && lastModified, 'validators present');
  assert.match(first.headers.get('cache-control') ?? '', /max-age=\d+/);
  const byTag = await site.fetch(path, { headers: { 'If-None-Match': etag } });
  assert.is(byTag.status, 304);
  assert.is(byTag.headers.get('etag'), etag);
  assert.is(await byTag.text(), '');
  assert.is((await site.fetch(path, { headers: { 'If-None-Match': `W/${etag}, "other"` } })).status, 304, 'weak comparison, lists');
  assert.is((await site.fetch(path, { headers: { 'If-Modified-Since': lastModified } })).status, 304);
  assert.is((await site.fetch(path, { method: 'HEAD', headers: { 'If-None-Match': etag } })).status, 304);
  // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
  assert.is((await site.fetch(path, { headers: { 'If-None-Match': '"stale"', 'If-Modified-Since': lastModified } })).status, 200);
  assert.is((await site.fetch(path, { headers: { 'If-Modified-Since': new Date(Date.parse(lastModified) - 86_400_000).toUTCString() } })).status, 200);
  // Each representation has its own tag.
  assert.is.not((await site.fetch('/doc/departamento/05.nt')).headers.get('etag'), etag);

  await site.store.putDataset('departamentos', (async function* () {
    yield DataFactory.quad(iri('id/departamento/05'), DataFactory.namedNode('http://www.w3.org/2000/01/rdf-schema#label'), DataFactory.literal('Antioquia (nuevo)', 'es'));
  })());
  const changed = await site.fetch(path, { headers: { 'If-None-Match': etag } });
  assert.is(changed.status, 200);
  assert.is.not(changed.headers.get('etag'), etag);
  assert.match(await changed.text(), /Antioquia \(nuevo\)/);
});

test('dumps: gzip at stable URLs, same graph as the store, ETag by dataset version, regenerated on change', async () => {
  for (const [kind, format] of [['nt', 'ntriples'], ['ttl', 'turtle'], ['nq', 'nquads']] as const) {
    const response = await site.fetch(`/dumps/municipios.${kind}.gz`);
    assert.is(response.status, 200);
    assert.is(mediaType(response), 'application/gzip');
    const quads = await parseRdfToArray(gunzipSync(Buffer.from(await response.arrayBuffer())).toString('utf8'), { format });
    const stored = [...(site.store.match(null, null, null, iri('graph/municipios')) as unknown as Iterable<RDF.Quad>)];
    const expected = kind === 'nq' ? stored : stored.map((quad) => DataFactory.quad(quad.subject, quad.predicate, quad.object));
    assert.ok(sameGraph(quads, expected), kind);
    const etag = response.headers.get('etag') ?? '';
    assert.ok(etag.includes(`-${site.store.dataset('municipios')?.version}-`), etag);
    assert.is((await site.fetch(`/dumps/municipios.${kind}.gz`, { headers: { 'If-None-Match': etag } })).status, 304);
  }
  const before = (await site.fetch('/dumps/municipios.nt.gz')).headers.get('etag');
  await site.store.putDataset('municipios', (async function* () {
    yield DataFactory.quad(iri('id/municipio/05001'), DataFactory.namedNode('http://www.w3.org/2000/01/rdf-schema#label'), DataFactory.literal('Medellín'));
  })());
  const after = await site.fetch('/dumps/municipios.nt.gz', { headers: { 'If-None-Match': before ?? '' } });
  assert.is(after.status, 200);
  assert.is((await parseRdfToArray(gunzipSync(Buffer.from(await after.arrayBuffer())).toString('utf8'), { format: 'ntriples' })).length, 1);
  const version = site.store.dataset('municipios')?.version;
  const files = (await readdir(join(site.dataDir, 'dumps', 'municipios'))).sort();
  assert.ok(files.includes(`${version}.nt.gz`) && files.every((file) => file.startsWith(`${version}.`) || !file.endsWith('.nt.gz')), files.join(' '));
  const head = await site.fetch('/dumps/municipios.nt.gz', { method: 'HEAD' });
  assert.is(head.status, 200);
  assert.ok(Number(head.headers.get('content-length')) > 0);
  assert.is((await site.fetch('/dumps/nada.nt.gz')).status, 404);
  assert.is((await site.fetch('/dumps/municipios.xml.gz')).status, 404);
});

test('dropped datasets: their pages, graph, dumps and things answer 410', async () => {
  // A site of its own, so that the one request below is the only chance to see contratos.
  const own = await startSite({ datasets: ['municipios', 'contratos'] });
  try {
    assert.is((await own.fetch('/robots.txt')).status, 200);
    await own.store.dropDataset('contratos');
    for (const path of ['/doc/contrato/c-1.ttl', '/dataset/contratos.ttl', '/graph/contratos', '/dumps/contratos.nt.gz']) {
      assert.is((await own.fetch(path)).status, 410, path);
    }
    const page = await own.fetch('/doc/contrato/c-1', { headers: { Accept: browsers.firefox, 'Accept-Language': 'en' } });
    assert.is(page.status, 410);
    assert.is(mediaType(page), 'text/html');
    assert.match(await page.text(), /withdrawn/);
    assert.is((await own.fetch('/doc/contrato/nunca-existio.ttl')).status, 410, 'the URI space was the dropped dataset’s');
    assert.is((await own.fetch('/doc/municipio/99999.ttl')).status, 404, 'a live URI space still says 404');
    // Re-created, it is back.
    await own.store.putDataset('contratos', (async function* () {
      yield DataFactory.quad(DataFactory.namedNode(`${own.baseIRI}id/contrato/c-1`), DataFactory.namedNode('http://www.w3.org/2000/01/rdf-schema#label'), DataFactory.literal('c-1'));
    })());
    assert.is((await own.fetch('/doc/contrato/c-1.ttl')).status, 200);
  } finally {
    await own.close();
  }
});

test('the record of dropped datasets survives a restart', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'vinculo-ledger-'));
  const baseIRI = 'http://example.org/';
  try {
    const before = await openStore({ baseIRI });
    await before.putDataset('viejo', (async function* () {
      yield DataFactory.quad(DataFactory.namedNode(`${baseIRI}id/cosa/1`), DataFactory.namedNode('http://www.w3.org/2000/01/rdf-schema#label'), DataFactory.literal('1'));
    })());
    await datasetLedger({ store: before, baseIRI, dataDir }).observe();
    // The dataset goes while no server runs; the next start finds it missing from the store.
    const after = await openStore({ baseIRI });
    const ledger = datasetLedger({ store: after, baseIRI, dataDir });
    assert.ok(await ledger.isDropped('viejo'));
    assert.ok(await ledger.isGone(`${baseIRI}id/cosa/2`));
    assert.not.ok(await ledger.isDropped('nunca'));
    await Promise.all([before.close(), after.close()]);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test.run();
