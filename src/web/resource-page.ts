/** The HTML view of a resource description: every value escaped, links kept inside the site. */
import type * as RDF from '@rdfjs/types';
import { prefixes } from '../rdf/index.js';

export interface ResourcePageInput {
  readonly resource: RDF.NamedNode;
  readonly quads: readonly RDF.Quad[];
  readonly baseIRI: string;
}

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => htmlEscapes[char] ?? char);
}

function shorten(iri: string, baseIRI: string): string {
  for (const [prefix, namespaceIri] of Object.entries(prefixes)) {
    if (iri.startsWith(namespaceIri)) return `${prefix}:${iri.slice(namespaceIri.length)}`;
  }
  return iri.startsWith(baseIRI) ? `/${iri.slice(baseIRI.length)}` : iri;
}

function renderTerm(term: RDF.Term, baseIRI: string): string {
  if (term.termType === 'NamedNode') {
    return `<a href="${escapeHtml(term.value)}">${escapeHtml(shorten(term.value, baseIRI))}</a>`;
  }
  if (term.termType === 'Literal') {
    const tag = term.language ? ` <small lang="en">@${escapeHtml(term.language)}</small>` : '';
    const lang = term.language ? ` lang="${escapeHtml(term.language)}"` : '';
    return `<span${lang}>${escapeHtml(term.value)}</span>${tag}`;
  }
  return `<code>_:${escapeHtml(term.value)}</code>`;
}

const label = 'http://www.w3.org/2000/01/rdf-schema#label';

export function renderResourcePage({ resource, quads, baseIRI }: ResourcePageInput): string {
  const title = quads.find((quad) => quad.subject.equals(resource) && quad.predicate.value === label)?.object.value ?? resource.value;
  const rows = quads
    .map((quad) => {
      const subject = quad.subject.equals(resource) ? '' : `${renderTerm(quad.subject, baseIRI)} `;
      return `<tr><th scope="row">${subject}${renderTerm(quad.predicate, baseIRI)}</th><td>${renderTerm(quad.object, baseIRI)}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Vínculo</title>
</head>
<body>
<header><a href="/">Vínculo</a></header>
<main>
<h1>${escapeHtml(title)}</h1>
<p><code>${escapeHtml(resource.value)}</code></p>
<table>
<caption>Descripción</caption>
<thead><tr><th scope="col">Propiedad</th><th scope="col">Valor</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</main>
</body>
</html>
`;
}
