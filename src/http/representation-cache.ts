/**
 * A cache of whole HTTP representations (documents, 303s, fragment pages, VoID, sitemaps), bounded
 * by bytes, each valid while the graphs it read and the lookups it made are unchanged: a write to
 * one dataset leaves the documents of the others cached, and their ETags with them.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as RDF from '@rdfjs/types';
import type { RequestHandler } from 'express';
import type { VinculoStore } from '../store/index.js';
import { preconditionsFresh } from './caching.js';
import type { CacheCounters } from './metrics.js';

/** One lookup a representation made over the union of the graphs (`null`: any term). */
export interface ReadPattern {
  readonly subject: RDF.Term | null;
  readonly predicate: RDF.Term | null;
  readonly object: RDF.Term | null;
}

/** What a representation was built from: every graph it took quads from and every lookup it made. */
export interface Dependencies {
  readonly graphs: Iterable<RDF.Term>;
  readonly patterns: readonly ReadPattern[];
  /**
   * The lookups read only in part (a sample, a page, a count): graphs beyond what was read are not
   * among `graphs`, so a removal there shows only as a change of the lookup's count.
   */
  readonly partial?: readonly ReadPattern[];
}

const everything: ReadPattern = { subject: null, predicate: null, object: null };

/** The whole store: store-wide documents (VoID, sitemaps, the catalog) change with any graph. */
export const wholeStore: Dependencies = { graphs: [], patterns: [everything], partial: [everything] };

export interface Representation {
  /** Resource, syntax and language: requests that negotiate to the same representation share it. */
  readonly key: string;
  readonly status: number;
  /** Without `Content-Type`, the body is empty (a redirect). */
  readonly contentType?: string;
  readonly body: string | Buffer;
  readonly lastModified?: Date;
  /** Seconds a client may reuse it without asking (300 unless said). */
  readonly maxAge?: number;
  readonly dependencies: Dependencies;
  /** The store version when the work began: a commit during the build makes the entry stale at once. */
  readonly builtAt: number;
}

interface Entry {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string | number | readonly string[]]>;
  readonly body: Buffer;
  /** The body gzipped, made on the first request that accepts it (compressed once, not per request). */
  gzipped?: Buffer;
  readonly etag: string | undefined;
  readonly lastModified: Date | undefined;
  readonly graphs: ReadonlySet<string>;
  readonly patterns: readonly ReadPattern[];
  readonly partial: readonly ReadPattern[];
  readonly counts: readonly number[];
  /** The store version at which the entry was last known valid. */
  checkedAt: number;
  bytes: number;
}

// Headers that belong to one connection or one exchange, never to the representation.
const exchangeHeaders = new Set(['content-length', 'transfer-encoding', 'connection', 'date', 'keep-alive', 'set-cookie', 'content-encoding']);
/** Bodies from this size on are sent gzipped to clients that accept it (the `compression` middleware's threshold). */
const gzipThreshold = 1024;
const acceptsGzip = /\bgzip\b(?!\s*;\s*q=0(?:\.0*)?(?:[\s,]|$))/i;
// What an entry costs beside its body and headers: the key, the maps, the patterns (measured roughly).
const entryOverheadBytes = 512;

function graphName(graph: RDF.Term): string {
  return graph.termType === 'DefaultGraph' ? '' : `${graph.termType}:${graph.value}`;
}

/** The request as the cache first sees it: URL, and the headers negotiation reads (the language cookie among the cookies). */
function requestKey(request: IncomingMessage): string {
  const { accept = '', 'accept-language': language = '', cookie = '' } = request.headers;
  // Express rewrites `url` inside mounted routers; `originalUrl` is what the client sent.
  return `${(request as { originalUrl?: string }).originalUrl ?? request.url}\n${accept}\n${language}\n${cookie}`;
}

/** A strong entity tag from the bytes: equal bytes, equal tag, whatever else changed in the store. */
function contentTag(body: Buffer, key: string): string {
  return `"${createHash('sha1').update(key).update(body).digest('base64url').slice(0, 22)}"`;
}

/** Enough for the documents a crawl revisits at 1M quads (≈ 3 KB each, every syntax a crawler asks for). */
export const defaultCacheBytes = 64 * 2 ** 20;

export class RepresentationCache {
  readonly #store: VinculoStore;
  readonly #maxBytes: number;
  readonly #entries = new Map<string, Entry>();
  /** Request key → representation key, so a hit needs no negotiation; bounded like the entries. */
  readonly #aliases = new Map<string, string>();
  #bytes = 0;
  #hits = 0;
  #misses = 0;
  #evictions = 0;

  /** `maxBytes` 0 turns the cache off: every request is built, as before. */
  constructor(store: VinculoStore, { maxBytes }: { readonly maxBytes: number }) {
    this.#store = store;
    this.#maxBytes = maxBytes;
  }

  get figures(): CacheCounters {
    return { hits: this.#hits, misses: this.#misses, evictions: this.#evictions, bytes: this.#bytes, maxBytes: this.#maxBytes, entries: this.#entries.size };
  }

  /**
   * Answers `request` from the cache (304 when the client's copy is current), or returns false.
   * Plain node:http, so it may run before Express and before the middleware that made the entries:
   * their headers (CORS, security) are part of the entry, and it compresses by itself.
   */
  answer(request: IncomingMessage, response: ServerResponse): boolean {
    const url = (request as { originalUrl?: string }).originalUrl ?? request.url ?? '';
    // `?lang=` sets a cookie (ui.ts): that response is not the cached one.
    if (this.#maxBytes === 0 || (request.method !== 'GET' && request.method !== 'HEAD') || /[?&]lang=/.test(url)) return false;
    const key = this.#aliases.get(requestKey(request));
    const entry = key === undefined ? undefined : this.#valid(key);
    if (!entry || key === undefined) return false;
    this.#hits++;
    // Least recently used goes first: a hit moves to the end.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    for (const [name, value] of entry.headers) response.setHeader(name, value);
    this.#send(request, response, entry, { compress: true });
    return true;
  }

  /** `answer` as middleware. */
  readonly serveHits: RequestHandler = (request, response, next) => {
    if (!this.answer(request, response)) next();
  };

  /**
   * Sends `representation`, with a strong ETag from its bytes, and keeps it for later requests
   * that negotiate to it (a 304 when the request's preconditions hold).
   */
  respond(request: IncomingMessage, response: ServerResponse, representation: Representation): void {
    this.#misses++;
    const body = typeof representation.body === 'string' ? Buffer.from(representation.body) : representation.body;
    const etag = representation.status === 200 ? contentTag(body, representation.key) : undefined;
    response.statusCode = representation.status;
    if (representation.contentType !== undefined) response.setHeader('Content-Type', representation.contentType);
    if (etag !== undefined) response.setHeader('ETag', etag);
    if (representation.lastModified) response.setHeader('Last-Modified', representation.lastModified.toUTCString());
    if (!response.hasHeader('Cache-Control')) response.setHeader('Cache-Control', `public, max-age=${representation.maxAge ?? 300}, must-revalidate`);
    if (body.length >= gzipThreshold) {
      const vary = response.getHeader('Vary');
      response.setHeader('Vary', vary === undefined ? 'Accept-Encoding' : `${String(vary)}, Accept-Encoding`);
    }
    const headers = Object.entries(response.getHeaders()).flatMap(([name, value]) =>
      value === undefined || exchangeHeaders.has(name) ? [] : [[name, value] as const],
    );
    const { patterns, graphs, partial = [] } = representation.dependencies;
    const entry: Entry = {
      status: representation.status,
      headers,
      body,
      etag,
      lastModified: representation.lastModified,
      graphs: new Set([...graphs].map(graphName)),
      patterns,
      partial,
      counts: partial.map((pattern) => this.#store.countQuads(pattern.subject, pattern.predicate, pattern.object, null)),
      checkedAt: representation.builtAt,
      bytes: body.length + headers.reduce((sum, [name, value]) => sum + name.length + String(value).length, 0) + entryOverheadBytes,
    };
    const kept = this.#remember(requestKey(request), representation.key, entry);
    // A representation not kept is compressed, if at all, by the middleware it passes through.
    this.#send(request, response, entry, { compress: kept });
  }

  #send(request: IncomingMessage, response: ServerResponse, entry: Entry, { compress }: { readonly compress: boolean }): void {
    response.statusCode = entry.status;
    if (entry.etag !== undefined && preconditionsFresh(request, { etag: entry.etag, lastModified: entry.lastModified })) {
      response.statusCode = 304;
      response.end();
      return;
    }
    let body = entry.body;
    if (compress && body.length >= gzipThreshold && acceptsGzip.test(request.headers['accept-encoding'] ?? '')) {
      if (!entry.gzipped) {
        entry.gzipped = gzipSync(body);
        entry.bytes += entry.gzipped.length;
        this.#bytes += entry.gzipped.length;
        this.#evict();
      }
      body = entry.gzipped;
      response.setHeader('Content-Encoding', 'gzip');
    }
    response.setHeader('Content-Length', body.length);
    if (request.method === 'HEAD' || body.length === 0) response.end();
    else response.end(body);
  }

  /** Keeps `entry` under `key` (evicting the least recently used beyond the bound); false when it is too big to keep. */
  #remember(alias: string, key: string, entry: Entry): boolean {
    if (this.#maxBytes === 0 || entry.bytes > this.#maxBytes / 4) return false;
    const previous = this.#entries.get(key);
    if (previous) {
      this.#bytes -= previous.bytes;
      this.#entries.delete(key);
    }
    this.#entries.set(key, entry);
    this.#bytes += entry.bytes;
    this.#aliases.delete(alias);
    this.#aliases.set(alias, key);
    this.#evict();
    // Several request forms name one entry; past a few per entry, the oldest forms go.
    for (const oldest of this.#aliases.keys()) {
      if (this.#aliases.size <= 4 * this.#entries.size + 16) break;
      this.#aliases.delete(oldest);
    }
    return this.#entries.get(key) === entry;
  }

  /** Drops the least recently used entries until the cache is within its bound. */
  #evict(): void {
    for (const [oldest, evicted] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= evicted.bytes;
      this.#evictions++;
    }
  }

  /**
   * The entry if it still describes the store: no graph it read has changed since it was last
   * checked, no changed graph now answers one of its lookups, and no partial lookup's count moved
   * (a removal beyond what it read). Otherwise it is dropped.
   */
  #valid(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    const version = this.#store.version;
    if (entry.checkedAt === version) return entry;
    const changed = this.#store.changedGraphs?.(entry.checkedAt);
    const stale =
      changed === undefined ||
      changed.some(
        (graph) =>
          entry.graphs.has(graphName(graph)) ||
          entry.patterns.some((pattern) => this.#store.countQuads(pattern.subject, pattern.predicate, pattern.object, graph) > 0),
      ) ||
      entry.partial.some((pattern, index) => this.#store.countQuads(pattern.subject, pattern.predicate, pattern.object, null) !== entry.counts[index]);
    if (stale) {
      this.#entries.delete(key);
      this.#bytes -= entry.bytes;
      return undefined;
    }
    entry.checkedAt = version;
    return entry;
  }
}
