/**
 * `/sitemap.xml` (sitemaps.org 0.9 with the Semantic Sitemaps extension, one `sc:dataset` per dataset)
 * and `/robots.txt` (which points crawlers at the sitemap and away from the query endpoints).
 */
import { Router } from 'express';
import { escapeXml } from '../rdf/index.js';
import type { DatasetInfo, VinculoStore } from '../store/index.js';
import { answerConditional, storeClock } from './caching.js';
import { type DatasetStatistics, datasetStatistics } from './dataset-statistics.js';
import { dumpKinds, dumpUrl } from './dumps.js';

export interface SitemapOptions {
  readonly store: VinculoStore;
  readonly baseIRI: string;
  readonly statistics?: (info: DatasetInfo) => Promise<DatasetStatistics>;
}

/** sitemaps.org: at most 50 000 URLs per sitemap file. */
const maxUrls = 50_000;

function documentUrl(baseIRI: string, iri: string): string {
  return `${baseIRI}doc/${iri.slice(`${baseIRI}id/`.length)}`;
}

/**
 * The sitemap XML: the site's entry points, each dataset's page and its resources' documents
 * (bounded by the 50 000-URL limit), and the semantic extension's dataset entries.
 * @throws whatever the store raises while the statistics pass reads a dataset.
 */
export async function renderSitemap(store: VinculoStore, baseIRI: string, statistics: (info: DatasetInfo) => Promise<DatasetStatistics>): Promise<string> {
  const urls: string[] = [];
  const datasets: string[] = [];
  const url = (loc: string, lastmod?: Date) =>
    `<url><loc>${escapeXml(loc)}</loc>${lastmod ? `<lastmod>${lastmod.toISOString()}</lastmod>` : ''}</url>`;
  urls.push(url(baseIRI), url(`${baseIRI}.well-known/void`));
  let count = urls.length;
  for (const info of store.listDatasets()) {
    const figures = await statistics(info);
    const dataset = `${baseIRI}dataset/${info.id}`;
    datasets.push(
      [
        '<sc:dataset>',
        `<sc:datasetLabel>${escapeXml(info.id)}</sc:datasetLabel>`,
        `<sc:datasetURI>${escapeXml(dataset)}</sc:datasetURI>`,
        figures.uriSpace ? `<sc:linkedDataPrefix sc:slicing="subject-object">${escapeXml(figures.uriSpace)}</sc:linkedDataPrefix>` : '',
        ...figures.examples.map((example) => `<sc:sampleURI>${escapeXml(example)}</sc:sampleURI>`),
        `<sc:sparqlEndpointLocation sc:slicing="subject-object">${escapeXml(`${baseIRI}sparql`)}</sc:sparqlEndpointLocation>`,
        ...dumpKinds.map((kind) => `<sc:dataDumpLocation>${escapeXml(dumpUrl(baseIRI, info.id, kind))}</sc:dataDumpLocation>`),
        `<lastmod>${info.modified.toISOString()}</lastmod>`,
        '<changefreq>weekly</changefreq>',
        '</sc:dataset>',
      ]
        .filter((line) => line !== '')
        .join('\n'),
    );
    if (count < maxUrls) {
      urls.push(url(dataset, info.modified));
      count++;
    }
    for (const iri of figures.documents) {
      if (count >= maxUrls) break;
      urls.push(url(documentUrl(baseIRI, iri), info.modified));
      count++;
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:sc="http://sw.deri.org/2007/07/sitemapextension/scschema.xsd">
${datasets.join('\n')}
${urls.join('\n')}
</urlset>
`;
}

/** `/robots.txt`: everything but the query endpoints may be crawled; the sitemap is announced. */
export function renderRobots(baseIRI: string): string {
  const root = new URL(baseIRI).pathname;
  return ['User-agent: *', `Disallow: ${root}sparql`, `Disallow: ${root}fragments`, `Disallow: ${root}graph-store`, `Allow: ${root}`, `Sitemap: ${baseIRI}sitemap.xml`, ''].join('\n');
}

/**
 * The router of `/sitemap.xml` and `/robots.txt`.
 * @throws nothing of its own; store errors reach the error middleware.
 */
export function sitemap({ store, baseIRI, statistics = datasetStatistics({ store, baseIRI }) }: SitemapOptions): Router {
  const router = Router();
  const lastModified = storeClock(store);
  router.get('/sitemap.xml', async (request, response) => {
    response.type('application/xml; charset=utf-8');
    if (answerConditional(request, response, { etag: `sitemap-${store.version}`, lastModified: lastModified(), maxAge: 3600 })) return;
    if (request.method === 'HEAD') response.end();
    else response.send(await renderSitemap(store, baseIRI, statistics));
  });
  router.get('/robots.txt', (_request, response) => {
    response.setHeader('Cache-Control', 'public, max-age=86400');
    response.type('text/plain; charset=utf-8').send(renderRobots(baseIRI));
  });
  return router;
}
