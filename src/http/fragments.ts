/**
 * Triple Pattern Fragments at `/fragments` (Linked Data Fragments, "Triple Pattern Fragments" spec,
 * Hydra Core): `?subject=&predicate=&object=&page=` answers the matching triples of the union of all
 * graphs, a page at a time, with a `void:triples` estimate, the hydra search form and paging links.
 */
import type * as RDF from '@rdfjs/types';
import { type Request, Router } from 'express';
import { BadRequest } from '../errors/index.js';
import { collectQuads, DataFactory, matchQuads, ns, rdfFormats, skolemSpace } from '../rdf/index.js';
import type { VinculoStore } from '../store/index.js';
import { type FragmentPageInput, pickLanguage, renderFragmentPage } from '../web/index.js';
import { storeClock } from './caching.js';
import { chooseRepresentation, documentFormats, rdfBody } from './document-response.js';
import type { RepresentationCache } from './representation-cache.js';

export interface FragmentsOptions {
  readonly store: VinculoStore;
  readonly baseIRI: string;
  /** Triples per page; 100 unless said. */
  readonly pageSize?: number;
  readonly cache: RepresentationCache;
}

export interface TriplePattern {
  readonly subject: RDF.Term | null;
  readonly predicate: RDF.Term | null;
  readonly object: RDF.Term | null;
}

const hydra = (local: string) => DataFactory.namedNode(`http://www.w3.org/ns/hydra/core#${local}`);
const { namedNode, literal, quad, blankNode } = DataFactory;

/** Graph-aware syntaxes first: they keep the controls in their own graph, apart from the data. */
const fragmentFormats = [
  ...['trig', 'nquads', 'jsonld'].flatMap((name) => rdfFormats.filter((format) => format.name === name)),
  ...documentFormats.filter((format) => !format.graphs),
];

/**
 * Reads one pattern parameter in the explicit representation (Hydra `ExplicitRepresentation`):
 * an IRI as is (or in `<…>`), a literal as `"text"`, `"text"@lang` or `"text"^^datatype`.
 * Empty values, variables (`?x`) and blank nodes (`_:b`) leave the position open.
 * @throws BadRequest for a literal outside the object position or an unterminated literal.
 */
export function parsePatternTerm(value: string | undefined, position: 'subject' | 'predicate' | 'object'): RDF.Term | null {
  if (value === undefined || value === '' || value.startsWith('?') || value.startsWith('_:')) return null;
  if (value.startsWith('"')) {
    if (position !== 'object') throw new BadRequest(`a literal cannot be the ${position} of a triple: ${value}`);
    const close = value.lastIndexOf('"');
    if (close <= 0) throw new BadRequest(`unterminated literal: ${value}`);
    const text = value.slice(1, close);
    const rest = value.slice(close + 1);
    if (rest.startsWith('@')) return literal(text, rest.slice(1));
    if (rest.startsWith('^^')) return literal(text, namedNode(rest.slice(2).replace(/^<(.*)>$/, '$1')));
    if (rest !== '') throw new BadRequest(`unexpected text after a literal: ${value}`);
    return literal(text);
  }
  return namedNode(value.replace(/^<(.*)>$/, '$1'));
}

/** The pattern's value as written back into a URL (the inverse of `parsePatternTerm`). */
export function patternTermValue(term: RDF.Term | null): string {
  if (term === null) return '';
  if (term.termType !== 'Literal') return term.value;
  if (term.language) return `"${term.value}"@${term.language}`;
  if (term.datatype.value === ns.xsd('string').value) return `"${term.value}"`;
  return `"${term.value}"^^${term.datatype.value}`;
}

/** Where blank nodes get IRIs a client can send back (RDF 1.1 §3.5). */
const skolemRoot = skolemSpace;

/** A blank node of the store as its skolem IRI; other terms as they are. */
function skolemized<T extends RDF.Term>(term: T, baseIRI: string): T | RDF.NamedNode {
  return term.termType === 'BlankNode' ? namedNode(`${skolemRoot(baseIRI)}${encodeURIComponent(term.value)}`) : term;
}

/** A skolem IRI of ours back to the store's blank node; other terms as they are. */
function unskolemized(term: RDF.Term | null, baseIRI: string): RDF.Term | null {
  const root = skolemRoot(baseIRI);
  if (term?.termType !== 'NamedNode' || !term.value.startsWith(root)) return term;
  try {
    return blankNode(decodeURIComponent(term.value.slice(root.length)));
  } catch {
    // Not one we minted (a stray `%`): it names no blank node, so nothing matches it.
    return term;
  }
}

function fragmentUrl(baseIRI: string, pattern: TriplePattern, page: number): string {
  const parameters = new URLSearchParams();
  for (const position of ['subject', 'predicate', 'object'] as const) {
    const value = patternTermValue(pattern[position]);
    if (value !== '') parameters.set(position, value);
  }
  if (page > 1) parameters.set('page', String(page));
  const query = parameters.toString();
  return `${baseIRI}fragments${query === '' ? '' : `?${query}`}`;
}

/**
 * One page of the triples matching `pattern` in the union of the store's graphs. A triple held in
 * several graphs is listed once: under the graph whose name sorts first. Blank nodes are written
 * as skolem IRIs under `baseIRI`: a label means nothing outside its document, so a client could
 * not ask for the triples of the node it found.
 * @returns the page's triples, whether another page follows, and the graphs the triples were read from.
 */
export async function fragmentPage(
  store: VinculoStore,
  pattern: TriplePattern,
  { page, pageSize, baseIRI }: { readonly page: number; readonly pageSize: number; readonly baseIRI: string },
): Promise<{ triples: RDF.Quad[]; hasNext: boolean; graphs: Set<RDF.Term> }> {
  const skip = (page - 1) * pageSize;
  const triples: RDF.Quad[] = [];
  const graphs = new Set<RDF.Term>();
  let seen = 0;
  for await (const candidate of matchQuads(store, pattern.subject, pattern.predicate, pattern.object, null)) {
    const copies = store.countQuads(candidate.subject, candidate.predicate, candidate.object, null);
    if (copies > 1) {
      const graphs = await collectQuads(store, [candidate.subject, candidate.predicate, candidate.object, null]);
      const first = graphs.map((copy) => copy.graph.value).sort()[0];
      if (candidate.graph.value !== first) continue;
    }
    seen++;
    graphs.add(candidate.graph);
    if (seen <= skip) continue;
    if (triples.length === pageSize) return { triples, hasNext: true, graphs };
    triples.push(quad(skolemized(candidate.subject, baseIRI), candidate.predicate, skolemized(candidate.object, baseIRI)));
  }
  return { triples, hasNext: false, graphs };
}

/** The hypermedia controls and metadata of a page, in the graph `{page}#metadata`. */
function controls(options: {
  baseIRI: string;
  pageUrl: string;
  pattern: TriplePattern;
  page: number;
  pageSize: number;
  estimate: number;
  hasNext: boolean;
}): RDF.Quad[] {
  const { baseIRI, pageUrl, pattern, page, pageSize, estimate, hasNext } = options;
  const graph = namedNode(`${pageUrl}#metadata`);
  const dataset = namedNode(`${baseIRI}fragments#dataset`);
  const view = namedNode(pageUrl);
  const search = blankNode('search');
  const count = literal(String(estimate), ns.xsd('integer'));
  const out: Array<[RDF.Quad_Subject, RDF.NamedNode, RDF.Quad_Object]> = [
    [graph, ns.foaf('primaryTopic'), dataset],
    [dataset, ns.rdf('type'), ns.void('Dataset')],
    [dataset, ns.rdf('type'), hydra('Collection')],
    [dataset, ns.void('subset'), view],
    [dataset, hydra('search'), search],
    [search, hydra('template'), literal(`${baseIRI}fragments{?subject,predicate,object}`)],
    [search, hydra('variableRepresentation'), hydra('ExplicitRepresentation')],
    [view, ns.rdf('type'), hydra('PartialCollectionView')],
    [view, ns.void('triples'), count],
    [view, hydra('totalItems'), count],
    [view, hydra('itemsPerPage'), literal(String(pageSize), ns.xsd('integer'))],
    [view, hydra('first'), namedNode(fragmentUrl(baseIRI, pattern, 1))],
  ];
  for (const [position, property] of [['subject', 'subject'], ['predicate', 'predicate'], ['object', 'object']] as const) {
    const mapping = blankNode(`mapping-${position}`);
    out.push([search, hydra('mapping'), mapping], [mapping, hydra('variable'), literal(position)], [mapping, hydra('property'), ns.rdf(property)]);
  }
  if (page > 1) out.push([view, hydra('previous'), namedNode(fragmentUrl(baseIRI, pattern, page - 1))]);
  if (hasNext) out.push([view, hydra('next'), namedNode(fragmentUrl(baseIRI, pattern, page + 1))]);
  return out.map(([subject, predicate, object]) => quad(subject, predicate, object, graph));
}

function pageNumber(request: Request): number {
  const raw = request.query.page;
  if (raw === undefined) return 1;
  const page = typeof raw === 'string' && /^[1-9][0-9]{0,8}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(page)) throw new BadRequest(`page must be a positive integer, got ${String(raw)}`);
  return page;
}

function parameter(request: Request, name: string): string | undefined {
  const value = request.query[name];
  if (value === undefined || typeof value === 'string') return value;
  throw new BadRequest(`give ${name} once`);
}

/**
 * The router of `/fragments`.
 * @throws BadRequest (400) from its handler for malformed pattern terms or page numbers; NotAcceptable (406).
 */
export function fragments({ store, baseIRI, pageSize = 100, cache }: FragmentsOptions): Router {
  const router = Router();
  const origin = new URL(baseIRI).origin;
  const lastModified = storeClock(store);
  const options = { html: true, formats: fragmentFormats };
  router.get('/fragments', async (request, response) => {
    // The pattern as the client wrote it names the page and its links; the store is asked with
    // skolem IRIs turned back into its blank nodes.
    const pattern: TriplePattern = {
      subject: parsePatternTerm(parameter(request, 'subject'), 'subject'),
      predicate: parsePatternTerm(parameter(request, 'predicate'), 'predicate'),
      object: parsePatternTerm(parameter(request, 'object'), 'object'),
    };
    const stored: TriplePattern = { subject: unskolemized(pattern.subject, baseIRI), predicate: pattern.predicate, object: unskolemized(pattern.object, baseIRI) };
    const page = pageNumber(request);
    const representation = chooseRepresentation(request, undefined, options);
    response.setHeader('Vary', 'Accept, Accept-Language');
    // The page's IRI is the URL the client fetched, byte for byte: LDF clients find the controls by it.
    const pageUrl = `${origin}${request.originalUrl}`;
    const language = pickLanguage(request.get('Accept-Language'));
    const variant = representation.kind === 'html' ? `html-${language}` : representation.suffix;
    const builtAt = store.version;
    const estimate = store.countQuads(stored.subject, stored.predicate, stored.object, null);
    const { triples, hasNext, graphs } = await fragmentPage(store, stored, { page, pageSize, baseIRI });
    const metadata = controls({ baseIRI, pageUrl, pattern, page, pageSize, estimate, hasNext });
    const common = { key: `${pageUrl}\n${variant}`, status: 200, lastModified: lastModified(), maxAge: 60, dependencies: { graphs, patterns: [stored], partial: [stored] }, builtAt };
    if (representation.kind === 'rdf') {
      const body = await rdfBody([...triples, ...metadata], representation.format, baseIRI);
      cache.respond(request, response, { ...common, contentType: `${representation.format.mediaType}; charset=utf-8`, body });
      return;
    }
    const input: FragmentPageInput = {
      baseIRI,
      language,
      pattern: { subject: patternTermValue(pattern.subject), predicate: patternTermValue(pattern.predicate), object: patternTermValue(pattern.object) },
      triples,
      estimate,
      previous: page > 1 ? fragmentUrl(baseIRI, pattern, page - 1) : undefined,
      next: hasNext ? fragmentUrl(baseIRI, pattern, page + 1) : undefined,
    };
    cache.respond(request, response, { ...common, contentType: 'text/html; charset=utf-8', body: renderFragmentPage(input) });
  });
  return router;
}
