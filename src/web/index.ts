/** HTML views for the browser: catalog, dataset, query editor, search and resource pages, the search index, and the helpers they share. */
export { escapeHtml, scriptJson, shortName, siteHref } from './html.js';
export { PageJsonLdWriter } from './json-ld.js';
export { labelIndex, pickLabel, pickLiteral } from './labels.js';
export { messagesFor, pickLanguage, uiLanguages, type Messages, type UiLanguage } from './language.js';
export { renderPageShell, type Breadcrumb, type PageShellInput } from './page-shell.js';
export { renderNotFoundPage, renderResourcePage, type Alternate, type NotFoundPageInput, type ResourcePageInput } from './resource-page.js';
export { renderFragmentPage, type FragmentPageInput } from './fragment-page.js';
export { favicon, stylesheet } from './stylesheet.js';
export { uiWordsFor, type UiWords } from './ui-words.js';
export {
  catalogEntries,
  catalogEntry,
  facetCounts,
  facetNames,
  facetValuesOf,
  filterEntries,
  kindOf,
  labelOf,
  type CatalogEntry,
  type CatalogFilters,
  type FacetCount,
  type FacetName,
  type FacetValue,
} from './catalog-entries.js';
export { renderCatalogPage, type CatalogPageInput } from './catalog-page.js';
export { datasetDetails, renderDatasetPage, type DatasetDetails, type Download, type ProvenanceRecord } from './dataset-page.js';
export { renderQualitySection, unitOf, wrapText, type QualityMeasurement, type QualityUnit } from './quality-chart.js';
export { exampleQueries, prefixBlock, queryLink, queryPrefixes, type ExampleQuery } from './example-queries.js';
export { queryAssets, queryPageContentSecurityPolicy, renderQueryPage, type QueryPageInput, vocabularyTermQueries } from './query-page.js';
export { queryClientScript } from './query-client.js';
export { createSearchIndex, normalizeText, searchTokens, searchedPredicates, type SearchHit, type SearchIndex, type SearchOptions, type SearchResult } from './search-index.js';
export { renderSearchPage, type SearchPageHit, type SearchPageInput } from './search-page.js';
export { type HarvestPageDataset, type HarvestPageInput, renderHarvestPage } from './harvest-page.js';
export { rankingOf, readUsage, renderUsagePage, usagePagePath, usageSummary, type UsagePageInput, type UsageRanking, type UsageSummary } from './usage-page.js';
export { renderUsageChart, type UsageMeasurement } from './usage-chart.js';
export { type ChartedMetric, chartedMetrics } from './usage-kinds.js';
