/** HTTP caching for crawlers (RFC 9110 §8.8, §13; RFC 9111 §5.2): validators, conditional GET/HEAD → 304. */
import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import type { VinculoStore } from '../store/index.js';

export interface Validators {
  /** The entity tag, without quotes; it must change whenever the representation changes. */
  readonly etag: string;
  readonly lastModified?: Date;
  /** Seconds a cache may reuse the response without revalidating. */
  readonly maxAge?: number;
}

/** Matches the entity tags of an If-None-Match list with the weak comparison of RFC 9110 §8.8.3.2. */
function etagListMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const wanted = etag.replace(/^W\//, '');
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === wanted);
}

/**
 * Sets `ETag`, `Last-Modified` and `Cache-Control`, then answers `304 Not Modified` when the
 * request's preconditions say the client's copy is current. If-None-Match wins over
 * If-Modified-Since when both are present (RFC 9110 §13.1.3, §13.2.2).
 * @returns true when a 304 was sent and the handler must stop.
 */
export function answerConditional(request: Request, response: Response, validators: Validators): boolean {
  const etag = `"${validators.etag}"`;
  response.setHeader('ETag', etag);
  if (validators.lastModified) response.setHeader('Last-Modified', validators.lastModified.toUTCString());
  response.setHeader('Cache-Control', `public, max-age=${validators.maxAge ?? 300}, must-revalidate`);
  if (!preconditionsFresh(request, { etag, lastModified: validators.lastModified })) return false;
  response.status(304).end();
  return true;
}

/**
 * Whether a GET or HEAD's preconditions say the client's copy (entity tag `etag`, quotes included)
 * is current; If-None-Match wins over If-Modified-Since (RFC 9110 §13.1.3, §13.2.2).
 */
export function preconditionsFresh(
  request: Pick<IncomingMessage, 'method' | 'headers'>,
  { etag, lastModified }: { readonly etag: string; readonly lastModified?: Date },
): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined) return etagListMatches(ifNoneMatch, etag);
  const ifModifiedSince = request.headers['if-modified-since'];
  const since = ifModifiedSince === undefined ? Number.NaN : Date.parse(ifModifiedSince);
  // HTTP dates have whole seconds: compare at that resolution or a fresh copy looks stale.
  return lastModified !== undefined && !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

/** When anything in the store last changed: the newest dataset's date (or the Unix epoch for an empty store). */
export function storeModified(store: VinculoStore): Date {
  let newest = 0;
  for (const info of store.listDatasets()) newest = Math.max(newest, info.modified.getTime());
  return new Date(newest);
}

/**
 * A Last-Modified clock for store-wide documents: the store's version changes on every commit
 * (datasets, catalog, vocabularies), but only dataset writes carry a date, so the first time a new
 * version is seen is taken as its date — never earlier than the newest dataset's own date.
 */
export function storeClock(store: VinculoStore): () => Date {
  let seen = { version: store.version, at: storeModified(store) };
  return () => {
    if (store.version !== seen.version) {
      seen = { version: store.version, at: new Date(Math.max(Date.now(), storeModified(store).getTime())) };
    }
    return seen.at;
  };
}
