/** Every IRI the store holds under /id/ dereferences: GET /id/… → 303 → the Location → 200 with the resource's triples, for IRIs minted from generated awkward values. */
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { iriPathsOf, uriPathOf } from '../../src/http/document-iri.ts';
import { parseRdfToArray } from '../../src/rdf/index.ts';
import { awkwardValues, mintAwkwardResources } from './support/awkward-iris.ts';
import { type TestSite, startSite } from './support/server.ts';

const seed = 24;
let site: TestSite;
let minted: RDF.Quad[];
test.before(async () => {
  site = await startSite({ datasets: ['municipios'] });
  minted = await mintAwkwardResources(site.baseIRI, awkwardValues(seed, 80));
  await site.store.putDataset('eventos', (async function* () {
    yield* minted;
  })());
});
test.after(async () => {
  await site.close();
});

/** The request a WHATWG client (browser, fetch, curl's URL parser) sends for an IRI: its path and query, percent-encoded as URLs are. */
function requestPathOf(iri: string): string {
  const url = new URL(iri);
  return `${url.pathname}${url.search}`;
}

const key = (quad: RDF.Quad) => `${quad.subject.value} ${quad.predicate.value} ${quad.object.value}`;

test('the generated IRIs carry the awkward characters (the test data is what it claims)', () => {
  const subjects = new Set(minted.map((quad) => quad.subject.value));
  assert.ok(subjects.size >= 3 * 80 - 5, `${subjects.size} subjects`);
  for (const pattern of [/%2F/, /%20/, /%2C/, /%3A/, /%2B/, /%25/, /á/, /\/id\/crudo\/.*\/.*\//, /%C3%A1/, /categoría/, /\.ttl/, /\?/]) {
    assert.ok([...subjects].some((iri) => pattern.test(iri)), `some IRI matches ${pattern}`);
  }
});

test(`round trip for every minted IRI (seed ${seed}): /id/ → 303 → 200 with its triples`, async () => {
  const bySubject = new Map<string, RDF.Quad[]>();
  for (const quad of minted) bySubject.set(quad.subject.value, [...(bySubject.get(quad.subject.value) ?? []), quad]);
  const failures: string[] = [];
  for (const [iri, own] of bySubject) {
    const redirect = await site.fetch(requestPathOf(iri), { headers: { Accept: 'text/turtle' } });
    const location = redirect.headers.get('location');
    if (redirect.status !== 303 || location === null) {
      failures.push(`${iri}: /id/ answered ${redirect.status}`);
      continue;
    }
    const document = await site.fetch(location, { headers: { Accept: 'text/turtle' } });
    if (document.status !== 200) {
      failures.push(`${iri}: ${location} answered ${document.status}`);
      continue;
    }
    const got = new Set((await parseRdfToArray(await document.text(), { format: 'turtle', baseIRI: site.baseIRI })).map(key));
    const missing = own.filter((quad) => !got.has(key(quad)));
    if (missing.length > 0) failures.push(`${iri}: ${location} lacks ${missing.map(key).join(' | ')}`);
  }
  assert.is(failures.length, 0, failures.slice(0, 5).join('\n'));
});

test('the document of an IRI ending in a suffix is that IRI’s, and its suffixed alternates serve it too', async () => {
  const iri = minted.map((quad) => quad.subject.value).find((value) => value.endsWith('.ttl') || value.endsWith('.nt'));
  assert.ok(iri, 'an IRI ending in a suffix was generated');
  const redirect = await site.fetch(requestPathOf(iri ?? ''));
  const location = redirect.headers.get('location') ?? '';
  const direct = await site.fetch(`${location}.nt`);
  assert.is(direct.status, 200);
  const quads = await parseRdfToArray(await direct.text(), { format: 'ntriples' });
  assert.ok(quads.some((quad) => quad.subject.value === iri), 'the triples are about the IRI itself');
});

test('a path with no resource behind it is 404 at /id/ and at /doc/', async () => {
  for (const path of ['/id/evento/1/01/1996%200:00-25,29-2-0', '/id/categor%C3%ADa/nada', '/doc/evento/1%2F01%2F1996%200%3A00-25%2C29-2-999']) {
    assert.is((await site.fetch(path, { headers: { Accept: 'text/turtle' } })).status, 404, path);
  }
});

test('IRI → URI → IRI: the URI form of an IRI path reads back to it (generated paths)', () => {
  const subjects = new Set(minted.map((quad) => quad.subject.value.slice(site.baseIRI.length)));
  for (const path of subjects) assert.ok(iriPathsOf(uriPathOf(path)).includes(path), path);
  assert.is(uriPathOf('categoría/Bogotá%2C%20D.C.'), 'categor%C3%ADa/Bogot%C3%A1%2C%20D.C.');
});

test.run();
