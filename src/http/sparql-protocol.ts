/** The SPARQL 1.1 Protocol at /sparql: query and update by GET and POST, negotiated and streamed results. */
import express, { type Request, type Response, type Router } from 'express';
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

const resultsOffers = resultsFormats.map((format) => format.mediaType);
const graphOffers = mediaTypesOf(['turtle', 'ntriples', 'nquads', 'trig', 'jsonld', 'rdfxml']);
const descriptionOffers = mediaTypesOf(['turtle', 'jsonld', 'ntriples', 'rdfxml']);

/** The header announcing the row cap, and the trailer saying a result was cut at it. */
export const rowLimitHeader = 'Vinculo-Results-Limit';
export const truncatedTrailer = 'Vinculo-Results-Truncated';

function values(value: unknown): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

function single(params: Record<string, unknown>, name: string): string | undefined {
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
function chooseMediaType(request: Request, params: Record<string, unknown>, offers: readonly string[], graph: boolean): string {
  const formats = values(params.format);
  if (formats.length > 0) {
    const named = new Set(formats.map((format) => formatMediaType(format, graph) ?? format));
    if (named.size > 1) throw new BadRequest(`the format parameter names different syntaxes: ${formats.join(', ')}`);
    const [known = ''] = named;
    if (offers.includes(known)) return known;
    throw new NotAcceptable(`format ${formats[0]} is not available for this result; available: ${offers.join(', ')}`);
  }
  const chosen = negotiate(request.get('accept'), offers);
  if (chosen) return chosen;
  if (graph && offers[0] !== undefined) return offers[0];
  throw new NotAcceptable(`none of ${offers.join(', ')} is acceptable`);
}

/**
 * Whether the response may end with trailers: only a chunked HTTP/1.1 body to a client that said
 * `TE: trailers` (RFC 9110 §6.5.1). Node refuses a Trailer header on HEAD and HTTP/1.0 responses
 * (no chunked body) by throwing, which once took the whole process down.
 */
function trailersAllowed(request: Request): boolean {
  const http11 = request.httpVersionMajor > 1 || (request.httpVersionMajor === 1 && request.httpVersionMinor >= 1);
  return http11 && request.method !== 'HEAD' && /(?:^|,)\s*trailers\s*(?:[,;]|$)/i.test(request.get('te') ?? '');
}

/**
 * Writes chunks with backpressure. The first chunk is held back until a second one (or the end)
 * arrives, so an error before the first row still becomes a proper status (503, 400) instead of a
 * cut-off 200. A HEAD request stops there: its headers are known once the first chunk is, and
 * nothing more needs computing.
 * @returns whether the body was written to its end (false for HEAD and for a client that left).
 */
async function stream(request: Request, response: Response, chunks: AsyncIterable<string>, beforeBody: () => void): Promise<boolean> {
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
  if (held !== undefined) await write(held);
  if (!started) beforeBody();
  return request.method !== 'HEAD' && !response.destroyed;
}

async function sendResult(
  request: Request,
  response: Response,
  params: Record<string, unknown>,
  result: QueryResult,
  maxRows: number,
): Promise<void> {
  const quads = result.type === 'quads';
  const mediaType = chooseMediaType(request, params, quads ? graphOffers : resultsOffers, quads);
  const chunks = quads
    ? serializeRdf(result.quads, { format: findRdfFormat(mediaType)?.name ?? 'turtle' })
    : serializeResults(result, { format: findResultsFormat(mediaType)?.name ?? 'json', maxResultRows: maxRows });
  const truncated = () => result.type !== 'boolean' && result.truncated();
  const withTrailer = trailersAllowed(request);
  const complete = await stream(request, response, chunks, () => {
    response.status(200);
    response.setHeader('Content-Type', `${mediaType}; charset=utf-8`);
    response.setHeader(rowLimitHeader, String(maxRows));
    if (withTrailer) response.setHeader('Trailer', truncatedTrailer);
  });
  // The cap is only known to be hit at the end of a streamed body: a trailer says so to clients
  // that take trailers (JSON and XML bodies also carry a note).
  if (complete && withTrailer) response.addTrailers({ [truncatedTrailer]: truncated() ? 'true' : 'false' });
  if (!response.destroyed) response.end();
}

/**
 * The protocol requires UTF-8 request bodies (§2.1.2, §2.2.2); another declared charset is refused
 * rather than decoded into a different query than the client meant.
 * @throws UnsupportedMediaType for a charset other than UTF-8.
 */
function utf8Only(request: Request, _response: Response, next: () => void): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.get('content-type') ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new UnsupportedMediaType(`request bodies must be UTF-8, not ${charset}`);
  }
  next();
}

/** Aborts when the client goes away before the response is complete. */
function clientSignal(request: Request, response: Response): AbortSignal {
  const controller = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  request.on('aborted', () => controller.abort());
  return controller.signal;
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
  const endpoint = new URL('sparql', deps.baseIRI.endsWith('/') ? deps.baseIRI : `${deps.baseIRI}/`).href;
  const router = express.Router();
  const limit = maxBodyBytes;

  async function runQuery(request: Request, response: Response, text: string, params: Record<string, unknown>): Promise<void> {
    const dataset = { defaultGraphUris: values(params['default-graph-uri']), namedGraphUris: values(params['named-graph-uri']) };
    const result = await engine.query(text, { ...dataset, signal: clientSignal(request, response), baseIRI: endpoint });
    response.setHeader('Vary', 'Accept');
    // Usage counting (issue 23): the datasets read and the rows sent.
    const counted = deps.usage ? deps.usage.countQuery(request, { text, ...dataset }, result) : result;
    await sendResult(request, response, params, counted, engine.limits.maxResultRows);
  }

  async function runUpdate(request: Request, response: Response, text: string, params: Record<string, unknown>): Promise<void> {
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
    const params = request.query as Record<string, unknown>;
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
      await stream(request, response, serializeRdf(serviceDescription(endpoint, engine), { format }), () =>
        response.status(200).setHeader('Content-Type', `${mediaType}; charset=utf-8`),
      );
      response.end();
      return;
    }
    await runQuery(request, response, text, params);
  });

  router.post(
    '/sparql',
    utf8Only,
    express.urlencoded({ extended: false, limit, parameterLimit: 1000 }),
    express.text({ type: ['application/sparql-query', 'application/sparql-update'], limit }),
    async (request, response) => {
      const contentType = (request.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      const urlParams = request.query as Record<string, unknown>;
      if (contentType === 'application/x-www-form-urlencoded') {
        const form = (request.body ?? {}) as Record<string, unknown>;
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
    },
  );
  return router;
}
