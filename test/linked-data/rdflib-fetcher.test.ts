/** rdflib.js, the library Solid and many linked-data browsers dereference URIs with, as a real client: its Fetcher follows our 303 and reads the same graph as our Turtle. */
import type * as RDF from '@rdfjs/types';
import * as $rdf from 'rdflib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory, parseRdfToArray } from '../../src/rdf/index.ts';
import { describeDifference, sameGraph } from '../support/graphs.ts';
import { type TestSite, startSite } from './support/server.ts';

let site: TestSite;
test.before(async () => {
  site = await startSite({ datasets: ['municipios', 'departamentos', 'categorias', 'contratos'] });
});
test.after(async () => {
  await site.close();
});

type RdflibTerm = { termType: string; value: string; language?: string; datatype?: { value: string } };

/** rdflib's terms become ours at the edge (the style guide: other libraries' term classes never travel). */
function term(node: RdflibTerm): RDF.Term {
  switch (node.termType) {
    case 'NamedNode':
      return DataFactory.namedNode(node.value);
    case 'BlankNode':
      return DataFactory.blankNode(node.value);
    case 'Literal':
      return DataFactory.literal(node.value, node.language || DataFactory.namedNode(node.datatype?.value ?? 'http://www.w3.org/2001/XMLSchema#string'));
    default:
      throw new Error(`rdflib gave a ${node.termType} in a document`);
  }
}

/** What rdflib's Fetcher read from `iri`: the statements it files under the IRI asked for (its request metadata left out), and where it landed. */
async function fetched(iri: string): Promise<{ quads: RDF.Quad[]; document: string }> {
  const store = $rdf.graph();
  const fetcher = new $rdf.Fetcher(store, { fetch: globalThis.fetch, timeout: 10_000 });
  const response = await fetcher.load(iri);
  const document = response.url || iri;
  const quads = store
    .statementsMatching(undefined, undefined, undefined, $rdf.sym(iri.replace(/#.*/, '')))
    .map((statement) =>
      DataFactory.quad(term(statement.subject) as RDF.Quad_Subject, term(statement.predicate) as RDF.NamedNode, term(statement.object) as RDF.Quad_Object),
    );
  return { quads, document };
}

async function ourTurtle(path: string): Promise<RDF.Quad[]> {
  const response = await site.fetch(path, { headers: { Accept: 'text/turtle' } });
  assert.is(response.status, 200);
  return parseRdfToArray(await response.text(), { format: 'turtle', baseIRI: site.baseIRI });
}

test('rdflib.js Fetcher: an /id/ IRI, through the 303, gives the graph of our Turtle document', async () => {
  const { quads, document } = await fetched(`${site.baseIRI}id/municipio/05001`);
  assert.is(document, `${site.baseIRI}doc/municipio/05001`, 'it followed the redirect to the document');
  const expected = await ourTurtle('/doc/municipio/05001');
  assert.ok(expected.length > 10);
  assert.ok(sameGraph(quads, expected), describeDifference(quads, expected));
});

test('rdflib.js Fetcher: a hash IRI under /def/ gives the vocabulary document', async () => {
  const { quads } = await fetched(`${site.baseIRI}def/territorio#Municipio`);
  const expected = await ourTurtle('/def/territorio');
  assert.ok(expected.some((quad) => quad.subject.value === `${site.baseIRI}def/territorio#Municipio`), 'the term is described');
  assert.ok(sameGraph(quads, expected), describeDifference(quads, expected));
});

test.run();
