/** Hostile HTTP against the whole app: traversal, malformed and oversized uploads, injection, security headers, rate limit, metrics. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fingerprint, type HostileSite, startCanary, startHostileSite, Tally, updateToken } from './support/site.ts';

let site: HostileSite;
let before = '';
const tally = new Tally();
let crashes = 0;

test.before(async () => {
  site = await startHostileSite({ maxBodyBytes: 200_000 });
  before = await fingerprint(site.store);
});

test.after(async () => {
  const after = await fingerprint(site.store);
  console.log(tally.summary('hostile http', crashes, after === before ? 0 : 1));
  await site.close();
});

async function alive(): Promise<boolean> {
  return (await site.raw('/health')).status === 200;
}

function check(what: string, status: number, allowed: readonly number[], body = ''): void {
  if (status >= 500) crashes += 1;
  tally.record(what, allowed.includes(status), `got ${status}`);
  assert.ok(allowed.includes(status), `${what}: got ${status} ${body.slice(0, 200)}`);
}

test('path traversal in document, dump, graph and fragment URLs is a 4xx and leaks nothing', async () => {
  const paths = [
    '/doc/..%2f..%2fetc/passwd',
    '/doc/..%2F..%2F..%2Fetc%2Fpasswd',
    '/doc/%2e%2e/%2e%2e/etc/passwd',
    '/dumps/../../etc/passwd',
    '/dumps/..%2f..%2fetc%2fpasswd',
    '/dumps/%2e%2e%2f%2e%2e%2fpackage.json',
    '/dumps/..\\..\\package.json',
    '/dumps/municipios.nq%00.txt',
    '/graph/..%2f..%2fetc',
    '/dataset/..%2fpackage.json',
    '/id/..%2f..%2fetc/passwd',
    '/def/..%2f..%2fpackage.json',
    '/fragments?subject=file%3A%2F%2F%2Fetc%2Fpasswd',
    '/.well-known/..%2f..%2fpackage.json',
  ];
  for (const path of paths) {
    const response = await site.raw(path, { headers: { accept: 'text/turtle' } });
    const leaked = response.body.includes('root:x:0:0') || response.body.includes('"devDependencies"');
    if (response.status >= 500) crashes += 1;
    // /id answers 303 to the matching /doc path, which is then a 404.
    const redirect = response.status === 303 && String(response.headers.location ?? '').includes('/doc/');
    const ok = !leaked && ((response.status >= 400 && response.status < 500) || redirect || path.startsWith('/fragments'));
    tally.record(`traversal ${path}`, ok, `got ${response.status}`);
    assert.ok(ok, `${path}: ${response.status} ${response.body.slice(0, 120)}`);
  }
  assert.ok(await alive());
});

test('malformed RDF uploads to /graph-store are 400 and change nothing', async () => {
  const bodies: Array<[string, string, string]> = [
    ['text/turtle', '<a> <b> "unterminated .', 'unterminated literal'],
    ['text/turtle', '@prefix : <http://x/> . :a :b :c ; ; ; . ] [', 'broken punctuation'],
    ['text/turtle', `<http://x/a> <http://x/b> ${'['.repeat(5_000)}`, 'deep blank nodes'],
    ['application/n-triples', '<http://x/a> <http://x/b> <http://x/c> <http://x/d> .', 'quad in N-Triples'],
    ['application/rdf+xml', '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description', 'truncated XML'],
    ['application/rdf+xml', '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="http://x/a"><rdf:value>&e;</rdf:value></rdf:Description></rdf:RDF>', 'XXE'],
    ['application/ld+json', '{"@context": {"@vocab": "http://x/"}, "a": ', 'truncated JSON-LD'],
    ['application/ld+json', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[', 'unbalanced JSON'],
    ['text/turtle', '\u0000\u0001\u0002 binary garbage \uffff', 'binary garbage'],
    ['application/x-unknown', '<a> <b> <c> .', 'unknown media type'],
  ];
  for (const [type, body, what] of bodies) {
    const response = await site.raw('/graph-store?graph=http%3A%2F%2Fvinculo.test%2Fgraph%2Fmunicipios', {
      method: 'PUT',
      headers: { 'content-type': type, authorization: `Bearer ${updateToken}` },
      body,
    });
    check(`upload ${what}`, response.status, [400, 415], response.body);
    assert.not.ok(response.body.includes('root:x:0:0'), what);
  }
  assert.is(await fingerprint(site.store), before);
  assert.ok(await alive());
});

test('JSON-LD uploads with remote contexts do not fetch them (SSRF)', async () => {
  const canary = await startCanary();
  try {
    for (const context of [`${canary.url}/context.jsonld`, [`${canary.url}/a.jsonld`, { x: 'http://x/' }]]) {
      const response = await site.raw('/graph-store?graph=http%3A%2F%2Fvinculo.test%2Fgraph%2Fmunicipios', {
        method: 'PUT',
        headers: { 'content-type': 'application/ld+json', authorization: `Bearer ${updateToken}` },
        body: JSON.stringify({ '@context': context, '@id': 'http://x/a', name: 'x' }),
      });
      check('remote @context', response.status, [400], response.body);
    }
    const imported = await site.raw('/graph-store?graph=http%3A%2F%2Fvinculo.test%2Fgraph%2Fmunicipios', {
      method: 'PUT',
      headers: { 'content-type': 'application/ld+json', authorization: `Bearer ${updateToken}` },
      body: JSON.stringify({ '@context': { '@import': `${canary.url}/i.jsonld` }, '@id': 'http://x/a' }),
    });
    check('@import context', imported.status, [400], imported.body);
    assert.equal(canary.hits, []);
  } finally {
    await canary.close();
  }
  assert.is(await fingerprint(site.store), before);
});

test('oversized bodies are 413', async () => {
  const big = `<http://x/a> <http://x/b> "${'z'.repeat(300_000)}" .`;
  const upload = await site.raw('/graph-store?default', { method: 'POST', headers: { 'content-type': 'text/turtle', authorization: `Bearer ${updateToken}` }, body: big });
  check('oversized upload', upload.status, [413], upload.body);
  const form = await site.raw('/sparql', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `query=${'q'.repeat(300_000)}` });
  check('oversized form', form.status, [413], form.body);
  assert.ok(await alive());
});

test('resource pages escape injected markup and headers carry CSP', async () => {
  const attacks = [
    '/doc/municipio/%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    '/doc/municipio/%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E',
    '/id/municipio/%0d%0aSet-Cookie:%20pwned=1',
    '/doc/municipio/x%0d%0aX-Injected:%201',
    '/sparql?query=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  ];
  for (const path of attacks) {
    const response = await site.raw(path, { headers: { accept: 'text/html' } });
    const raw = response.body.includes('<script>alert(1)') || response.body.includes('<img src=x onerror');
    const injected = response.headers['set-cookie'] !== undefined || response.headers['x-injected'] !== undefined;
    const ok = !raw && !injected && response.status >= 300 && response.status < 500;
    if (response.status >= 500) crashes += 1;
    tally.record(`injection ${path}`, ok, `got ${response.status}`);
    assert.ok(ok, `${path}: ${response.status} ${response.body.slice(0, 200)}`);
  }
  const page = await site.raw('/doc/municipio/05001', { headers: { accept: 'text/html' } });
  for (const [name, expected] of [
    ['content-security-policy', "default-src 'self'"],
    ['x-content-type-options', 'nosniff'],
    ['x-frame-options', 'DENY'],
    ['referrer-policy', 'strict-origin-when-cross-origin'],
  ] as const) {
    assert.ok(String(page.headers[name] ?? '').includes(expected), `${name} on ${page.status}`);
  }
  assert.is(page.headers['x-powered-by'], undefined);
});

test('failed write attempts are rate-limited (429 with Retry-After); reads still work', async () => {
  const attempt = () =>
    site.raw('/sparql', { method: 'POST', headers: { 'content-type': 'application/sparql-update', authorization: 'Bearer guess' }, body: 'DROP ALL' });
  const statuses: number[] = [];
  for (let index = 0; index < 12; index++) statuses.push((await attempt()).status);
  assert.equal(statuses.slice(0, 10), Array(10).fill(403));
  const limited = await attempt();
  tally.record('rate limit', limited.status === 429);
  assert.is(limited.status, 429);
  assert.ok(Number(limited.headers['retry-after']) > 0);
  const right = await site.raw('/sparql', { method: 'POST', headers: { 'content-type': 'application/sparql-update', authorization: `Bearer ${updateToken}` }, body: 'ASK {}' });
  assert.is(right.status, 429, 'even the right token waits while the client is blocked');
  const read = await site.raw('/sparql?query=ASK%20%7B%7D', { headers: { accept: 'application/sparql-results+json' } });
  assert.is(read.status, 200);
});

test('/metrics exposes requests, query times, timeouts, store size and imports', async () => {
  const slow = await site.raw('/sparql', {
    method: 'POST',
    headers: { 'content-type': 'application/sparql-query', accept: 'application/sparql-results+json' },
    body: 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }',
  });
  assert.is(slow.status, 503);
  const response = await site.raw('/metrics');
  assert.is(response.status, 200);
  assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  const text = response.body;
  const value = (line: RegExp) => Number(line.exec(text)?.[1] ?? Number.NaN);
  assert.ok(value(/^vinculo_http_requests_total\{method="GET",route="\/health",status="200"\} (\d+)$/m) >= 1);
  assert.ok(value(/^vinculo_sparql_timeouts_total (\d+)$/m) >= 1);
  assert.ok(value(/^vinculo_sparql_request_duration_seconds_count (\d+)$/m) >= 1);
  assert.is(value(/^vinculo_store_quads\{dataset="municipios"\} (\d+)$/m), site.store.dataset('municipios')?.quads);
  assert.ok(value(/^vinculo_import_runs_total\{dataset="municipios"\} (\d+)$/m) >= 1);
  assert.not.match(text, /route="\/doc\/\.\./, 'route labels come from a fixed list');
});

test('the store is unchanged and the server answers', async () => {
  assert.ok(await alive());
  assert.is(await fingerprint(site.store), before);
});

test.run();
