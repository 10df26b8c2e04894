/** `npm run conformance -- SUITE`: the entry point for every public conformance suite. */
import { runSuite, type Suite } from './harness.ts';

const suites: Record<string, () => Promise<{ suite: Suite }>> = {
  'rdf-syntax': () => import('./rdf-syntax.ts'),
  csvw: () => import('./csvw.ts'),
  rml: () => import('./rml.ts'),
  sparql: () => import('./sparql.ts'),
  'sparql-comunica': async () => ({ suite: (await import('./sparql.ts')).comunicaSuite }),
};

const name = process.argv[2];
const load = name === undefined ? undefined : suites[name];
if (!load) {
  console.error(`usage: npm run conformance -- SUITE   (SUITE: ${Object.keys(suites).join(', ')})`);
  process.exit(2);
}
const { suite } = await load();
process.exitCode = await runSuite(suite);
