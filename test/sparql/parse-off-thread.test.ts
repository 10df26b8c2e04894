/** Long texts parse on a worker thread: the same algebra and the same syntax errors as on the main thread, within the time limit. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { QueryTimeout, SyntaxProblem } from '../../src/errors/index.ts';
import { parseOffThread } from '../../src/sparql/parse-off-thread.ts';
import { parseSparql } from '../../src/sparql/index.ts';

const padding = (n: number) => `# ${'x'.repeat(n)}\n`;
const queries = [
  'PREFIX ex: <http://example.org/> SELECT * WHERE { GRAPH ?g { ?s ex:p "a"@es, 1.5, "2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date> } OPTIONAL { ?s ex:q/ex:r* ?o } FILTER(?o IN (1, 2) && REGEX(STR(?s), "^h")) } ORDER BY DESC(?s) LIMIT 3',
  'SELECT ?g WHERE { GRAPH ?g {} }',
  'CONSTRUCT { ?s <http://example.org/p> [ <http://example.org/q> ?o ] } WHERE { ?s ?p ?o }',
  'SELECT (SUM(?v) AS ?total) (GROUP_CONCAT(?l; separator=", ") AS ?labels) WHERE { ?s <http://example.org/v> ?v ; <http://example.org/l> ?l } GROUP BY ?s HAVING (SUM(?v) > 10)',
];

/**
 * The algebra as data: terms by their RDF/JS fields (and an algebra `type` on them, as patterns
 * carry), nodes by every field. Blank nodes are named by order of appearance: the parser labels
 * `[ … ]` from a counter each thread keeps over all its parses, so labels depend on what the
 * thread parsed before (other test files share the worker), never on the text.
 */
function plain(value: unknown, blankNodes = new Map<string, string>()): unknown {
  if (Array.isArray(value)) return value.map((item) => plain(item, blankNodes));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (typeof record.termType === 'string') {
    const term = value as { termType: string; value: string; language?: string; datatype?: unknown; subject?: unknown; predicate?: unknown; object?: unknown; graph?: unknown; type?: unknown };
    if (term.termType === 'Quad') return { quad: [term.subject, term.predicate, term.object, term.graph].map((part) => plain(part, blankNodes)), type: term.type };
    if (term.termType === 'BlankNode' && !blankNodes.has(term.value)) blankNodes.set(term.value, `b${blankNodes.size}`);
    const label = term.termType === 'BlankNode' ? blankNodes.get(term.value) : term.value;
    return { termType: term.termType, value: label, language: term.language, datatype: plain(term.datatype, blankNodes) };
  }
  return Object.fromEntries(Object.entries(record).map(([key, field]) => [key, plain(field, blankNodes)]));
}

test('the worker gives the algebra the main thread gives, with RDF/JS terms', async () => {
  for (const query of queries) {
    const text = padding(5_000) + query;
    const here = parseSparql(text, { expect: 'query', baseIRI: 'http://example.org/base' });
    const there = await parseOffThread(text, { expect: 'query', baseIRI: 'http://example.org/base' }, 10_000);
    assert.equal(plain(there), plain(here), query);
  }
  const parsed = await parseOffThread(padding(5_000) + queries[1], { expect: 'query' }, 10_000);
  const project = parsed.algebra as unknown as { variables: Array<{ equals(other: unknown): boolean; termType: string }> };
  assert.ok(project.variables[0]?.equals(project.variables[0]), 'revived terms have RDF/JS methods');
});

test('syntax errors keep their message and position', async () => {
  const text = `${padding(5_000)}SELECT * WHERE { ?s ?p }`;
  const caught = (work: () => unknown) => {
    try {
      work();
    } catch (error) {
      return error;
    }
    return undefined;
  };
  const here = caught(() => parseSparql(text, { expect: 'query' }));
  const there = await parseOffThread(text, { expect: 'query' }, 10_000).catch((error: unknown) => error);
  assert.instance(here, SyntaxProblem);
  assert.instance(there, SyntaxProblem);
  assert.is((there as SyntaxProblem).message, (here as SyntaxProblem).message);
  assert.equal((there as SyntaxProblem).position, (here as SyntaxProblem).position);
});

test('a parse that outlives its time limit is stopped, and the next parse still works', async () => {
  const members = Array.from({ length: 11_000 }, (_, i) => `"c${i}"`).join(',');
  const long = `SELECT ?s WHERE { ?s ?p ?o FILTER(?o IN (${members})) }`;
  const started = performance.now();
  const late = await parseOffThread(long, { expect: 'query' }, 5).catch((error: unknown) => error);
  assert.instance(late, QueryTimeout);
  assert.ok(performance.now() - started < 1_000, 'the timeout waited for the parse');
  const next = await parseOffThread(padding(5_000) + queries[1], { expect: 'query' }, 10_000);
  assert.ok(next.listsGraphs);
});

test('a parser thread does not keep the process alive', async () => {
  // A ref'd thread made the whole unit suite hang after its last test.
  const module = fileURLToPath(new URL('../../src/sparql/parse-off-thread.ts', import.meta.url));
  const script = `const { parseOffThread } = await import(${JSON.stringify(module)}); await parseOffThread('# ${'x'.repeat(5_000)}\\nASK {}', { expect: 'query' }, 10000); console.log('parsed');`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 30_000 });
  assert.is(stdout.trim(), 'parsed');
});

test.run();
