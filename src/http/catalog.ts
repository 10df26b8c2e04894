/** `/catalog` (and `/catalog/data.json`, DCAT-US): the DCAT-AP catalog of the store (datasets, distributions, data services, records, quality, provenance) in every RDF syntax. */
import { Router } from 'express';
import { dcatUsCatalog, storeCatalog } from '../catalog/index.js';
import type { VinculoStore } from '../store/index.js';
import { answerConditional, storeClock } from './caching.js';
import { chooseRepresentation, sendRdf, setDocumentHeaders } from './document-response.js';

export interface CatalogRouterOptions {
  readonly store: VinculoStore;
  readonly baseIRI: string;
}

/** Serves `{base}catalog` (and `.ttl`, `.jsonld`, `.rdf`, `.nt`, `.nq`, `.trig`), built from the catalog graph at request time. */
export function catalogRouter({ store, baseIRI }: CatalogRouterOptions): Router {
  const router = Router();
  const lastModified = storeClock(store);
  const path = `${new URL(baseIRI).pathname}catalog`;
  router.get(/^\/catalog(?:\.(ttl|jsonld|rdf|nt|nq|trig))?$/, async (request, response) => {
    const suffix = /\.(ttl|jsonld|rdf|nt|nq|trig)$/.exec(request.path)?.[1];
    const representation = chooseRepresentation(request, suffix, { html: false });
    setDocumentHeaders(response, path, representation, { html: false });
    if (answerConditional(request, response, { etag: `catalog-${store.version}-${representation.suffix}`, lastModified: lastModified() })) return;
    if (representation.kind !== 'rdf') return;
    await sendRdf(request, response, await storeCatalog(store, baseIRI), representation.format, baseIRI);
  });
  // DCAT-US 1.1 for harvesters that read Project Open Data's format (CKAN's harvester, data.gov-style tools).
  router.get('/catalog/data.json', async (request, response) => {
    if (answerConditional(request, response, { etag: `catalog-data-json-${store.version}`, lastModified: lastModified() })) return;
    response.json(dcatUsCatalog(await storeCatalog(store, baseIRI)));
  });
  return router;
}
