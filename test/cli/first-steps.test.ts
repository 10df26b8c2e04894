/** A new user's first steps, coming from RMLMapper: a plain RML mapping beside its CSV, no configuration. */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRdfToArray } from '../../src/rdf/index.ts';
import { sharedConformance } from '../conformance/harness.ts';
import { describeDifference, sameGraph } from '../support/graphs.ts';
import { runCli, startCli, stopServer, whenServing } from './run-cli.ts';

const csv = 'codigo,nombre\n05001,Medellín\n05002,Abejorral\n08001,Barranquilla\n';

/** Legacy RML as RMLMapper users write it: the source named relative to the mapping's folder. */
const mapping = (source: string) => `@prefix rr: <http://www.w3.org/ns/r2rml#> .
@prefix rml: <http://semweb.mmlab.be/ns/rml#> .
@prefix ql: <http://semweb.mmlab.be/ns/ql#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<#Municipios> a rr:TriplesMap ;
  rml:logicalSource [ rml:source "${source}" ; rml:referenceFormulation ql:CSV ] ;
  rr:subjectMap [ rr:template "http://localhost:3030/id/municipio/{codigo}" ; rr:class <http://localhost:3030/def/territorio#Municipio> ] ;
  rr:predicateObjectMap [ rr:predicate rdfs:label ; rr:objectMap [ rml:reference "nombre" ] ] .
`;

const labelOf = 'http://www.w3.org/2000/01/rdf-schema#label';

test('from an empty folder: vinculo map, then import, then serve, with no configuration', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'vinculo-first-steps-'));
  await writeFile(join(folder, 'municipios.csv'), csv);
  await writeFile(join(folder, 'mapping.ttl'), mapping('municipios.csv'));

  const mapped = await runCli(['map', 'mapping.ttl', '--out', 'out.nq'], {}, folder);
  assert.is(mapped.status, 0, mapped.stderr);
  const quads = await parseRdfToArray(await readFile(join(folder, 'out.nq'), 'utf8'), { format: 'nquads' });
  const labels = quads.filter((quad) => quad.predicate.value === labelOf).map((quad) => quad.object.value);
  assert.equal(labels.sort(), ['Abejorral', 'Barranquilla', 'Medellín']);

  // No dataset metadata: the id is the mapping's file name.
  const imported = await runCli(['import', 'mapping.ttl'], {}, folder);
  assert.is(imported.status, 0, imported.stderr);
  assert.match(imported.stderr, /mapping: 3 rows read, 6 triples written/);

  const server = await whenServing(startCli(['serve', '--port', '0'], {}, folder));
  try {
    const document = await fetch(`${server.url}/doc/municipio/05001`, { headers: { Accept: 'application/n-triples' } });
    assert.is(document.status, 200, server.log());
    const served = await parseRdfToArray(await document.text(), { format: 'ntriples' });
    const medellin = served.filter((quad) => quad.subject.value === 'http://localhost:3030/id/municipio/05001' && quad.predicate.value === labelOf);
    assert.equal(medellin.map((quad) => quad.object.value), ['Medellín']);
    const graph = await fetch(`${server.url}/sparql`, {
      method: 'POST',
      headers: { Accept: 'application/sparql-results+json', 'Content-Type': 'application/sparql-query' },
      body: 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://localhost:3030/graph/mapping> { ?s ?p ?o } }',
    });
    const results = (await graph.json()) as { results: { bindings: Array<{ n: { value: string } }> } };
    assert.is(results.results.bindings[0]?.n.value, '6');
  } finally {
    await stopServer(server);
  }
});

test('a source outside the mapping folder is refused with how to allow it, and --source-dir allows it', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'vinculo-first-steps-'));
  await mkdir(join(folder, 'mappings'));
  await mkdir(join(folder, 'exports'));
  await writeFile(join(folder, 'exports', 'municipios.csv'), csv);
  await writeFile(join(folder, 'mappings', 'mapping.ttl'), mapping(join(folder, 'exports', 'municipios.csv')));

  const refused = await runCli(['map', 'mappings/mapping.ttl'], {}, folder);
  assert.is(refused.status, 1);
  assert.match(refused.stderr, /outside the allowed data folders/);
  assert.match(refused.stderr, /--source-dir DIR/);
  assert.match(refused.stderr, /"sourceDirs" in vinculo\.config\.json/);

  const allowed = await runCli(['map', 'mappings/mapping.ttl', '--source-dir', 'exports'], {}, folder);
  assert.is(allowed.status, 0, allowed.stderr);
  assert.match(allowed.stdout, /"Barranquilla"/);
});

const legacyCase = (name: string) => join(sharedConformance, 'rml', 'rml-test-cases', 'test-cases', name);
const coreCase = (name: string) => join(sharedConformance, 'rml', 'rml-core', 'test-cases', name);

test('vinculo map with no configuration reads a legacy RML file as RMLMapper does: its @base is the base of relative IRIs', async () => {
  for (const name of ['RMLTC0019a-CSV', 'RMLTC0020a-JSON']) {
    const folder = legacyCase(name);
    const mapped = await runCli(['map', 'mapping.ttl'], {}, folder);
    assert.is(mapped.status, 0, mapped.stderr);
    const actual = await parseRdfToArray(mapped.stdout, { format: 'nquads' });
    const expected = await parseRdfToArray(await readFile(join(folder, 'output.nq'), 'utf8'), { format: 'nquads' });
    assert.ok(sameGraph(actual, expected), `${name}: ${describeDifference(actual, expected)}`);
  }
  // A configured base IRI is the site's: it wins over the file's @base.
  const configured = await runCli(['map', 'mapping.ttl', '--base-iri', 'http://datos.example.co/'], {}, legacyCase('RMLTC0019a-CSV'));
  assert.match(configured.stdout, /<http:\/\/datos\.example\.co\/Carlos>/);
});

test('an RML-Core mapping stops at a data error (RMLTC0019b, RMLTC0025b); --on-error skip-term keeps the rest', async () => {
  for (const name of ['RMLTC0019b-JSON', 'RMLTC0025b-JSON']) {
    const refused = await runCli(['map', 'mapping.ttl', '--base-iri', 'http://example.com/'], {}, coreCase(name));
    assert.is(refused.status, 1, `${name} must be rejected`);
  }
  const lenient = await runCli(['map', 'mapping.ttl', '--base-iri', 'http://example.com/', '--on-error', 'skip-term'], {}, coreCase('RMLTC0019b-JSON'));
  assert.is(lenient.status, 0, lenient.stderr);
  assert.match(lenient.stderr, /invalid-iri/);
});

test.run();
