/** `/.well-known/void`: the VoID description of the site (W3C Note "Describing Linked Datasets with the VoID Vocabulary", §7.2 discovery). */
import { Router } from 'express';
import { type DatasetStatistics, datasetStatistics, voidDescription } from '../publish/index.js';
import type { DatasetInfo, VinculoStore } from '../store/index.js';
import { storeClock } from './caching.js';
import { chooseRepresentation, rdfBody, setDocumentHeaders } from './document-response.js';
import { type RepresentationCache, wholeStore } from './representation-cache.js';

export interface VoidOptions {
  readonly store: VinculoStore;
  readonly baseIRI: string;
  /** Shared with the sitemap so one pass over a dataset serves both. */
  readonly statistics?: (info: DatasetInfo) => Promise<DatasetStatistics>;
}

/**
 * The router of `/.well-known/void` (RDF only; Turtle unless `Accept` or a suffix says otherwise).
 * @throws NotAcceptable (406) from its handler when no RDF syntax matches `Accept`.
 */
export function voidRouter({ store, baseIRI, statistics = datasetStatistics({ store, baseIRI }), cache }: VoidOptions & { readonly cache: RepresentationCache }): Router {
  const router = Router();
  const lastModified = storeClock(store);
  const path = `${new URL(baseIRI).pathname}.well-known/void`;
  router.get(/^\/\.well-known\/void(?:\.(ttl|jsonld|rdf|nt|nq|trig))?$/, async (request, response) => {
    const suffix = /\.(ttl|jsonld|rdf|nt|nq|trig)$/.exec(request.path)?.[1];
    const representation = chooseRepresentation(request, suffix, { html: false });
    setDocumentHeaders(response, path, representation, { html: false });
    if (representation.kind !== 'rdf') return;
    const builtAt = store.version;
    const body = await rdfBody(await voidDescription(store, baseIRI, statistics), representation.format, baseIRI);
    const contentType = `${representation.format.mediaType}; charset=utf-8`;
    cache.respond(request, response, { key: `void\n${representation.suffix}`, status: 200, contentType, body, lastModified: lastModified(), dependencies: wholeStore, builtAt });
  });
  return router;
}
