/** The HTML view of a resource description: labels instead of IRIs, every value escaped, links kept inside the site, its own data embedded as JSON-LD. */
import type * as RDF from '@rdfjs/types';
import { catalogIri, datasetSpace } from '../rdf/index.js';
import { escapeHtml, scriptJson, shortName, siteHref } from './html.js';
import { labelIndex } from './labels.js';
import { type UiLanguage, messagesFor } from './language.js';
import { colombiaDepartments, departmentAt, pointOf, projectPoint, renderColombiaMap } from './maps/index.js';
import { renderPageShell } from './page-shell.js';
import { uiWordsFor } from './ui-words.js';

export interface Alternate {
  readonly href: string;
  readonly type: string;
  /** Short visible name: "Turtle", "JSON-LD", ... */
  readonly label: string;
}

export interface ResourcePageInput {
  /** What the page is about: the primary topic first, then hash terms (a vocabulary's classes). */
  readonly topics: readonly RDF.NamedNode[];
  /** The description as triples (graphs dropped). */
  readonly quads: readonly RDF.Quad[];
  readonly incoming: { readonly count: number; readonly sample: readonly RDF.Quad[]; readonly allUrl: string };
  readonly baseIRI: string;
  readonly language: UiLanguage;
  readonly alternates: readonly Alternate[];
  /** The page's data as JSON-LD text, embedded for machines that read HTML. */
  readonly jsonLd: string;
}

const rdfType = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

interface Context {
  readonly quads: readonly RDF.Quad[];
  readonly baseIRI: string;
  readonly label: (iri: string) => string | undefined;
}

function iriLink(iri: string, { baseIRI, label }: Context): string {
  const href = siteHref(iri, baseIRI);
  const external = href === iri ? ' rel="external"' : '';
  return `<a href="${escapeHtml(href)}"${external} title="${escapeHtml(iri)}">${escapeHtml(label(iri) ?? shortName(iri, baseIRI))}</a>`;
}

function renderValue(term: RDF.Term, context: Context, open: Set<string>): string {
  if (term.termType === 'NamedNode') return iriLink(term.value, context);
  if (term.termType === 'Literal') {
    const lang = term.language ? ` lang="${escapeHtml(term.language)}"` : '';
    return `<span${lang}>${escapeHtml(term.value)}</span>`;
  }
  if (term.termType === 'BlankNode' && !open.has(term.value)) {
    // Blank nodes have no page of their own, so their closure is shown in place.
    open.add(term.value);
    const nested = renderProperties(term, context, open);
    open.delete(term.value);
    return nested;
  }
  return '<span>…</span>';
}

function renderProperties(subject: RDF.Term, context: Context, open: Set<string>): string {
  const byPredicate = new Map<string, RDF.Term[]>();
  for (const quad of context.quads) {
    if (!quad.subject.equals(subject)) continue;
    const values = byPredicate.get(quad.predicate.value) ?? [];
    values.push(quad.object);
    byPredicate.set(quad.predicate.value, values);
  }
  // Each predicate named once, not at every comparison of the sort.
  const names = new Map([...byPredicate.keys()].map((iri) => [iri, context.label(iri) ?? shortName(iri, context.baseIRI)]));
  const name = (iri: string) => names.get(iri) ?? '';
  const rows = [...byPredicate.entries()]
    .sort(([a], [b]) => (a === rdfType ? -1 : b === rdfType ? 1 : name(a).localeCompare(name(b))))
    .map(([predicate, values]) => {
      const items = values.map((value) => renderValue(value, context, open));
      const cell = items.length === 1 ? items[0] : `<ul>${items.map((item) => `<li>${item}</li>`).join('')}</ul>`;
      return `<tr><th scope="row">${iriLink(predicate, context)}</th><td>${cell}</td></tr>`;
    });
  return `<table>\n${rows.join('\n')}\n</table>`;
}

function sectionId(topic: RDF.NamedNode, primary: RDF.NamedNode): string | undefined {
  return topic.value.startsWith(`${primary.value}#`) ? topic.value.slice(primary.value.length + 1) : undefined;
}

/** The page about `topics[0]`; hash terms get a section each, anchored at their fragment id so `…#Term` lands on it. */
export function renderResourcePage(input: ResourcePageInput): string {
  const { topics, quads, incoming, baseIRI, language, alternates, jsonLd } = input;
  const words = messagesFor(language);
  const label = labelIndex(quads, language);
  const context: Context = { quads, baseIRI, label };
  const [primary] = topics;
  if (!primary) throw new RangeError('a resource page needs a topic');
  const title = label(primary.value) ?? shortName(primary.value, baseIRI);
  const sections = topics.map((topic, index) => {
    const heading = index === 0 ? 'h2' : 'h3';
    const id = sectionId(topic, primary);
    const name = label(topic.value) ?? shortName(topic.value, baseIRI);
    const types = quads.filter((quad) => quad.subject.equals(topic) && quad.predicate.value === rdfType);
    const typeLine = types.length === 0 ? '' : `<p>${escapeHtml(words.types)}: ${types.map((quad) => renderValue(quad.object, context, new Set())).join(', ')}</p>`;
    return `<section${id === undefined ? '' : ` id="${escapeHtml(id)}"`} aria-labelledby="t${index}">
<${heading} id="t${index}">${escapeHtml(index === 0 ? words.description : name)}</${heading}>
<p>${escapeHtml(words.identifier)}: <code>${escapeHtml(topic.value)}</code></p>
${typeLine}
${renderProperties(topic, context, new Set())}
</section>`;
  });
  const primaryIri = primary.value;
  const incomingRows = incoming.sample
    .map((quad) => `<li>${iriLink(quad.subject.value, context)} — ${iriLink(quad.predicate.value, context)}</li>`)
    .join('\n');
  const incomingSection = `<section aria-labelledby="incoming">
<h2 id="incoming">${escapeHtml(words.incomingLinks(incoming.count))}</h2>
${incoming.count === 0 ? `<p>${escapeHtml(words.noIncoming)}</p>` : `<ul>\n${incomingRows}\n</ul>\n<p><a href="${escapeHtml(siteHref(incoming.allUrl, baseIRI))}">${escapeHtml(words.seeAllIncoming)}</a></p>`}
</section>`;
  const formats = `<nav aria-label="${escapeHtml(words.otherFormats)}"><h2>${escapeHtml(words.otherFormats)}</h2><ul>${alternates
    .map((alternate) => `<li><a href="${escapeHtml(alternate.href)}" type="${escapeHtml(alternate.type)}">${escapeHtml(alternate.label)}</a></li>`)
    .join('')}</ul></nav>`;
  const head = [
    ...alternates.map((alternate) => `<link rel="alternate" type="${escapeHtml(alternate.type)}" href="${escapeHtml(alternate.href)}">`),
    `<script type="application/ld+json">${scriptJson(jsonLd)}</script>`,
  ].join('\n');
  const main = `<h1>${escapeHtml(title)}</h1>
<p><code>${escapeHtml(primaryIri)}</code></p>
${sections.join('\n')}
${locationSection(quads, primary, language)}
${incomingSection}
${formats}`;
  const root = new URL(baseIRI).pathname;
  const ui = uiWordsFor(language);
  // The middle crumb says what kind of thing this is (its first type, linked to the type's page).
  const firstType = quads.find((quad) => quad.subject.equals(primary) && quad.predicate.value === rdfType && quad.object.termType === 'NamedNode')?.object;
  const middle = primaryIri.startsWith(datasetSpace(baseIRI))
    ? [{ label: ui.catalog, href: catalogIri(root).value }]
    : firstType
      ? [{ label: label(firstType.value) ?? shortName(firstType.value, baseIRI), href: siteHref(firstType.value, baseIRI) }]
      : [];
  const breadcrumbs = [{ label: ui.home, href: root }, ...middle, { label: title }];
  return renderPageShell({ language, title, head, main, root, breadcrumbs });
}

/** A map with the resource's point (WGS84 coordinates or a GeoSPARQL POINT), its department outlined; nothing for a resource without one or a point outside Colombia. */
function locationSection(quads: readonly RDF.Quad[], topic: RDF.NamedNode, language: UiLanguage): string {
  const point = pointOf(quads, topic);
  const at = point && projectPoint(point.latitude, point.longitude);
  if (!point || !at) return '';
  const words = uiWordsFor(language).usage;
  const locale = language === 'es' ? 'es-CO' : 'en-US';
  const degrees = (value: number) => value.toLocaleString(locale, { maximumFractionDigits: 5 });
  return `<section aria-labelledby="location"><h2 id="location">${escapeHtml(words.location)}</h2>
${renderColombiaMap({
  id: 'location-map',
  title: words.location,
  summary: words.locationSummary(degrees(point.latitude), degrees(point.longitude)),
  points: [point],
  highlight: departmentAt(at, colombiaDepartments())?.code,
  size: 'small',
  words: words.map,
  formatNumber: (value) => value.toLocaleString(locale),
})}
</section>`;
}

export interface NotFoundPageInput {
  readonly iri: string;
  readonly baseIRI: string;
  readonly language: UiLanguage;
  /** 404 or 410: the page says which. */
  readonly gone?: boolean;
}

/** The HTML body of a 404 (or 410) for a resource nobody describes. */
export function renderNotFoundPage({ iri, baseIRI, language, gone = false }: NotFoundPageInput): string {
  const words = messagesFor(language);
  const title = gone ? (language === 'en' ? 'Gone' : 'Retirado') : words.notFoundTitle;
  const body = gone
    ? language === 'en'
      ? 'This resource belonged to a dataset that has been withdrawn.'
      : 'Este recurso pertenecía a un conjunto de datos que fue retirado.'
    : words.notFoundBody;
  return renderPageShell({
    language,
    title,
    root: new URL(baseIRI).pathname,
    main: `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(body)}</p>\n<p><code>${escapeHtml(iri)}</code></p>`,
  });
}
