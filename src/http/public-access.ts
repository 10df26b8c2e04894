/** What every route shares for public clients: CORS for any origin (reads are public) and gzip/brotli. */
import compression from 'compression';
import { Router } from 'express';
import { rowLimitHeader, truncatedTrailer } from './sparql-protocol.js';

/** The CORS headers of every response (the SPARQL front sets them too). */
export const publicHeaderList: ReadonlyArray<readonly [string, string]> = [
  ['Access-Control-Allow-Origin', '*'],
  ['Access-Control-Expose-Headers', `Content-Location, Link, ETag, Last-Modified, ${rowLimitHeader}, ${truncatedTrailer}`],
];

export function publicAccess(): Router {
  const router = Router();
  router.use((request, response, next) => {
    for (const [name, value] of publicHeaderList) response.setHeader(name, value);
    if (request.method !== 'OPTIONS') {
      next();
      return;
    }
    // Writes carry a bearer token, so preflights must allow Authorization and the write methods.
    response.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, PUT, DELETE, OPTIONS');
    response.setHeader('Access-Control-Allow-Headers', 'Accept, Content-Type, Authorization');
    response.setHeader('Access-Control-Max-Age', '600');
    response.status(204).end();
  });
  router.use(compression());
  return router;
}
