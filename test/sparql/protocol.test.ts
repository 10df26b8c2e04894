/** SPARQL 1.1 Protocol over HTTP, in-process, as rows: request → status, media type, body check. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory, parseRdfToArray } from '../../src/rdf/index.ts';
import { startServer, type TestServer } from './support/app.ts';
import { people } from './support/data.ts';

let server: TestServer;
test.before(async () => {
  server = await startServer(people(5));
});
test.after(async () => {
  await server.close();
});

const select = 'SELECT ?s WHERE { ?s <http://example.org/name> ?o }';
const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(key, item);
  return body.toString();
};
const formType = { 'content-type': 'application/x-www-form-urlencoded' };

interface Row {
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'OPTIONS';
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly status: number;
  readonly type?: string;
  readonly check?: (text: string, response: Response) => void | Promise<void>;
}

const rows: Row[] = [
  {
    name: 'GET query, JSON by default',
    method: 'GET',
    path: `/sparql?query=${encodeURIComponent(select)}`,
    status: 200,
    type: 'application/sparql-results+json',
    check: (text) => assert.is((JSON.parse(text) as { results: { bindings: unknown[] } }).results.bindings.length, 5),
  },
  {
    name: 'POST form query, XML by Accept',
    method: 'POST',
    path: '/sparql',
    headers: { ...formType, accept: 'application/sparql-results+xml' },
    body: form({ query: select }),
    status: 200,
    type: 'application/sparql-results+xml',
    check: (text) => assert.is(text.match(/<result>/g)?.length, 5),
  },
  {
    name: 'POST direct query, CSV chosen by q-values',
    method: 'POST',
    path: '/sparql',
    headers: { 'content-type': 'application/sparql-query', accept: 'application/sparql-results+json;q=0.5, text/csv' },
    body: select,
    status: 200,
    type: 'text/csv',
    check: (text) => assert.is(text.trim().split(/\r\n/).length, 6),
  },
  {
    name: 'format parameter as an alias of Accept',
    method: 'GET',
    path: `/sparql?format=tsv&query=${encodeURIComponent(select)}`,
    headers: { accept: 'application/sparql-results+json' },
    status: 200,
    type: 'text/tab-separated-values',
    check: (text) => assert.ok(text.startsWith('?s\n<http://example.org/person/')),
  },
  {
    name: '406 when nothing fits',
    method: 'GET',
    path: `/sparql?query=${encodeURIComponent(select)}`,
    headers: { accept: 'image/png' },
    status: 406,
  },
  {
    name: 'CONSTRUCT as N-Triples',
    method: 'GET',
    path: `/sparql?query=${encodeURIComponent('CONSTRUCT WHERE { ?s <http://example.org/name> ?o }')}`,
    headers: { accept: 'application/n-triples' },
    status: 200,
    type: 'application/n-triples',
    check: async (text) => assert.is((await parseRdfToArray(text, { format: 'ntriples' })).length, 5),
  },
  {
    name: 'format repeated with synonyms, as SPARQLWrapper sends it',
    method: 'GET',
    path: `/sparql?query=${encodeURIComponent(select)}&format=tsv&format=text/tab-separated-values&output=tsv`,
    headers: { accept: 'text/tab-separated-values' },
    status: 200,
    type: 'text/tab-separated-values',
    check: (text) => assert.is(text.trim().split('\n').length, 6),
  },
  {
    name: 'format repeated with different syntaxes: 400',
    method: 'GET',
    path: `/sparql?query=${encodeURIComponent(select)}&format=tsv&format=json`,
    status: 400,
    check: (text) => assert.match(text, /format parameter names different syntaxes/),
  },
  {
    name: 'format=xml for a graph result is RDF/XML (SPARQLWrapper\'s default CONSTRUCT)',
    method: 'GET',
    path: `/sparql?query=${encodeURIComponent('CONSTRUCT WHERE { ?s <http://example.org/name> ?o }')}&format=xml&output=xml&results=xml`,
    headers: { accept: 'application/rdf+xml' },
    status: 200,
    type: 'application/rdf+xml',
    check: async (text) => assert.is((await parseRdfToArray(text, { format: 'rdfxml' })).length, 5),
  },
  {
    name: 'a graph result asked for as solutions (roqet) gets the default RDF syntax, not 406',
    method: 'GET',
    path: `/sparql?query=${encodeURIComponent('CONSTRUCT WHERE { ?s <http://example.org/name> ?o }')}`,
    headers: { accept: 'application/sparql-results+xml' },
    status: 200,
    type: 'text/turtle',
    check: async (text) => assert.is((await parseRdfToArray(text, { format: 'turtle' })).length, 5),
  },
  {
    name: 'SELECT * lists the variables in the order the query mentions them',
    method: 'GET',
    path: `/sparql?query=${encodeURIComponent('SELECT * WHERE { ?s <http://example.org/name> ?name . BIND(STRLEN(?name) AS ?length) } LIMIT 1')}`,
    status: 200,
    type: 'application/sparql-results+json',
    check: (text) => assert.equal((JSON.parse(text) as { head: { vars: string[] } }).head.vars, ['s', 'name', 'length']),
  },
  {
    name: 'GRAPH ?g {} lists the named graphs once each (rdflib SPARQLStore.contexts())',
    method: 'GET',
    path: `/sparql?query=${encodeURIComponent('SELECT * WHERE { GRAPH ?g {} }')}`,
    status: 200,
    type: 'application/sparql-results+json',
    check: (text) => {
      const json = JSON.parse(text) as { head: { vars: string[] }; results: { bindings: Array<{ g: { value: string } }> } };
      assert.equal(json.head.vars, ['g']);
      assert.equal(json.results.bindings.map((row) => row.g.value).sort(), ['http://example.org/g1', 'http://example.org/g2']);
    },
  },
  {
    name: 'GRAPH ?g {} joined with a pattern',
    method: 'GET',
    path: `/sparql?query=${encodeURIComponent('SELECT ?g ?l WHERE { GRAPH ?g {} GRAPH ?g { ?s <http://example.org/label> ?l } }')}`,
    status: 200,
    type: 'application/sparql-results+json',
    check: (text) => {
      const json = JSON.parse(text) as { results: { bindings: Array<{ g: { value: string }; l: { value: string } }> } };
      assert.equal(json.results.bindings.map((row) => `${row.g.value} ${row.l.value}`), ['http://example.org/g2 Bogotá']);
    },
  },
  {
    name: 'ASK as JSON',
    method: 'GET',
    path: `/sparql?query=${encodeURIComponent('ASK { ?s ?p "Person 3" }')}`,
    status: 200,
    type: 'application/sparql-results+json',
    check: (text) => assert.equal(JSON.parse(text), { head: {}, boolean: true }),
  },
  {
    name: 'named-graph-uri restricts the dataset',
    method: 'GET',
    path: `/sparql?named-graph-uri=${encodeURIComponent('http://example.org/g2')}&query=${encodeURIComponent('SELECT ?g { GRAPH ?g { ?s ?p ?o } }')}`,
    status: 200,
    check: (text) => {
      const bindings = (JSON.parse(text) as { results: { bindings: Array<{ g: { value: string } }> } }).results.bindings;
      assert.equal(bindings.map((binding) => binding.g.value), ['http://example.org/g2']);
    },
  },
  {
    name: 'syntax error: 400 with position, no stack',
    method: 'GET',
    path: `/sparql?query=${encodeURIComponent('SELECT * WHERE {\n ?s ?p }')}`,
    status: 400,
    check: (text) => {
      const body = JSON.parse(text) as { message: string };
      assert.match(body.message, /^2:\d+: /);
      assert.not.match(text, /at .*\.ts:\d+/);
    },
  },
  {
    name: 'query and update together: 400',
    method: 'POST',
    path: '/sparql',
    headers: formType,
    body: form({ query: select, update: 'CLEAR ALL' }),
    status: 400,
  },
  {
    name: 'update by GET: 400',
    method: 'GET',
    path: `/sparql?update=${encodeURIComponent('CLEAR ALL')}`,
    status: 400,
  },
  {
    name: 'unknown POST body type: 415',
    method: 'POST',
    path: '/sparql',
    headers: { 'content-type': 'text/plain' },
    body: select,
    status: 415,
  },
  {
    name: 'update without token: 401',
    method: 'POST',
    path: '/sparql',
    headers: { 'content-type': 'application/sparql-update' },
    body: 'INSERT DATA { <http://example.org/x> <http://example.org/y> 1 }',
    status: 401,
  },
  {
    name: 'update with a wrong token: 403',
    method: 'POST',
    path: '/sparql',
    headers: { 'content-type': 'application/sparql-update', authorization: 'Bearer nope' },
    body: 'INSERT DATA { <http://example.org/x> <http://example.org/y> 1 }',
    status: 403,
  },
  {
    name: 'scoped token outside its graph: 403',
    method: 'POST',
    path: '/sparql',
    headers: { 'content-type': 'application/sparql-update', authorization: 'Bearer g1-secret' },
    body: 'INSERT DATA { GRAPH <http://example.org/g2> { <http://example.org/x> <http://example.org/y> 1 } }',
    status: 403,
  },
  {
    name: 'scoped token inside its graph: 204',
    method: 'POST',
    path: '/sparql',
    headers: { ...formType, authorization: 'Bearer g1-secret' },
    body: form({ update: 'INSERT DATA { GRAPH <http://example.org/g1> { <http://example.org/x> <http://example.org/y> 1 } }' }),
    status: 204,
    check: () => assert.is(server.store.countQuads(DataFactory.namedNode('http://example.org/x'), null, null, DataFactory.namedNode('http://example.org/g1')), 1),
  },
  {
    name: 'using-graph-uri sets the update dataset',
    method: 'POST',
    path: `/sparql?using-graph-uri=${encodeURIComponent('http://example.org/g2')}`,
    headers: { 'content-type': 'application/sparql-update', authorization: 'Bearer all-graphs-secret' },
    body: 'INSERT { GRAPH <http://example.org/copy> { ?s ?p ?o } } WHERE { ?s ?p ?o }',
    status: 204,
    check: () => assert.is(server.store.countQuads(null, null, null, DataFactory.namedNode('http://example.org/copy')), 1),
  },
  {
    name: 'service description as Turtle, UnionDefaultGraph stated',
    method: 'GET',
    path: '/sparql',
    headers: { accept: 'text/turtle' },
    status: 200,
    type: 'text/turtle',
    check: async (text) => {
      const quads = await parseRdfToArray(text, { format: 'turtle' });
      assert.ok(quads.some((quad) => quad.object.value === 'http://www.w3.org/ns/sparql-service-description#UnionDefaultGraph'));
    },
  },
  {
    name: 'service description as JSON-LD',
    method: 'GET',
    path: '/sparql',
    headers: { accept: 'application/ld+json' },
    status: 200,
    type: 'application/ld+json',
  },
  {
    name: 'a browser gets the query editor',
    method: 'GET',
    path: '/sparql',
    headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    status: 200,
    type: 'text/html',
  },
  {
    name: 'CORS preflight',
    method: 'OPTIONS',
    path: '/sparql',
    headers: { origin: 'http://elsewhere.example', 'access-control-request-method': 'POST' },
    status: 204,
    check: (_text, response) => {
      assert.is(response.headers.get('access-control-allow-origin'), '*');
      assert.match(response.headers.get('access-control-allow-methods') ?? '', /POST/);
    },
  },
];

for (const row of rows) {
  test(row.name, async () => {
    const response = await fetch(`${server.url}${row.path}`, { method: row.method, headers: row.headers, body: row.body });
    const text = await response.text();
    assert.is(response.status, row.status, `${row.name}: ${text.slice(0, 200)}`);
    if (row.type) assert.is(response.headers.get('content-type')?.split(';')[0], row.type);
    await row.check?.(text, response);
  });
}

test('the row cap is announced and signalled', async () => {
  const capped = await startServer(people(30), { limits: { maxResultRows: 10 } });
  try {
    const response = await fetch(`${capped.url}/sparql?query=${encodeURIComponent(select)}`);
    const body = JSON.parse(await response.text()) as { results: { bindings: unknown[] }; 'vinculo:limit'?: { truncated: boolean } };
    assert.is(response.headers.get('vinculo-results-limit'), '10');
    assert.is(body.results.bindings.length, 10);
    assert.is(body['vinculo:limit']?.truncated, true);
  } finally {
    await capped.close();
  }
});

test('a timed-out query answers 503 and the server stays responsive', async () => {
  const slow = await startServer(people(300), { limits: { timeoutMs: 500 } });
  try {
    const heavy = fetch(`${slow.url}/sparql?query=${encodeURIComponent('SELECT (COUNT(*) AS ?n) { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }')}`);
    const started = Date.now();
    const quick = await fetch(`${slow.url}/sparql?query=${encodeURIComponent('ASK { ?s ?p ?o }')}`);
    assert.is(quick.status, 200);
    assert.ok(Date.now() - started < 500, 'the quick query waited for the heavy one');
    const response = await heavy;
    assert.is(response.status, 503);
  } finally {
    await slow.close();
  }
});

test('a client that goes away cancels its query: the store stops being read', async () => {
  const slow = await startServer(people(300), { limits: { timeoutMs: 10_000 } });
  try {
    let read = 0;
    const match = slow.store.match.bind(slow.store);
    slow.store.match = (s, p, o, g) => {
      const stream = match(s, p, o, g);
      stream.on('data', () => read++);
      return stream;
    };
    const controller = new AbortController();
    const heavy = fetch(`${slow.url}/sparql?query=${encodeURIComponent('SELECT (COUNT(*) AS ?n) { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }')}`, {
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort();
    await heavy;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = read;
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.is(read, after, 'the abandoned query kept reading the store');
  } finally {
    await slow.close();
  }
});

test('the truncation trailer says whether the cap cut the result, to clients that take trailers', async () => {
  const capped = await startServer(people(30), { limits: { maxResultRows: 10 } });
  try {
    const { request } = await import('node:http');
    const answer = (query: string, headers: Record<string, string>) =>
      new Promise<{ trailer: string | undefined; announced: string | undefined; rows: number }>((resolve, reject) => {
        request(new URL(`${capped.url}/sparql?query=${encodeURIComponent(query)}`), { headers }, (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            body += chunk;
          });
          response.on('end', () =>
            resolve({
              trailer: response.trailers['vinculo-results-truncated'],
              announced: response.headers.trailer,
              rows: (JSON.parse(body) as { results: { bindings: unknown[] } }).results.bindings.length,
            }),
          );
        })
          .on('error', reject)
          .end();
      });
    const trailers = { te: 'trailers' };
    assert.is((await answer(select, trailers)).trailer, 'true');
    assert.is((await answer(`${select} LIMIT 3`, trailers)).trailer, 'false');
    const plain = await answer(select, {});
    assert.is(plain.announced, undefined, 'a Trailer header went to a client that did not ask for trailers');
    assert.is(plain.trailer, undefined);
    assert.is(plain.rows, 10);
  } finally {
    await capped.close();
  }
});

test('body size limit: 413', async () => {
  const small = await startServer([], { maxBodyBytes: 100 });
  try {
    const response = await fetch(`${small.url}/sparql`, {
      method: 'POST',
      headers: { 'content-type': 'application/sparql-query' },
      body: `SELECT * { ?s ?p ?o } #${'x'.repeat(500)}`,
    });
    assert.is(response.status, 413);
  } finally {
    await small.close();
  }
});

test('responses are compressed when asked', async () => {
  const big = await startServer(people(200));
  try {
    const { request } = await import('node:http');
    const encoding = await new Promise<string | undefined>((resolve, reject) => {
      const url = new URL(`${big.url}/sparql?query=${encodeURIComponent(select)}`);
      request(url, { headers: { 'accept-encoding': 'br' } }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.headers['content-encoding']));
      })
        .on('error', reject)
        .end();
    });
    assert.is(encoding, 'br');
  } finally {
    await big.close();
  }
});

test.run();
