/** One structured log line per request, with its duration, written when the response finishes. */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

// When the outermost handler took each request: a handler in front of the app (the SPARQL front)
// may spend a query's whole time limit before it hands the request over, and that time is the request's.
const requestStarts = new WeakMap<IncomingMessage, bigint>();

/** Stamps `request` as received now (by the outermost handler, once); returns the stamp. */
export function markRequestStart(request: IncomingMessage): bigint {
  const now = process.hrtime.bigint();
  requestStarts.set(request, now);
  return now;
}

/** When the outermost handler received `request` (`process.hrtime.bigint()` time); now when none stamped it. */
export function requestStart(request: IncomingMessage): bigint {
  return requestStarts.get(request) ?? process.hrtime.bigint();
}

export function requestLog(logger: Logger): RequestHandler {
  return (request, response, next) => {
    const started = requestStart(request);
    response.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        { method: request.method, url: request.originalUrl, status: response.statusCode, ms: Math.round(ms * 10) / 10 },
        'request',
      );
    });
    next();
  };
}
