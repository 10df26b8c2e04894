/** The frame every HTML page shares: language, title, skip link, header with navigation, search and language switch, breadcrumbs; same-origin styles and scripts only. */
import { escapeHtml } from './html.js';
import { type UiLanguage, messagesFor } from './language.js';
import { uiWordsFor } from './ui-words.js';

export interface Breadcrumb {
  readonly label: string;
  /** Omitted for the current page (the last crumb). */
  readonly href?: string;
}

export interface PageShellInput {
  readonly language: UiLanguage;
  readonly title: string;
  /** Extra `<head>` markup, already escaped (alternate links, embedded JSON-LD). */
  readonly head?: string;
  /** The `<main>` content, already escaped. */
  readonly main: string;
  /** The site's root path, for the home link. */
  readonly root: string;
  /** The trail from the home page to this one; none on the home page. */
  readonly breadcrumbs?: readonly Breadcrumb[];
  /** Same-origin scripts loaded at the end of the body (the CSP allows no inline code). */
  readonly scripts?: readonly string[];
  /** Same-origin stylesheets besides the site's own. */
  readonly styles?: readonly string[];
  /** The search box's current text (on the search page). */
  readonly searchText?: string;
}

function renderBreadcrumbs(crumbs: readonly Breadcrumb[], label: string): string {
  if (crumbs.length === 0) return '';
  const items = crumbs.map((crumb, index) =>
    crumb.href === undefined || index === crumbs.length - 1
      ? `<li><span aria-current="page">${escapeHtml(crumb.label)}</span></li>`
      : `<li><a href="${escapeHtml(crumb.href)}">${escapeHtml(crumb.label)}</a></li>`,
  );
  return `<nav class="breadcrumbs" aria-label="${escapeHtml(label)}"><ol>${items.join('')}</ol></nav>`;
}

// Styles come from same-origin stylesheets: inline ones would need 'unsafe-inline' under the app's CSP.
export function renderPageShell({ language, title, head = '', main, root, breadcrumbs = [], scripts = [], styles = [], searchText = '' }: PageShellInput): string {
  const words = messagesFor(language);
  const ui = uiWordsFor(language);
  const other: UiLanguage = language === 'es' ? 'en' : 'es';
  // A query-only link keeps the reader on the same page; the server remembers the choice in a cookie.
  const switchLink = `<a class="language" href="?lang=${other}" hreflang="${other}" lang="${other}">${escapeHtml(ui.otherLanguage)}</a>`;
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Vínculo</title>
${styles.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`).join('\n')}
<link rel="stylesheet" href="${escapeHtml(root)}assets/vinculo.css">
<link rel="icon" href="${escapeHtml(root)}assets/favicon.svg" type="image/svg+xml">
${head}
</head>
<body>
<a class="skip" href="#contenido">${escapeHtml(words.skipToContent)}</a>
<header class="site">
<a class="brand" href="${escapeHtml(root)}">Vínculo</a>
<nav aria-label="${escapeHtml(ui.mainNavigation)}"><ul>
<li><a href="${escapeHtml(root)}catalog">${escapeHtml(ui.catalog)}</a></li>
<li><a href="${escapeHtml(root)}sparql">${escapeHtml(ui.query)}</a></li>
<li><a href="${escapeHtml(root)}${ui.usage.pagePath}">${escapeHtml(ui.usage.navigation)}</a></li>
</ul></nav>
<form class="site-search" role="search" method="get" action="${escapeHtml(root)}search">
<label for="site-search" class="visually-hidden">${escapeHtml(ui.searchLabel)}</label>
<input type="search" id="site-search" name="q" value="${escapeHtml(searchText)}" placeholder="${escapeHtml(ui.searchPlaceholder)}" autocomplete="off">
<button type="submit">${escapeHtml(ui.search)}</button>
</form>
${switchLink}
</header>
${renderBreadcrumbs(breadcrumbs, ui.breadcrumbs)}
<main id="contenido" tabindex="-1">
${main}
</main>
<footer class="site"><p>Vínculo · <a href="${escapeHtml(root)}catalog">${escapeHtml(ui.catalog)}</a> · <a href="${escapeHtml(root)}sparql">SPARQL</a> · <a href="${escapeHtml(root)}.well-known/void">VoID</a></p></footer>
${scripts.map((src) => `<script src="${escapeHtml(src)}"></script>`).join('\n')}
</body>
</html>
`;
}
