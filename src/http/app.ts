/** The express application: wiring only — every protocol lives in its own module. */
import type { RequestListener } from 'node:http';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { VinculoConfig } from '../config/index.js';
import type { SparqlEngine } from '../sparql/index.js';
import type { VinculoStore } from '../store/index.js';
import { type AdminImport, adminImportRouter } from './admin-import.js';
import { catalogRouter } from './catalog.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { graphStore } from './graph-store.js';
import { health } from './health.js';
import { linkedData } from './linked-data.js';
import { MetricsRegistry, metrics, metricsErrorTap } from './metrics.js';
import { rateLimitFailedWrites } from './rate-limit.js';
import { requestLog } from './request-log.js';
import { sparqlProtocol } from './sparql-protocol.js';
import { writeTokensOf } from './write-auth.js';
import { publicAccess } from './public-access.js';
import { defaultCacheBytes, RepresentationCache } from './representation-cache.js';
import { cachedFirst } from './representation-front.js';
import { ui } from './ui.js';

export interface AppDependencies {
  readonly store: VinculoStore;
  readonly engine: SparqlEngine;
  readonly config: VinculoConfig;
  readonly logger: Logger;
  /** `POST /admin/import` for `vinculo import` against this running server; without it the route does not exist. */
  readonly adminImport?: AdminImport;
  /** Where requests are counted for `/metrics` (a new one unless the server's front shares its own). */
  readonly registry?: MetricsRegistry;
  /** The representation cache the linked-data routes fill (their own unless the server's front shares one). */
  readonly cache?: RepresentationCache;
}

/** Headers every response carries: no sniffing, no framing, no third-party anything. */
const securityHeaders: RequestHandler = (_request, response, next) => {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
  response.setHeader('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
  next();
};

export function createApp({ store, engine, config, logger, adminImport, registry, cache }: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(requestLog(logger));
  app.use(metrics({ store, registry }));
  app.use(securityHeaders);
  app.use(publicAccess());
  const tokens = writeTokensOf(config, store);
  app.use(health({ store }));
  app.use(ui({ store, baseIRI: config.baseIRI }));
  app.use(rateLimitFailedWrites());
  app.use(sparqlProtocol({ engine, store, tokens, baseIRI: config.baseIRI, maxBodyBytes: config.limits.maxBodyBytes }));
  app.use(graphStore({ store, tokens, baseIRI: config.baseIRI, maxBodyBytes: config.limits.maxBodyBytes }));
  if (adminImport) app.use(adminImportRouter({ ...adminImport, updateToken: config.updateToken, logger }));
  app.use(catalogRouter({ store, baseIRI: config.baseIRI }));
  app.use(linkedData({ store, baseIRI: config.baseIRI, dataDir: config.dataDir, cache }));
  app.use(notFoundHandler());
  app.use(metricsErrorTap);
  app.use(errorHandler(logger));
  return app;
}

/**
 * The server's request handler: representations the cache holds are answered before Express
 * (whose dispatch costs about three times the writing of the bytes), everything else by the app;
 * both count into one `/metrics` registry.
 */
export function createRequestHandler(dependencies: AppDependencies): RequestListener {
  const registry = new MetricsRegistry();
  const cache = new RepresentationCache(dependencies.store, { maxBytes: defaultCacheBytes });
  return cachedFirst(createApp({ ...dependencies, registry, cache }), { cache, logger: dependencies.logger, registry });
}
