/** The frame every HTML page shares: language, title, skip link, a readable stylesheet (no scripts, no third parties). */
import { escapeHtml } from './html.js';
import { type UiLanguage, messagesFor } from './language.js';

export interface PageShellInput {
  readonly language: UiLanguage;
  readonly title: string;
  /** Extra `<head>` markup, already escaped (alternate links, embedded JSON-LD). */
  readonly head?: string;
  /** The `<main>` content, already escaped. */
  readonly main: string;
  /** The site's root path, for the home link. */
  readonly root: string;
}

// Styles come from one same-origin stylesheet: inline ones would need 'unsafe-inline' under the app's CSP.
export function renderPageShell({ language, title, head = '', main, root }: PageShellInput): string {
  const words = messagesFor(language);
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Vínculo</title>
<link rel="stylesheet" href="${escapeHtml(root)}assets/vinculo.css">
${head}
</head>
<body>
<a href="#contenido">${escapeHtml(words.skipToContent)}</a>
<header><nav><a href="${escapeHtml(root)}">Vínculo</a></nav></header>
<main id="contenido">
${main}
</main>
</body>
</html>
`;
}
