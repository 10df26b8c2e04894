/** The express application: wiring only — every protocol lives in its own module. */
import type { RequestListener } from 'node:http';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { VinculoConfig } from '../config/index.js';
import type { SparqlEngine } from '../sparql/index.js';
import type { VinculoStore } from '../store/index.js';
import { adminHarvestRouter, type HarvestUrl } from './admin-harvest.js';
import { type AdminImport, adminImportRouter } from './admin-import.js';
import { catalogRouter } from './catalog.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { graphStore } from './graph-store.js';
import { harvestPage, type HarvestStatusSource } from './harvest-page.js';
import { health } from './health.js';
import { linkedData } from './linked-data.js';
import { ldesRouter } from './ldes.js';
import { MetricsRegistry, metrics, metricsErrorTap } from './metrics.js';
import { rateLimitFailedWrites } from './rate-limit.js';
import { requestLog } from './request-log.js';
import { sparqlProtocol } from './sparql-protocol.js';
import { authorizeWrite, requireGraph, writeTokensOf } from './write-auth.js';
// usage counting and reuse links (issue 23)
import { reusesRouter, type UsageObserver } from '../usage/index.js';
import { publicAccess, publicHeaderList } from './public-access.js';
import { defaultCacheBytes, RepresentationCache } from './representation-cache.js';
import { cachedFirst } from './representation-front.js';
import { sparqlFirst } from './sparql-front.js';
import { ui } from './ui.js';

export interface AppDependencies {
  readonly store: VinculoStore;
  readonly engine: SparqlEngine;
  readonly config: VinculoConfig;
  readonly logger: Logger;
  /** `POST /admin/import` for `vinculo import` against this running server; without it the route does not exist. */
  readonly adminImport?: AdminImport;
  /** The harvest scheduler's state for `/harvest`; without it the route does not exist. */
  readonly harvests?: HarvestStatusSource;
  /** `POST /admin/harvest` (with `adminImport`'s token) for `vinculo harvest` against this running server. */
  readonly harvestUrl?: HarvestUrl;
  /** Where requests are counted for `/metrics` (a new one unless the server's front shares its own). */
  readonly registry?: MetricsRegistry;
  /** The representation cache the linked-data routes fill (their own unless the server's front shares one). */
  readonly cache?: RepresentationCache;
  /** Counts the use of the datasets (issue 23): every response, cached ones included, and SPARQL rows; nothing is counted without it. */
  readonly usage?: UsageObserver;
}

/** Headers every response carries: no sniffing, no framing, no third-party anything. */
export const securityHeaderList: ReadonlyArray<readonly [string, string]> = [
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'strict-origin-when-cross-origin'],
  ['Content-Security-Policy', "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"],
];
const securityHeaders: RequestHandler = (_request, response, next) => {
  for (const [name, value] of securityHeaderList) response.setHeader(name, value);
  next();
};

export function createApp({ store, engine, config, logger, adminImport, harvests, harvestUrl, registry, cache, usage }: AppDependencies): Express {
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
  app.use(sparqlProtocol({ engine, store, tokens, baseIRI: config.baseIRI, maxBodyBytes: config.limits.maxBodyBytes, usage }));
  app.use(graphStore({ store, tokens, baseIRI: config.baseIRI, maxBodyBytes: config.limits.maxBodyBytes }));
  // Reuse links (issue 23): the dataset's write tokens, never the reserved-graph refusal (the catalog graph is written for them).
  const authorizeDataset = (authorization: string | undefined, graph: string) => requireGraph(authorizeWrite(authorization, tokens), graph, []);
  app.use(reusesRouter({ store, baseIRI: config.baseIRI, maxBodyBytes: config.limits.maxBodyBytes, authorize: authorizeDataset }));
  if (adminImport) app.use(adminImportRouter({ ...adminImport, updateToken: config.updateToken, logger }));
  if (adminImport && harvestUrl) app.use(adminHarvestRouter({ harvestUrl, token: adminImport.token, updateToken: config.updateToken, logger }));
  if (harvests) app.use(harvestPage({ harvests, baseIRI: config.baseIRI }));
  app.use(catalogRouter({ store, baseIRI: config.baseIRI }));
  app.use(ldesRouter({ store, baseIRI: config.baseIRI, dataDir: config.dataDir, retention: config.ldes.retention }));
  app.use(linkedData({ store, baseIRI: config.baseIRI, dataDir: config.dataDir, cache }));
  app.use(notFoundHandler());
  app.use(metricsErrorTap);
  app.use(errorHandler(logger));
  return app;
}

/**
 * The server's request handler: representations the cache holds are answered before Express
 * (whose dispatch costs about three times the writing of the bytes), and so are plain SPARQL
 * queries (issue 19); everything else by the app; all count into one `/metrics` registry (the
 * caller's, when it counts other things there too: harvests).
 */
export function createRequestHandler(dependencies: AppDependencies): RequestListener {
  const registry = dependencies.registry ?? new MetricsRegistry();
  const cache = new RepresentationCache(dependencies.store, { maxBytes: defaultCacheBytes, usage: dependencies.usage });
  const { engine, config, logger, usage } = dependencies;
  const handler = sparqlFirst(cachedFirst(createApp({ ...dependencies, registry, cache }), { cache, logger, registry }), {
    engine,
    baseIRI: config.baseIRI,
    maxBodyBytes: config.limits.maxBodyBytes,
    logger,
    registry,
    usage,
    headers: [...securityHeaderList, ...publicHeaderList],
  });
  // Usage counting (issue 23) wraps the front, so cached answers are counted too.
  return dependencies.usage ? dependencies.usage.wrap(handler) : handler;
}
