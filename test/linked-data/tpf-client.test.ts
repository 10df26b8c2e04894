/** Triple Pattern Fragments with blank nodes: skolem IRIs a client can send back, so Comunica over /fragments joins through them as a query over the store does. */
import { QueryEngine } from '@comunica/query-sparql';
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory, parseRdfToArray } from '../../src/rdf/index.ts';
import { type TestSite, startSite } from './support/server.ts';

let site: TestSite;
test.before(async () => {
  site = await startSite({ pageSize: 4 });
  // A second geo point per municipality of a dataset of its own: joins must not mix blank nodes of two graphs.
  const schemaGeo = DataFactory.namedNode('http://schema.org/geo');
  const lat = DataFactory.namedNode('http://www.w3.org/2003/01/geo/wgs84_pos#lat');
  await site.store.putDataset('puntos', (async function* () {
    for (const code of ['05001', '05002', '11001']) {
      const point = DataFactory.blankNode(`punto-${code}`);
      yield DataFactory.quad(DataFactory.namedNode(`${site.baseIRI}id/municipio/${code}`), schemaGeo, point);
      yield DataFactory.quad(point, lat, DataFactory.literal(`${code.length}.${code}`, DataFactory.namedNode('http://www.w3.org/2001/XMLSchema#decimal')));
    }
  })());
});
test.after(async () => {
  await site.close();
});

const throughBlankNodes = `
  PREFIX schema: <http://schema.org/>
  PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>
  SELECT ?m ?lat WHERE { ?m schema:geo ?point . ?point geo:lat ?lat }`;

function rows(bindings: readonly RDF.Bindings[]): string[] {
  return bindings.map((binding) => `${binding.get('m')?.value} ${binding.get('lat')?.value}`).sort();
}

// Without a type, Comunica identifies the source from its hypermedia controls.
for (const type of [undefined, 'qpf'] as const) {
  test(`Comunica over /fragments (${type ?? 'identified'} source) joins through blank nodes like a query over the store`, async () => {
    const engine = new QueryEngine();
    const direct = await (await engine.queryBindings(throughBlankNodes, { sources: [site.store], unionDefaultGraph: true })).toArray();
    const source = { ...(type === undefined ? {} : { type }), value: `${site.baseIRI}fragments` };
    const viaFragments = await (await engine.queryBindings(throughBlankNodes, { sources: [source], lenient: false })).toArray();
    assert.ok(direct.length >= 4, `${direct.length} answers over the store`);
    assert.is(viaFragments.length, direct.length);
    assert.equal(rows(viaFragments), rows(direct));
  });
}

test('a fragment names blank nodes by skolem IRIs, and takes them back as subject and object', async () => {
  const skolem = `${site.baseIRI}.well-known/genid/`;
  const page = await site.fetch(`/fragments?predicate=${encodeURIComponent('http://schema.org/geo')}`, { headers: { Accept: 'application/n-triples' } });
  const triples = await parseRdfToArray(await page.text(), { format: 'ntriples' });
  const data = triples.filter((quad) => quad.predicate.value === 'http://schema.org/geo');
  assert.ok(data.length > 0);
  assert.ok(data.every((quad) => quad.object.termType === 'NamedNode' && quad.object.value.startsWith(skolem)), 'no blank node label in the data');
  const point = data[0]?.object.value ?? '';
  const asSubject = await parseRdfToArray(await (await site.fetch(`/fragments?subject=${encodeURIComponent(point)}`, { headers: { Accept: 'application/n-triples' } })).text(), { format: 'ntriples' });
  assert.ok(asSubject.some((quad) => quad.subject.value === point && quad.predicate.value.endsWith('wgs84_pos#lat')), 'the point’s latitude');
  const asObject = await parseRdfToArray(await (await site.fetch(`/fragments?object=${encodeURIComponent(point)}`, { headers: { Accept: 'application/n-triples' } })).text(), { format: 'ntriples' });
  assert.ok(asObject.some((quad) => quad.object.value === point && quad.subject.equals(data[0]?.subject as RDF.Term)), 'the municipality that has it');
});

test('the HTML fragment links a skolem IRI to the fragment of its triples, not to a document', async () => {
  const page = await site.fetch(`/fragments?predicate=${encodeURIComponent('http://schema.org/geo')}`, { headers: { Accept: 'text/html' } });
  const html = await page.text();
  const links = [...html.matchAll(/href="([^"]*genid[^"]*)"/g)].map((match) => match[1]?.replaceAll('&amp;', '&') ?? '');
  assert.ok(links.length > 0, 'skolem IRIs are linked');
  for (const link of links) {
    assert.match(link, /^\/fragments\?subject=/);
    assert.is((await site.fetch(link, { headers: { Accept: 'text/html' } })).status, 200, link);
  }
});

test.run();
