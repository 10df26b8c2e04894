/** A small express app around the SPARQL routers for tests, with an error middleware like the lead's. */
import type { AddressInfo } from 'node:net';
import type * as RDF from '@rdfjs/types';
import express, { type ErrorRequestHandler } from 'express';
import { VinculoError } from '../../../src/errors/index.ts';
import { graphStore } from '../../../src/http/graph-store.ts';
import { publicAccess } from '../../../src/http/public-access.ts';
import { sparqlProtocol } from '../../../src/http/sparql-protocol.ts';
import type { WriteTokens } from '../../../src/http/write-auth.ts';
import { createSparqlEngine, type SparqlLimits } from '../../../src/sparql/index.ts';
import type { VinculoStore } from '../../../src/store/index.ts';
import { memoryStore } from './memory-store.ts';

export const tokens: WriteTokens = {
  all: 'all-graphs-secret',
  scoped: [{ token: 'g1-secret', graphs: ['http://example.org/g1'] }],
};

export const defaultLimits: SparqlLimits = { timeoutMs: 2_000, maxResultRows: 1_000, maxQueryLength: 10_000, serviceAllowlist: [] };

const renderErrors: ErrorRequestHandler = (error: unknown, _request, response, _next) => {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const parserError = error as { type?: string; status?: number };
  const status =
    error instanceof VinculoError ? error.status : parserError.type === 'entity.too.large' ? 413 : (parserError.status ?? 500);
  const message = status >= 500 && !(error instanceof VinculoError) ? 'internal error' : error instanceof Error ? error.message : String(error);
  response.status(status).json({ status, message });
};

export interface TestServer {
  readonly url: string;
  readonly store: VinculoStore;
  close(): Promise<void>;
}

/** Starts the routers on 127.0.0.1, port 0. */
export async function startServer(
  quads: readonly RDF.Quad[] = [],
  options: { limits?: Partial<SparqlLimits>; defaultGraph?: 'union' | 'store'; maxBodyBytes?: number } = {},
): Promise<TestServer> {
  const store = await memoryStore(quads);
  const engine = createSparqlEngine({
    store,
    limits: { ...defaultLimits, ...options.limits },
    defaultGraph: options.defaultGraph ?? 'union',
  });
  const deps = { engine, store, tokens, baseIRI: 'http://example.org/', maxBodyBytes: options.maxBodyBytes ?? 100_000 };
  const app = express();
  app.use(publicAccess());
  app.use(sparqlProtocol(deps));
  app.use(graphStore(deps));
  app.use(renderErrors);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
