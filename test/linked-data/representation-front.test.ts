/** The server front answers cached representations, and builds crawlers' documents, before Express; counts them in /metrics as the app would; never answers stale data after a write. */
import { AsyncLocalStorage } from 'node:async_hooks';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, Writable } from 'node:stream';
import express from 'express';
import { type Logger, pino } from 'pino';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { errorHandler } from '../../src/http/errors.ts';
import { linkedData } from '../../src/http/linked-data.ts';
import { MetricsRegistry, metrics } from '../../src/http/metrics.ts';
import { RepresentationCache } from '../../src/http/representation-cache.ts';
import { cachedFirst, SlicedQueue } from '../../src/http/representation-front.ts';
import { DataFactory, parseRdfToArray } from '../../src/rdf/index.ts';
import { datasetGraph, type EmbeddedStore, openStore, type QuadIndex, type VinculoStore } from '../../src/store/index.ts';

const { namedNode, literal, quad } = DataFactory;

/** Request log lines of the front and the app, as objects. */
function capturedLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

interface Front {
  readonly baseIRI: string;
  readonly store: EmbeddedStore;
  readonly registry: MetricsRegistry;
  readonly lines: Array<Record<string, unknown>>;
  /** Requests that reached Express. */
  reachedExpress(): number;
  close(): Promise<void>;
}

/** The app as `createRequestHandler` wires it, reduced to what the front needs: metrics, a header every response carries, the linked-data routes. */
async function startFront(turtle: string, served: (store: EmbeddedStore) => VinculoStore = (store) => store): Promise<Front> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const baseIRI = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const store = await openStore({ baseIRI });
  await store.putDataset('municipios', await parseRdfToArray(turtle, { format: 'turtle', baseIRI }));
  const registry = new MetricsRegistry();
  const cache = new RepresentationCache(store, { maxBytes: 1 << 20 });
  const { logger, lines } = capturedLogger();
  const app = express();
  app.use(metrics({ store, registry }));
  // Express answers only what the front passes on: count what reaches it.
  let reached = 0;
  app.use((_request, response, next) => {
    reached++;
    response.setHeader('X-Shared', 'every response');
    next();
  });
  app.use(linkedData({ store: served(store), baseIRI, cache }));
  app.use(errorHandler(pino({ level: 'silent' })));
  server.on('request', cachedFirst(app, { cache, logger, registry }));
  return {
    baseIRI,
    store,
    registry,
    lines,
    reachedExpress: () => reached,
    async close() {
      server.closeAllConnections();
      server.close();
      await store.close();
    },
  };
}

const medellin = '<id/municipio/05001> <http://www.w3.org/2000/01/rdf-schema#label> "Medellín"@es .';
const bello = '<id/municipio/05088> <http://www.w3.org/2000/01/rdf-schema#label> "Bello"@es .';

test('a cached document is answered in front of Express, counted, and replaced after a write', async () => {
  const front = await startFront(medellin);
  const { baseIRI, store, registry } = front;
  try {
    const url = `${baseIRI}doc/municipio/05001`;
    const first = await fetch(url, { headers: { Accept: 'text/turtle' } });
    const body = await first.text();
    const second = await fetch(url, { headers: { Accept: 'text/turtle' } });
    assert.is(await second.text(), body);
    assert.is(second.headers.get('ETag'), first.headers.get('ETag'));
    assert.is(front.reachedExpress(), 1, 'the second request never reached Express');
    assert.match(registry.render(store), /vinculo_http_requests_total\{method="GET",route="\/doc",status="200"\} 2/);

    await store.write(async (target) => {
      const added = quad(namedNode(`${baseIRI}id/municipio/05001`), namedNode('http://www.w3.org/2000/01/rdf-schema#comment'), literal('Capital de Antioquia'), datasetGraph(baseIRI, 'municipios'));
      await once(target.import(Readable.from([added], { objectMode: true })), 'end');
    });
    const after = await fetch(url, { headers: { Accept: 'text/turtle', 'If-None-Match': first.headers.get('ETag') ?? '' } });
    assert.is(after.status, 200);
    assert.ok((await after.text()).includes('Capital de Antioquia'));
    const built = front.lines.filter((line) => line.url === '/doc/municipio/05001' && line.cached === false);
    assert.is(built.length, 1, 'the stale entry was not answered: the front built the document anew');
    assert.match(registry.render(store), /vinculo_http_requests_total\{method="GET",route="\/doc",status="200"\} 3/);
  } finally {
    await front.close();
  }
});

test('a document built in front of Express has the headers and bytes the app gives it', async () => {
  const front = await startFront(`${medellin}\n${bello}`);
  try {
    const headersOf = (response: Response) => {
      const kept = new Map<string, string>();
      response.headers.forEach((value, name) => {
        if (name !== 'date' && name !== 'etag' && name !== 'content-location' && name !== 'link' && name !== 'content-length') kept.set(name, value);
      });
      return Object.fromEntries([...kept].sort());
    };
    // The first document goes through the app (nothing learnt yet), the second is built in front.
    const viaApp = await fetch(`${front.baseIRI}doc/municipio/05001`, { headers: { Accept: 'text/turtle' } });
    const inFront = await fetch(`${front.baseIRI}doc/municipio/05088`, { headers: { Accept: 'text/turtle' } });
    assert.is(front.reachedExpress(), 1);
    assert.is(inFront.headers.get('x-shared'), 'every response');
    assert.equal(headersOf(inFront), headersOf(viaApp));
    assert.ok(inFront.headers.get('link')?.includes('/doc/municipio/05088.jsonld'));
    const builtText = await inFront.text();
    await viaApp.text();

    // A request form the cache has not seen (a query) is built by the app: the same bytes.
    const again = await fetch(`${front.baseIRI}doc/municipio/05088.ttl?again`, { headers: { Accept: 'text/turtle' } });
    assert.is(again.status, 200);
    assert.is(front.reachedExpress(), 2, 'a request with a query goes to the app');
    assert.is(await again.text(), builtText);

    // The same for an HTML page (its embedded JSON-LD written without jsonld.js in both).
    const pageInFront = await fetch(`${front.baseIRI}doc/municipio/05088`, { headers: { Accept: 'text/html' } });
    assert.is(front.reachedExpress(), 2, 'a plain HTML request is built in front');
    const pageViaApp = await fetch(`${front.baseIRI}doc/municipio/05088.html?again`, { headers: { Accept: 'text/html' } });
    assert.is(front.reachedExpress(), 3);
    assert.equal(headersOf(pageInFront), headersOf(pageViaApp));
    assert.is(await pageInFront.text(), await pageViaApp.text());
  } finally {
    await front.close();
  }
});

/** `store` whose id index fails to name terms while `failing()` says so (a fault in the middle of a build). */
function faulty(store: EmbeddedStore, failing: () => boolean): VinculoStore {
  const index = store.quadIndex;
  const brokenIndex: QuadIndex = {
    ...index,
    keyOf: (id) => {
      if (failing()) throw new Error('the term dictionary failed');
      return index.keyOf(id);
    },
  };
  return new Proxy(store, {
    get: (target, property) => {
      if (property === 'quadIndex') return brokenIndex;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

test('HTML with cookies, missing things and a build that fails go to the app', async () => {
  let failing = false;
  const front = await startFront(`${medellin}\n${bello}`, (store) => faulty(store, () => failing));
  try {
    const get = (path: string, accept: string) => fetch(`${front.baseIRI}${path}`, { headers: { Accept: accept } });
    assert.is((await get('doc/municipio/05001', 'text/turtle')).status, 200);
    assert.is(front.reachedExpress(), 1);
    // The language cookie is read by the UI router, in the app.
    assert.is((await fetch(`${front.baseIRI}doc/municipio/05001`, { headers: { Accept: 'text/html', Cookie: 'vinculo-lang=en' } })).status, 200);
    assert.is(front.reachedExpress(), 2, 'HTML with a cookie');
    assert.is((await get('doc/municipio/99999', 'text/turtle')).status, 404);
    assert.is(front.reachedExpress(), 3, '404');
    // The front's build fails after it took the request: the app gets it, untouched, and answers (here: its 500).
    failing = true;
    const failed = await get('doc/municipio/05088', 'text/turtle');
    assert.is(failed.status, 500);
    assert.match(await failed.text(), /internal error/);
    assert.is(front.reachedExpress(), 4, 'the failed build went to the app');
    failing = false;
    assert.is((await get('doc/municipio/05088', 'text/turtle')).status, 200);
  } finally {
    await front.close();
  }
});


test('/health is answered by the front, ahead of the app, with the store figures', async () => {
  // The app here mounts no /health route: an answer at all comes from the front.
  const front = await startFront(`${medellin}\n${bello}`);
  try {
    const response = await fetch(`${front.baseIRI}health`);
    assert.is(response.status, 200);
    assert.is(response.headers.get('cache-control'), 'no-store');
    assert.equal(await response.json(), { status: 'ok', datasets: 1, quads: front.store.countQuads(), version: front.store.version });
    assert.is((await fetch(`${front.baseIRI}health`, { method: 'HEAD' })).status, 200);
    assert.is(front.reachedExpress(), 0);
    assert.match(front.registry.render(front.store), /vinculo_http_requests_total\{method="GET",route="\/health",status="200"\} 1/);
  } finally {
    await front.close();
  }
});

test('misses wait in a queue and each gets its own document, in front or from the app', async () => {
  const things = Array.from({ length: 40 }, (_, index) => `${String(10000 + index)}`);
  const front = await startFront(things.map((code) => `<id/municipio/${code}> <http://www.w3.org/2000/01/rdf-schema#label> "Municipio ${code}"@es .`).join('\n'));
  try {
    // Turtle is built in front once the app has served one document; HTML always goes to the app.
    await (await fetch(`${front.baseIRI}doc/municipio/10000`, { headers: { Accept: 'text/turtle' } })).text();
    const answers = await Promise.all(
      things.flatMap((code) =>
        ['text/turtle', 'text/html'].map(async (accept) => {
          const response = await fetch(`${front.baseIRI}doc/municipio/${code}`, { headers: { Accept: accept } });
          return { code, status: response.status, body: await response.text() };
        }),
      ),
    );
    for (const { code, status, body } of answers) {
      assert.is(status, 200);
      assert.ok(body.includes(`Municipio ${code}`), code);
    }
  } finally {
    await front.close();
  }
});

test('an item pushed while the turn has time and nothing waits runs at once; behind a spent turn, later', async () => {
  const queue = new SlicedQueue(50);
  const ran: string[] = [];
  queue.push(() => ran.push('first'));
  queue.push(() => ran.push('second'));
  assert.equal(ran, ['first', 'second'], 'both within the turn, before push returned');
  assert.is(queue.length, 0);
  const spent = new SlicedQueue(0);
  spent.push(() => ran.push('third'));
  assert.is(spent.length, 1, 'a zero slice leaves no time in the turn');
  await new Promise((done) => setTimeout(done, 10));
  assert.equal(ran, ['first', 'second', 'third']);
});

test('a queued item runs in the asynchronous context it was pushed from', async () => {
  const scope = new AsyncLocalStorage<string>();
  const queue = new SlicedQueue(0);
  const seen: Array<string | undefined> = [];
  const done = new Promise<void>((resolve) => {
    for (const request of ['first', 'second']) {
      scope.run(request, () =>
        queue.push(() => {
          seen.push(scope.getStore());
          if (seen.length === 2) resolve();
        }),
      );
    }
  });
  await done;
  assert.equal(seen, ['first', 'second']);
});

test('the queue gives the event loop a turn once a slice of work is used up', async () => {
  const queue = new SlicedQueue(1);
  const order: string[] = [];
  const busy = (ms: number) => {
    const until = performance.now() + ms;
    while (performance.now() < until);
  };
  const done = new Promise<void>((resolve) => {
    for (let index = 0; index < 4; index++) {
      queue.push(() => {
        busy(2);
        order.push(`work ${index}`);
        if (index === 3) resolve();
      });
    }
  });
  // Queued after the work: it runs once the first item has used up the slice, not after all four.
  setImmediate(() => order.push('turn'));
  await done;
  assert.equal(order, ['work 0', 'turn', 'work 1', 'work 2', 'work 3']);
});
test.run();
