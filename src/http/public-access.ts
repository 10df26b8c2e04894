/** What every route shares for public clients: CORS for any origin (reads are public) and gzip/brotli. */
import compression from 'compression';
import { Router } from 'express';
import { rowLimitHeader, truncatedTrailer } from './sparql-protocol.js';

export function publicAccess(): Router {
  const router = Router();
  router.use((request, response, next) => {
    response.setHeader('Access-Control-Allow-Origin', '*');
    response.setHeader('Access-Control-Expose-Headers', `Content-Location, Link, ETag, Last-Modified, ${rowLimitHeader}, ${truncatedTrailer}`);
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
