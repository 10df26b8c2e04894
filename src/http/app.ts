/** The express application: wiring only — every protocol lives in its own module. */
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
import { metrics, metricsErrorTap } from './metrics.js';
import { rateLimitFailedWrites } from './rate-limit.js';
import { requestLog } from './request-log.js';
import { sparqlProtocol } from './sparql-protocol.js';
import { writeTokensOf } from './write-auth.js';
import { publicAccess } from './public-access.js';
import { ui } from './ui.js';

export interface AppDependencies {
  readonly store: VinculoStore;
  readonly engine: SparqlEngine;
  readonly config: VinculoConfig;
  readonly logger: Logger;
  /** `POST /admin/import` for `vinculo import` against this running server; without it the route does not exist. */
  readonly adminImport?: AdminImport;
}

/** Headers every response carries: no sniffing, no framing, no third-party anything. */
const securityHeaders: RequestHandler = (_request, response, next) => {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
  response.setHeader('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
  next();
};

export function createApp({ store, engine, config, logger, adminImport }: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(requestLog(logger));
  app.use(metrics({ store }));
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
  app.use(linkedData({ store, baseIRI: config.baseIRI, dataDir: config.dataDir }));
  app.use(notFoundHandler());
  app.use(metricsErrorTap);
  app.use(errorHandler(logger));
  return app;
}
