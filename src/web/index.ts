/** HTML views for the browser: resource pages, fragment pages, and the helpers they share. */
export { escapeHtml, scriptJson, shortName, siteHref } from './html.js';
export { labelIndex } from './labels.js';
export { messagesFor, pickLanguage, uiLanguages, type Messages, type UiLanguage } from './language.js';
export { renderPageShell, type PageShellInput } from './page-shell.js';
export { renderNotFoundPage, renderResourcePage, type Alternate, type NotFoundPageInput, type ResourcePageInput } from './resource-page.js';
export { renderFragmentPage, type FragmentPageInput } from './fragment-page.js';
export { stylesheet } from './stylesheet.js';
