/**
 * Linked-data publishing. Dereferenceable URIs: `/id/…` answers 303 to `/doc/…`; `/doc/…`, `/def/…`
 * (hash URIs), `/kos/…` and `/dataset/…` serve descriptions in HTML and every RDF syntax; `/graph/…`
 * streams a whole dataset. `linkedData()` also mounts the crawler-facing protocols of their own
 * modules: dumps, VoID, sitemap and robots, Triple Pattern Fragments.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as RDF from '@rdfjs/types';
import { type Request, type Response, Router } from 'express';
import { type DatasetLedger, datasetFacts, datasetLedger, datasetStatistics } from '../publish/index.js';
import { basePrefixes, DataFactory, datasetIri, graphSpace } from '../rdf/index.js';
import { type VinculoStore, vocabularyGraph } from '../store/index.js';
import { pickLanguage, renderResourcePage, stylesheet } from '../web/index.js';
import { answerConditional, storeClock } from './caching.js';
import {
  alternatesOf,
  asTriples,
  chooseRepresentation,
  pageJsonLd,
  rdfBody,
  type Representation,
  sendMissing,
  sendRdf,
  setDocumentHeaders,
  splitSuffix,
  streamingFormats,
} from './document-response.js';
import { dumps } from './dumps.js';
import { fragments } from './fragments.js';
import { type DocumentSpace, documentSpaces, iriPathsOf, uriPathOf } from './document-iri.js';
import { defaultCacheBytes, type Dependencies, RepresentationCache } from './representation-cache.js';
import { reportCacheFigures } from './metrics.js';
import { documentMetadata, hashTerms, resourceDocument } from './resource-document.js';
import { sitemap } from './sitemap.js';
import { voidRouter } from './void.js';

export interface LinkedDataOptions {
  readonly store: VinculoStore;
  readonly baseIRI: string;
  /** Where dumps are cached and the record of dropped datasets persists (for 410); in memory without it. */
  readonly dataDir?: string;
  /** Triples per Triple Pattern Fragment page. */
  readonly fragmentPageSize?: number;
  /** URLs per sitemap file (50 000, the sitemaps.org maximum, unless said). */
  readonly urlsPerSitemap?: number;
  /** Bytes of representations kept for repeated requests (64 MiB unless said; 0 turns the cache off). */
  readonly cacheBytes?: number;
  /**
   * A cache whose `serveHits` the caller mounted earlier, in front of middleware a hit does not
   * need; without it the router makes its own (of `cacheBytes`) and mounts it first.
   */
  readonly cache?: RepresentationCache;
}


interface DocumentSpec {
  /** The site path of the document, without suffix (`/doc/municipio/05001`). */
  readonly path: string;
  readonly suffix: string | undefined;
  /** The IRI of the document itself (for `foaf:primaryTopic`). */
  readonly documentIri: string;
  readonly topic: RDF.NamedNode;
  /** Hash terms `{topic}#…` the document also describes. */
  readonly hashGraph?: RDF.NamedNode;
  /** Quads the store does not hold but the document states (a dataset's live figures). */
  readonly extra?: readonly RDF.Quad[];
  /** Whether the topic exists, when that is not decided by the store having quads about it. */
  readonly exists?: boolean;
  /** Why the topic is gone, when it is (410 instead of 404). */
  readonly gone?: boolean;
  /** Graphs the document depends on beyond those of the quads it shows (a dataset's live figures). */
  readonly dependsOn?: readonly RDF.NamedNode[];
}

function joinedPath(param: unknown): string {
  return Array.isArray(param) ? param.join('/') : String(param ?? '');
}

/** The raw request path (never percent-decoded) and its query (`?…`, or empty). */
interface RequestTarget {
  readonly path: string;
  readonly query: string;
}

function targetOf(request: Request): RequestTarget {
  return { path: request.path, query: new URL(request.originalUrl, 'http://localhost').search };
}

/** What a request path under `/id/`, `/doc/` or `/kos/` names. */
interface Located {
  readonly iri: string;
  readonly suffix: string | undefined;
  readonly exists: boolean;
  /** Every IRI the path may name (RFC 3987 §3.2 readings) up to the one found: the 410 check of a missing one, what a cached redirect depends on. */
  readonly candidates: readonly string[];
}

/**
 * Everything a crawler or a linked-data client reads: documents, dumps, VoID, sitemap, robots, fragments.
 * @throws NotAcceptable (406), BadRequest (400) from its handlers; see each module.
 */
export function linkedData(options: LinkedDataOptions): Router {
  const { store, baseIRI, dataDir, fragmentPageSize, urlsPerSitemap } = options;
  const ledger = datasetLedger({ store, baseIRI, dataDir });
  const statistics = datasetStatistics({ store, baseIRI });
  const cache = options.cache ?? new RepresentationCache(store, { maxBytes: options.cacheBytes ?? defaultCacheBytes });
  reportCacheFigures(store, () => cache.figures);
  const router = Router();
  // Before anything else: a cached representation needs neither the ledger nor a route.
  if (!options.cache) router.use(cache.serveHits);
  // Every request lets the ledger notice datasets that appeared or went, so later ones can answer 410.
  router.use(async (_request, _response, next) => {
    await ledger.observe();
    next();
  });
  router.use(documents({ store, baseIRI, ledger, cache }));
  router.use(dumps({ store, baseIRI, dataDir, ledger }));
  router.use(voidRouter({ store, baseIRI, statistics, cache }));
  router.use(sitemap({ store, baseIRI, statistics, urlsPerSitemap, cache }));
  router.use(fragments({ store, baseIRI, pageSize: fragmentPageSize, cache }));
  return router;
}

/**
 * The router of the dereferenceable URI spaces (see the architecture's URI scheme).
 * @throws NotAcceptable (406) from its handlers when no offered representation matches `Accept`.
 */
export function documents({
  store,
  baseIRI,
  ledger,
  cache,
}: { readonly store: VinculoStore; readonly baseIRI: string; readonly ledger: DatasetLedger; readonly cache: RepresentationCache }): Router {
  const router = Router();
  const root = new URL(baseIRI).pathname;
  const lastModified = storeClock(store);

  /**
   * The headers the middleware in front of these routes set on every document (security, CORS),
   * as the last document the app served had them: what a document built in front of the app
   * (`buildMissesWith` below) carries too, so both answers look the same.
   */
  let sharedHeaders: ReadonlyArray<readonly [string, string | number | readonly string[]]> | undefined;

  /** Sends the document about `topics`, which the store describes, through the cache. */
  const respondWithDocument = async (request: IncomingMessage, response: ServerResponse, spec: DocumentSpec, topics: readonly RDF.NamedNode[], representation: Representation) => {
    const builtAt = store.version;
    const language = pickLanguage(request.headers['accept-language']);
    const document = await resourceDocument(store, { baseIRI, topics });
    const quads = [...(document?.quads ?? []), ...(spec.extra ?? [])];
    if (document) quads.push(...documentMetadata(document, spec.documentIri));
    const dependencies: Dependencies = {
      graphs: [...quads.map((quad) => quad.graph), ...(spec.hashGraph ? [spec.hashGraph] : []), ...(spec.dependsOn ?? [])],
      patterns: document?.reads ?? topics.map((topic) => ({ subject: topic, predicate: null, object: null })),
      partial: document?.partialReads,
    };
    const key = `${spec.path}\n${representation.suffix}\n${representation.kind === 'html' ? language : ''}`;
    const common = { key, status: 200, lastModified: lastModified(), dependencies, builtAt };
    if (representation.kind === 'rdf') {
      // JSON-LD readers (rdflib's Graph().parse) take only a document's default graph, and a
      // document is one graph, as in its Turtle: only N-Quads and TriG say where each triple comes from.
      const written = representation.format.name === 'jsonld' ? asTriples(quads) : quads;
      const contentType = `${representation.format.mediaType}; charset=utf-8`;
      cache.respond(request, response, { ...common, contentType, body: await rdfBody(written, representation.format, baseIRI) });
      return;
    }
    const triples = asTriples(quads);
    const jsonLd = await pageJsonLd(triples, baseIRI);
    const page = renderResourcePage({
      topics,
      quads: triples,
      incoming: document?.incoming ?? { count: 0, sample: [], allUrl: '' },
      baseIRI,
      language,
      alternates: alternatesOf(spec.path, { html: true }),
      jsonLd,
    });
    cache.respond(request, response, { ...common, contentType: 'text/html; charset=utf-8', body: page });
  };

  const serveDocument = async (request: Request, response: Response, spec: DocumentSpec) => {
    const representation = chooseRepresentation(request, spec.suffix, { html: true });
    // Learnt from plain requests only: `?lang=` sets a cookie (ui.ts) that is no shared header.
    if (!request.originalUrl.includes('?')) sharedHeaders = Object.entries(response.getHeaders()).flatMap(([name, value]) => (value === undefined ? [] : [[name, value] as const]));
    setDocumentHeaders(response, spec.path, representation, { html: true });
    // A vocabulary exists when any of its terms does, even if nothing describes the vocabulary itself.
    const topics = [spec.topic, ...(spec.hashGraph ? await hashTerms(store, spec.topic.value, spec.hashGraph) : [])];
    const exists = spec.exists ?? topics.some((topic) => store.countQuads(topic, null, null, null) > 0);
    if (!exists) {
      await sendMissing(request, response, representation, { iri: spec.topic.value, baseIRI, gone: spec.gone ?? (await ledger.isGone(spec.topic.value)) });
      return;
    }
    await respondWithDocument(request, response, spec, topics, representation);
  };

  router.get('/assets/vinculo.css', (_request, response) => {
    response.setHeader('Cache-Control', 'public, max-age=86400');
    response.type('text/css; charset=utf-8').send(stylesheet);
  });

  const { things, concepts } = documentSpaces(baseIRI);

  /**
   * The resource a request names in `space`, read from the raw path: the path with its query when
   * the store describes that (an IRI may hold a `?`), else the whole path (an IRI may end in
   * `.nt`), else the path less a representation suffix. A missing resource comes with every IRI
   * the request could name in those three readings, for the 410 check.
   */
  const locate = (space: DocumentSpace, target: RequestTarget, prefix: string): Located => {
    const described = (iri: string) => store.countQuads(DataFactory.namedNode(iri), null, null, null) > 0;
    const readings = (tail: string) => iriPathsOf(tail).map((path) => `${space.iris}${path}`);
    const tail = target.path.slice(prefix.length);
    const query = target.query;
    const split = splitSuffix(tail);
    const attempts = [
      // WHATWG URL parsers also percent-encode `'` in the query of an http(s) URL.
      ...(query === '' ? [] : [query, query.replaceAll('%27', "'")].map((search) => ({ tail: `${tail}${search}`, suffix: undefined }))),
      { tail, suffix: undefined },
      ...(split.suffix === undefined ? [] : [{ tail: split.path, suffix: split.suffix }]),
    ];
    const candidates: string[] = [];
    for (const attempt of attempts) {
      const iris = readings(attempt.tail);
      const found = iris.find(described);
      candidates.push(...iris);
      if (found !== undefined) return { iri: found, suffix: attempt.suffix, exists: true, candidates };
    }
    return { iri: readings(split.path)[0] ?? space.iris, suffix: split.suffix, exists: false, candidates };
  };

  /** The site path of the document about `iri` in `space`, without suffix. */
  const documentPath = (space: DocumentSpace, iri: string) => `${root}${space.documents}${uriPathOf(iri.slice(space.iris.length))}`;

  /** What a located resource's document is. */
  const locatedSpec = (space: DocumentSpace, found: Located, gone = false): DocumentSpec => ({
    path: documentPath(space, found.iri),
    suffix: found.suffix,
    documentIri: `${baseIRI}${space.documents}${found.iri.slice(space.iris.length)}`,
    topic: DataFactory.namedNode(found.iri),
    exists: found.exists,
    gone,
  });

  /** The document of a located resource: 200, or 404/410 when the store does not describe it. */
  const serveLocated = async (request: Request, response: Response, space: DocumentSpace, found: Located) => {
    let gone = false;
    for (const iri of found.exists ? [] : found.candidates) gone ||= await ledger.isGone(iri);
    await serveDocument(request, response, locatedSpec(space, found, gone));
  };

  /**
   * A thing's IRI answers 303 to its document only when the store describes the thing; else the
   * 404 or 410 comes at once. With `servesSuffixes`, `…/05001.ttl` is served here, not redirected.
   */
  const redirectToDocument = async (request: Request, response: Response, space: DocumentSpace, options: { readonly servesSuffixes: boolean }) => {
    const found = locate(space, targetOf(request), `/${space.iris.slice(baseIRI.length)}`);
    if (!found.exists || (found.suffix !== undefined && options.servesSuffixes)) {
      await serveLocated(request, response, space, found);
      return;
    }
    const builtAt = store.version;
    response.setHeader('Vary', 'Accept');
    // The mapping from thing to document never changes, so caches may keep the redirect.
    response.setHeader('Cache-Control', 'public, max-age=86400');
    // Set as is: Express's redirect would re-encode a `%` the IRI holds without two hex digits after it.
    const location = `${documentPath(space, found.iri)}${found.suffix === undefined ? '' : `.${found.suffix}`}`;
    response.setHeader('Location', location);
    // Which reading names the thing depends on what the store describes: a new reading could win,
    // and the graphs describing it are not read, so its removal shows only in the counts.
    const patterns = found.candidates.map((iri) => ({ subject: DataFactory.namedNode(iri), predicate: null, object: null }));
    cache.respond(request, response, { key: `303\n${location}`, status: 303, body: '', dependencies: { graphs: [], patterns, partial: patterns }, builtAt });
  };

  // Regular expressions, not `*path`: Express would percent-decode a parameter (losing `%2F` from
  // `/`) and answer 400 for a `%` the IRI holds without two hex digits after it.
  router.get(/^\/id\/./, (request, response) => redirectToDocument(request, response, things, { servesSuffixes: false }));

  // Hash URIs: the vocabulary's document answers for every `…/def/{vocab}#Term`.
  router.get('/def/*path', async (request, response) => {
    const { path, suffix } = splitSuffix(joinedPath(request.params.path));
    await serveDocument(request, response, {
      path: `${basePrefixes(root).def}${path}`,
      suffix,
      documentIri: `${basePrefixes(baseIRI).def}${path}`,
      topic: DataFactory.namedNode(`${basePrefixes(baseIRI).def}${path}`),
      hashGraph: vocabularyGraph(baseIRI),
    });
  });

  // Code-list concepts are things, like /id/…: the bare IRI answers 303 to its document under
  // /doc/kos/…; a suffix (`…/05001.ttl`) names one representation and is served directly.
  router.get(/^\/kos\/./, (request, response) => redirectToDocument(request, response, concepts, { servesSuffixes: true }));
  router.get(/^\/doc\/kos\/./, (request, response) => serveLocated(request, response, concepts, locate(concepts, targetOf(request), '/doc/kos/')));
  router.get(/^\/doc\/./, (request, response) => serveLocated(request, response, things, locate(things, targetOf(request), '/doc/')));

  // A crawler's request for a thing's document is built in front of the app (its middleware adds
  // nothing but the shared headers, learnt above): plain GET/HEAD `/doc/…` without a query, for a
  // thing the store describes; HTML only without cookies (the language cookie is the UI router's
  // to read). Anything else — 404/410, 406 — and any failure before the answer goes to the app.
  cache.buildMissesWith((request, response, fallback) => {
    const url = request.url ?? '';
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !sharedHeaders || !url.startsWith('/doc/') || url.startsWith('/doc/kos/') || url.includes('?')) return false;
    const found = locate(things, { path: url, query: '' }, '/doc/');
    if (!found.exists) return false;
    let representation: Representation;
    try {
      representation = chooseRepresentation(request, found.suffix, { html: true });
    } catch {
      return false;
    }
    if (representation.kind === 'html' && request.headers.cookie !== undefined) return false;
    // The ledger must have seen every version before a drop to answer 410 later (it is per version, so cheap).
    ledger.observe().catch(() => undefined);
    for (const [name, value] of sharedHeaders) response.setHeader(name, value);
    const spec = locatedSpec(things, found);
    setDocumentHeaders(response, spec.path, representation, { html: true });
    respondWithDocument(request, response, spec, [spec.topic], representation).catch(() => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      for (const name of response.getHeaderNames()) response.removeHeader(name);
      fallback();
    });
    return true;
  });

  router.get('/dataset/:id', async (request, response) => {
    const { path: id, suffix } = splitSuffix(request.params.id);
    const info = store.dataset(id);
    await serveDocument(request, response, {
      path: datasetIri(root, id).value,
      suffix,
      documentIri: datasetIri(baseIRI, id).value,
      topic: datasetIri(baseIRI, id),
      // A dataset that is not in the store has no page, whatever the catalog still says.
      extra: info ? datasetFacts(baseIRI, info) : undefined,
      dependsOn: info ? [info.graph] : undefined,
      exists: info !== undefined,
      gone: info ? false : await ledger.isDropped(id),
    });
  });

  // A whole dataset graph: only syntaxes that stream, so no graph is held in memory to answer.
  router.get('/graph/:id', async (request, response) => {
    const { path: id, suffix } = splitSuffix(request.params.id);
    const options = { html: false, formats: streamingFormats };
    const representation = chooseRepresentation(request, suffix, options);
    setDocumentHeaders(response, `${graphSpace(root)}${id}`, representation, options);
    const info = store.dataset(id);
    if (!info) {
      await sendMissing(request, response, representation, { iri: `${graphSpace(baseIRI)}${id}`, baseIRI, gone: await ledger.isDropped(id) });
      return;
    }
    if (answerConditional(request, response, { etag: `${id}-${info.version}-${representation.suffix}`, lastModified: info.modified })) return;
    if (representation.kind === 'rdf') await sendRdf(request, response, store.exportQuads(info.graph), representation.format, baseIRI);
  });

  return router;
}
