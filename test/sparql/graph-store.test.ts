/** Graph Store HTTP Protocol at /graph-store: reads, writes through write(), tokens and scopes. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory, parseRdfToArray } from '../../src/rdf/index.ts';
import { startServer, type TestServer } from './support/app.ts';
import { people } from './support/data.ts';

let server: TestServer;
test.before(async () => {
  server = await startServer(people(3));
});
test.after(async () => {
  await server.close();
});

const g1 = `/graph-store?graph=${encodeURIComponent('http://example.org/g1')}`;
const g3 = `/graph-store?graph=${encodeURIComponent('http://example.org/g3')}`;
const turtle = '<http://example.org/a> <http://example.org/b> "c" .';
const send = (path: string, method: string, headers: Record<string, string> = {}, body?: string) =>
  fetch(`${server.url}${path}`, { method, headers, body });

test('GET a graph as Turtle and as N-Triples; HEAD; 404 for a missing graph', async () => {
  const response = await send(g1, 'GET', { accept: 'text/turtle' });
  assert.is(response.status, 200);
  assert.is((await parseRdfToArray(await response.text(), { format: 'turtle' })).length, 3);
  const nt = await send(g1, 'GET', { accept: 'application/n-triples' });
  assert.is(nt.headers.get('content-type')?.split(';')[0], 'application/n-triples');
  assert.is((await send(g1, 'HEAD')).status, 200);
  assert.is((await send(g3, 'GET')).status, 404);
  assert.is((await send(g3, 'HEAD')).status, 404);
  assert.is((await send('/graph-store', 'GET')).status, 400);
});

test('writes need a token: 401 without, 403 with a wrong one or outside the scope', async () => {
  assert.is((await send(g3, 'PUT', { 'content-type': 'text/turtle' }, turtle)).status, 401);
  assert.is((await send(g3, 'PUT', { 'content-type': 'text/turtle', authorization: 'Bearer wrong' }, turtle)).status, 403);
  assert.is((await send(g3, 'PUT', { 'content-type': 'text/turtle', authorization: 'Bearer g1-secret' }, turtle)).status, 403);
  assert.is((await send('/graph-store?default', 'DELETE', { authorization: 'Bearer g1-secret' })).status, 403);
  assert.is(server.store.countQuads(null, null, null, DataFactory.namedNode('http://example.org/g3')), 0);
});

test('PUT creates (201) then replaces (204), POST merges, DELETE drops', async () => {
  const auth = { authorization: 'Bearer all-graphs-secret', 'content-type': 'text/turtle' };
  assert.is((await send(g3, 'PUT', auth, turtle)).status, 201);
  assert.is((await send(g3, 'PUT', auth, turtle)).status, 204);
  assert.is(server.store.countQuads(null, null, null, DataFactory.namedNode('http://example.org/g3')), 1);
  assert.is((await send(g3, 'POST', auth, '<http://example.org/a> <http://example.org/b> "d" .')).status, 204);
  assert.is(server.store.countQuads(null, null, null, DataFactory.namedNode('http://example.org/g3')), 2);
  assert.is((await send(g3, 'DELETE', auth)).status, 204);
  assert.is((await send(g3, 'DELETE', auth)).status, 404);
});

test('the scoped token writes its own graph; bad syntax is 400 and changes nothing', async () => {
  const scoped = { authorization: 'Bearer g1-secret', 'content-type': 'text/turtle' };
  assert.is((await send(g1, 'PUT', scoped, turtle)).status, 204);
  assert.is(server.store.countQuads(null, null, null, DataFactory.namedNode('http://example.org/g1')), 1);
  const broken = await send(g1, 'PUT', scoped, '<http://example.org/a> <http://example.org/b> .');
  assert.is(broken.status, 400);
  assert.is(server.store.countQuads(null, null, null, DataFactory.namedNode('http://example.org/g1')), 1);
  assert.is((await send(g1, 'PUT', { ...scoped, 'content-type': 'image/png' }, 'x')).status, 415);
});

test.run();
