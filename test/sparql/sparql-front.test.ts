/**
 * The SPARQL front (issue 19): plain queries answered before Express must be the app's answers
 * byte for byte (status, headers, body, trailers) in every format, by GET and POST; everything
 * else must reach the app untouched, errors with the app's own bodies; metrics, the request log
 * and usage counting must count each request once, as the app does.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, request, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig, type VinculoConfig } from '../../src/config/index.ts';
import { createApp, createRequestHandler, securityHeaderList } from '../../src/http/app.ts';
import { MetricsRegistry } from '../../src/http/metrics.ts';
import { publicHeaderList } from '../../src/http/public-access.ts';
import { sparqlFirst } from '../../src/http/sparql-front.ts';
import { DataFactory, mediaTypesOf, ns, resultsFormats } from '../../src/rdf/index.ts';
import { createSparqlEngine, type QueryResult, type SparqlEngine } from '../../src/sparql/index.ts';
import { openStore, type VinculoStore } from '../../src/store/index.ts';
import type { UsageObserver } from '../../src/usage/index.ts';

const { namedNode, literal, quad } = DataFactory;
const baseIRI = 'http://front.test/';
const thing = (index: number) => namedNode(`${baseIRI}id/cosa/${index}`);

/** An HTTP exchange as the client sees it, raw (no decompression), without the headers of the connection. */
interface Exchange {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  readonly trailers: Record<string, string | undefined>;
}

interface Sent {
  readonly method?: string;
  readonly path: string;
  readonly headers?: OutgoingHttpHeaders;
  readonly body?: string;
}

function exchange(port: number, { method = 'GET', path, headers = {}, body }: Sent): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const sent = request({ host: '127.0.0.1', port, method, path, headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const { date: _date, connection: _connection, 'keep-alive': _keepAlive, ...kept } = response.headers;
        // A cookie's Expires is a date: two answers a second apart differ there alone.
        const cookies = kept['set-cookie']?.map((cookie) => cookie.replace(/; Expires=[^;]*/i, ''));
        const headers = cookies === undefined ? kept : { ...kept, 'set-cookie': cookies };
        resolve({ status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks), trailers: { ...response.trailers } });
      });
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

async function listen(listener: RequestListener): Promise<{ server: Server; port: number }> {
  const server = createServer(listener);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

/** Counts what a usage observer is told: queries (with their text) and the responses its wrapper saw finish. */
class RecordingUsage implements UsageObserver {
  readonly queries: string[] = [];
  finished = 0;
  wrap(handler: RequestListener): RequestListener {
    return (incoming: IncomingMessage, response: ServerResponse) => {
      response.once('finish', () => this.finished++);
      handler(incoming, response);
    };
  }
  countQuery(_request: IncomingMessage, query: { readonly text: string }, result: QueryResult): QueryResult {
    this.queries.push(query.text);
    return result;
  }
  // Its wrapper sees every response finish, cached answers included.
  countCachedAnswer(): void {}
}

/** Log lines, parsed. */
function captureLog(): { readonly logger: Logger; readonly lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino<never>({ level: 'info' }, sink), lines };
}

let store: VinculoStore;
let config: VinculoConfig;
/** The engine, counting the queries it runs. */
let engine: SparqlEngine;
let queriesRun = 0;
let reference: { server: Server; port: number };
let front: { server: Server; port: number };
/** Requests the front gave to the app behind it. */
let handedToApp = 0;

test.before(async () => {
  store = await openStore({ baseIRI });
  const quads = [];
  for (let index = 0; index < 40; index++) {
    quads.push(quad(thing(index), ns.rdfs('label'), literal(`cosa número ${index}`, 'es')));
    quads.push(quad(thing(index), namedNode(`${baseIRI}def/valor`), literal(`${index}.5`, ns.xsd('decimal'))));
    quads.push(quad(thing(index), namedNode(`${baseIRI}def/siguiente`), thing(index + 1)));
  }
  await store.putDataset('cosas', quads);
  config = await loadConfig({ cwd: '/nonexistent-vinculo-front', env: {}, flags: { baseIRI } });
  const real = createSparqlEngine({ store, limits: { timeoutMs: 300, maxResultRows: 25, maxQueryLength: 2_000, serviceAllowlist: [] }, defaultGraph: 'union' });
  engine = {
    ...real,
    query: (text, options) => {
      queriesRun++;
      return real.query(text, options);
    },
  };
  const silent = pino({ level: 'silent' });
  const app = createApp({ store, engine, config, logger: silent });
  reference = await listen(app);
  front = await listen(
    sparqlFirst(
      (incoming, response) => {
        handedToApp++;
        app(incoming, response);
      },
      { engine, baseIRI, maxBodyBytes: config.limits.maxBodyBytes, logger: silent, registry: new MetricsRegistry(), headers: [...securityHeaderList, ...publicHeaderList] },
    ),
  );
});

test.after(() => {
  for (const { server } of [reference, front]) {
    server.closeAllConnections();
    server.close();
  }
});

/** Sends `sent` to both servers; asserts the answers are equal; returns the front's answer and whether the app answered it there. */
async function compare(name: string, sent: Sent): Promise<{ readonly answer: Exchange; readonly handedOver: boolean; readonly queries: number }> {
  const expected = await exchange(reference.port, sent);
  const [handedBefore, runBefore] = [handedToApp, queriesRun];
  const answer = await exchange(front.port, sent);
  assert.is(answer.status, expected.status, `${name}: status`);
  assert.equal(answer.headers, expected.headers, `${name}: headers`);
  assert.is(answer.body.toString('latin1'), expected.body.toString('latin1'), `${name}: body`);
  assert.equal(answer.trailers, expected.trailers, `${name}: trailers`);
  return { answer, handedOver: handedToApp > handedBefore, queries: queriesRun - runBefore };
}

const select = `SELECT ?s ?label ?valor WHERE { ?s <${ns.rdfs('label').value}> ?label ; <${baseIRI}def/valor> ?valor } ORDER BY ?s`;
const ask = `ASK { <${thing(3).value}> ?p ?o }`;
const construct = `CONSTRUCT { ?s <${baseIRI}def/antes> ?o } WHERE { ?o <${baseIRI}def/siguiente> ?s } ORDER BY ?s LIMIT 5`;
const describe = `DESCRIBE <${thing(7).value}>`;
const graphOffers = mediaTypesOf(['turtle', 'ntriples', 'nquads', 'trig', 'jsonld', 'rdfxml']);
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** The three ways of sending a query (§2.1.1–2.1.3), with extra URL parameters. */
function ways(text: string, headers: OutgoingHttpHeaders, extra = ''): Array<readonly [string, Sent]> {
  return [
    ['GET', { path: `/sparql?query=${encodeURIComponent(text)}${extra}`, headers }],
    ['POST form', { method: 'POST', path: `/sparql${extra.replace(/^&/, '?')}`, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: form({ query: text }) }],
    ['POST direct', { method: 'POST', path: `/sparql${extra.replace(/^&/, '?')}`, headers: { ...headers, 'content-type': 'application/sparql-query' }, body: text }],
  ];
}

test('SELECT and ASK in every results format, by GET and POST, are the app answers, given in front', async () => {
  for (const [label, text] of [['SELECT', select], ['ASK', ask]] as const) {
    for (const { mediaType } of resultsFormats) {
      for (const [way, sent] of ways(text, { accept: mediaType })) {
        const { answer, handedOver, queries } = await compare(`${label} ${mediaType} ${way}`, sent);
        assert.is(answer.status, 200);
        assert.ok(String(answer.headers['content-type']).startsWith(mediaType));
        assert.not.ok(handedOver, `${label} ${mediaType} ${way} answered in front`);
        assert.is(queries, 1);
      }
    }
  }
});

test('CONSTRUCT and DESCRIBE in every RDF syntax, by GET and POST, are the app answers, given in front', async () => {
  for (const [label, text] of [['CONSTRUCT', construct], ['DESCRIBE', describe]] as const) {
    for (const mediaType of graphOffers) {
      for (const [way, sent] of ways(text, { accept: mediaType })) {
        const { answer, handedOver } = await compare(`${label} ${mediaType} ${way}`, sent);
        assert.is(answer.status, 200);
        assert.ok(answer.body.length > 0);
        assert.not.ok(handedOver, `${label} ${mediaType} ${way} answered in front`);
      }
    }
  }
});

test('gzip, brotli, trailers, HEAD, format= and protocol datasets: the same bytes as the app', async () => {
  const cases: Array<readonly [string, Sent]> = [
    ...ways(select, { accept: 'application/sparql-results+json', 'accept-encoding': 'gzip' }),
    ...ways(construct, { accept: 'text/turtle', 'accept-encoding': 'br' }),
    // No encoding asked for (the front then sets compression's Vary itself): none, an empty header, identity only.
    ...ways(describe, { accept: 'application/n-triples' }),
    ...ways(describe, { accept: 'application/n-triples', 'accept-encoding': '' }),
    ...ways(select, { accept: 'text/csv', 'accept-encoding': 'identity' }),
    // 40 rows, a cap of 25: the trailer says the result was cut.
    ...ways(select, { te: 'trailers' }),
    ...ways(select, {}, '&format=csv'),
    ...ways(`SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }`, {}, `&default-graph-uri=${encodeURIComponent(`${baseIRI}graph/cosas`)}`),
    ['HEAD', { method: 'HEAD', path: `/sparql?query=${encodeURIComponent(select)}`, headers: { accept: 'text/csv' } }],
  ];
  for (const [way, sent] of cases) {
    const { answer, handedOver } = await compare(`${way} ${JSON.stringify(sent.headers)} ${sent.path.slice(-40)}`, sent);
    assert.is(answer.status, 200);
    assert.not.ok(handedOver, `${way} answered in front`);
  }
  // A compressible type without Accept-Encoding: compression's Vary is there all the same (N-Triples is not one).
  const plain = await compare('no encoding', ways(select, { accept: 'text/csv' })[0]?.[1] as Sent);
  assert.is(plain.answer.headers.vary, 'Accept, Accept-Encoding');
  const nTriples = await compare('no encoding, N-Triples', ways(describe, { accept: 'application/n-triples' })[0]?.[1] as Sent);
  assert.is(nTriples.answer.headers.vary, 'Accept');
  const compressed = await compare('gzip', ways(select, { 'accept-encoding': 'gzip' })[0]?.[1] as Sent);
  assert.is(compressed.answer.headers['content-encoding'], 'gzip');
  const cut = await compare('trailer', ways(select, { te: 'trailers' })[0]?.[1] as Sent);
  assert.is(cut.answer.trailers['vinculo-results-truncated'], 'true');
  // A body of one chunk goes out whole, with its length; one that may end with a trailer stays chunked.
  assert.is(nTriples.answer.headers['content-length'], String(nTriples.answer.body.length));
  assert.is(cut.answer.headers['content-length'], undefined);
  assert.is(cut.answer.headers['transfer-encoding'], 'chunked');
});

test('updates, tokens, the service description, the query editor and unusual parameters go to the app untouched', async () => {
  const update = `INSERT DATA { GRAPH <${baseIRI}graph/otra> { <${baseIRI}id/x> <${baseIRI}def/y> 1 } }`;
  const cases: Array<readonly [string, Sent]> = [
    ['update form, no token (401)', { method: 'POST', path: '/sparql', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ update }) }],
    ['update direct, no token (401)', { method: 'POST', path: '/sparql', headers: { 'content-type': 'application/sparql-update' }, body: update }],
    ['query with a bearer token', { path: `/sparql?query=${encodeURIComponent(ask)}`, headers: { authorization: 'Bearer not-a-token-at-all' } }],
    ['service description', { path: '/sparql', headers: { accept: 'text/turtle' } }],
    ['query editor', { path: '/sparql', headers: { accept: 'text/html' } }],
    ['?lang= sets a cookie', { path: `/sparql?query=${encodeURIComponent(ask)}&lang=en` }],
    ['query given twice (400)', { path: `/sparql?query=${encodeURIComponent(ask)}&query=${encodeURIComponent(ask)}` }],
    ['query and update in one form (400)', { method: 'POST', path: '/sparql', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ query: ask, update }) }],
    ['form without its own query (400)', { method: 'POST', path: `/sparql?query=${encodeURIComponent(ask)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ format: 'json' }) }],
    ['a Latin-1 body (415)', { method: 'POST', path: '/sparql', headers: { 'content-type': 'application/sparql-query; charset=iso-8859-1' }, body: ask }],
    ['OPTIONS preflight', { method: 'OPTIONS', path: '/sparql', headers: { origin: 'http://elsewhere.test', 'access-control-request-method': 'POST' } }],
  ];
  for (const [name, sent] of cases) {
    const { handedOver, queries } = await compare(name, sent);
    assert.ok(handedOver, `${name} goes to the app`);
    assert.ok(queries <= 1, `${name}: the app ran its query once`);
  }
});

/** A query that runs past the engine's time limit. */
const cartesian = 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }';

test('errors before the first byte are the app answers, and the query runs once: 400, 406, 413 (long query), 503 (timeout)', async () => {
  const cases: Array<readonly [string, number, string, OutgoingHttpHeaders]> = [
    ['malformed query', 400, 'SELECT ?s WHERE { ?s ?p', {}],
    ['malformed query, JSON error', 400, 'SELECT ?s WHERE { ?s ?p', { accept: 'application/json' }],
    ['nothing acceptable', 406, select, { accept: 'image/png' }],
    ['too long', 413, `${select}${' '.repeat(2_100)}`, {}],
    ['timeout', 503, cartesian, {}],
  ];
  for (const [name, status, text, headers] of cases) {
    for (const [way, sent] of ways(text, headers)) {
      const { answer, handedOver, queries } = await compare(`${name} ${way}`, sent);
      assert.is(answer.status, status, `${name} ${way}`);
      assert.ok(handedOver, `${name} ${way}: answered by the app's error handler`);
      assert.is(queries, 1, `${name} ${way}: run once`);
    }
  }
  const timeout = await compare('timeout body', ways(cartesian, {})[0]?.[1] as Sent);
  assert.match(timeout.answer.body.toString(), /time limit/);
});

test('a body over the limit is the app 413, read once', async () => {
  const small = { ...config, limits: { ...config.limits, maxBodyBytes: 64 } };
  const silent = pino({ level: 'silent' });
  const app = createApp({ store, engine, config: small, logger: silent });
  const limited = await listen(sparqlFirst(app, { engine, baseIRI, maxBodyBytes: 64, logger: silent, registry: new MetricsRegistry(), headers: [] }));
  const plain = await listen(app);
  try {
    for (const [way, sent] of ways(select, {}).slice(1)) {
      const [expected, answer] = [await exchange(plain.port, sent), await exchange(limited.port, sent)];
      assert.is(answer.status, 413, way);
      assert.equal(answer.body.toString(), expected.body.toString(), way);
    }
  } finally {
    for (const { server } of [limited, plain]) {
      server.closeAllConnections();
      server.close();
    }
  }
});

/** The request counters, the query-time count and the timeouts of a metrics text (durations differ by nature). */
function counts(metricsText: string): string[] {
  return metricsText.split('\n').filter((line) => /^vinculo_http_requests_total\{.*route="\/sparql"|^vinculo_sparql_request_duration_seconds_count|^vinculo_sparql_timeouts_total/.test(line));
}

test('the server handler counts metrics, usage and log lines once per request, as the app alone does', async () => {
  const traffic: Sent[] = [
    ...ways(select, { accept: 'text/csv' }).map(([, sent]) => sent),
    ...ways(describe, { accept: 'text/turtle' }).map(([, sent]) => sent),
    { path: `/sparql?query=${encodeURIComponent('SELECT ?s WHERE { ?s ?p')}` },
    { path: `/sparql?query=${encodeURIComponent(cartesian)}` },
    { path: `/sparql?query=${encodeURIComponent(ask)}`, headers: { accept: 'image/png' } },
    { method: 'HEAD', path: `/sparql?query=${encodeURIComponent(ask)}` },
  ];
  const run = async (wired: 'app alone' | 'server handler') => {
    const registry = new MetricsRegistry();
    const usage = new RecordingUsage();
    const { logger, lines } = captureLog();
    const dependencies = { store, engine, config, logger, registry, usage };
    const handler = wired === 'server handler' ? createRequestHandler(dependencies) : usage.wrap(createApp(dependencies));
    const served = await listen(handler);
    try {
      for (const sent of traffic) await exchange(served.port, sent);
    } finally {
      served.server.closeAllConnections();
      served.server.close();
    }
    const logged = lines.filter((line) => line.msg === 'request').map(({ method, url, status }) => ({ method, url, status }));
    return { metrics: counts(registry.render(store)), queries: usage.queries, finished: usage.finished, logged };
  };
  const alone = await run('app alone');
  const served = await run('server handler');
  assert.equal(served.metrics, alone.metrics);
  assert.ok(alone.metrics.some((line) => line === `vinculo_sparql_request_duration_seconds_count ${traffic.length}`), alone.metrics.join('\n'));
  assert.ok(alone.metrics.includes('vinculo_sparql_timeouts_total 1'));
  assert.equal(served.queries, alone.queries);
  assert.is(served.finished, alone.finished);
  assert.is(alone.finished, traffic.length);
  assert.equal(served.logged, alone.logged);
  assert.is(alone.logged.length, traffic.length);
});

test('a query that times out in front is timed from its arrival: the histogram and the log line hold the time limit', async () => {
  const registry = new MetricsRegistry();
  const { logger, lines } = captureLog();
  const served = await listen(createRequestHandler({ store, engine, config, logger, registry }));
  const runBefore = queriesRun;
  try {
    const answer = await exchange(served.port, { path: `/sparql?query=${encodeURIComponent(cartesian)}` });
    assert.is(answer.status, 503);
  } finally {
    served.server.closeAllConnections();
    served.server.close();
  }
  assert.is(queriesRun - runBefore, 1, 'the query ran once, in front');
  const limitSeconds = engine.limits.timeoutMs / 1000;
  const rendered = registry.render(store);
  const observed = Number(/^vinculo_sparql_request_duration_seconds_sum (\S+)$/m.exec(rendered)?.[1]);
  assert.ok(rendered.includes('vinculo_sparql_request_duration_seconds_count 1'), rendered);
  assert.ok(observed >= limitSeconds, `observed ${observed} s, the time limit is ${limitSeconds} s`);
  const logged = lines.filter((line) => line.msg === 'request');
  assert.is(logged.length, 1);
  assert.ok(Number(logged[0]?.ms) >= engine.limits.timeoutMs, `logged ${logged[0]?.ms} ms`);
});

test.run();
