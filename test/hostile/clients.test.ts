/** Hostile clients on every route: HEAD, HTTP/1.0, `Connection: close`, `TE: trailers`, a client that leaves mid-stream. The process must survive each and answer the next request. */
import { connect } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { serve } from '../../src/http/index.ts';
import { type HostileSite, startHostileSite } from './support/site.ts';

let site: HostileSite;
let port = 0;

test.before(async () => {
  site = await startHostileSite();
  port = Number(new URL(site.url).port);
});

test.after(async () => {
  await site.close();
});

const everything = encodeURIComponent('SELECT * WHERE { ?s ?p ?o }');
const routes = [
  '/',
  `/sparql?query=${everything}`,
  `/sparql?query=${encodeURIComponent('CONSTRUCT WHERE { ?s ?p ?o }')}`,
  `/sparql?query=${encodeURIComponent('SELECT * WHERE { ?s ?p ?o')}`,
  '/sparql',
  '/graph-store?default',
  '/fragments',
  '/fragments?predicate=http%3A%2F%2Fwww.w3.org%2F2000%2F01%2Frdf-schema%23label',
  '/id/municipio/05001',
  '/doc/municipio/05001',
  '/doc/municipio/05001.ttl',
  '/doc/municipio/05001.jsonld',
  '/dataset/municipios',
  '/catalog',
  '/catalog/data.json',
  '/dumps/municipios.nq.gz',
  '/search?q=medellin',
  '/.well-known/void',
  '/sitemap.xml',
  '/robots.txt',
  '/health',
  '/metrics',
  '/kos/divipola/05001',
  '/nothing/here',
];

interface RawExchange {
  readonly status: number;
  readonly head: string;
  /** Bytes after the header block. */
  readonly body: Buffer;
}

/** One request written byte for byte on a fresh socket; the answer is read until the server closes it (or `leaveAfter` bytes arrived). */
function exchange(request: string, { leaveAfter }: { leaveAfter?: number } = {}): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = () => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, end < 0 ? all.length : end).toString('latin1');
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), head, body: end < 0 ? Buffer.alloc(0) : all.subarray(end + 4) });
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (leaveAfter !== undefined && received >= leaveAfter) {
        socket.destroy();
        finish();
      }
    });
    socket.on('end', finish);
    socket.on('error', reject);
    socket.setTimeout(20_000, () => reject(new Error(`no answer to ${request.split('\r\n')[0]}`)));
  });
}

const requestLine = (method: string, path: string, version: string, headers: Record<string, string> = {}) =>
  `${method} ${path} HTTP/${version}\r\nHost: 127.0.0.1:${port}\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;

async function stillServing(after: string): Promise<void> {
  const health = await exchange(requestLine('GET', '/health', '1.1', { Connection: 'close' }));
  assert.is(health.status, 200, `the server did not answer /health after ${after}`);
}

test('HEAD answers the GET status with headers only, on every route', async () => {
  for (const path of routes) {
    const get = await exchange(requestLine('GET', path, '1.1', { Connection: 'close' }));
    const head = await exchange(requestLine('HEAD', path, '1.1', { Connection: 'close' }));
    assert.ok(get.status >= 200 && get.status < 500, `GET ${path}: ${get.status}`);
    assert.is(head.status, get.status, `HEAD ${path}`);
    assert.is(head.body.length, 0, `HEAD ${path} sent a body`);
    assert.not.match(head.head, /^trailer:/im, `HEAD ${path} announced trailers`);
    await stillServing(`HEAD ${path}`);
  }
});

test('HTTP/1.0 (as nginx talks to upstreams) gets whole, unchunked answers on every route', async () => {
  for (const path of routes) {
    const answer = await exchange(requestLine('GET', path, '1.0'));
    assert.ok(answer.status >= 200 && answer.status < 500, `HTTP/1.0 GET ${path}: ${answer.status}`);
    assert.not.match(answer.head, /^transfer-encoding:/im, `HTTP/1.0 GET ${path} was chunked`);
    assert.not.match(answer.head, /^trailer:/im, `HTTP/1.0 GET ${path} announced trailers`);
    const length = /^content-length:\s*(\d+)/im.exec(answer.head)?.[1];
    if (length !== undefined) assert.is(answer.body.length, Number(length), `HTTP/1.0 GET ${path}: body shorter than its Content-Length`);
    await stillServing(`HTTP/1.0 GET ${path}`);
  }
});

test('Connection: close and TE: trailers on every route', async () => {
  for (const path of routes) {
    for (const headers of [{ Connection: 'close' }, { TE: 'trailers', Connection: 'close' }] as Record<string, string>[]) {
      const answer = await exchange(requestLine('GET', path, '1.1', headers));
      assert.ok(answer.status >= 200 && answer.status < 500, `GET ${path} with ${JSON.stringify(headers)}: ${answer.status}`);
    }
  }
  await stillServing('the Connection and TE requests');
});

test('the truncation trailer reaches an HTTP/1.1 client that asked for it, after the chunked body', async () => {
  const answer = await exchange(requestLine('GET', `/sparql?query=${everything}`, '1.1', { TE: 'trailers', Connection: 'close' }));
  assert.match(answer.head, /^trailer: Vinculo-Results-Truncated/im);
  assert.match(answer.body.toString('latin1'), /\r\n0\r\nVinculo-Results-Truncated: (true|false)\r\n\r\n$/i);
});

test('a client that leaves mid-stream does not take the server down, on every route', async () => {
  for (const path of routes) {
    await exchange(requestLine('GET', path, '1.1'), { leaveAfter: 1 });
    await exchange(requestLine('GET', path, '1.0'), { leaveAfter: 200 });
  }
  await stillServing('the abandoned requests');
});

test('an exception thrown outside every handler fails only its own request', async () => {
  // The failure that took the process down: a response whose headers cannot be written, thrown
  // from Node's own `finished` machinery where no express handler catches it.
  const logged: string[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(line) });
  const app = express();
  app.get('/bad', (_request, response) => {
    setTimeout(() => {
      response.setHeader('Trailer', 'X-Never');
      response.end('cannot be sent over HTTP/1.0 with a trailer');
    }, 1);
  });
  app.get('/good', (_request, response) => {
    response.send('fine');
  });
  const running = await serve(app, { host: '127.0.0.1', port: 0, logger });
  try {
    const badPort = Number(new URL(running.url).port);
    const ask = (path: string, version: string) =>
      new Promise<RawExchange>((resolve, reject) => {
        const socket = connect(badPort, '127.0.0.1', () => socket.write(`GET ${path} HTTP/${version}\r\nHost: x\r\nConnection: close\r\n\r\n`));
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('close', () => {
          const text = Buffer.concat(chunks).toString('latin1');
          resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), head: text, body: Buffer.alloc(0) });
        });
        socket.on('error', reject);
      });
    const bad = await ask('/bad', '1.0');
    assert.is(bad.status, 500);
    assert.match(bad.head, /internal error \(request id /);
    assert.is((await ask('/good', '1.1')).status, 200);
    assert.ok(logged.some((line) => line.includes('error escaped the request handlers')), 'the escaped error was not logged');
  } finally {
    running.server.closeAllConnections();
    await running.close();
  }
});

test.run();
