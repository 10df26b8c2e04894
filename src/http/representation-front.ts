/**
 * The front of the HTTP server for crawlers: a request the representation cache can answer is
 * answered before Express sees it (Express's own dispatch costs about three times the bytes'
 * writing), and so is a miss a route registered a builder for (a `/doc/…` in an RDF syntax); both
 * are logged and counted as `requestLog` and `metrics` would. Every other request goes to the app.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { type MetricsRegistry, routeOf } from './metrics.js';
import type { RepresentationCache } from './representation-cache.js';

export interface FrontOptions {
  readonly cache: RepresentationCache;
  readonly logger: Logger;
  /** The registry the app's `metrics()` counts into, so that `/metrics` counts cached answers too. */
  readonly registry?: MetricsRegistry;
}

/** `app` with cached representations, and the misses routes build in front, answered before it. */
export function cachedFirst(app: RequestListener, { cache, logger, registry }: FrontOptions): RequestListener {
  const account = (request: IncomingMessage, response: ServerResponse, started: bigint, cached: boolean) => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const method = request.method ?? 'GET';
    registry?.observeRequest(method, routeOf((request.url ?? '/').split('?')[0] ?? '/'), response.statusCode);
    if (logger.isLevelEnabled('info')) {
      logger.info({ method, url: request.url, status: response.statusCode, ms: Math.round(ms * 10) / 10, cached }, 'request');
    }
  };
  return (request: IncomingMessage, response: ServerResponse) => {
    const started = process.hrtime.bigint();
    if (cache.answer(request, response)) {
      account(request, response, started, true);
      return;
    }
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
}
