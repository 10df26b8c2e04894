/** Hostile SPARQL against the whole app: fuzzed and mutated queries, resource exhaustion, SSRF; the server stays up and the store unchanged. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fingerprint, type HostileSite, startCanary, startHostileSite, Tally, updateToken } from './support/site.ts';
import { random } from '../support/random.ts';

let site: HostileSite;
let before = '';
const tally = new Tally();
let crashes = 0;


const next = random(20261127);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

// A small grammar of valid queries over the sample data.
function term(): string {
  return pick(['?s', '?p', '?o', '?x', '<http://vinculo.test/def/territorio#poblacion>', '"Bogotá"@es', '42', 'rdfs:label']);
}
function pattern(depth: number): string {
  const triple = `${pick(['?s', '?x'])} ${pick(['?p', 'rdfs:label', 'a'])} ${term()} .`;
  if (depth <= 0) return triple;
  return pick([
    () => triple,
    () => `${triple} ${pattern(depth - 1)}`,
    () => `OPTIONAL { ${pattern(depth - 1)} }`,
    () => `{ ${pattern(depth - 1)} } UNION { ${pattern(depth - 1)} }`,
    () => `FILTER(${pick(['isIRI(?s)', 'BOUND(?o)', 'LANG(?o) = "es"', 'STRLEN(STR(?o)) > 3', 'REGEX(STR(?o), "^B", "i")'])})`,
    () => `BIND(STR(?s) AS ?b${Math.floor(next() * 9)})`,
  ])();
}
function validQuery(): string {
  const form = pick(['SELECT *', 'SELECT DISTINCT ?s', 'SELECT (COUNT(*) AS ?n)', 'ASK', 'CONSTRUCT { ?s ?p ?o }']);
  const where = `WHERE { ?s ?p ?o . ${pattern(3)} }`;
  const limit = form.startsWith('ASK') || form.includes('COUNT') ? '' : ` LIMIT ${1 + Math.floor(next() * 20)}`;
  return `PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n${form} ${where}${limit}`;
}
function mutate(text: string): string {
  const at = Math.floor(next() * text.length);
  return pick([
    () => text.slice(0, at) + text.slice(at + 1),
    () => text.slice(0, at) + pick(['{', '}', '(', ')', '"', '<', '?', '.', ';', 'FILTER', 'UNION', '\u0000', '\\', "'''", '#']) + text.slice(at),
    () => text.slice(0, at),
    () => text.slice(at) + text.slice(0, at),
    () => text.replace(/[{}]/, ''),
  ])();
}

async function query(text: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; ms: number }> {
  const started = Date.now();
  const response = await fetch(`${site.url}/sparql`, {
    method: 'POST',
    headers: { 'content-type': 'application/sparql-query', accept: 'application/sparql-results+json, text/turtle', ...headers },
    body: text,
  });
  return { status: response.status, body: await response.text(), ms: Date.now() - started };
}

async function alive(): Promise<boolean> {
  try {
    return (await fetch(`${site.url}/health`)).status === 200;
  } catch {
    return false;
  }
}

async function expectStatus(what: string, text: string, statuses: readonly number[], maxMs = 10_000): Promise<void> {
  const answer = await query(text);
  const ok = statuses.includes(answer.status) && answer.ms < maxMs;
  tally.record(what, ok, `got ${answer.status} in ${answer.ms} ms: ${answer.body.slice(0, 120)}`);
  if (answer.status >= 500 && answer.status !== 503) crashes += 1;
  assert.ok(ok, `${what}: got ${answer.status} in ${answer.ms} ms: ${answer.body.slice(0, 200)}`);
}

test.before(async () => {
  site = await startHostileSite({ queryTimeoutMs: 1_000, maxQueryLength: 20_000 });
  before = await fingerprint(site.store);
});

test.after(async () => {
  const after = await fingerprint(site.store);
  console.log(tally.summary('hostile sparql', crashes, after === before ? 0 : 1));
  await site.close();
});

test('generated queries from the grammar answer 200 (or 503 when one is a cross product)', async () => {
  for (let index = 0; index < 60; index++) await expectStatus(`generated #${index}`, validQuery(), [200, 503]);
  assert.ok(await alive());
});

test('mutated queries answer 200 or a clear 400, never a 5xx', async () => {
  for (let index = 0; index < 200; index++) await expectStatus(`mutated #${index}`, mutate(validQuery()), [200, 400, 503]);
  assert.ok(await alive());
});

test('a query longer than maxQueryLength is 413; GET with a huge URL is refused by Node itself', async () => {
  await expectStatus('long query', `SELECT * WHERE { ?s ?p ?o } # ${'x'.repeat(25_000)}`, [413]);
  const huge = VALUES(3_000);
  assert.ok(huge.length > 20_000);
  await expectStatus('huge VALUES', huge, [413]);
  const response = await fetch(`${site.url}/sparql?query=${encodeURIComponent(`SELECT * { ?s ?p ?o } #${'y'.repeat(20_000)}`)}`);
  tally.record('GET long URL', response.status === 431 || response.status === 413 || response.status === 414);
  assert.ok([413, 414, 431].includes(response.status), `GET long URL: ${response.status}`);
  assert.ok(await alive());
});

function VALUES(rows: number): string {
  return `SELECT (COUNT(*) AS ?n) WHERE { VALUES ?v { ${Array.from({ length: rows }, (_, index) => `"value ${index}"`).join(' ')} } }`;
}

test('large VALUES under the limit is answered', async () => {
  await expectStatus('VALUES under the limit', VALUES(1_000), [200]);
});

test('deep nesting is a 400, not a crash', async () => {
  await expectStatus('nested groups', `SELECT * WHERE ${'{'.repeat(3_000)}${'}'.repeat(3_000)}`, [400]);
  await expectStatus('nested parentheses', `SELECT * WHERE { FILTER(${'('.repeat(3_000)}1${')'.repeat(3_000)}) }`, [400]);
  await expectStatus('nested OPTIONALs', `SELECT * WHERE { ${'OPTIONAL { ?s ?p ?o '.repeat(500)}${'}'.repeat(500)} }`, [200, 400, 503]);
  assert.ok(await alive());
});

test('cartesian products and closures over cycles are stopped by the timeout (503)', async () => {
  await expectStatus('cartesian product', 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }', [503], 4_000);
  await expectStatus(
    'path over cycles',
    'SELECT (COUNT(*) AS ?n) WHERE { ?s (<http://x/p>|^<http://x/p>|!<http://x/none>)* ?o }',
    [503, 200],
    4_000,
  );
  await expectStatus('inverse path cycle', 'SELECT (COUNT(*) AS ?n) WHERE { ?s (!<http://x/none>|^!<http://x/none>)+ ?o . ?o ?p ?z }', [503, 200], 4_000);
  assert.ok(await alive());
});

test('catastrophic regexes are refused before they run (400)', async () => {
  const evil = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!';
  for (const pattern of ['^(a+)+$', '(a|a)*$', '(a*)*b', '((a+))+$', '(a{1,30}){1,30}$', '(x+x+)+y', '^(([a-z])+.)+[A-Z]([a-z])+$']) {
    await expectStatus(`regex ${pattern}`, `SELECT * WHERE { BIND("${evil}" AS ?s) FILTER(REGEX(?s, "${pattern}")) }`, [400], 2_000);
  }
  await expectStatus('regex from a variable', `SELECT * WHERE { BIND("^(a+)+$" AS ?p) BIND("${evil}" AS ?s) FILTER(REGEX(?s, ?p)) }`, [400], 2_000);
  await expectStatus('replace', `SELECT (REPLACE("${evil}", "(a+)+$", "") AS ?r) WHERE {}`, [400], 2_000);
  await expectStatus('safe regex still works', `SELECT * WHERE { BIND("${evil}" AS ?s) FILTER(REGEX(?s, "^a+!$")) }`, [200], 2_000);
  await expectStatus('literal (q) flag', `SELECT * WHERE { BIND("x" AS ?s) FILTER(REGEX(?s, "(a+)+", "q")) }`, [200], 2_000);
  assert.ok(await alive());
});

test('SERVICE and LOAD never reach the network (SSRF)', async () => {
  const canary = await startCanary();
  try {
    await expectStatus('SERVICE canary', `SELECT * WHERE { SERVICE <${canary.url}/sparql> { ?s ?p ?o } }`, [403]);
    await expectStatus('SERVICE SILENT canary', `SELECT * WHERE { SERVICE SILENT <${canary.url}/sparql> { ?s ?p ?o } }`, [403]);
    await expectStatus('SERVICE variable', 'SELECT * WHERE { VALUES ?e { <http://127.0.0.1:1/> } SERVICE ?e { ?s ?p ?o } }', [403]);
    const load = await fetch(`${site.url}/sparql`, {
      method: 'POST',
      headers: { 'content-type': 'application/sparql-update', authorization: `Bearer ${updateToken}` },
      body: `LOAD <${canary.url}/data.ttl> INTO GRAPH <http://vinculo.test/graph/x>`,
    });
    tally.record('LOAD canary', load.status === 403);
    assert.is(load.status, 403);
    const jsonld = await fetch(`${site.url}/sparql`, {
      method: 'POST',
      headers: { 'content-type': 'application/sparql-query', accept: 'application/ld+json' },
      body: `CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3`,
    });
    tally.record('JSON-LD results', jsonld.status === 200);
    assert.is(jsonld.status, 200);
    assert.equal(canary.hits, [], 'the canary saw a request');
  } finally {
    await canary.close();
  }
});

test('updates without or with a wrong token are refused', async () => {
  for (const [what, headers, status] of [
    ['no token', {}, 401],
    ['wrong token', { authorization: 'Bearer nope' }, 403],
    ['malformed header', { authorization: 'Basic Zm9vOmJhcg==' }, 401],
  ] as const) {
    const response = await fetch(`${site.url}/sparql`, {
      method: 'POST',
      headers: { 'content-type': 'application/sparql-update', ...headers },
      body: 'DROP ALL',
    });
    tally.record(`update ${what}`, response.status === status);
    assert.is(response.status, status, what);
  }
});

test('the store is unchanged and the server answers', async () => {
  assert.ok(await alive());
  assert.is(await fingerprint(site.store), before);
});

test.run();
