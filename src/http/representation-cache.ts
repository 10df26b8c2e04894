/**
 * A cache of whole HTTP representations (documents, 303s, fragment pages, VoID, sitemaps), bounded
 * by bytes, each valid while the graphs it read and the lookups it made are unchanged: a write to
 * one dataset leaves the documents of the others cached, and their ETags with them.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip, gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as RDF from '@rdfjs/types';
import type { RequestHandler } from 'express';
import { LRUCache } from 'lru-cache';
import type { VinculoStore } from '../store/index.js';
import type { TalliedAnswer, UsageObserver } from '../usage/index.js';
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

/** What a response sends: the status, the bytes, and the validators a conditional request is checked against. */
interface Sendable {
  readonly status: number;
  readonly body: Buffer;
  readonly etag: string | undefined;
  readonly lastModified: Date | undefined;
}

type HeaderValue = string | number | readonly string[];

interface Entry extends Sendable, TalliedAnswer {
  readonly headers: ReadonlyArray<readonly [string, HeaderValue]>;
  /** The body gzipped, made on the first request that accepts it (compressed once, not per request). */
  gzipped?: Buffer;
  /** The compression under way of a body too big to compress on the event loop; requests meanwhile wait for it. */
  gzipping?: Promise<Buffer>;
  readonly graphs: ReadonlySet<string>;
  readonly patterns: readonly ReadPattern[];
  readonly partial: readonly ReadPattern[];
  readonly counts: readonly number[];
  /** The store version at which the entry was last known valid. */
  checkedAt: number;
  bytes: number;
  /** Its key, once kept. */
  key?: string;
  /** The request keys that negotiate to it: they live and die with it. */
  readonly aliases: Set<string>;
}

// Headers that belong to one connection or one exchange, never to the representation.
const exchangeHeaders = new Set(['content-length', 'transfer-encoding', 'connection', 'date', 'keep-alive', 'set-cookie', 'content-encoding']);
/** Bodies from this size on are sent gzipped to clients that accept it (the `compression` middleware's threshold). */
const gzipThreshold = 1024;
/** Bodies from this size on are compressed on zlib's thread pool: gzipSync of 1 MB holds the event loop for about 20 ms. */
const asyncGzipThreshold = 64 * 1024;
const gzipAsync = promisify(gzip);

/** `body` gzipped: at once when it is small, on the thread pool when it is big. */
function gzipOf(body: Buffer): Buffer | Promise<Buffer> {
  return body.length < asyncGzipThreshold ? gzipSync(body) : gzipAsync(body);
}
const acceptsGzip = /\bgzip\b(?!\s*;\s*q=0(?:\.0*)?(?:[\s,]|$))/i;
/**
 * What an entry costs beside its bytes, headers and lookups: its key and alias, the entry and
 * header objects, the lru-cache's slots. Measured: a `/doc` entry at the bench's 1M quads held
 * 7.6 KiB of heap, of which its headers and lookups (counted apart) were 3.4 KiB.
 */
const entryOverheadBytes = 4096;
/** What a request key costs in the alias map beside its text (the map slot and the string header). */
const aliasOverheadBytes = 64;
/**
 * Request keys kept per representation: the Accept and language variants clients really send
 * are a handful; a client cycling through made-up headers must not grow the map without bound.
 */
const maxAliasesPerEntry = 16;

/**
 * The bytes in a buffer of their own, to be kept: `Buffer.from` puts strings under 4 KiB (most
 * documents) in slices of shared 8 KiB slabs, and zlib returns a small result as a slice of its
 * 16 KiB output chunk; a kept slice keeps all of it alive (a 1 KiB gzipped document held 16 KiB).
 */
function ownBuffer(body: string | Buffer): Buffer {
  if (typeof body !== 'string' && body.byteOffset === 0 && body.byteLength === body.buffer.byteLength) return body;
  const buffer = Buffer.allocUnsafeSlow(typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  if (typeof body === 'string') buffer.write(body);
  else body.copy(buffer);
  return buffer;
}

/** What a kept lookup costs beside its terms' text: the pattern and its term objects. */
const patternOverheadBytes = 96;

/** Roughly what the lookups an entry keeps cost in memory (a document keeps one per thing it links to). */
function patternBytes(patterns: readonly ReadPattern[]): number {
  let bytes = 0;
  for (const { subject, predicate, object } of patterns) bytes += patternOverheadBytes + (subject?.value.length ?? 0) + (predicate?.value.length ?? 0) + (object?.value.length ?? 0);
  return bytes;
}

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

/**
 * Builds a representation the cache does not hold, in front of the app, for the requests a route
 * can answer without its middleware (a crawler's `/doc/…`). Returns false, having done nothing, to
 * leave the request to the app; once it returns true it answers, or calls `fallback` (the app)
 * before anything is sent.
 */
export type MissBuilder = (request: IncomingMessage, response: ServerResponse, fallback: () => void) => boolean;

/**
 * The representations asked for lately, as 32-bit hashes of their keys in a table of fixed size (a
 * "doorkeeper", as in TinyLFU; nginx's `proxy_cache_min_uses 2`): 256 KiB that remember the last
 * 65,536 or so keys, some 50 s of the bench's crawl at 1M quads. A collision lets a key in early, an
 * overwritten slot forgets one: both only move a representation's admission by one request.
 */
class Sightings {
  /** One mark per value of a hash's high 16 bits. */
  readonly #slots = new Int32Array(1 << 16);

  /** Whether `key` was seen before; remembers it if not. */
  seenBefore(key: string): boolean {
    // FNV-1a over the UTF-16 code units; the slot from its high bits, the mark never 0 (an empty slot).
    let hash = 0x811c9dc5;
    for (let at = 0; at < key.length; at++) hash = Math.imul(hash ^ key.charCodeAt(at), 0x01000193);
    const slot = hash >>> 16;
    const mark = hash | 1;
    if (this.#slots[slot] === mark) return true;
    this.#slots[slot] = mark;
    return false;
  }
}

/** Enough for the documents a crawl revisits at 1M quads (≈ 3 KB each, every syntax a crawler asks for). */
export const defaultCacheBytes = 64 * 2 ** 20;

export class RepresentationCache {
  readonly #store: VinculoStore;
  readonly #maxBytes: number;
  /**
   * Entries by representation key, least recently used out first. lru-cache keeps the order in
   * arrays beside its map: moving a hit to the front with a Map's delete and set instead cost
   * 77 µs a hit once 20,000 entries had come and gone (V8 rehashing), which was why the warm
   * answers at 100 connections fell to a quarter of the bare server's.
   */
  readonly #entries: LRUCache<string, Entry> | undefined;
  /**
   * Request key → representation key, so a hit needs no negotiation. Each alias belongs to one
   * entry, is counted in its bytes and goes when it goes: a crawl of distinct URLs once left
   * 262,144 aliases alive, outside the bound, behind 6,641 entries.
   */
  readonly #aliases: Map<string, string> | undefined;
  readonly #builders: MissBuilder[] = [];
  readonly #sightings = new Sightings();
  readonly #usage: Pick<UsageObserver, 'countCachedAnswer'> | undefined;
  #hits = 0;
  #misses = 0;
  #evictions = 0;

  /** `maxBytes` 0 turns the cache off: every request is built, as before. `usage` is told of every answer from the cache. */
  constructor(store: VinculoStore, { maxBytes, usage }: { readonly maxBytes: number; readonly usage?: Pick<UsageObserver, 'countCachedAnswer'> }) {
    this.#store = store;
    this.#maxBytes = maxBytes;
    this.#usage = usage;
    if (maxBytes === 0) return;
    this.#entries = new LRUCache({
      maxSize: maxBytes,
      // A representation bigger than a quarter of the cache would push out too much to be worth keeping.
      maxEntrySize: maxBytes / 4,
      sizeCalculation: (entry) => entry.bytes,
      dispose: (entry, key, reason) => {
        if (reason === 'evict') this.#evictions++;
        // Replaced under the same key, the entry handed its aliases on (`#remember`).
        if (reason !== 'set') this.#forgetAliases(entry, key);
      },
    });
    this.#aliases = new Map();
  }

  /** The store whose representations it holds (the server's front answers `/health` from it). */
  get store(): VinculoStore {
    return this.#store;
  }

  get figures(): CacheCounters {
    const bytes = this.#entries?.calculatedSize ?? 0;
    return { hits: this.#hits, misses: this.#misses, evictions: this.#evictions, bytes, maxBytes: this.#maxBytes, entries: this.#entries?.size ?? 0, aliases: this.#aliases?.size ?? 0 };
  }

  /**
   * Answers `request` from the cache (304 when the client's copy is current), or returns false.
   * Plain node:http, so it may run before Express and before the middleware that made the entries:
   * their headers (CORS, security) are part of the entry, and it compresses by itself.
   */
  answer(request: IncomingMessage, response: ServerResponse): boolean {
    const url = (request as { originalUrl?: string }).originalUrl ?? request.url ?? '';
    // `?lang=` sets a cookie (ui.ts): that response is not the cached one.
    if (!this.#aliases || (request.method !== 'GET' && request.method !== 'HEAD') || /[?&]lang=/.test(url)) return false;
    const key = this.#aliases.get(requestKey(request));
    const entry = key === undefined ? undefined : this.#valid(key);
    if (!entry || key === undefined) return false;
    this.#hits++;
    for (const [name, value] of entry.headers) response.setHeader(name, value);
    this.#send(request, response, entry, entry);
    this.#usage?.countCachedAnswer(request, response, entry);
    return true;
  }

  /** Lets a route build its misses in front of the app (`representation-front.ts` asks `build`). */
  buildMissesWith(builder: MissBuilder): void {
    this.#builders.push(builder);
  }

  /** Whether a registered builder took the request (see `MissBuilder`). */
  build(request: IncomingMessage, response: ServerResponse, fallback: () => void): boolean {
    return this.#builders.some((builder) => builder(request, response, fallback));
  }

  /** `answer` as middleware. */
  readonly serveHits: RequestHandler = (request, response, next) => {
    if (!this.answer(request, response)) next();
  };

  /**
   * Sends `representation`, with a strong ETag from its bytes (a 304 when the request's
   * preconditions hold), and keeps it for later requests that negotiate to it when it is admitted
   * (see `#admits`).
   */
  respond(request: IncomingMessage, response: ServerResponse, representation: Representation): void {
    this.#misses++;
    // Pooled while it is only sent; a buffer of its own once kept.
    const bytes = typeof representation.body === 'string' ? Buffer.from(representation.body) : representation.body;
    const etag = representation.status === 200 ? contentTag(bytes, representation.key) : undefined;
    response.statusCode = representation.status;
    if (representation.contentType !== undefined) response.setHeader('Content-Type', representation.contentType);
    if (etag !== undefined) response.setHeader('ETag', etag);
    if (representation.lastModified) response.setHeader('Last-Modified', representation.lastModified.toUTCString());
    if (!response.hasHeader('Cache-Control')) response.setHeader('Cache-Control', `public, max-age=${representation.maxAge ?? 300}, must-revalidate`);
    if (bytes.length >= gzipThreshold) {
      const vary = response.getHeader('Vary');
      response.setHeader('Vary', vary === undefined ? 'Accept-Encoding' : `${String(vary)}, Accept-Encoding`);
    }
    const sent: Sendable = { status: representation.status, body: bytes, etag, lastModified: representation.lastModified };
    const alias = requestKey(request);
    const kept = this.#admits(representation.key, bytes.length) ? this.#remember(alias, representation.key, this.#entryOf(response, representation, sent)) : undefined;
    this.#send(request, response, kept ?? sent, kept);
  }

  /**
   * Whether a representation is worth a place: always while the cache has room for it or holds an
   * older copy; once full, only when asked for again while the sightings remember it. A crawl asks
   * for each document once: keeping those pushed out the documents asked for again, and each
   * entry (some 8 KiB of heap, kept long enough to reach the old generation) became garbage there
   * when evicted, which only a full collection frees.
   */
  #admits(key: string, bytes: number): boolean {
    if (!this.#entries) return false;
    if (this.#entries.calculatedSize + bytes + entryOverheadBytes <= this.#maxBytes || this.#entries.has(key)) return true;
    return this.#sightings.seenBefore(key);
  }

  /** What the cache keeps of a representation it sends: the headers set on `response` by now, and what tells it is still valid. */
  #entryOf(response: ServerResponse, representation: Representation, sent: Sendable): Entry {
    // Plain loops: flatMap and a Set of every quad's graph were most of the cost of keeping a document.
    const headers: Array<readonly [string, HeaderValue]> = [];
    let headerBytes = 0;
    for (const [name, value] of Object.entries(response.getHeaders())) {
      if (value === undefined || exchangeHeaders.has(name)) continue;
      headers.push([name, value]);
      headerBytes += name.length + String(value).length;
    }
    const graphs = new Set<string>();
    let previous: RDF.Term | undefined;
    // A document's quads come graph by graph: a graph term like the one before is named once.
    for (const graph of representation.dependencies.graphs) {
      if (graph !== previous) graphs.add(graphName(graph));
      previous = graph;
    }
    const { patterns, partial = [] } = representation.dependencies;
    const body = ownBuffer(sent.body);
    return {
      ...sent,
      headers,
      body,
      graphs,
      patterns,
      partial,
      counts: partial.map((pattern) => this.#store.countQuads(pattern.subject, pattern.predicate, pattern.object, null)),
      checkedAt: representation.builtAt,
      aliases: new Set(),
      bytes: body.length + headerBytes + patternBytes(patterns) + patternBytes(partial) + entryOverheadBytes,
    };
  }

  /** Sends `sent`, gzipped to a client that accepts it (compressed once when it is `kept`, the entry it is). */
  #send(request: IncomingMessage, response: ServerResponse, sent: Sendable, kept: Entry | undefined): void {
    response.statusCode = sent.status;
    if (sent.etag !== undefined && preconditionsFresh(request, { etag: sent.etag, lastModified: sent.lastModified })) {
      response.statusCode = 304;
      response.end();
      return;
    }
    if (sent.body.length >= gzipThreshold && acceptsGzip.test(request.headers['accept-encoding'] ?? '')) {
      const gzipped = kept ? this.#gzipped(kept) : gzipOf(sent.body);
      if (!(gzipped instanceof Promise)) this.#write(request, response, gzipped, 'gzip');
      else
        gzipped.then(
          (bytes) => this.#write(request, response, bytes, 'gzip'),
          // Compression does not fail on a Buffer short of memory exhaustion; the plain bytes still answer.
          () => this.#write(request, response, sent.body, undefined),
        );
      return;
    }
    this.#write(request, response, sent.body, undefined);
  }

  #write(request: IncomingMessage, response: ServerResponse, body: Buffer, encoding: 'gzip' | undefined): void {
    if (response.destroyed) return;
    if (encoding !== undefined) response.setHeader('Content-Encoding', encoding);
    response.setHeader('Content-Length', body.length);
    if (request.method === 'HEAD' || body.length === 0) response.end();
    else response.end(body);
  }

  /** The entry's body gzipped: at once for a small body, on the thread pool (once, shared by the requests meanwhile) for a big one. */
  #gzipped(entry: Entry): Buffer | Promise<Buffer> {
    if (entry.gzipped) return entry.gzipped;
    if (entry.gzipping) return entry.gzipping;
    const keep = (compressed: Buffer) => {
      const gzipped = ownBuffer(compressed);
      entry.gzipped = gzipped;
      entry.gzipping = undefined;
      entry.bytes += gzipped.length;
      // Set again so that the cache counts the compressed copy too (and evicts for it).
      if (entry.key !== undefined && this.#entries?.peek(entry.key) === entry) this.#entries.set(entry.key, entry);
      return gzipped;
    };
    const compressed = gzipOf(entry.body);
    if (!(compressed instanceof Promise)) return keep(compressed);
    entry.gzipping = compressed.then(keep, (error: unknown) => {
      entry.gzipping = undefined;
      throw error;
    });
    return entry.gzipping;
  }

  /** Keeps `entry` under `key` (the least recently used go beyond the bound); undefined when it is not kept (too big, or the cache is off). */
  #remember(alias: string, key: string, entry: Entry): Entry | undefined {
    if (!this.#entries || !this.#aliases) return undefined;
    const previous = this.#entries.peek(key);
    // The newest request first: when there are too many, the oldest variants go.
    for (const kept of [alias, ...(previous?.aliases ?? [])]) {
      if (entry.aliases.size === maxAliasesPerEntry) break;
      if (entry.aliases.has(kept)) continue;
      entry.aliases.add(kept);
      entry.bytes += kept.length + aliasOverheadBytes;
    }
    this.#entries.set(key, entry);
    // lru-cache dropped the entry it replaced as a 'set': its aliases not handed on go with it.
    if (previous && previous !== entry) for (const old of previous.aliases) if (!entry.aliases.has(old) && this.#aliases.get(old) === key) this.#aliases.delete(old);
    if (this.#entries.peek(key) !== entry) {
      // Too big to keep.
      this.#forgetAliases(entry, key);
      return undefined;
    }
    entry.key = key;
    for (const kept of entry.aliases) this.#aliases.set(kept, key);
    return entry;
  }

  #forgetAliases(entry: Entry, key: string): void {
    for (const alias of entry.aliases) if (this.#aliases?.get(alias) === key) this.#aliases.delete(alias);
  }

  /**
   * The entry if it still describes the store: no graph it read has changed since it was last
   * checked, no changed graph now answers one of its lookups, and no partial lookup's count moved
   * (a removal beyond what it read). Otherwise it is dropped.
   */
  #valid(key: string): Entry | undefined {
    const entry = this.#entries?.get(key);
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
      this.#entries?.delete(key);
      return undefined;
    }
    entry.checkedAt = version;
    return entry;
  }
}
