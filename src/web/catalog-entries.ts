/** The datasets of the catalog as the browser pages show them: DCAT from the catalog graph, or just the store's own figures when DCAT is missing. */
import type * as RDF from '@rdfjs/types';
import { collectQuads, DataFactory, datasetIri, labelPredicates, ns, themeSchemeIri } from '../rdf/index.js';
import { type VinculoStore, catalogGraph } from '../store/index.js';
import { pickLabel, pickLiteral } from './labels.js';
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
  /** The EU data themes (and any theme outside the portal's scheme). */
  readonly themes: readonly FacetValue[];
  /** The portal's own categories (`{base}kos/tema/…`), kept apart from the EU themes they map to. */
  readonly categories: readonly FacetValue[];
  readonly publishers: readonly FacetValue[];
  readonly keywords: readonly FacetValue[];
  readonly triples: number;
  /** `dct:modified` as the metadata states it (a date or date-time): when the publisher last changed the data. */
  readonly updated?: string;
  /** When the store last loaded the dataset's graph: bookkeeping, not the data's own date. */
  readonly imported: Date;
  /** Whether a DCAT description was found in the catalog graph. */
  readonly described: boolean;
}

/**
 * The best label of `node` in the reader's language, from every graph. Every graph, because the
 * catalog graph repeats only one language of a theme (Spanish for the portal's categories,
 * English for the EU data themes) while the vocabulary graph has both: preferring the catalog's
 * copy showed English themes on Spanish pages and Spanish ones on English pages.
 * @throws whatever error the store raises while matching.
 */
export async function labelOf(store: RDF.Source<RDF.Quad>, node: RDF.Term, language: UiLanguage): Promise<string | undefined> {
  if (node.termType === 'Literal') return node.value;
  if (node.termType !== 'NamedNode' && node.termType !== 'BlankNode') return undefined;
  const quads: RDF.Quad[] = [];
  for (const predicate of labelPredicates) quads.push(...(await collectQuads(store, [node, DataFactory.namedNode(predicate), null, null])));
  return pickLabel(quads, language);
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

async function facetValues(store: RDF.Source<RDF.Quad>, objects: readonly RDF.Term[], language: UiLanguage): Promise<FacetValue[]> {
  const values = new Map<string, FacetValue>();
  for (const object of objects) {
    if (object.termType === 'Literal') {
      // Keywords in another language than the reader's are still keywords: all are shown.
      values.set(object.value, { key: object.value, label: object.value });
    } else if (object.termType === 'NamedNode' || object.termType === 'BlankNode') {
      const label = (await labelOf(store, object, language)) ?? (object.termType === 'NamedNode' ? localName(object.value) : '');
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
    const subject = datasetIri(store.baseIRI, info.id);
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
  const objects = async (predicate: RDF.NamedNode) => (await collectQuads(store, [subject, predicate, null, graph])).map((quad) => quad.object);
  // One facet per kind of concept: a portal category and the EU theme it maps to are both dcat:themes, but shown together every theme appeared twice.
  const portalScheme = themeSchemeIri(store.baseIRI);
  const themes = await objects(ns.dcat('theme'));
  const isCategory = (theme: RDF.Term) => theme.termType === 'NamedNode' && store.countQuads(theme, ns.skos('inScheme'), portalScheme, null) > 0;
  const updated = (await collectQuads(store, [subject, ns.dct('modified'), null, graph], 1))[0]?.object.value;
  const title = pickLiteral(await collectQuads(store, [subject, ns.dct('title'), null, graph]), language);
  const description = pickLiteral(await collectQuads(store, [subject, ns.dct('description'), null, graph]), language);
  return {
    id: info.id,
    iri: subject.value,
    title: title ?? info.id,
    description,
    themes: await facetValues(store, themes.filter((theme) => !isCategory(theme)), language),
    categories: await facetValues(store, themes.filter(isCategory), language),
    publishers: await facetValues(store, await objects(ns.dct('publisher')), language),
    keywords: await facetValues(store, await objects(ns.dcat('keyword')), language),
    triples: info.quads,
    updated,
    imported: info.modified,
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
  return entryOf(store, info, datasetIri(store.baseIRI, id), catalogGraph(store.baseIRI), language);
}

export interface CatalogFilters {
  readonly theme?: string;
  readonly category?: string;
  readonly publisher?: string;
  readonly keyword?: string;
}

export type FacetName = keyof CatalogFilters;

/** The facets in the order pages show them. */
export const facetNames: readonly FacetName[] = ['theme', 'category', 'publisher', 'keyword'];

/** The values of facet `name` on `entry`. */
export function facetValuesOf(entry: CatalogEntry, name: FacetName): readonly FacetValue[] {
  const values: Record<FacetName, readonly FacetValue[]> = { theme: entry.themes, category: entry.categories, publisher: entry.publishers, keyword: entry.keywords };
  return values[name];
}

export interface FacetCount extends FacetValue {
  readonly count: number;
}

/** The entries that carry every filter's value. */
export function filterEntries(entries: readonly CatalogEntry[], filters: CatalogFilters): CatalogEntry[] {
  return entries.filter((entry) =>
    facetNames.every((name) => {
      const key = filters[name];
      return key === undefined || facetValuesOf(entry, name).some((value) => value.key === key);
    }),
  );
}

/** For each facet, its values among `entries` with how many entries have each, most frequent first. */
export function facetCounts(entries: readonly CatalogEntry[]): Record<FacetName, FacetCount[]> {
  const count = (name: FacetName) => {
    const counts = new Map<string, FacetCount>();
    for (const entry of entries) {
      for (const value of facetValuesOf(entry, name)) counts.set(value.key, { ...value, count: (counts.get(value.key)?.count ?? 0) + 1 });
    }
    return [...counts.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  };
  return { theme: count('theme'), category: count('category'), publisher: count('publisher'), keyword: count('keyword') };
}
