/** `GET /health`: liveness for load balancers and orchestrators, with the store's size. */
import { Router } from 'express';
import type { VinculoStore } from '../store/index.js';

export function health({ store }: { store: VinculoStore }): Router {
  const router = Router();
  router.get('/health', (_request, response) => {
    response.setHeader('Cache-Control', 'no-store');
    response.json({ status: 'ok', datasets: store.listDatasets().length, quads: store.countQuads(), version: store.version });
  });
  return router;
}
