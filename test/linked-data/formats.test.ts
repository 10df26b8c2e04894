/** Every representation of one document describes the same graph: checked with rapper, jsonld.js and our parsers. */
import type * as RDF from '@rdfjs/types';
import jsonld from 'jsonld';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory, type RdfFormatName, parseRdfToArray } from '../../src/rdf/index.ts';
import { describeDifference, sameGraph } from '../support/graphs.ts';
import { rapper } from './support/rapper.ts';
import { type TestSite, startSite } from './support/server.ts';

let site: TestSite;
test.before(async () => {
  site = await startSite();
});
test.after(async () => {
  await site.close();
});

const triples = (quads: readonly RDF.Quad[]) => quads.map((quad) => DataFactory.quad(quad.subject, quad.predicate, quad.object));

async function representation(path: string): Promise<string> {
  const response = await site.fetch(path);
  assert.is(response.status, 200, path);
  return response.text();
}

const documents = ['/doc/municipio/05001', '/def/territorio', '/doc/kos/categoria/especial', '/dataset/municipios'];

for (const path of documents) {
  test(`${path}: every syntax parses to the Turtle graph`, async () => {
    const base = `${site.baseIRI}${path.slice(1)}`;
    const turtle = await parseRdfToArray(await representation(`${path}.ttl`), { format: 'turtle', baseIRI: base });
    assert.ok(turtle.length > 3, 'a real document');
    const rows: Array<[string, RdfFormatName, boolean]> = [
      ['nt', 'ntriples', false],
      ['rdf', 'rdfxml', false],
      ['jsonld', 'jsonld', true],
      ['nq', 'nquads', true],
      ['trig', 'trig', true],
    ];
    for (const [suffix, format, graphs] of rows) {
      const parsed = await parseRdfToArray(await representation(`${path}.${suffix}`), { format, baseIRI: base });
      const compared = graphs ? triples(parsed) : parsed;
      // Graph-aware syntaxes may state a triple in two graphs; as a set of triples it is the same graph.
      const unique = [...new Map(compared.map((quad) => [JSON.stringify([quad.subject, quad.predicate, quad.object].map((term) => [term.termType, term.value, term.termType === 'Literal' ? [term.language, term.datatype.value] : []])), quad])).values()];
      assert.ok(sameGraph(unique, turtle), `${suffix}: ${describeDifference(unique, turtle)}`);
    }
  });

  test(`${path}: rapper reads the Turtle and the RDF/XML, to the same graph`, async () => {
    const base = `${site.baseIRI}${path.slice(1)}`;
    const ours = await parseRdfToArray(await representation(`${path}.ttl`), { format: 'turtle', baseIRI: base });
    for (const [suffix, syntax] of [['ttl', 'turtle'], ['rdf', 'rdfxml']] as const) {
      const ntriples = await rapper(syntax, await representation(`${path}.${suffix}`), base);
      const theirs = await parseRdfToArray(ntriples, { format: 'ntriples' });
      assert.ok(sameGraph(theirs, ours), `${syntax}: ${describeDifference(theirs, ours)}`);
    }
  });

  test(`${path}: the JSON-LD expands (jsonld.js) to the Turtle graph, and is compacted with the vocabulary prefixes`, async () => {
    const base = `${site.baseIRI}${path.slice(1)}`;
    const document = JSON.parse(await representation(`${path}.jsonld`)) as { '@context': Record<string, string> };
    assert.is(document['@context'].def, `${site.baseIRI}def/`);
    assert.is(document['@context'].skos, 'http://www.w3.org/2004/02/skos/core#');
    const expanded = await jsonld.expand(document as jsonld.JsonLdDocument);
    const nquads = (await jsonld.toRDF(expanded, { format: 'application/n-quads' })) as unknown as string;
    const fromJsonLd = triples(await parseRdfToArray(nquads, { format: 'nquads' }));
    const unique = [...new Map(fromJsonLd.map((quad) => [`${quad.subject.value} ${quad.predicate.value} ${quad.object.termType}${quad.object.value}${quad.object.termType === 'Literal' ? `${quad.object.language}${quad.object.datatype.value}` : ''}`, quad])).values()];
    const turtle = await parseRdfToArray(await representation(`${path}.ttl`), { format: 'turtle', baseIRI: base });
    assert.ok(sameGraph(unique, turtle), describeDifference(unique, turtle));
  });
}

test('the HTML page embeds its own data as JSON-LD, with </script> escaped', async () => {
  const html = await representation('/doc/municipio/05001.html');
  const scripts = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)];
  assert.is(scripts.length, 1, 'one data island, not cut short by the literal holding </script>');
  const embedded = scripts[0]?.[1] ?? '';
  assert.not.match(embedded, /<\/script|<!--/i);
  const quads = await parseRdfToArray(embedded, { format: 'jsonld' });
  const turtle = await parseRdfToArray(await representation('/doc/municipio/05001.ttl'), { format: 'turtle' });
  assert.ok(sameGraph(quads, turtle), describeDifference(quads, turtle));
  assert.ok(quads.some((quad) => quad.object.value.includes('</script><script>alert(1)</script>')), 'the literal survives intact');
  assert.not.match(html.replace(scripts[0]?.[0] ?? '', ''), /<script>alert/);
});

test.run();
