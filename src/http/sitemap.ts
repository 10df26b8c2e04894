/**
 * `/sitemap.xml` (sitemaps.org 0.9 with the Semantic Sitemaps extension, one `sc:dataset` per dataset;
 * a sitemap index over `/sitemaps/{n}.xml` beyond 50 000 URLs) and `/robots.txt` (which points
 * crawlers at the sitemap and away from the query endpoints).
 */
import { type Request, type Response, Router } from 'express';
import { datasetIri, dumpKinds, dumpUrl, escapeXml, sparqlEndpointIri, voidIri } from '../rdf/index.js';
import type { DatasetInfo, VinculoStore } from '../store/index.js';
import { storeClock, storeModified } from './caching.js';
import { type RepresentationCache, wholeStore } from './representation-cache.js';
import { documentSpaces, uriPathOf } from './document-iri.js';
import { type DatasetStatistics, datasetStatistics } from '../publish/index.js';

export interface SitemapOptions {
  readonly store: VinculoStore;
  readonly baseIRI: string;
  readonly statistics?: (info: DatasetInfo) => Promise<DatasetStatistics>;
  /** URLs per sitemap file; sitemaps.org allows at most 50 000, beyond which `/sitemap.xml` is an index. */
  readonly urlsPerSitemap?: number;
}

export interface SitemapRouterOptions extends SitemapOptions {
  readonly cache: RepresentationCache;
}

/** sitemaps.org: at most 50 000 URLs per sitemap file. */
const maxUrls = 50_000;

/** A segment `.` or `..`: every URL parser resolves it away (RFC 3986 §5.2.4), so no request can name the IRI. */
const dotSegment = /(?:^|\/)\.\.?(?:\/|$)/;

/**
 * The URL of the document about `iri` when a request can name it: things under `{base}id/` and
 * code-list concepts under `{base}kos/`, in their URI form (RFC 3987 §3.1), as `/id/…` redirects.
 * Hash IRIs (a client never sends the fragment) and dot segments have none.
 */
export function documentUrlOf(baseIRI: string, iri: string): string | undefined {
  const { things, concepts } = documentSpaces(baseIRI);
  const space = [things, concepts].find((candidate) => iri.startsWith(candidate.iris));
  if (!space) return undefined;
  const tail = iri.slice(space.iris.length);
  if (tail === '' || tail.includes('#') || dotSegment.test(tail)) return undefined;
  return `${baseIRI}${space.documents}${uriPathOf(tail)}`;
}

interface SitemapEntry {
  readonly loc: string;
  readonly lastmod?: Date;
}

/** The documents of a dataset: one per distinct IRI subject that has one (`documentUrlOf`), in the store's order. */
async function* datasetDocuments(store: VinculoStore, baseIRI: string, info: DatasetInfo): AsyncGenerator<SitemapEntry> {
  const seen = new Set<string>();
  for await (const quad of store.exportQuads(info.graph)) {
    const subject = quad.subject;
    if (subject.termType !== 'NamedNode' || seen.has(subject.value)) continue;
    seen.add(subject.value);
    const loc = documentUrlOf(baseIRI, subject.value);
    if (loc !== undefined) yield { loc, lastmod: info.modified };
  }
}

function urlElement({ loc, lastmod }: SitemapEntry): string {
  return `<url><loc>${escapeXml(loc)}</loc>${lastmod ? `<lastmod>${lastmod.toISOString()}</lastmod>` : ''}</url>`;
}

/** The Semantic Sitemaps entry of a dataset: label, URI space, examples, endpoint and dumps. */
async function datasetElement(baseIRI: string, info: DatasetInfo, statistics: (info: DatasetInfo) => Promise<DatasetStatistics>): Promise<string> {
  const figures = await statistics(info);
  return [
    '<sc:dataset>',
    `<sc:datasetLabel>${escapeXml(info.id)}</sc:datasetLabel>`,
    `<sc:datasetURI>${escapeXml(datasetIri(baseIRI, info.id).value)}</sc:datasetURI>`,
    figures.uriSpace ? `<sc:linkedDataPrefix sc:slicing="subject-object">${escapeXml(figures.uriSpace)}</sc:linkedDataPrefix>` : '',
    ...figures.examples.map((example) => `<sc:sampleURI>${escapeXml(example)}</sc:sampleURI>`),
    `<sc:sparqlEndpointLocation sc:slicing="subject-object">${escapeXml(sparqlEndpointIri(baseIRI).value)}</sc:sparqlEndpointLocation>`,
    ...dumpKinds.map((kind) => `<sc:dataDumpLocation>${escapeXml(dumpUrl(baseIRI, info.id, kind))}</sc:dataDumpLocation>`),
    `<lastmod>${info.modified.toISOString()}</lastmod>`,
    '<changefreq>weekly</changefreq>',
    '</sc:dataset>',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/** The URL of sitemap file `page` (from 1) when `/sitemap.xml` is an index. */
export function sitemapPageUrl(baseIRI: string, page: number): string {
  return `${baseIRI}sitemaps/${page}.xml`;
}

/**
 * Every URL the sitemap lists, in order: the site's entry points, then per dataset its page and
 * the documents of its resources.
 */
async function* sitemapEntries(store: VinculoStore, baseIRI: string): AsyncGenerator<SitemapEntry> {
  yield { loc: baseIRI };
  yield { loc: voidIri(baseIRI).value };
  for (const info of store.listDatasets()) {
    yield { loc: datasetIri(baseIRI, info.id).value, lastmod: info.modified };
    yield* datasetDocuments(store, baseIRI, info);
  }
}

/**
 * The sitemaps of the store (sitemaps.org 0.9 with the Semantic Sitemaps extension): one `urlset`
 * when every URL fits in one file, else a `sitemapindex` at `/sitemap.xml` and the URLs split
 * into `/sitemaps/{n}.xml`, the first of which carries the datasets' `sc:dataset` entries.
 * @throws whatever the store raises while reading a dataset.
 */
export function sitemaps({ store, baseIRI, statistics = datasetStatistics({ store, baseIRI }), urlsPerSitemap = maxUrls }: SitemapOptions) {
  // The URL count per store version: the index needs it, and counting reads every dataset.
  let counted: { readonly version: number; readonly total: Promise<number> } | undefined;
  const total = (): Promise<number> => {
    if (counted?.version !== store.version) {
      const version = store.version;
      const counting = (async () => {
        let count = 0;
        for await (const _entry of sitemapEntries(store, baseIRI)) count++;
        return count;
      })();
      counting.catch(() => {
        if (counted?.version === version) counted = undefined;
      });
      counted = { version, total: counting };
    }
    return counted.total;
  };

  const urlset = async (page: number): Promise<string> => {
    const skip = (page - 1) * urlsPerSitemap;
    const urls: string[] = [];
    let index = 0;
    for await (const entry of sitemapEntries(store, baseIRI)) {
      if (index++ < skip) continue;
      if (urls.length === urlsPerSitemap) break;
      urls.push(urlElement(entry));
    }
    const datasets = page === 1 ? await Promise.all(store.listDatasets().map((info) => datasetElement(baseIRI, info, statistics))) : [];
    return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:sc="http://sw.deri.org/2007/07/sitemapextension/scschema.xsd">
${[...datasets, ...urls].join('\n')}
</urlset>
`;
  };

  return {
    /** How many sitemap files the URLs need (1: `/sitemap.xml` is the `urlset` itself). */
    pages: async () => Math.max(1, Math.ceil((await total()) / urlsPerSitemap)),
    urlset,
    index: (pages: number): string => {
      const lastmod = storeModified(store).toISOString();
      const entries = Array.from({ length: pages }, (_, i) => `<sitemap><loc>${escapeXml(sitemapPageUrl(baseIRI, i + 1))}</loc><lastmod>${lastmod}</lastmod></sitemap>`);
      return `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${entries.join('\n')}
</sitemapindex>
`;
    },
  };
}

/** `/robots.txt`: everything but the query endpoints may be crawled; the sitemap is announced. */
export function renderRobots(baseIRI: string): string {
  const root = new URL(baseIRI).pathname;
  return ['User-agent: *', `Disallow: ${root}sparql`, `Disallow: ${root}fragments`, `Disallow: ${root}graph-store`, `Allow: ${root}`, `Sitemap: ${baseIRI}sitemap.xml`, ''].join('\n');
}

/**
 * The router of `/sitemap.xml` (and `/sitemaps/{n}.xml` when it is an index) and `/robots.txt`.
 * @throws nothing of its own; store errors reach the error middleware.
 */
export function sitemap(options: SitemapRouterOptions): Router {
  const { store, baseIRI, cache } = options;
  const files = sitemaps(options);
  const router = Router();
  const lastModified = storeClock(store);
  const send = async (request: Request, response: Response, key: string, body: () => Promise<string>) => {
    const builtAt = store.version;
    const representation = { key, status: 200, contentType: 'application/xml; charset=utf-8', lastModified: lastModified(), maxAge: 3600 };
    cache.respond(request, response, { ...representation, body: await body(), dependencies: wholeStore, builtAt });
  };
  router.get('/sitemap.xml', async (request, response) => {
    const pages = await files.pages();
    await send(request, response, 'sitemap', () => (pages === 1 ? files.urlset(1) : Promise.resolve(files.index(pages))));
  });
  router.get('/sitemaps/:page.xml', async (request, response, next) => {
    const page = /^[1-9][0-9]{0,8}$/.test(request.params.page) ? Number(request.params.page) : 0;
    const pages = await files.pages();
    // Numbered files exist only while `/sitemap.xml` is an index.
    if (pages === 1 || page < 1 || page > pages) {
      next();
      return;
    }
    await send(request, response, `sitemap-${page}`, () => files.urlset(page));
  });
  router.get('/robots.txt', (_request, response) => {
    response.setHeader('Cache-Control', 'public, max-age=86400');
    response.type('text/plain; charset=utf-8').send(renderRobots(baseIRI));
  });
  return router;
}
