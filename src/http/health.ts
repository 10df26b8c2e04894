/** `GET /health`: liveness for load balancers and orchestrators, with the store's size. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router } from 'express';
import type { VinculoStore } from '../store/index.js';

/** Whether `request` asks for `/health` (any query ignored), in a method the answer serves. */
export function isHealthRequest(request: Pick<IncomingMessage, 'method' | 'url'>): boolean {
  const url = request.url ?? '';
  return (request.method === 'GET' || request.method === 'HEAD') && (url === '/health' || url.startsWith('/health?'));
}

/**
 * Answers `/health` with plain node:http, so that the server's front can answer it ahead of any
 * other work (a probe must not wait behind a crawl) and the app's route the same way.
 */
export function answerHealth(store: VinculoStore, request: Pick<IncomingMessage, 'method'>, response: ServerResponse): void {
  const body = JSON.stringify({ status: 'ok', datasets: store.listDatasets().length, quads: store.countQuads(), version: store.version });
  response.statusCode = 200;
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.end(request.method === 'HEAD' ? undefined : body);
}

export function health({ store }: { store: VinculoStore }): Router {
  const router = Router();
  router.get('/health', (request, response) => answerHealth(store, request, response));
  return router;
}
