/** The HTML view of a Triple Pattern Fragment: the search form, the estimate, the triples with labels where known, paging links. */
import type * as RDF from '@rdfjs/types';
import { skolemSpace } from '../rdf/index.js';
import { escapeHtml, shortName, siteHref } from './html.js';
import { labelIndex } from './labels.js';
import { type UiLanguage, messagesFor } from './language.js';
import { renderPageShell } from './page-shell.js';

export interface FragmentPageInput {
  readonly baseIRI: string;
  readonly language: UiLanguage;
  /** The pattern as written in the form's fields (explicit representation). */
  readonly pattern: { readonly subject: string; readonly predicate: string; readonly object: string };
  readonly triples: readonly RDF.Quad[];
  readonly estimate: number;
  readonly previous?: string;
  readonly next?: string;
}

export function renderFragmentPage({ baseIRI, language, pattern, triples, estimate, previous, next }: FragmentPageInput): string {
  const words = messagesFor(language);
  const label = labelIndex(triples, language);
  const root = new URL(baseIRI).pathname;
  // Blank nodes come as skolem IRIs, which name no document: they link to their own fragment.
  const skolemRoot = skolemSpace(baseIRI);
  const term = (value: RDF.Term) => {
    if (value.termType === 'NamedNode' && value.value.startsWith(skolemRoot)) {
      const href = `${root}fragments?subject=${encodeURIComponent(value.value)}`;
      return `<a href="${escapeHtml(href)}" title="${escapeHtml(value.value)}"><code>_:${escapeHtml(value.value.slice(skolemRoot.length))}</code></a>`;
    }
    if (value.termType === 'NamedNode') {
      return `<a href="${escapeHtml(siteHref(value.value, baseIRI))}" title="${escapeHtml(value.value)}">${escapeHtml(label(value.value) ?? shortName(value.value, baseIRI))}</a>`;
    }
    if (value.termType === 'Literal') return `<span${value.language ? ` lang="${escapeHtml(value.language)}"` : ''}>${escapeHtml(value.value)}</span>`;
    return `<code>_:${escapeHtml(value.value)}</code>`;
  };
  const field = (name: 'subject' | 'predicate' | 'object', text: string) =>
    `<p><label for="${name}">${escapeHtml(text)}</label> <input id="${name}" name="${name}" value="${escapeHtml(pattern[name])}" size="60"></p>`;
  const rows = triples.map((triple) => `<tr><td>${term(triple.subject)}</td><td>${term(triple.predicate)}</td><td>${term(triple.object)}</td></tr>`).join('\n');
  const paging = [
    previous ? `<a rel="prev" href="${escapeHtml(siteHref(previous, baseIRI))}">${escapeHtml(words.previous)}</a>` : '',
    next ? `<a rel="next" href="${escapeHtml(siteHref(next, baseIRI))}">${escapeHtml(words.next)}</a>` : '',
  ].filter((link) => link !== '');
  const main = `<h1>${escapeHtml(words.fragmentTitle)}</h1>
<form method="get" action="${escapeHtml(root)}fragments">
${field('subject', words.subject)}
${field('predicate', words.predicate)}
${field('object', words.object)}
<p><button type="submit">${escapeHtml(words.search)}</button></p>
</form>
<p>${escapeHtml(words.matches(estimate))}</p>
<table>
<thead><tr><th scope="col">${escapeHtml(words.subject)}</th><th scope="col">${escapeHtml(words.predicate)}</th><th scope="col">${escapeHtml(words.object)}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${paging.length > 0 ? `<nav aria-label="pages"><p>${paging.join(' · ')}</p></nav>` : ''}`;
  return renderPageShell({ language, title: words.fragmentTitle, main, root });
}
