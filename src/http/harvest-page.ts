/** GET /harvest: each configured dataset's last sync, next sync and last error, as HTML or JSON (`Accept: application/json` or `/harvest.json`). */
import { type Request, type Response, Router } from 'express';
import { type HarvestDatasetStatus, intervalText } from '../harvest/index.js';
import { NotAcceptable } from '../errors/index.js';
import { negotiate } from '../rdf/index.js';
import { pickLanguage, renderHarvestPage } from '../web/index.js';

/** Where the statuses come from: the server's harvest scheduler. */
export interface HarvestStatusSource {
  status(): readonly HarvestDatasetStatus[];
}

const offers = ['text/html', 'application/json'];

/**
 * The harvest status router. The state changes with every sync, so nothing is cached.
 * @throws NotAcceptable (406) when the client takes neither HTML nor JSON.
 */
export function harvestPage({ harvests, baseIRI }: { readonly harvests: HarvestStatusSource; readonly baseIRI: string }): Router {
  const router = Router();
  const root = new URL(baseIRI).pathname;
  const answer = (format: string | undefined) => (request: Request, response: Response) => {
    const chosen = format ?? negotiate(request.get('Accept'), offers);
    if (chosen === undefined) throw new NotAcceptable(`/harvest is available as ${offers.join(' or ')}`);
    response.setHeader('Cache-Control', 'no-store');
    if (format === undefined) response.setHeader('Vary', 'Accept, Accept-Language, Cookie');
    // The interval also as the configuration writes it (`1d`), for people and for the page.
    const datasets = harvests.status().map((status) => ({ ...status, interval: intervalText(status.intervalMs) }));
    if (chosen === 'application/json') {
      response.json({ datasets });
      return;
    }
    response.type('text/html; charset=utf-8').send(renderHarvestPage({ datasets, language: pickLanguage(request.get('Accept-Language')), root }));
  };
  router.get('/harvest', answer(undefined));
  router.get('/harvest.json', answer('application/json'));
  router.get('/harvest.html', answer('text/html'));
  return router;
}
