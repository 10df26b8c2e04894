/**
 * The catalog graph's bookkeeping: which of its quads belong to a dataset's description, and the
 * plain quad edits (`CatalogChanges`) that replace or remove that description in the same step
 * as the dataset's own commit or drop. The store applies the edits without knowing what they mean.
 */
import type * as RDF from '@rdfjs/types';
import { catalogGraph, catalogIri, DataFactory, datasetIri, recordIri } from '../rdf/index.js';
import type { CatalogChanges, VinculoStore } from '../store/index.js';

/** A key equal for equal quads (graph aside: every quad here is in the catalog graph). */
function quadKey(quad: RDF.Quad): string {
  const term = (t: RDF.Term) => (t.termType === 'Literal' ? `"${t.value}"@${t.language}^^${t.datatype.value}` : `${t.termType}:${t.value}`);
  return `${term(quad.subject)} ${term(quad.predicate)} ${term(quad.object)}`;
}

/** Every quad of the catalog graph as the store holds it (RDF/JS streams are async iterable; a remote store's is not sync). */
export async function catalogQuads(store: VinculoStore): Promise<RDF.Quad[]> {
  const quads: RDF.Quad[] = [];
  for await (const quad of store.match(null, null, null, catalogGraph(store.baseIRI)) as unknown as AsyncIterable<RDF.Quad>) quads.push(quad);
  return quads;
}

/**
 * The quads of dataset `id`'s description among `catalog`: those about `{base}dataset/{id}` and
 * the resources under it (distributions, measurements, activities…) or its catalog record, the
 * catalog's links to them, the blank nodes they reach, and what they alone point to (a
 * publisher or theme no other description names any more).
 */
export function describedBy(catalog: readonly RDF.Quad[], baseIRI: string, id: string): RDF.Quad[] {
  const dataset = datasetIri(baseIRI, id).value;
  const record = recordIri(baseIRI, id).value;
  const catalogNode = catalogIri(baseIRI).value;
  const owned = (term: RDF.Term) =>
    term.termType === 'NamedNode' && (term.value === dataset || term.value.startsWith(`${dataset}/`) || term.value.startsWith(`${dataset}#`) || term.value === record);
  const nodeKey = (term: RDF.Term) => `${term.termType}:${term.value}`;
  const bySubject = new Map<string, RDF.Quad[]>();
  /** How many quads not (yet) removed name each node as their object. */
  const references = new Map<string, number>();
  for (const quad of catalog) {
    const key = nodeKey(quad.subject);
    bySubject.set(key, [...(bySubject.get(key) ?? []), quad]);
    references.set(nodeKey(quad.object), (references.get(nodeKey(quad.object)) ?? 0) + 1);
  }
  const removed = new Set<RDF.Quad>();
  const remove = (quad: RDF.Quad) => {
    removed.add(quad);
    references.set(nodeKey(quad.object), (references.get(nodeKey(quad.object)) ?? 1) - 1);
  };
  const pending: RDF.Quad[] = catalog.filter((quad) => owned(quad.subject) || (quad.subject.value === catalogNode && owned(quad.object)));
  pending.forEach(remove);
  const referencedOutside = (node: RDF.Term) => (references.get(nodeKey(node)) ?? 0) > 0;
  // Blank nodes are reached through the removed quads; other objects only once nothing else names them.
  for (let quad = pending.pop(); quad !== undefined; quad = pending.pop()) {
    const object = quad.object;
    if (object.termType !== 'BlankNode' && object.termType !== 'NamedNode') continue;
    if (object.termType === 'NamedNode' && (owned(object) || referencedOutside(object))) continue;
    for (const reached of bySubject.get(nodeKey(object)) ?? []) {
      if (removed.has(reached)) continue;
      remove(reached);
      pending.push(reached);
    }
  }
  return [...removed];
}

/** Blank nodes of a new description labelled per dataset (`{id}_p_…`), so two datasets' labels never merge in the catalog graph. */
function labelledFor(id: string, quads: readonly RDF.Quad[]): RDF.Quad[] {
  const relabel = <T extends RDF.Term>(term: T): T => (term.termType === 'BlankNode' ? (DataFactory.blankNode(`${id}_p_${term.value}`) as unknown as T) : term);
  return quads.map((quad) => DataFactory.quad(relabel(quad.subject), quad.predicate, relabel(quad.object)));
}

/**
 * The edits that replace dataset `id`'s description in `catalog` by `next` (its DCAT, DQV and
 * PROV-O quads); an empty `next` removes it. Only real changes: quads kept by both are neither
 * removed nor added again.
 */
export function catalogChanges(catalog: readonly RDF.Quad[], baseIRI: string, id: string, next: readonly RDF.Quad[]): CatalogChanges {
  const previous = describedBy(catalog, baseIRI, id);
  const previousKeys = new Set(previous.map(quadKey));
  const kept = new Set(catalog.filter((quad) => !previousKeys.has(quadKey(quad))).map(quadKey));
  const added = new Map<string, RDF.Quad>();
  for (const quad of labelledFor(id, next)) {
    const key = quadKey(quad);
    if (!kept.has(key)) added.set(key, quad);
  }
  // A quad the new description states again (a shared publisher, an unchanged measurement) stays in place.
  return { remove: previous.filter((quad) => !added.has(quadKey(quad))), add: [...added.values()].filter((quad) => !previousKeys.has(quadKey(quad))) };
}
