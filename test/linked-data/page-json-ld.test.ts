/** The JSON-LD a resource page embeds is written without jsonld.js, and jsonld.js reads it back as exactly the page's triples. */
import jsonld from 'jsonld';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pageJsonLd } from '../../src/http/document-response.ts';
import { DataFactory, parseRdfToArray, prefixes, serializeRdfToString } from '../../src/rdf/index.ts';
import type * as RDF from '@rdfjs/types';
import { PageJsonLdWriter } from '../../src/web/index.ts';
import { type TestSite, startSite } from './support/server.ts';

const { namedNode, blankNode, literal, quad } = DataFactory;

const canonical = { algorithm: 'URDNA2015', format: 'application/n-quads' } as const;

/** The canonical N-Quads (URDNA2015) of a JSON-LD document, as jsonld.js expands it (in its safe mode: nothing may be dropped). */
async function canonicalOfJsonLd(text: string): Promise<string> {
  return jsonld.canonize(JSON.parse(text) as jsonld.JsonLdDocument, canonical);
}

/** The canonical N-Quads of triples, read from N-Triples. */
async function canonicalOfTriples(triples: readonly RDF.Quad[]): Promise<string> {
  const ntriples = await serializeRdfToString(triples, { format: 'ntriples' });
  return jsonld.canonize(await jsonld.fromRDF(ntriples, { format: 'application/n-quads' }), canonical);
}

/** The text of the page's `<script type="application/ld+json">` (its escapes are JSON escapes, so it parses as is). */
function embeddedJsonLd(html: string): string {
  const found = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
  if (!found?.[1]) throw new Error('no embedded JSON-LD');
  return found[1];
}

let site: TestSite;
test.before(async () => {
  site = await startSite({ datasets: ['municipios', 'departamentos', 'categorias', 'contratos'] });
});
test.after(async () => {
  await site.close();
});

for (const path of ['/doc/municipio/05001', '/doc/departamento/05', '/doc/kos/categoria/especial', '/dataset/municipios', '/def/territorio']) {
  test(`the JSON-LD embedded in ${path} is the graph of its N-Triples`, async () => {
    const page = await site.fetch(path, { headers: { Accept: 'text/html' } });
    assert.is(page.status, 200);
    const embedded = embeddedJsonLd(await page.text());
    const ntriples = await (await site.fetch(`${path}.nt`)).text();
    const triples = await parseRdfToArray(ntriples, { format: 'ntriples' });
    assert.ok(triples.length > 3, `${path} has a description`);
    assert.is(await canonicalOfJsonLd(embedded), await canonicalOfTriples(triples));
  });
}

const base = 'https://datos.example.gov.co/';
const writer = new PageJsonLdWriter({ ...prefixes, id: `${base}id/`, def: `${base}def/`, odd: 'http://example.org/odd-' });

test('awkward literals, blank nodes and IRIs come back as the same triples', async () => {
  const topic = namedNode(`${base}id/municipio/05001`);
  const node = blankNode('b0');
  const triples = [
    quad(topic, namedNode(`${prefixes.rdf}type`), namedNode(`${base}def/territorio#Municipio`)),
    quad(topic, namedNode(`${prefixes.rdf}type`), node),
    quad(topic, namedNode(`${prefixes.rdf}type`), literal('not a class')),
    quad(topic, namedNode(`${prefixes.rdfs}label`), literal('Medellín "la bella"\n\t</script><!-- \u2028 \\ 😀', 'es')),
    quad(topic, namedNode(`${prefixes.rdfs}label`), literal('Medellin')),
    quad(topic, namedNode(`${base}def/territorio#poblacion`), literal('2569007', namedNode(`${prefixes.xsd}integer`))),
    quad(topic, namedNode('http://example.org/odd-value'), literal('3.5', namedNode('http://example.org/odd-type'))),
    quad(topic, namedNode('http://example.org/no-prefix#p'), namedNode(`${base}id///triple-slash`)),
    quad(topic, namedNode(`${prefixes.rdfs}seeAlso`), namedNode(prefixes.rdfs)),
    quad(topic, namedNode(`${prefixes.rdfs}seeAlso`), namedNode('urn:isbn:9789584')),
    quad(node, namedNode(`${prefixes.rdfs}label`), literal('')),
    quad(node, namedNode(`${prefixes.rdfs}seeAlso`), topic),
  ];
  const written = writer.write(triples);
  if (written === undefined) throw new Error('these triples are written directly');
  assert.is(await canonicalOfJsonLd(written), await canonicalOfTriples(triples));
  // A prefix whose IRI does not end in a gen-delim is no JSON-LD 1.1 prefix: the IRI stays whole.
  assert.ok(written.includes('"http://example.org/odd-value"'));
  assert.ok(written.includes('"rdfs:label"'));
});

test('an IRI a prefix would bend is written whole, in a document without a context', async () => {
  const topic = namedNode(`${base}id/municipio/05001`);
  // `geo` is a prefix name and a URI scheme (RFC 5870): beside the prefix, `geo:6.25,-75.56` would expand under it.
  const geoUri = [quad(topic, namedNode(`${prefixes.rdfs}seeAlso`), namedNode('geo:6.25,-75.56')), quad(topic, namedNode(`${prefixes.rdfs}label`), literal('Medellín', 'es'))];
  const written = writer.write(geoUri);
  if (written === undefined) throw new Error('written directly');
  assert.not.ok('@context' in (JSON.parse(written) as object));
  assert.is(await canonicalOfJsonLd(written), await canonicalOfTriples(geoUri));
});

test('a term that is no IRI is left to jsonld.js, which refuses it as before (406)', async () => {
  const notAnIri = [quad(namedNode(`${base}id/municipio/05001`), namedNode(`${prefixes.rdfs}seeAlso`), namedNode('a cell value'))];
  assert.is(writer.write(notAnIri), undefined);
  const refusal = await pageJsonLd(notAnIri, base).then(
    () => undefined,
    (error: unknown) => error,
  );
  assert.match(String(refusal), /not an IRI/);
});

test.run();
