/** The home and catalog pages: the datasets as cards, filterable by theme, portal category, publisher and keyword, with the count of each value. */
import { type CatalogEntry, type CatalogFilters, type FacetName, facetCounts, facetNames, facetValuesOf, filterEntries } from './catalog-entries.js';
import { datasetIri } from '../rdf/index.js';
import { escapeHtml, timeElement } from './html.js';
import type { UiLanguage } from './language.js';
import { renderPageShell } from './page-shell.js';
import { type UiWords, uiWordsFor } from './ui-words.js';

export interface CatalogPageInput {
  readonly entries: readonly CatalogEntry[];
  readonly filters: CatalogFilters;
  readonly language: UiLanguage;
  readonly root: string;
  /** The page's own path (`/` or `/catalog`): filter links stay on it. */
  readonly path: string;
  /** The home page greets; the catalog page is only the list. */
  readonly home: boolean;
}

function filterHref(path: string, filters: CatalogFilters, change: Partial<Record<FacetName, string | undefined>>): string {
  const params = new URLSearchParams();
  const next = { ...filters, ...change };
  for (const name of facetNames) {
    const value = next[name];
    if (value !== undefined) params.set(name, value);
  }
  const query = params.toString();
  return query === '' ? path : `${path}?${query}`;
}

// The data's own date when the metadata states it; the import date, named as such, only instead of it.
const datesOf = (entry: CatalogEntry, words: UiWords) =>
  entry.updated === undefined ? `${escapeHtml(words.imported)} ${timeElement(entry.imported)}` : `${escapeHtml(words.modified)} ${timeElement(entry.updated)}`;

/**
 * The page listing `entries` that pass `filters`, with facet counts over the datasets shown.
 * Filtering is by links, so it works without scripts and with the keyboard.
 */
export function renderCatalogPage({ entries, filters, language, root, path, home }: CatalogPageInput): string {
  const words = uiWordsFor(language);
  const shown = filterEntries(entries, filters);
  const counts = facetCounts(shown);
  const headings: Record<FacetName, string> = { theme: words.themes, category: words.categories, publisher: words.publishers, keyword: words.keywords };
  const facets = facetNames
    .filter((name) => counts[name].length > 0)
    .map((name) => {
      const items = counts[name].map((value) => {
        const active = filters[name] === value.key;
        const href = filterHref(path, filters, { [name]: active ? undefined : value.key });
        return `<li><a href="${escapeHtml(href)}"${active ? ' aria-current="true"' : ''}>${escapeHtml(value.label)}</a> <span class="count">(${value.count})</span></li>`;
      });
      return `<section aria-labelledby="facet-${name}"><h3 id="facet-${name}">${escapeHtml(headings[name])}</h3><ul>${items.join('')}</ul></section>`;
    });
  const active = facetNames.filter((name) => filters[name] !== undefined);
  const activeList =
    active.length === 0
      ? ''
      : `<p class="active-filters">${active
          .map((name) => {
            const key = filters[name] as string;
            const label = entries.flatMap((entry) => facetValuesOf(entry, name)).find((value) => value.key === key)?.label ?? key;
            return `<a href="${escapeHtml(filterHref(path, filters, { [name]: undefined }))}" aria-label="${escapeHtml(`${words.removeFilter}: ${label}`)}">✕ ${escapeHtml(label)}</a>`;
          })
          .join('')} <a href="${escapeHtml(path)}">${escapeHtml(words.clearFilters)}</a></p>`;
  const cards = shown.map((entry) => {
    const tag = (name: FacetName, value: { key: string; label: string }) => `<li><a href="${escapeHtml(filterHref(path, {}, { [name]: value.key }))}">${escapeHtml(value.label)}</a></li>`;
    const tags = (['theme', 'category', 'keyword'] as const).flatMap((name) => facetValuesOf(entry, name).map((value) => tag(name, value)));
    const publisher = entry.publishers.map((value) => value.label).join(', ');
    return `<li>
<h3><a href="${escapeHtml(datasetIri(root, entry.id).value)}">${escapeHtml(entry.title)}</a></h3>
${entry.description ? `<p>${escapeHtml(entry.description)}</p>` : ''}
<p class="meta">${publisher ? `${escapeHtml(publisher)} · ` : ''}${escapeHtml(words.triples(entry.triples))} · ${datesOf(entry, words)}</p>
${tags.length > 0 ? `<ul class="tags">${tags.join('')}</ul>` : ''}
</li>`;
  });
  const title = home ? words.homeTitle : words.catalog;
  const main = `<h1>${escapeHtml(title)}</h1>
${home ? `<p>${escapeHtml(words.homeIntro)}</p>` : ''}
<div class="catalog">
<aside class="facets" aria-labelledby="filters-heading"><h2 id="filters-heading">${escapeHtml(words.filters)}</h2>
${facets.join('\n')}
</aside>
<section aria-labelledby="datasets-heading">
<h2 id="datasets-heading">${escapeHtml(words.datasetsFound(shown.length))}</h2>
${activeList}
${shown.length === 0 ? `<p>${escapeHtml(words.noDatasets)}</p>` : `<ul class="datasets">\n${cards.join('\n')}\n</ul>`}
</section>
</div>`;
  const breadcrumbs = home ? [] : [{ label: words.home, href: root }, { label: words.catalog }];
  return renderPageShell({ language, title, main, root, breadcrumbs });
}
