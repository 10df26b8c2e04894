/** The express application: wiring only — every protocol lives in its own module. */
import compression from 'compression';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { VinculoConfig } from '../config/index.js';
import type { SparqlEngine } from '../sparql/index.js';
import type { VinculoStore } from '../store/index.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { graphStore } from './graph-store.js';
import { health } from './health.js';
import { linkedData } from './linked-data.js';
import { requestLog } from './request-log.js';
import { sparqlProtocol } from './sparql-protocol.js';
import { writeTokensOf } from './write-auth.js';

export interface AppDependencies {
  readonly store: VinculoStore;
  readonly engine: SparqlEngine;
  readonly config: VinculoConfig;
  readonly logger: Logger;
}

/** Headers every response carries: no sniffing, no framing, no third-party anything. */
const securityHeaders: RequestHandler = (_request, response, next) => {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
  response.setHeader('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
  next();
};

/** Read access is public: any origin may query and dereference (CORS for GET and POST). */
const cors: RequestHandler = (request, response, next) => {
  response.setHeader('Access-Control-Allow-Origin', '*');
  response.setHeader('Access-Control-Expose-Headers', 'Content-Location, Link, ETag, Vinculo-Results-Truncated');
  if (request.method === 'OPTIONS') {
    response.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, PUT, DELETE, OPTIONS');
    response.setHeader('Access-Control-Allow-Headers', 'Accept, Content-Type, Authorization');
    response.setHeader('Access-Control-Max-Age', '86400');
    response.status(204).end();
    return;
  }
  next();
};

export function createApp({ store, engine, config, logger }: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(requestLog(logger));
  app.use(securityHeaders);
  app.use(cors);
  app.use(compression());
  const tokens = writeTokensOf(config, store);
  app.use(health({ store }));
  app.use(sparqlProtocol({ engine, store, tokens, baseIRI: config.baseIRI, maxBodyBytes: config.limits.maxBodyBytes }));
  app.use(graphStore({ engine, store, tokens, baseIRI: config.baseIRI, maxBodyBytes: config.limits.maxBodyBytes }));
  app.use(linkedData({ store, baseIRI: config.baseIRI }));
  app.use(notFoundHandler());
  app.use(errorHandler(logger));
  return app;
}
