/**
 * The front of the HTTP server for crawlers. `/health` is answered first, before any other work,
 * and so is a request the representation cache can answer (Express's own dispatch costs about
 * three times the bytes' writing). Everything else — a miss a route registered a builder for (a
 * `/doc/…` in an RDF syntax), or a request for the app — waits in a queue that is worked through
 * a few milliseconds at a time, so that the event loop comes back to the sockets between slices:
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
 * Work items run in order, at most `sliceMs` of them (by the clock) before the event loop gets a
 * turn (`setImmediate`: the sockets are polled first). An item's own asynchronous continuations
 * run when it awaits, so the clock counts them too as long as they need no I/O.
 */
export class SlicedQueue {
  readonly #sliceMs: number;
  readonly #items: Array<() => void> = [];
  #draining = false;

  constructor(sliceMs: number) {
    this.#sliceMs = sliceMs;
  }

  get length(): number {
    return this.#items.length;
  }

  /** Queues `work`; it runs in the asynchronous context it was queued from (the request's, for `serve`'s error scope). */
  push(work: () => void): void {
    this.#items.push(
      AsyncResource.bind(() => {
        // Thrown again in the item's own context (so its request's scope answers it); the queue carries on.
        try {
          work();
        } catch (error) {
          queueMicrotask(() => {
            throw error;
          });
        }
      }),
    );
    if (!this.#draining) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    // The first slice waits too: the requests read in this turn queue up before any is worked on.
    await nextTurn();
    let sliceStart = performance.now();
    for (let work = this.#items.shift(); work; work = this.#items.shift()) {
      work();
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
