/** The catalog as served: what imports stored in the catalog graph, plus the parts built at read time. */
import type * as RDF from '@rdfjs/types';
import { DataFactory } from '../rdf/index.js';
import { catalogGraph, type VinculoStore } from '../store/index.js';
import { catalogDescription, rangeTypes } from './dcat.js';

/**
 * Every quad of the catalog, in the catalog graph: the stored dataset descriptions, quality
 * measurements and provenance, and (built now) the dcat:Catalog with its data services serving
 * the datasets the store holds, and the authority IRIs'
 * classes. The DQV metrics themselves are defined in the vocabulary graph (`/def/calidad`).
 */
export async function storeCatalog(store: VinculoStore, baseIRI: string): Promise<RDF.Quad[]> {
  const graph = catalogGraph(baseIRI);
  // RDF/JS streams are async iterable; a remote store's match result is not a sync iterable.
  const stored: RDF.Quad[] = [];
  for await (const item of store.match(null, null, null, graph) as unknown as AsyncIterable<RDF.Quad>) stored.push(item);
  const built = catalogDescription(baseIRI, store.listDatasets().map((info) => info.id));
  const all = [...stored, ...built.map((item) => DataFactory.quad(item.subject, item.predicate, item.object, graph))];
  const present = new Set(stored.map((item) => `${item.subject.value} ${item.predicate.value} ${item.object.value}`));
  const typed = rangeTypes(all).filter((item) => !present.has(`${item.subject.value} ${item.predicate.value} ${item.object.value}`));
  return [...all, ...typed.map((item) => DataFactory.quad(item.subject, item.predicate, item.object, graph))];
}
