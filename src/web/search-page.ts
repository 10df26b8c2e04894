/** The search page: the search form and the resources whose names match, with what kind of thing each is. */
import { escapeHtml, siteHref } from './html.js';
import type { UiLanguage } from './language.js';
import { renderPageShell } from './page-shell.js';
import { uiWordsFor } from './ui-words.js';

export interface SearchPageHit {
  readonly iri: string;
  readonly label: string;
  readonly language: string;
  /** What the resource is (its type's label), when known. */
  readonly kind?: string;
}

export interface SearchPageInput {
  readonly query: string;
  readonly hits: readonly SearchPageHit[];
  readonly total: number;
  readonly language: UiLanguage;
  readonly root: string;
  readonly baseIRI: string;
}

export function renderSearchPage({ query, hits, total, language, root, baseIRI }: SearchPageInput): string {
  const words = uiWordsFor(language);
  const trimmed = query.trim();
  const summary = trimmed === '' ? `<p>${escapeHtml(words.searchHint)}</p>` : total === 0 ? `<p role="status">${escapeHtml(words.searchNothing(trimmed))}</p>` : `<p role="status">${escapeHtml(words.searchResults(total, trimmed))}</p>`;
  const list = hits.map(
    (hit) =>
      `<li><a href="${escapeHtml(siteHref(hit.iri, baseIRI))}"${hit.language ? ` lang="${escapeHtml(hit.language)}"` : ''}>${escapeHtml(hit.label)}</a>${hit.kind ? ` <span class="meta">${escapeHtml(hit.kind)}</span>` : ''}<br><code>${escapeHtml(hit.iri)}</code></li>`,
  );
  const main = `<h1>${escapeHtml(words.searchTitle)}</h1>
<form method="get" action="${escapeHtml(root)}search" role="search">
<p><label for="q">${escapeHtml(words.searchLabel)}</label><br>
<input type="search" id="q" name="q" value="${escapeHtml(query)}"> <button type="submit">${escapeHtml(words.search)}</button></p>
</form>
${summary}
${hits.length > 0 ? `<ol class="hits">\n${list.join('\n')}\n</ol>` : ''}`;
  return renderPageShell({ language, title: trimmed === '' ? words.searchTitle : `${words.searchTitle}: ${trimmed}`, main, root, searchText: query, breadcrumbs: [{ label: words.home, href: root }, { label: words.searchTitle }] });
}
