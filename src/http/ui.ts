/** The browser UI's routes: home and catalog pages, dataset pages, the search, the query editor's assets, and the language switch. */
import { createRequire } from 'node:module';
import type { NextFunction, Request, Response } from 'express';
import { Router } from 'express';
import { datasetIri, mediaTypesOf, negotiate } from '../rdf/index.js';
import type { VinculoStore } from '../store/index.js';
import {
  type CatalogFilters,
  type SearchIndex,
  catalogEntries,
  createSearchIndex,
  datasetDetails,
  facetNames,
  favicon,
  pickLanguage,
  queryAssets,
  queryClientScript,
  renderCatalogPage,
  renderDatasetPage,
  rankingOf,
  renderUsagePage,
  uiLanguages,
  usagePagePath,
  usageSummary,
} from '../web/index.js';
import { chooseRepresentation, splitSuffix } from './document-response.js';
import { searchRouter } from './search.js';

export interface UiOptions {
  readonly store: VinculoStore;
  readonly baseIRI: string;
  /** The search index; one over `store` is made (and built at once) when not given. */
  readonly searchIndex?: SearchIndex;
}

/** The cookie that keeps the reader's choice of language between pages. */
export const languageCookie = 'vinculo-lang';

const rdfOffers = mediaTypesOf(['turtle', 'jsonld', 'ntriples', 'rdfxml', 'trig', 'nquads']);

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/**
 * The language switch: `?lang=es|en` sets a cookie and both override `Accept-Language` for every
 * page after this middleware (resource pages included), so the choice sticks across the site.
 */
function languageChoice(root: string) {
  return (request: Request, response: Response, next: NextFunction) => {
    const asked = typeof request.query.lang === 'string' ? request.query.lang : undefined;
    const chosen = uiLanguages.find((language) => language === asked);
    if (chosen) {
      response.cookie(languageCookie, chosen, { path: root, sameSite: 'lax', maxAge: 365 * 24 * 3600 * 1000, httpOnly: true });
    }
    const remembered = chosen ?? uiLanguages.find((language) => language === cookieValue(request.get('Cookie'), languageCookie));
    if (remembered) request.headers['accept-language'] = remembered;
    next();
  };
}

function single(request: Request, name: string): string | undefined {
  const value = request.query[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function htmlHeaders(response: Response): void {
  response.setHeader('Vary', 'Accept, Accept-Language, Cookie');
  response.setHeader('Cache-Control', 'no-cache');
  response.type('text/html; charset=utf-8');
}

/**
 * The UI router. Mount it before the linked-data and catalog routers: it answers `/catalog` and
 * `/dataset/{id}` only for clients that prefer HTML and passes the rest on.
 * @throws NotAcceptable (406) from `/dataset/{id}` as the linked-data documents do.
 */
export function ui({ store, baseIRI, searchIndex }: UiOptions): Router {
  const router = Router();
  const root = new URL(baseIRI).pathname;
  const index = searchIndex ?? createSearchIndex(store);
  // Built now, so the first search does not pay for it; a failure here resurfaces on that search.
  index.search('').catch(() => undefined);
  const require = createRequire(import.meta.url);
  const yasguiFiles: Record<string, string> = {
    [`/${queryAssets.script}`]: require.resolve('@zazuko/yasgui/build/yasgui.min.js'),
    [`/${queryAssets.stylesheet}`]: require.resolve('@zazuko/yasgui/build/yasgui.min.css'),
  };

  router.use(languageChoice(root));

  const catalogPage = (home: boolean) => async (request: Request, response: Response, next: NextFunction) => {
    if (!home && negotiate(request.get('Accept'), [...rdfOffers, 'text/html']) !== 'text/html') {
      next();
      return;
    }
    const language = pickLanguage(request.get('Accept-Language'));
    const filters: CatalogFilters = Object.fromEntries(facetNames.map((name) => [name, single(request, name)]));
    const entries = await catalogEntries(store, language);
    htmlHeaders(response);
    response.send(renderCatalogPage({ entries, filters, language, root, path: home ? root : `${root}catalog`, home }));
  };
  router.get('/', catalogPage(true));
  router.get('/catalog', catalogPage(false));

  router.get('/dataset/:id', async (request, response, next) => {
    const { path: id, suffix } = splitSuffix(request.params.id);
    if (!store.dataset(id) || chooseRepresentation(request, suffix, { html: true }).kind !== 'html') {
      next();
      return;
    }
    const language = pickLanguage(request.get('Accept-Language'));
    const details = await datasetDetails(store, id, language);
    if (!details) {
      next();
      return;
    }
    htmlHeaders(response);
    response.setHeader('Link', `<${datasetIri(root, id).value}.ttl>; rel="alternate"; type="text/turtle"`);
    response.send(renderDatasetPage(details, { language, root, baseIRI }));
  });

  // The portal's use: /uso in Spanish, /usage in English (the path is the language); the header's switch (?lang=) moves between them.
  for (const language of uiLanguages) {
    const other = uiLanguages.find((candidate) => candidate !== language) ?? language;
    router.get(usagePagePath('/', language), async (request, response) => {
      if (single(request, 'lang') === other) {
        response.redirect(303, usagePagePath(root, other));
        return;
      }
      const summary = await usageSummary(store, { language, today: new Date().toISOString().slice(0, 10) });
      htmlHeaders(response);
      response.setHeader('Link', `<${usagePagePath(root, other)}>; rel="alternate"; hreflang="${other}"`);
      response.send(renderUsagePage({ summary, language, root, baseIRI, ranking: rankingOf(single(request, 'kind'), summary), path: usagePagePath(root, language), otherPath: usagePagePath(root, other) }));
    });
  }

  router.use(searchRouter({ store, baseIRI, index }));

  for (const [path, file] of Object.entries(yasguiFiles)) {
    router.get(path, (_request, response) => {
      response.setHeader('Cache-Control', 'public, max-age=86400');
      response.sendFile(file);
    });
  }
  router.get('/assets/favicon.svg', (_request, response) => {
    response.setHeader('Cache-Control', 'public, max-age=86400');
    response.type('image/svg+xml').send(favicon);
  });
  router.get(`/${queryAssets.client}`, (_request, response) => {
    response.setHeader('Cache-Control', 'public, max-age=3600');
    response.type('text/javascript; charset=utf-8').send(queryClientScript);
  });
  return router;
}
