/** Every graph of the W3C Turtle, TriG and RDF/XML evaluation tests, written in each syntax and read back. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NotAcceptable } from '../../src/errors/index.ts';
import { parseRdfToArray, type RdfFormatName, serializeRdfToString } from '../../src/rdf/index.ts';
import { sharedConformance } from '../conformance/harness.ts';
import { loadManifest, mf } from '../conformance/manifest.ts';
import { describeDifference, sameGraph } from '../support/graphs.ts';

const root = join(sharedConformance, 'rdf-tests', 'rdf', 'rdf11');

/** The expected results of the evaluation tests: small graphs full of the syntaxes' corner cases. */
async function expectedGraphs(): Promise<Array<{ name: string; quads: RDF.Quad[] }>> {
  const graphs: Array<{ name: string; quads: RDF.Quad[] }> = [];
  for (const [folder, format] of [
    ['rdf-turtle', 'ntriples'],
    ['rdf-trig', 'nquads'],
    ['rdf-xml', 'ntriples'],
  ] as const) {
    const manifest = await loadManifest(join(root, folder, 'manifest.ttl'));
    for (const entry of manifest.entries()) {
      const result = manifest.one(entry, `${mf}result`);
      if (result === undefined) continue;
      const path = fileURLToPath(result.value);
      graphs.push({ name: `${folder} ${entry.value.replace(/^.*#/, '')}`, quads: await parseRdfToArray(await readFile(path, 'utf8'), { format }) });
    }
  }
  return graphs;
}

const writable: ReadonlyArray<{ format: RdfFormatName; graphs: boolean }> = [
  { format: 'ntriples', graphs: false },
  { format: 'nquads', graphs: true },
  { format: 'turtle', graphs: false },
  { format: 'trig', graphs: true },
  { format: 'jsonld', graphs: true },
  { format: 'rdfxml', graphs: false },
];

let graphs: Array<{ name: string; quads: RDF.Quad[] }> = [];

test.before(async () => {
  graphs = await expectedGraphs();
});

test('the W3C evaluation results are all there', () => {
  assert.ok(graphs.length > 400, `only ${graphs.length} graphs found under ${root}`);
});

for (const { format, graphs: carriesGraphs } of writable) {
  test(`${format}: every W3C evaluation graph it can carry survives a round trip`, async () => {
    const failures: string[] = [];
    const refusals: string[] = [];
    let checked = 0;
    for (const { name, quads } of graphs) {
      if (!carriesGraphs && quads.some((quad) => quad.graph.termType !== 'DefaultGraph')) continue;
      checked++;
      try {
        const text = await serializeRdfToString(quads, { format });
        const back = await parseRdfToArray(text, { format });
        if (!sameGraph(back, quads)) failures.push(`${name}: ${describeDifference(back, quads)}`);
      } catch (error) {
        if (error instanceof NotAcceptable) refusals.push(`${name}: ${error.message}`);
        else failures.push(`${name}: ${(error as Error).message}`);
      }
    }
    assert.equal(failures, []);
    // The only graphs a syntax may refuse: RDF/XML cannot hold the control characters XML 1.0 forbids.
    const unexpected = refusals.filter((refusal) => format !== 'rdfxml' || !/XML 1\.0 does not allow/.test(refusal));
    assert.equal(unexpected, []);
    assert.ok(checked - refusals.length > 100, `${format}: only ${checked - refusals.length} graphs checked`);
  });
}

test.run();
