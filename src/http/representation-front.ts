/**
 * The front of the HTTP server for crawlers. `/health` is answered first, before any other work,
 * and so is a request the representation cache can answer (Express's own dispatch costs about
 * three times the bytes' writing). Everything else — a miss a route registered a builder for (a
 * `/doc/…`), or a request for the app — goes through a queue that works a few milliseconds at a
 * time, so that the event loop comes back to the sockets between slices:
 * during a crawl at 100 connections, handling every request read in one turn made each turn
 * 20 ms long, and a probe waited behind all of them. All are logged and counted as `requestLog`
 * and `metrics` would.
 */
import { AsyncResource } from 'node:async_hooks';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from 'pino';
import { answerHealth, isHealthRequest } from './health.js';
import { type MetricsRegistry, routeOf } from './metrics.js';
import type { RepresentationCache } from './representation-cache.js';

export interface FrontOptions {
  readonly cache: RepresentationCache;
  readonly logger: Logger;
  /** The registry the app's `metrics()` counts into, so that `/metrics` counts cached answers too. */
  readonly registry?: MetricsRegistry;
  /** Milliseconds of queued work between two returns to the event loop (4 unless said). */
  readonly sliceMs?: number;
}

/**
 * Work items run in order, at most `sliceMs` of them (by the clock) in one turn of the event loop.
 * While the turn has time and nothing waits, an item runs at once; past that, items queue and run
 * from a later turn, a slice per turn, each after the sockets were polled (`setImmediate`), until
 * the queue is empty. An item's own asynchronous continuations run when it awaits, so the clock
 * counts them too as long as they need no I/O. Running at once is what a crawl at a few
 * connections meets: queueing every item cost about 170 µs of CPU a request more (issue 21),
 * which halved the cold documents' rate.
 */
export class SlicedQueue {
  readonly #sliceMs: number;
  /**
   * Each item with the asynchronous context it was pushed from. A plain `AsyncResource`: in Node 20
   * `AsyncResource.bind` (its closures, its deprecated accessors defined per call) cost 16–29 µs an
   * item against under 1 µs, paid by nearly every request of a crawl at 100 connections (issue 21).
   */
  readonly #items: Array<{ readonly work: () => void; readonly context: AsyncResource }> = [];
  #draining = false;
  /** When this turn's first item came (undefined between turns): the clock of the items run at once. */
  #turnStart: number | undefined;

  constructor(sliceMs: number) {
    this.#sliceMs = sliceMs;
  }

  get length(): number {
    return this.#items.length;
  }

  /** Runs `work` now, or queues it; it runs in the asynchronous context it was pushed from (the request's, for `serve`'s error scope). */
  push(work: () => void): void {
    if (this.#items.length === 0 && !this.#draining && this.#turnHasTime()) {
      runCaught(work);
      return;
    }
    this.#items.push({ work, context: new AsyncResource('SlicedQueueItem') });
    // Queued behind a spent turn: the turn's end starts the drain.
    if (!this.#draining && this.#turnStart === undefined) void this.#drain();
  }

  /** Whether the items run at once in this turn have left time for another (the first starts the turn's clock). */
  #turnHasTime(): boolean {
    const now = performance.now();
    if (this.#turnStart === undefined) {
      this.#turnStart = now;
      // The check phase ends the turn: what was queued meanwhile waits for the next one.
      setImmediate(this.#endTurn);
    }
    return now - this.#turnStart < this.#sliceMs;
  }

  readonly #endTurn = () => {
    this.#turnStart = undefined;
    if (this.#items.length > 0 && !this.#draining) void this.#drain();
  };

  async #drain(): Promise<void> {
    this.#draining = true;
    // The first slice waits too: the sockets are polled before the queue is worked on.
    await nextTurn();
    let sliceStart = performance.now();
    for (let item = this.#items.shift(); item; item = this.#items.shift()) {
      item.context.runInAsyncScope(runCaught, undefined, item.work);
      // Lets the item's continuations run before the clock is read.
      await null;
      if (performance.now() - sliceStart >= this.#sliceMs && this.#items.length > 0) {
        await nextTurn();
        sliceStart = performance.now();
      }
    }
    this.#draining = false;
  }
}

/** Runs `work`; what it throws is thrown again in its own context (so its request's scope answers it), and the caller carries on. */
function runCaught(work: () => void): void {
  try {
    work();
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

/** `app` behind `/health`, the cached representations, and the misses routes build in front. */
export function cachedFirst(app: RequestListener, { cache, logger, registry, sliceMs = 4 }: FrontOptions): RequestListener {
  const queue = new SlicedQueue(sliceMs);
  const account = (request: IncomingMessage, response: ServerResponse, started: bigint, cached: boolean) => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const method = request.method ?? 'GET';
    registry?.observeRequest(method, routeOf((request.url ?? '/').split('?')[0] ?? '/'), response.statusCode);
    if (logger.isLevelEnabled('info')) {
      logger.info({ method, url: request.url, status: response.statusCode, ms: Math.round(ms * 10) / 10, cached }, 'request');
    }
  };
  const handle = (request: IncomingMessage, response: ServerResponse, started: bigint) => {
    // A client that went away while the request waited is owed nothing.
    if (response.destroyed) return;
    let handedOver = false;
    const toApp = () => {
      handedOver = true;
      app(request, response);
    };
    // A builder that hands the request over has sent nothing: the app logs and counts it then.
    const built = () => handedOver || account(request, response, started, false);
    response.once('finish', built);
    if (cache.build(request, response, toApp)) return;
    response.off('finish', built);
    app(request, response);
  };
  return (request: IncomingMessage, response: ServerResponse) => {
    const started = process.hrtime.bigint();
    if (isHealthRequest(request)) {
      answerHealth(cache.store, request, response);
      account(request, response, started, false);
      return;
    }
    if (cache.answer(request, response)) {
      account(request, response, started, true);
      return;
    }
    queue.push(() => handle(request, response, started));
  };
}
