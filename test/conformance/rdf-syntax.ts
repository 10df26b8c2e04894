/** The W3C RDF 1.1 syntax suites (N-Triples, N-Quads, Turtle, TriG, RDF/XML) run through `parseRdf`. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as RDF from '@rdfjs/types';
import { parseRdfToArray, type RdfFormatName } from '../../src/rdf/index.ts';
import { describeDifference, sameGraph } from '../support/graphs.ts';
import type { ConformanceCase, Outcome, Suite } from './harness.ts';
import { sharedConformance } from './harness.ts';
import { loadManifest, mf } from './manifest.ts';

const rdft = 'http://www.w3.org/ns/rdftest#';
const rdfType = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const suiteRoot = join(sharedConformance, 'rdf-tests', 'rdf', 'rdf11');
/** Where the suites live on the web; each README says a file's base IRI is its retrieval IRI there. */
const publishedRoot = 'https://w3c.github.io/rdf-tests/rdf/rdf11/';

/** One folder of the suite and the syntax its inputs (and expected results) are written in. */
interface SyntaxSuite {
  readonly folder: string;
  readonly format: RdfFormatName;
  readonly resultFormat: RdfFormatName;
}

const syntaxSuites: readonly SyntaxSuite[] = [
  { folder: 'rdf-n-triples', format: 'ntriples', resultFormat: 'ntriples' },
  { folder: 'rdf-n-quads', format: 'nquads', resultFormat: 'nquads' },
  { folder: 'rdf-turtle', format: 'turtle', resultFormat: 'ntriples' },
  { folder: 'rdf-trig', format: 'trig', resultFormat: 'nquads' },
  { folder: 'rdf-xml', format: 'rdfxml', resultFormat: 'ntriples' },
];

type TestKind = 'positive' | 'negative' | 'eval';

/** The registry from test type to what passing means; the local name after `rdft:Test<Syntax>`. */
const kinds: Record<string, TestKind> = {
  PositiveSyntax: 'positive',
  NegativeSyntax: 'negative',
  NegativeEval: 'negative',
  Eval: 'eval',
};

function kindOf(typeIri: string): TestKind | undefined {
  if (!typeIri.startsWith(`${rdft}Test`)) return undefined;
  const rest = typeIri.slice(`${rdft}Test`.length).replace(/^(NTriples|NQuads|Turtle|Trig|XML)/, '');
  return kinds[rest];
}

async function parseFile(path: string, format: RdfFormatName, baseIRI: string): Promise<RDF.Quad[]> {
  return parseRdfToArray(await readFile(path, 'utf8'), { format, baseIRI, source: path });
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function runTest(kind: TestKind, suite: SyntaxSuite, action: string, baseIRI: string, result: string | undefined): Promise<Outcome> {
  let actual: RDF.Quad[];
  try {
    actual = await parseFile(action, suite.format, baseIRI);
  } catch (error) {
    return kind === 'negative' ? { status: 'pass' } : { status: 'fail', reason: `did not parse: ${message(error)}` };
  }
  if (kind === 'negative') return { status: 'fail', reason: `parsed (${actual.length} quads) but must be rejected` };
  if (kind === 'positive') return { status: 'pass' };
  if (result === undefined) return { status: 'fail', reason: 'evaluation test without mf:result' };
  // The expected result is N-Triples/N-Quads with absolute IRIs only, so its base never matters.
  const expected = await parseFile(result, suite.resultFormat, baseIRI);
  return sameGraph(actual, expected)
    ? { status: 'pass' }
    : { status: 'fail', reason: `graph differs: ${describeDifference(actual, expected)}` };
}

async function* casesOf(suite: SyntaxSuite): AsyncGenerator<ConformanceCase> {
  const folder = join(suiteRoot, suite.folder);
  const manifest = await loadManifest(join(folder, 'manifest.ttl'));
  const manifestNode = manifest.store.getSubjects(rdfType, `${mf}Manifest`, null)[0];
  const assumed = manifestNode && manifest.one(manifestNode, `${mf}assumedTestBase`);
  const published = assumed?.value ?? `${publishedRoot}${suite.folder}/`;
  // Manifest IRIs are file URLs of the local copy; the suite names them by their published IRIs.
  const localRoot = manifest.iri.slice(0, manifest.iri.lastIndexOf('/') + 1);
  const publish = (iri: string) => (iri.startsWith(localRoot) ? published + iri.slice(localRoot.length) : iri);

  for (const entry of manifest.entries()) {
    const id = publish(entry.value);
    const types = manifest.all(entry, rdfType).map((term) => term.value);
    const kind = types.map(kindOf).find((found) => found !== undefined);
    const action = manifest.one(entry, `${mf}action`);
    const result = manifest.one(entry, `${mf}result`);
    if (kind === undefined || action === undefined) {
      yield {
        id,
        run: async () => ({ status: 'skip', reason: `not a syntax test this runner knows: ${types.join(', ') || 'no type'}` }),
      };
      continue;
    }
    yield {
      id,
      run: () =>
        runTest(kind, suite, fileURLToPath(action.value), publish(action.value), result && fileURLToPath(result.value)),
    };
  }
}

export const suite: Suite = {
  name: 'rdf-syntax',
  caseTimeoutMs: 10_000,
  async *cases() {
    for (const syntaxSuite of syntaxSuites) yield* casesOf(syntaxSuite);
  },
};
