/**
 * CSVW conformance: the W3C csv2rdf tests (`manifest-rdf.jsonld`) run from
 * `../shared/conformance/csvw/tests/`, with their options (user metadata, minimal mode, linked
 * metadata). Test URLs under `http://www.w3.org/2013/csvw/tests/` map to that folder, so generated
 * IRIs are the ones the expected Turtle holds. Negative tests pass only if loading or mapping fails.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as RDF from '@rdfjs/types';
import { executeMapping, loadMapping } from '../../src/mapping/index.ts';
import { parseRdfToArray } from '../../src/rdf/index.ts';
import { describeDifference, sameGraph } from '../support/graphs.ts';
import { type ConformanceCase, type Outcome, type Suite, sharedConformance } from './harness.ts';

const folder = join(sharedConformance, 'csvw', 'tests');
const testsUrl = 'http://www.w3.org/2013/csvw/tests/';

interface Entry {
  readonly id: string;
  readonly type: string;
  readonly action: string;
  readonly result?: string;
  readonly option?: { readonly metadata?: string; readonly minimal?: boolean; readonly noProv?: boolean };
  readonly httpLink?: string;
}

async function run(entry: Entry): Promise<Outcome> {
  const negative = entry.type === 'csvt:NegativeRdfTest';
  const linked = entry.httpLink ? /<([^>]+)>/.exec(entry.httpLink)?.[1] : undefined;
  const actionFolder = join(folder, entry.action.replace(/\?.*$/, ''), '..');
  let quads: RDF.Quad[];
  try {
    // An action such as `test116.csv?query` is the file `test116.csv` at a URL with a query.
    const plan = await loadMapping(join(folder, entry.action.replace(/\?.*$/, '')), {
      baseIRI: testsUrl,
      allowedDirs: [folder],
      csvwDocumentBase: { url: testsUrl, folder },
      csvwUrl: testsUrl + entry.action,
      ...(entry.option?.minimal ? { csvwMode: 'minimal' as const } : {}),
      ...(entry.option?.metadata ? { csvwMetadata: join(folder, entry.option.metadata) } : {}),
      ...(linked ? { csvwLinkedMetadata: join(actionFolder, linked) } : {}),
    });
    quads = [];
    const { quads: stream } = executeMapping(plan, { errorPolicy: 'skip-term' });
    for await (const item of stream) quads.push(item);
  } catch (error) {
    if (negative) return { status: 'pass' };
    return { status: 'fail', reason: `failed: ${(error as Error).message}` };
  }
  if (negative) return { status: 'fail', reason: 'an error was expected, conversion succeeded' };
  if (!entry.result) return { status: 'fail', reason: 'no expected result' };
  const resultPath = join(folder, entry.result);
  const expected = await parseRdfToArray(await readFile(resultPath, 'utf8'), { format: 'turtle', baseIRI: testsUrl + entry.result, source: resultPath });
  if (sameGraph(quads, expected)) return { status: 'pass' };
  return { status: 'fail', reason: describeDifference(quads, expected) };
}

export const suite: Suite = {
  name: 'csvw',
  async *cases(): AsyncIterable<ConformanceCase> {
    const manifest = JSON.parse(await readFile(join(folder, 'manifest-rdf.jsonld'), 'utf8')) as { entries: Entry[] };
    for (const entry of manifest.entries) yield { id: testsUrl + entry.id, run: () => run(entry) };
  },
};
