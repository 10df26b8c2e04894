/** Triple Pattern Fragments: the real LDF client (Comunica) gets the same answers through /fragments as a direct query over the store. */
import { QueryEngine } from '@comunica/query-sparql';
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parsePatternTerm, patternTermValue } from '../../src/http/fragments.ts';
import { parseRdfToArray } from '../../src/rdf/index.ts';
import { type TestSite, startSite } from './support/server.ts';

const hydra = 'http://www.w3.org/ns/hydra/core#';
const rdfsLabel = 'http://www.w3.org/2000/01/rdf-schema#label';

function rowsOf(bindings: RDF.Bindings[], variables: readonly string[]): string[] {
  return bindings.map((binding) => variables.map((name) => {
    const term = binding.get(name);
    return term ? `${term.termType}:${term.value}${term.termType === 'Literal' ? `@${term.language}^^${term.datatype.value}` : ''}` : 'unbound';
  }).join(' | ')).sort();
}

async function trig(site: TestSite, path: string): Promise<RDF.Quad[]> {
  const response = await site.fetch(path, { headers: { Accept: 'application/trig' } });
  assert.is(response.status, 200, path);
  return parseRdfToArray(await response.text(), { format: 'trig', baseIRI: site.baseIRI });
}

let site: TestSite;
// A small page size so that every pattern with more than 3 matches is paged.
test.before(async () => {
  site = await startSite({ pageSize: 3 });
});
test.after(async () => {
  await site.close();
});

const queries = {
  'municipalities with their department': (base: string) => `
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX t: <${base}def/territorio#>
    SELECT ?m ?label ?dept WHERE { ?m a t:Municipio ; rdfs:label ?label ; t:departamento ?d . ?d rdfs:label ?dept }`,
  'labels in Spanish, across the vocabulary and the data': () => `
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?s ?label WHERE { ?s rdfs:label ?label FILTER(lang(?label) = "es") }`,
  'a literal in the object position': () => `
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?c WHERE { ?c skos:prefLabel "Special category"@en }`,
};

for (const [name, query] of Object.entries(queries)) {
  test(`Comunica over /fragments answers like a direct query: ${name}`, async () => {
    const engine = new QueryEngine();
    const text = query(site.baseIRI);
    const direct = await (await engine.queryBindings(text, { sources: [site.store], unionDefaultGraph: true })).toArray();
    const viaFragments = await (await engine.queryBindings(text, { sources: [{ type: 'qpf', value: `${site.baseIRI}fragments` }], lenient: false })).toArray();
    const variables = (direct[0] ? [...direct[0].keys()] : []).map((variable) => variable.value);
    assert.ok(direct.length > 0, 'the query has answers over the store');
    assert.equal(rowsOf(viaFragments, variables), rowsOf(direct, variables));
  });
}

test('paging walks every matching triple exactly once, with hydra links and a void:triples estimate', async () => {
  const first = `/fragments?predicate=${encodeURIComponent(rdfsLabel)}`;
  const seen: string[] = [];
  let path: string | undefined = first;
  let pages = 0;
  while (path !== undefined) {
    const quads = await trig(site, path);
    const pageIri: string = new URL(path.replace(/^\//, ''), site.baseIRI).href;
    const data = quads.filter((quad) => quad.graph.termType === 'DefaultGraph');
    assert.ok(data.length <= 3, 'a page holds at most the page size');
    for (const quad of data) {
      assert.is(quad.predicate.value, rdfsLabel);
      seen.push(`${quad.subject.value} ${quad.object.value}@${(quad.object as RDF.Literal).language}`);
    }
    const estimate = quads.find((quad) => quad.subject.value === pageIri && quad.predicate.value === 'http://rdfs.org/ns/void#triples');
    assert.ok(estimate, 'the page states void:triples');
    assert.is(Number(estimate?.object.value), site.store.countQuads(null, { termType: 'NamedNode', value: rdfsLabel } as RDF.NamedNode, null, null));
    const next: RDF.Quad | undefined = quads.find((quad) => quad.subject.value === pageIri && quad.predicate.value === `${hydra}next`);
    path = next ? new URL(next.object.value).pathname + new URL(next.object.value).search : undefined;
    pages++;
  }
  const expected = site.store.countQuads(null, { termType: 'NamedNode', value: rdfsLabel } as RDF.NamedNode, null, null);
  assert.is(seen.length, expected);
  assert.is(new Set(seen).size, seen.length, 'no triple twice');
  assert.is(pages, Math.ceil(expected / 3));
});

test('the search form is a hydra:IriTemplate with the three mappings', async () => {
  const quads = await trig(site, '/fragments');
  const template = quads.find((quad) => quad.predicate.value === `${hydra}template`);
  assert.is(template?.object.value, `${site.baseIRI}fragments{?subject,predicate,object}`);
  const variables = quads.filter((quad) => quad.predicate.value === `${hydra}variable`).map((quad) => quad.object.value).sort();
  assert.equal(variables, ['object', 'predicate', 'subject']);
});

test('pattern terms read and write the explicit representation', () => {
  const rows: Array<[string, string]> = [
    ['http://x/a', 'http://x/a'],
    ['"hola"', '"hola"'],
    ['"hola"@es', '"hola"@es'],
    ['"12"^^http://www.w3.org/2001/XMLSchema#integer', '"12"^^http://www.w3.org/2001/XMLSchema#integer'],
    ['"12"^^<http://www.w3.org/2001/XMLSchema#integer>', '"12"^^http://www.w3.org/2001/XMLSchema#integer'],
    ['"dice "hola""@es', '"dice "hola""@es'],
  ];
  for (const [input, written] of rows) assert.is(patternTermValue(parsePatternTerm(input, 'object')), written, input);
  assert.is(parsePatternTerm('?x', 'subject'), null);
  assert.is(parsePatternTerm('_:b', 'object'), null);
  assert.throws(() => parsePatternTerm('"x"', 'subject'), /literal/);
});

test('bad page numbers and literal subjects are 400', async () => {
  for (const path of ['/fragments?page=0', '/fragments?page=abc', `/fragments?subject=${encodeURIComponent('"x"')}`]) {
    assert.is((await site.fetch(path)).status, 400, path);
  }
});

test.run();
