/** GET /search?q=: the label and title index as an HTML page or JSON (`Accept: application/json` or `?format=json`). */
import { type Request, type Response, Router } from 'express';
import { BadRequest } from '../errors/index.js';
import { DataFactory, negotiate } from '../rdf/index.js';
import type { VinculoStore } from '../store/index.js';
import { type SearchIndex, kindOf, pickLanguage, renderSearchPage, siteHref } from '../web/index.js';

export interface SearchRouterOptions {
  readonly store: VinculoStore;
  readonly baseIRI: string;
  readonly index: SearchIndex;
  /** Hits per answer; `?limit=` may ask for fewer or up to `maxLimit`. */
  readonly defaultLimit?: number;
  readonly maxLimit?: number;
}

function queryText(request: Request): string {
  const value = request.query.q;
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new BadRequest('the q parameter may appear only once');
  if (value.length > 200) throw new BadRequest('the search text is longer than 200 characters');
  return value;
}

function wantsJson(request: Request): boolean {
  const format = request.query.format;
  if (format !== undefined) {
    if (format === 'json') return true;
    if (format === 'html') return false;
    throw new BadRequest('format must be json or html');
  }
  return negotiate(request.get('Accept'), ['text/html', 'application/json']) === 'application/json';
}

/**
 * The search router. Answers from the in-memory index (rebuilt when the store's version changes),
 * so a query costs binary searches, not a scan of the triples.
 * @throws BadRequest (400) for a repeated or over-long `q`, or an unknown `format`.
 */
export function searchRouter({ store, baseIRI, index, defaultLimit = 20, maxLimit = 100 }: SearchRouterOptions): Router {
  const router = Router();
  const root = new URL(baseIRI).pathname;
  router.get('/search', async (request: Request, response: Response) => {
    const query = queryText(request);
    const json = wantsJson(request);
    const language = pickLanguage(request.get('Accept-Language'));
    const asked = Number(request.query.limit ?? defaultLimit);
    const limit = Number.isInteger(asked) && asked > 0 ? Math.min(asked, maxLimit) : defaultLimit;
    const result = await index.search(query, { limit, language });
    const hits = await Promise.all(
      result.hits.map(async (hit) => {
        const kind = await kindOf(store, DataFactory.namedNode(hit.iri), language);
        return { ...hit, href: siteHref(hit.iri, baseIRI), kind };
      }),
    );
    response.setHeader('Vary', 'Accept, Accept-Language, Cookie');
    response.setHeader('Cache-Control', 'no-cache');
    if (json) {
      response.json({ query, total: result.total, hits });
      return;
    }
    response.type('text/html; charset=utf-8').send(renderSearchPage({ query, hits, total: result.total, language, root, baseIRI }));
  });
  return router;
}
