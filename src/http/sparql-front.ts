/**
 * The front of the HTTP server for SPARQL queries (issue 19): a plain read query to `/sparql` (GET
 * `?query=`, POST `application/sparql-query` or a form with `query=`) is answered before Express,
 * whose routing and middleware cost more per request than a small query's evaluation. It answers
 * as the app's route does — the same functions of `sparql-protocol.ts` run, negotiate and stream
 * the result — with the headers the app's middleware sets, and is logged and counted as
 * `requestLog` and `metrics` would. Anything else (updates, tokens, the service description,
 * unusual parameters) goes to the app untouched; a query that fails before its first byte goes to
 * the app with its outcome, so errors are answered by the app's error handler alone.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import compressible from 'compressible';
import compression from 'compression';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import vary from 'vary';
import type { QueryResult, SparqlEngine } from '../sparql/index.js';
import type { UsageObserver } from '../usage/index.js';
import { type MetricsRegistry, routeOf } from './metrics.js';
import { markRequestStart } from './request-log.js';
import {
  answerQuery,
  declaredCharset,
  executeQuery,
  failForApp,
  isUtf8,
  type ProtocolParams,
  type QueryAnswering,
  queryBodyParsers,
  sparqlEndpointOf,
} from './sparql-protocol.js';

export interface SparqlFrontOptions {
  readonly engine: SparqlEngine;
  readonly baseIRI: string;
  readonly maxBodyBytes: number;
  readonly logger: Logger;
  /** The registry the app's `metrics()` counts into. */
  readonly registry: MetricsRegistry;
  readonly usage?: UsageObserver;
  /** The headers the app's middleware sets on every response (security, CORS), in its order. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

/** A query the front takes: its text and every parameter of the request (URL and form). */
interface FrontQuery {
  readonly text: string;
  readonly params: ProtocolParams;
}

// Parameters the front understands; any other (`lang`, `update`, …) may change the answer, so the app gives it.
const frontParameters = new Set(['query', 'default-graph-uri', 'named-graph-uri', 'format']);

/** Whether every parameter is one the front understands. */
function understood(params: ProtocolParams): boolean {
  return Object.keys(params).every((name) => frontParameters.has(name));
}

/** The query of a parameter set the front understands, with `query` given once (more than once is the app's 400). */
function plainQuery(params: ProtocolParams): FrontQuery | undefined {
  return typeof params.query === 'string' && understood(params) ? { text: params.query, params } : undefined;
}

// body-parser's and compression's middleware read only what node:http's request and response have.
type NodeMiddleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;
const onNode = (middleware: RequestHandler): NodeMiddleware => middleware as unknown as NodeMiddleware;

/** The body a body-parser middleware left on the request (Express's `request.body`). */
function bodyOf(request: IncomingMessage): unknown {
  return (request as IncomingMessage & { readonly body?: unknown }).body;
}

/** `app` with plain SPARQL read queries answered before it. */
export function sparqlFirst(app: RequestListener, options: SparqlFrontOptions): RequestListener {
  const { logger, registry, headers } = options;
  const answering: QueryAnswering = { engine: options.engine, endpoint: sparqlEndpointOf(options.baseIRI), usage: options.usage };
  const bodyParsers = queryBodyParsers(options.maxBodyBytes);
  const parsers = { form: onNode(bodyParsers.form), text: onNode(bodyParsers.text) };
  // The app's compression, with its defaults (public-access.ts): the same encodings, threshold and Vary.
  const compress = onNode(compression());
  const route = routeOf('/sparql');

  /**
   * The app's compression, or what it would do for a client that sent no Accept-Encoding: it then
   * answers identity and only adds `Accept-Encoding` to Vary (when its default filter takes the
   * type and no Cache-Control says no-transform), but wraps write, end and writeHead to find that
   * out. Here that header alone is added; anything else (a Cache-Control to read) takes compression.
   */
  function compressOrVary(request: IncomingMessage, response: ServerResponse, contentType: string): void {
    if (request.headers['accept-encoding'] || response.hasHeader('Cache-Control')) compress(request, response, () => undefined);
    else if (compressible(contentType)) vary(response, 'Accept-Encoding');
  }

  /** Runs the query and streams its answer; a failure before the first byte goes to the app with the outcome. */
  async function answer(request: IncomingMessage, response: ServerResponse, query: FrontQuery, handOver: () => void): Promise<void> {
    try {
      const result: QueryResult = await executeQuery(answering, request, response, query.text, query.params);
      await answerQuery(answering, request, response, { ...query, result }, (contentType) => {
        for (const [name, value] of headers) response.setHeader(name, value);
        compressOrVary(request, response, contentType);
      });
    } catch (error) {
      if (response.headersSent) {
        // The body is already streaming: as the app's error handler does, cut it so the client sees a broken response.
        logger.warn({ err: error, url: request.url }, 'error after the response started');
        response.destroy();
        return;
      }
      // Nothing went out (the Vary header is set, as the route would have before failing): the app answers the error.
      failForApp(request, error);
      handOver();
    }
  }

  /** The query of a POST the front may take, read with the app's own body parsers; undefined hands the request over. */
  function readPost(request: IncomingMessage, response: ServerResponse, take: (query: FrontQuery | undefined) => void): void {
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    const form = contentType === 'application/x-www-form-urlencoded';
    if ((!form && contentType !== 'application/sparql-query') || !isUtf8(declaredCharset(request))) {
      take(undefined);
      return;
    }
    const urlParams = parseQueryString(queryStringOf(request.url));
    (form ? parsers.form : parsers.text)(request, response, (error) => {
      if (error !== undefined) {
        // The body is consumed: the app's route answers the parser's error (413, 400) as its own.
        failForApp(request, error);
        take(undefined);
        return;
      }
      const body = bodyOf(request);
      if (form) {
        // The query must be the form's (the app reads only the form's); its other fields win over the URL's, as in the app.
        const fields = (body ?? {}) as ProtocolParams;
        take(typeof fields.query === 'string' ? plainQuery({ ...urlParams, ...fields }) : undefined);
        return;
      }
      take(typeof body === 'string' && urlParams.query === undefined && understood(urlParams) ? { text: body, params: urlParams } : undefined);
    });
  }

  return (request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? '/';
    const method = request.method;
    const path = url.split('?', 1)[0];
    // A token makes it a write attempt (the app rate-limits those); other methods and paths are the app's.
    if (path !== '/sparql' || (method !== 'GET' && method !== 'HEAD' && method !== 'POST') || request.headers.authorization !== undefined) {
      app(request, response);
      return;
    }
    // The app's log and metrics time a request handed over from here too, not from when it reached them.
    const started = markRequestStart(request);
    let handedOver = false;
    const handOver = () => {
      handedOver = true;
      app(request, response);
    };
    // Counted and logged as the app's `metrics()` and `requestLog` would, unless the app answered.
    response.once('finish', () => {
      if (handedOver) return;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      registry.observeRequest(method, route, response.statusCode);
      registry.observeQuery(seconds);
      if (logger.isLevelEnabled('info')) logger.info({ method, url, status: response.statusCode, ms: Math.round(seconds * 1e4) / 10 }, 'request');
    });
    const take = (query: FrontQuery | undefined) => {
      if (query === undefined) handOver();
      else answer(request, response, query, handOver).catch((error: unknown) => logger.error({ err: error, url }, 'the SPARQL front failed'));
    };
    if (method === 'POST') readPost(request, response, take);
    else take(plainQuery(parseQueryString(queryStringOf(url))));
  };
}

function queryStringOf(url: string | undefined): string {
  const at = (url ?? '').indexOf('?');
  return at < 0 ? '' : (url ?? '').slice(at + 1);
}
