/** The one place where errors become HTTP responses: typed errors keep their status, the rest are masked 500s. */
import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { NotFound, VinculoError } from '../errors/index.js';

interface BodyParserError {
  readonly type?: string;
  readonly status?: number;
}

function statusOf(error: unknown): number {
  if (error instanceof VinculoError) return error.status;
  const parserError = error as BodyParserError;
  if (parserError?.type === 'entity.too.large') return 413;
  if (typeof parserError?.status === 'number' && parserError.status >= 400 && parserError.status < 500) return parserError.status;
  return 500;
}

export function notFoundHandler(): RequestHandler {
  return (request, _response, next) => next(new NotFound(`nothing at ${request.path}`));
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) {
      // The body is already streaming: all we can do is cut it so the client sees a broken response.
      logger.warn({ err: error, url: request.originalUrl }, 'error after the response started');
      response.destroy();
      return;
    }
    if (!request) return next(error);
    const status = statusOf(error);
    let message = error instanceof Error ? error.message : String(error);
    let code = error instanceof VinculoError ? error.code : status === 413 ? 'too-large' : 'bad-request';
    if (status >= 500 && !(error instanceof VinculoError && error.status === 503)) {
      const requestId = randomUUID();
      logger.error({ err: error, requestId, url: request.originalUrl }, 'internal error');
      message = `internal error (request id ${requestId})`;
      code = 'internal';
    }
    const wantsJson = request.accepts(['text/plain', 'application/json']) === 'application/json';
    response.status(status);
    if (status === 401) response.setHeader('WWW-Authenticate', 'Bearer realm="vinculo"');
    if (wantsJson) response.json({ error: code, status, message });
    else response.type('text/plain; charset=utf-8').send(`${message}\n`);
  };
}
