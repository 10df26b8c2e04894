/** The sample mapping `mappings/municipios.yml`: its output graph and its dataset metadata block. */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadMapping } from '../../src/mapping/index.ts';
import { parseRdfToArray } from '../../src/rdf/index.ts';
import { describeDifference, sameGraph } from '../support/graphs.ts';
import { base, run } from './helpers.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const mappingFile = join(repo, 'mappings', 'municipios.yml');

function unique(quads: readonly RDF.Quad[]): RDF.Quad[] {
  const byKey = new Map<string, RDF.Quad>();
  for (const quad of quads) byKey.set(JSON.stringify([quad.subject, quad.predicate, quad.object, quad.graph].map((term) => [term.termType, term.value, term.termType === 'Literal' ? [term.language, term.datatype.value] : null])), quad);
  return [...byKey.values()];
}

test('municipios.yml produces the hand-written expected graph (isomorphic), in the default graph', async () => {
  const plan = await loadMapping(mappingFile, { baseIRI: base, allowedDirs: [join(repo, 'data')] });
  assert.equal(plan.sources, [join(repo, 'data', 'municipios.csv')]);
  const { quads, report, problems } = await run(plan);
  assert.equal(problems, []);
  assert.is(report.rowsRead, 13, 'two triples maps iterate the same 13 rows, counted once');
  const expected = await parseRdfToArray(await readFile(join(here, 'fixtures', 'municipios-expected.ttl'), 'utf8'), { format: 'turtle' });
  const actual = unique(quads);
  assert.ok(sameGraph(actual, expected), describeDifference(actual, expected));
  assert.ok(quads.every((quad) => quad.graph.termType === 'DefaultGraph'));
});

test('municipios.yml carries a valid dataset block with defaults applied', async () => {
  const plan = await loadMapping(mappingFile, { baseIRI: base, allowedDirs: [join(repo, 'data')] });
  const dataset = plan.dataset;
  assert.ok(dataset);
  assert.is(dataset.id, 'municipios');
  assert.is(dataset.title.es, 'Municipios de Colombia');
  assert.is(dataset.publisher.nit, '899999027-8');
  assert.is(dataset.license, 'https://creativecommons.org/licenses/by-sa/4.0/');
  assert.equal(dataset.temporal, { start: '2018-01-01', end: '2018-12-31' });
  assert.is(dataset.identifier, 'gdxc-w37w');
});

test('the data folder must be allowed: municipios.yml is refused with only the mappings folder allowed', async () => {
  await loadMapping(mappingFile, { baseIRI: base, allowedDirs: [join(repo, 'mappings')] }).then(
    () => assert.unreachable('should refuse'),
    (error: Error) => assert.match(error.message, 'outside the allowed data folders'),
  );
});

test.run();
