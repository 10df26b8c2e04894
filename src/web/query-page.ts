/** The SPARQL query page: YASGUI served from this site, preloaded with our prefixes and the datasets' example queries. */
import { datasetIri } from '../rdf/index.js';
import { type VinculoStore, vocabularyGraph } from '../store/index.js';
import { type ExampleQuery, exampleQueries, prefixBlock, queryLink, queryPrefixes } from './example-queries.js';
import { escapeHtml, scriptJson } from './html.js';
import type { UiLanguage } from './language.js';
import { renderPageShell } from './page-shell.js';
import { uiWordsFor } from './ui-words.js';

/** Where the query page's assets are served (see `src/http/ui.ts`). */
export const queryAssets = {
  script: 'assets/yasgui/yasgui.min.js',
  stylesheet: 'assets/yasgui/yasgui.min.css',
  client: 'assets/vinculo-query.js',
} as const;

/**
 * The policy of the query page: the app's `default-src 'self'`, plus inline styles, which YASGUI
 * (CodeMirror, its tab and result widgets) sets through `style` attributes and `<style>` elements.
 * Scripts stay same-origin only.
 */
export const queryPageContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

/**
 * The queries the editor's autocompletion runs on our own endpoint: the properties and classes
 * the vocabulary graph defines (standard copies and our own terms), so completion never calls out.
 */
export function vocabularyTermQueries(baseIRI: string): { readonly property: string; readonly class: string } {
  const graph = `<${vocabularyGraph(baseIRI).value}>`;
  const prologue = 'PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX owl: <http://www.w3.org/2002/07/owl#>\n';
  const termsOfType = (types: string) =>
    `${prologue}SELECT DISTINCT ?term WHERE { GRAPH ${graph} { ?term a ?type . VALUES ?type { ${types} } FILTER(isIRI(?term)) } }`;
  return {
    property: termsOfType('rdf:Property owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty'),
    class: termsOfType('rdfs:Class owl:Class'),
  };
}

export interface QueryPageInput {
  readonly store: VinculoStore;
  readonly language: UiLanguage;
  /** The absolute IRI of the SPARQL endpoint. */
  readonly endpoint: string;
}

/**
 * The query page: a working form without scripts, YASGUI with them; every dataset's examples.
 * @throws whatever error the store raises while the examples are written.
 */
export async function renderQueryPage({ store, language, endpoint }: QueryPageInput): Promise<string> {
  const words = uiWordsFor(language);
  const root = new URL(store.baseIRI).pathname;
  const prefixes = await queryPrefixes(store);
  const defaultQuery = `${prefixBlock(prefixes)}\n\nSELECT ?s ?p ?o WHERE {\n  ?s ?p ?o\n}\nLIMIT 10`;
  const sections: string[] = [];
  for (const info of store.listDatasets()) {
    const examples: ExampleQuery[] = await exampleQueries(store, info.id, language, prefixes);
    sections.push(`<li><a href="${escapeHtml(datasetIri(root, info.id).value)}">${escapeHtml(info.id)}</a><ul>${examples
      .map((example) => `<li><a class="example-query" href="${escapeHtml(queryLink(root, example.query))}">${escapeHtml(example.title)}</a></li>`)
      .join('')}</ul></li>`);
  }
  const config = { endpoint, defaultQuery, termQueries: vocabularyTermQueries(store.baseIRI), words: { chart: words.chart, tab: words.tab } };
  const main = `<h1>${escapeHtml(words.queryTitle)}</h1>
<p>${escapeHtml(words.queryIntro)}</p>
<div id="yasgui"></div>
<noscript><p>${escapeHtml(words.queryNoScript)}</p>
<form method="get" action="${escapeHtml(root)}sparql"><p><label for="plain-query">SPARQL</label><br>
<textarea id="plain-query" name="query" rows="12" cols="80">${escapeHtml(defaultQuery)}</textarea></p>
<p><button type="submit">${escapeHtml(words.query)}</button></p></form></noscript>
<section aria-labelledby="examples"><h2 id="examples">${escapeHtml(words.exampleQueries)}</h2>
<ul class="examples">${sections.join('\n')}</ul></section>
<script type="application/json" id="vinculo-query-config">${scriptJson(JSON.stringify(config))}</script>`;
  return renderPageShell({
    language,
    title: words.queryTitle,
    main,
    root,
    styles: [`${root}${queryAssets.stylesheet}`],
    scripts: [`${root}${queryAssets.script}`, `${root}${queryAssets.client}`],
    breadcrumbs: [{ label: words.home, href: root }, { label: words.queryTitle }],
  });
}
