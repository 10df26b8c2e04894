/** Safe HTML building blocks: escaping text, embedding JSON in a script, links that stay inside the site. */
import { prefixes } from '../rdf/index.js';

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => htmlEscapes[char] ?? char);
}

const scriptEscapes: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/**
 * JSON text made safe inside `<script type="application/ld+json">`: `<` never appears, so neither
 * `</script>` nor `<!--` can end or bend the element (HTML §4.12.1.3); the escapes are still the
 * same JSON. `<`, `>` and `&` can only occur inside JSON strings, where `\uXXXX` means the same.
 */
export function scriptJson(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (char) => scriptEscapes[char] ?? char);
}

/**
 * Where a link to `iri` points: IRIs under the base become paths of this site (things under
 * `/id/` go straight to their `/doc/` page, saving the 303), others stay as they are.
 */
export function siteHref(iri: string, baseIRI: string): string {
  if (!iri.startsWith(baseIRI)) return iri;
  const root = new URL(baseIRI).pathname;
  const rest = iri.slice(baseIRI.length);
  return rest.startsWith('id/') ? `${root}doc/${rest.slice(3)}` : `${root}${rest}`;
}

/** The well-known namespaces, listed once: a resource page asks for dozens of short names. */
const namespaceEntries = Object.entries(prefixes);

/** A compact name for an IRI without a label: `prefix:local`, a site path, or the IRI itself. */
export function shortName(iri: string, baseIRI: string): string {
  for (const [prefix, namespaceIri] of namespaceEntries) {
    if (iri.startsWith(namespaceIri) && iri.length > namespaceIri.length) return `${prefix}:${iri.slice(namespaceIri.length)}`;
  }
  if (!iri.startsWith(baseIRI)) return iri;
  const rest = iri.slice(baseIRI.length);
  for (const local of ['def', 'kos', 'id']) {
    if (rest.startsWith(`${local}/`) && rest.length > local.length + 1) return `${local}:${rest.slice(local.length + 1)}`;
  }
  return rest || '/';
}

/**
 * A `<time>` element for a date or date-time: the machine-readable value in `datetime`, the day
 * (`YYYY-MM-DD`) as the text. Metadata dates are `xsd:date` or `xsd:dateTime` literals, written as they are.
 */
export function timeElement(when: string | Date): string {
  const value = typeof when === 'string' ? when : when.toISOString();
  return `<time datetime="${escapeHtml(value)}">${escapeHtml(value.slice(0, 10))}</time>`;
}
