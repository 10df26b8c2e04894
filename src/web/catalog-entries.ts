/** The datasets of the catalog as the browser pages show them: DCAT from the catalog graph, or just the store's own figures when DCAT is missing. */
import type * as RDF from '@rdfjs/types';
import { collectQuads, DataFactory, ns } from '../rdf/index.js';
import { type VinculoStore, catalogGraph } from '../store/index.js';
import type { UiLanguage } from './language.js';

/** A value of a facet: an IRI (theme, publisher) or a literal (keyword), with what to show. */
export interface FacetValue {
  /** What the filter parameter carries: the IRI, or the literal text. */
  readonly key: string;
  readonly label: string;
}

export interface CatalogEntry {
  readonly id: string;
  readonly iri: string;
  readonly title: string;
  readonly description?: string;
  readonly themes: readonly FacetValue[];
  readonly publishers: readonly FacetValue[];
  readonly keywords: readonly FacetValue[];
  readonly triples: number;
  readonly modified: Date;
  /** Whether a DCAT description was found in the catalog graph. */
  readonly described: boolean;
}

const labelPredicates = [ns.skos('prefLabel'), ns.foaf('name'), ns.rdfs('label'), ns.dct('title')];

/** The literal in the reader's language, else an untagged one, else any. */
export function pickLiteral(quads: readonly RDF.Quad[], language: UiLanguage): string | undefined {
  const literals = quads.map((quad) => quad.object).filter((term): term is RDF.Literal => term.termType === 'Literal');
  const rank = (literal: RDF.Literal) => {
    const tag = literal.language.toLowerCase();
    return tag === language || tag.startsWith(`${language}-`) ? 0 : tag === '' ? 1 : 2;
  };
  return literals.sort((a, b) => rank(a) - rank(b) || a.value.localeCompare(b.value))[0]?.value;
}

/**
 * The best label of `node` in `graph` (or anywhere when `graph` is null), in the reader's language.
 * @throws whatever error the store raises while matching.
 */
export async function labelOf(store: RDF.Source<RDF.Quad>, node: RDF.Term, language: UiLanguage, graph: RDF.Term | null = null): Promise<string | undefined> {
  if (node.termType === 'Literal') return node.value;
  if (node.termType !== 'NamedNode' && node.termType !== 'BlankNode') return undefined;
  for (const predicate of labelPredicates) {
    const found = pickLiteral(await collectQuads(store, [node, predicate, null, graph]), language);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * What `node` is: the label of its first type (or the type's local name), if it has one.
 * @throws whatever error the store raises while matching.
 */
export async function kindOf(store: RDF.Source<RDF.Quad>, node: RDF.NamedNode, language: UiLanguage): Promise<string | undefined> {
  const [typed] = await collectQuads(store, [node, ns.rdf('type'), null, null], 1);
  if (!typed) return undefined;
  return (await labelOf(store, typed.object, language)) ?? localName(typed.object.value);
}

/** The end of an IRI, readable enough when nothing labels it. */
export function localName(iri: string): string {
  const tail = iri.replace(/[/#]+$/, '').split(/[/#]/).pop() ?? iri;
  try {
    return decodeURIComponent(tail);
  } catch {
    return tail;
  }
}

async function facetValues(store: RDF.Source<RDF.Quad>, subject: RDF.NamedNode, predicate: RDF.NamedNode, graph: RDF.NamedNode, language: UiLanguage): Promise<FacetValue[]> {
  const values = new Map<string, FacetValue>();
  for (const quad of await collectQuads(store, [subject, predicate, null, graph])) {
    const object = quad.object;
    if (object.termType === 'Literal') {
      // Keywords in another language than the reader's are still keywords: all are shown.
      values.set(object.value, { key: object.value, label: object.value });
    } else if (object.termType === 'NamedNode' || object.termType === 'BlankNode') {
      const label = (await labelOf(store, object, language, graph)) ?? (await labelOf(store, object, language)) ?? (object.termType === 'NamedNode' ? localName(object.value) : '');
      // A blank publisher has no IRI to filter by, so its name stands for it.
      const key = object.termType === 'NamedNode' ? object.value : label;
      if (key !== '') values.set(key, { key, label });
    }
  }
  return [...values.values()].sort((a, b) => a.label.localeCompare(b.label));
}

/**
 * One entry per dataset in the store, described by its `dcat:Dataset` (`{base}dataset/{id}`) in
 * the catalog graph where there is one; sorted by title.
 * @throws whatever error the store raises while matching.
 */
export async function catalogEntries(store: VinculoStore, language: UiLanguage): Promise<CatalogEntry[]> {
  const graph = catalogGraph(store.baseIRI);
  const entries: CatalogEntry[] = [];
  for (const info of store.listDatasets()) {
    const subject = DataFactory.namedNode(`${store.baseIRI}dataset/${info.id}`);
    entries.push(await entryOf(store, info, subject, graph, language));
  }
  return entries.sort((a, b) => a.title.localeCompare(b.title, language));
}

async function entryOf(
  store: VinculoStore,
  info: { readonly id: string; readonly quads: number; readonly modified: Date },
  subject: RDF.NamedNode,
  graph: RDF.NamedNode,
  language: UiLanguage,
): Promise<CatalogEntry> {
  const described = store.countQuads(subject, ns.rdf('type'), ns.dcat('Dataset'), graph) > 0;
  const title = pickLiteral(await collectQuads(store, [subject, ns.dct('title'), null, graph]), language);
  const description = pickLiteral(await collectQuads(store, [subject, ns.dct('description'), null, graph]), language);
  return {
    id: info.id,
    iri: subject.value,
    title: title ?? info.id,
    description,
    themes: await facetValues(store, subject, ns.dcat('theme'), graph, language),
    publishers: await facetValues(store, subject, ns.dct('publisher'), graph, language),
    keywords: await facetValues(store, subject, ns.dcat('keyword'), graph, language),
    triples: info.quads,
    modified: info.modified,
    described,
  };
}

/**
 * The entry of one dataset, or undefined when the store has no dataset `id`.
 * @throws whatever error the store raises while matching.
 */
export async function catalogEntry(store: VinculoStore, id: string, language: UiLanguage): Promise<CatalogEntry | undefined> {
  const info = store.dataset(id);
  if (!info) return undefined;
  return entryOf(store, info, DataFactory.namedNode(`${store.baseIRI}dataset/${id}`), catalogGraph(store.baseIRI), language);
}

export interface CatalogFilters {
  readonly theme?: string;
  readonly publisher?: string;
  readonly keyword?: string;
}

export type FacetName = keyof CatalogFilters;

export interface FacetCount extends FacetValue {
  readonly count: number;
}

/** The entries that carry every filter's value. */
export function filterEntries(entries: readonly CatalogEntry[], filters: CatalogFilters): CatalogEntry[] {
  const has = (values: readonly FacetValue[], key: string | undefined) => key === undefined || values.some((value) => value.key === key);
  return entries.filter((entry) => has(entry.themes, filters.theme) && has(entry.publishers, filters.publisher) && has(entry.keywords, filters.keyword));
}

/** For each facet, its values among `entries` with how many entries have each, most frequent first. */
export function facetCounts(entries: readonly CatalogEntry[]): Record<FacetName, FacetCount[]> {
  const count = (pick: (entry: CatalogEntry) => readonly FacetValue[]) => {
    const counts = new Map<string, FacetCount>();
    for (const entry of entries) {
      for (const value of pick(entry)) counts.set(value.key, { ...value, count: (counts.get(value.key)?.count ?? 0) + 1 });
    }
    return [...counts.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  };
  return { theme: count((entry) => entry.themes), publisher: count((entry) => entry.publishers), keyword: count((entry) => entry.keywords) };
}
