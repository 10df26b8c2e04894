/** HTML views for the browser. */
export { escapeHtml, renderResourcePage, type ResourcePageInput } from './resource-page.js';
