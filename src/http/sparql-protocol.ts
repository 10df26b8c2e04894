/** The SPARQL 1.1 Protocol at /sparql: query and update by GET and POST, negotiated and streamed results. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { BadRequest, NotAcceptable, UnsupportedMediaType } from '../errors/index.js';
import {
  findRdfFormat,
  findResultsFormat,
  mediaTypesOf,
  negotiate,
  resultsFormats,
  serializeRdf,
} from '../rdf/index.js';
import { type QueryResult, type SparqlEngine, serializeResults, serviceDescription } from '../sparql/index.js';
import type { VinculoStore } from '../store/index.js';
import { pickLanguage, queryPageContentSecurityPolicy, renderQueryPage } from '../web/index.js';
import { authorizeWrite, type WriteTokens } from './write-auth.js';
import type { UsageObserver } from '../usage/index.js';

export interface SparqlProtocolDeps {
  readonly engine: SparqlEngine;
  readonly store: VinculoStore;
  readonly tokens: WriteTokens;
  readonly baseIRI: string;
  readonly maxBodyBytes: number;
  /** Told of each query, to count the datasets it read and the rows sent (issue 23). */
  readonly usage?: UsageObserver;
}

/** The protocol's parameters, as Express's query parser (node:querystring) and its form parser give them. */
export type ProtocolParams = Record<string, unknown>;

const resultsOffers = resultsFormats.map((format) => format.mediaType);
const graphOffers = mediaTypesOf(['turtle', 'ntriples', 'nquads', 'trig', 'jsonld', 'rdfxml']);
const descriptionOffers = mediaTypesOf(['turtle', 'jsonld', 'ntriples', 'rdfxml']);

/** The header announcing the row cap, and the trailer saying a result was cut at it. */
export const rowLimitHeader = 'Vinculo-Results-Limit';
export const truncatedTrailer = 'Vinculo-Results-Truncated';

export function values(value: unknown): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

export function single(params: ProtocolParams, name: string): string | undefined {
  const all = values(params[name]);
  if (all.length > 1) throw new BadRequest(`the ${name} parameter may appear only once`);
  return all[0];
}

/**
 * The media type a `format` value names. For a graph result `xml` and `json` mean RDF/XML and
 * JSON-LD: SPARQLWrapper asks a CONSTRUCT for `format=xml`.
 */
function formatMediaType(format: string, graph: boolean): string | undefined {
  if (!graph) return findResultsFormat(format)?.mediaType;
  const graphAliases: Readonly<Record<string, string>> = { xml: 'rdfxml', json: 'jsonld' };
  return findRdfFormat(graphAliases[format.trim().toLowerCase()] ?? format)?.mediaType;
}

/**
 * The media type to answer with: the `format` parameter (a name, suffix or media type, given once
 * or repeated with synonyms as SPARQLWrapper does: `format=tsv&format=text/tab-separated-values`)
 * wins over Accept. A graph result falls back to the first offer when nothing in Accept fits, as
 * Fuseki does (roqet asks a CONSTRUCT for `application/sparql-results+xml`).
 * @throws BadRequest when repeated `format` values name different syntaxes.
 * @throws NotAcceptable (406) when the format named, or nothing acceptable for a solutions result, is offered.
 */
function chooseMediaType(request: IncomingMessage, params: ProtocolParams, offers: readonly string[], graph: boolean): string {
  const formats = values(params.format);
  if (formats.length > 0) {
    const named = new Set(formats.map((format) => formatMediaType(format, graph) ?? format));
    if (named.size > 1) throw new BadRequest(`the format parameter names different syntaxes: ${formats.join(', ')}`);
    const [known = ''] = named;
    if (offers.includes(known)) return known;
    throw new NotAcceptable(`format ${formats[0]} is not available for this result; available: ${offers.join(', ')}`);
  }
  const chosen = negotiate(request.headers.accept, offers);
  if (chosen) return chosen;
  if (graph && offers[0] !== undefined) return offers[0];
  throw new NotAcceptable(`none of ${offers.join(', ')} is acceptable`);
}

/**
 * Whether the response may end with trailers: only a chunked HTTP/1.1 body to a client that said
 * `TE: trailers` (RFC 9110 §6.5.1). Node refuses a Trailer header on HEAD and HTTP/1.0 responses
 * (no chunked body) by throwing, which once took the whole process down.
 */
function trailersAllowed(request: IncomingMessage): boolean {
  const http11 = request.httpVersionMajor > 1 || (request.httpVersionMajor === 1 && request.httpVersionMinor >= 1);
  return http11 && request.method !== 'HEAD' && /(?:^|,)\s*trailers\s*(?:[,;]|$)/i.test(String(request.headers.te ?? ''));
}

/**
 * Writes chunks with backpressure. The first chunk is held back until a second one (or the end)
 * arrives, so an error before the first row still becomes a proper status (503, 400) instead of a
 * cut-off 200. A HEAD request stops there: its headers are known once the first chunk is, and
 * nothing more needs computing. A body that is that one chunk goes out whole with its
 * Content-Length (unless `chunked`, for trailers): one write instead of a chunk and a last chunk.
 * `beforeBody` sets the status and headers, once, just before they go out.
 * @returns whether the body was written to its end (false for HEAD and for a client that left);
 *   a body sent whole is also ended.
 */
async function stream(
  request: IncomingMessage,
  response: ServerResponse,
  chunks: AsyncIterable<string>,
  { beforeBody, chunked = false }: { readonly beforeBody: () => void; readonly chunked?: boolean },
): Promise<boolean> {
  let held: string | undefined;
  let started = false;
  const write = async (chunk: string) => {
    if (!started) {
      beforeBody();
      started = true;
    }
    if (!response.write(chunk)) {
      await new Promise<void>((resolve) => {
        const resume = () => {
          response.off('drain', resume);
          response.off('close', resume);
          resolve();
        };
        response.on('drain', resume);
        response.on('close', resume);
      });
    }
  };
  for await (const chunk of chunks) {
    if (response.destroyed) return false;
    if (request.method === 'HEAD') break;
    if (held === undefined && !started) {
      held = chunk;
      continue;
    }
    if (held !== undefined) {
      await write(held);
      held = undefined;
    }
    await write(chunk);
  }
  if (response.destroyed) return false;
  if (held !== undefined && !chunked) {
    beforeBody();
    response.setHeader('Content-Length', Buffer.byteLength(held));
    response.end(held);
    return !response.destroyed;
  }
  if (held !== undefined) await write(held);
  if (!started) beforeBody();
  return request.method !== 'HEAD' && !response.destroyed;
}

async function sendResult(
  request: IncomingMessage,
  response: ServerResponse,
  params: ProtocolParams,
  result: QueryResult,
  maxRows: number,
  onCommit: (contentType: string) => void,
): Promise<void> {
  const quads = result.type === 'quads';
  const mediaType = chooseMediaType(request, params, quads ? graphOffers : resultsOffers, quads);
  const contentType = `${mediaType}; charset=utf-8`;
  const chunks = quads
    ? serializeRdf(result.quads, { format: findRdfFormat(mediaType)?.name ?? 'turtle' })
    : serializeResults(result, { format: findResultsFormat(mediaType)?.name ?? 'json', maxResultRows: maxRows });
  const truncated = () => result.type !== 'boolean' && result.truncated();
  const withTrailer = trailersAllowed(request);
  const complete = await stream(request, response, chunks, {
    beforeBody: () => {
      onCommit(contentType);
      response.statusCode = 200;
      response.setHeader('Content-Type', contentType);
      response.setHeader(rowLimitHeader, String(maxRows));
      if (withTrailer) response.setHeader('Trailer', truncatedTrailer);
    },
    chunked: withTrailer,
  });
  // The cap is only known to be hit at the end of a streamed body: a trailer says so to clients
  // that take trailers (JSON and XML bodies also carry a note).
  if (complete && withTrailer) response.addTrailers({ [truncatedTrailer]: truncated() ? 'true' : 'false' });
  if (!response.destroyed && !response.writableEnded) response.end();
}

/** The charset a request body declares, lower-cased; undefined when it declares none. */
export function declaredCharset(request: IncomingMessage): string | undefined {
  return /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
}

/** Whether a declared charset is one the protocol allows (UTF-8, §2.1.2, §2.2.2); none declared is UTF-8. */
export function isUtf8(charset: string | undefined): boolean {
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}

/**
 * The protocol requires UTF-8 request bodies (§2.1.2, §2.2.2); another declared charset is refused
 * rather than decoded into a different query than the client meant.
 * @throws UnsupportedMediaType for a charset other than UTF-8.
 */
function utf8Only(request: Request, _response: Response, next: () => void): void {
  const charset = declaredCharset(request);
  if (!isUtf8(charset)) throw new UnsupportedMediaType(`request bodies must be UTF-8, not ${charset}`);
  next();
}

/** The body parsers of `POST /sparql`: forms and `application/sparql-query`/`-update` text, at most `limit` bytes. */
export function queryBodyParsers(limit: number): { readonly form: RequestHandler; readonly text: RequestHandler } {
  return {
    form: express.urlencoded({ extended: false, limit, parameterLimit: 1000 }),
    text: express.text({ type: ['application/sparql-query', 'application/sparql-update'], limit }),
  };
}

/** Aborts when the client goes away before the response is complete. */
function clientSignal(request: IncomingMessage, response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  request.on('aborted', () => controller.abort());
  return controller.signal;
}

/** What answering a query needs: the engine, the endpoint's IRI (the base of relative IRIs), the usage hook. */
export interface QueryAnswering {
  readonly engine: SparqlEngine;
  readonly endpoint: string;
  readonly usage?: UsageObserver;
}

/** The endpoint's IRI: `sparql` under the base IRI. */
export function sparqlEndpointOf(baseIRI: string): string {
  return new URL('sparql', baseIRI.endsWith('/') ? baseIRI : `${baseIRI}/`).href;
}

function protocolDataset(params: ProtocolParams): { readonly defaultGraphUris: string[]; readonly namedGraphUris: string[] } {
  return { defaultGraphUris: values(params['default-graph-uri']), namedGraphUris: values(params['named-graph-uri']) };
}

/**
 * Runs a query with the protocol's dataset (`default-graph-uri`, `named-graph-uri`), stopped when the client leaves.
 * @throws what `SparqlEngine.query` throws (BadRequest, QueryTimeout, TooLarge, Forbidden, …).
 */
export function executeQuery({ engine, endpoint }: QueryAnswering, request: IncomingMessage, response: ServerResponse, text: string, params: ProtocolParams): Promise<QueryResult> {
  return engine.query(text, { ...protocolDataset(params), signal: clientSignal(request, response), baseIRI: endpoint });
}

/**
 * Sends a query's result, negotiated and streamed, counted by the usage observer. `onCommit` runs
 * once the status is known to be 200, just before the headers go out (nothing is written before),
 * with the Content-Type they will carry.
 * @throws NotAcceptable, BadRequest (the `format` parameter), and the result's own errors while
 *   it streams (before its first chunk, no header is sent).
 */
export async function answerQuery(
  answering: QueryAnswering,
  request: IncomingMessage,
  response: ServerResponse,
  query: { readonly text: string; readonly params: ProtocolParams; readonly result: QueryResult },
  onCommit: (contentType: string) => void = () => undefined,
): Promise<void> {
  const { text, params, result } = query;
  response.setHeader('Vary', 'Accept');
  // Usage counting (issue 23): the datasets read and the rows sent.
  const counted = answering.usage ? answering.usage.countQuery(request, { text, ...protocolDataset(params) }, result) : result;
  await sendResult(request, response, params, counted, answering.engine.limits.maxResultRows, onCommit);
}

// Requests the front (`sparql-front.ts`) handed over after their query failed before its first
// byte, with the error: the route answers it without running the query again (a timeout would take twice as long).
const failedInFront = new WeakMap<IncomingMessage, unknown>();

/** Hands `request` to the app's route, which answers `error` as its own. */
export function failForApp(request: IncomingMessage, error: unknown): void {
  failedInFront.set(request, error);
}

/** Throws the error the front left for `request`, if any. */
function rethrowFrontFailure(request: IncomingMessage): void {
  if (!failedInFront.has(request)) return;
  const error = failedInFront.get(request);
  failedInFront.delete(request);
  throw error;
}

/**
 * The router for `/sparql` (SPARQL 1.1 Protocol §2): query via GET, POST form or POST
 * `application/sparql-query`; update via POST form or `application/sparql-update` (bearer token
 * required); GET without a query returns the Service Description, or the query editor (YASGUI)
 * for clients that prefer `text/html`.
 * @throws nothing itself; request errors reach the error middleware as typed errors.
 */
export function sparqlProtocol(deps: SparqlProtocolDeps): Router {
  const { engine, tokens, maxBodyBytes } = deps;
  const endpoint = sparqlEndpointOf(deps.baseIRI);
  const answering: QueryAnswering = { engine, endpoint, usage: deps.usage };
  const router = express.Router();
  const parsers = queryBodyParsers(maxBodyBytes);

  async function runQuery(request: Request, response: Response, text: string, params: ProtocolParams): Promise<void> {
    const result = await executeQuery(answering, request, response, text, params);
    await answerQuery(answering, request, response, { text, params, result });
  }

  async function runUpdate(request: Request, response: Response, text: string, params: ProtocolParams): Promise<void> {
    const grant = authorizeWrite(request.get('authorization'), tokens);
    await engine.update(text, {
      usingGraphUris: values(params['using-graph-uri']),
      usingNamedGraphUris: values(params['using-named-graph-uri']),
      scope: grant.scope,
      signal: clientSignal(request, response),
      baseIRI: endpoint,
    });
    response.status(204).end();
  }

  router.get('/sparql', async (request, response) => {
    rethrowFrontFailure(request);
    const params = request.query as ProtocolParams;
    if (params.update !== undefined) throw new BadRequest('updates must be sent with POST');
    const text = single(params, 'query');
    if (text === undefined) {
      const accept = request.get('accept') ?? '';
      const html = negotiate(accept, ['text/html', ...descriptionOffers]) === 'text/html';
      if (html && params.format === undefined) {
        // Browsers get the query editor (YASGUI), whose widgets need inline styles: its own CSP says so.
        response.setHeader('Vary', 'Accept, Accept-Language, Cookie');
        response.setHeader('Content-Security-Policy', queryPageContentSecurityPolicy);
        const page = await renderQueryPage({ store: deps.store, language: pickLanguage(request.get('accept-language')), endpoint });
        response.status(200).type('text/html; charset=utf-8').send(page);
        return;
      }
      const mediaType = chooseMediaType(request, params, descriptionOffers, true);
      const format = findRdfFormat(mediaType)?.name ?? 'turtle';
      response.setHeader('Vary', 'Accept');
      await stream(request, response, serializeRdf(serviceDescription(endpoint, engine), { format }), {
        beforeBody: () => response.status(200).setHeader('Content-Type', `${mediaType}; charset=utf-8`),
      });
      if (!response.writableEnded) response.end();
      return;
    }
    await runQuery(request, response, text, params);
  });

  router.post('/sparql', utf8Only, parsers.form, parsers.text, async (request, response) => {
    rethrowFrontFailure(request);
    const contentType = (request.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const urlParams = request.query as ProtocolParams;
    if (contentType === 'application/x-www-form-urlencoded') {
      const form = (request.body ?? {}) as ProtocolParams;
      const query = single(form, 'query');
      const update = single(form, 'update');
      if (query !== undefined && update !== undefined) throw new BadRequest('send either query or update, not both');
      if (query !== undefined) return runQuery(request, response, query, { ...urlParams, ...form });
      if (update !== undefined) return runUpdate(request, response, update, { ...urlParams, ...form });
      throw new BadRequest('the form has neither a query nor an update parameter');
    }
    const body = typeof request.body === 'string' ? request.body : undefined;
    if (contentType === 'application/sparql-query' && body !== undefined) return runQuery(request, response, body, urlParams);
    if (contentType === 'application/sparql-update' && body !== undefined) return runUpdate(request, response, body, urlParams);
    throw new UnsupportedMediaType(
      `POST /sparql takes application/x-www-form-urlencoded, application/sparql-query or application/sparql-update, not ${contentType || 'no content type'}`,
    );
  });
  return router;
}
