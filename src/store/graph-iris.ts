/** The IRIs of the store's graphs: one per dataset, plus the catalog and the vocabulary graphs. */
import type * as RDF from '@rdfjs/types';
import { BadRequest, Forbidden } from '../errors/index.js';
import { DataFactory } from '../rdf/index.js';

/** Graph names that are not datasets: they hold the DCAT catalog and Vínculo's vocabularies. */
const reservedIds = new Set(['catalog', 'vocabulary']);

/** Dataset ids follow the URI scheme's `{ref}` rule: lowercase ASCII, digits and `-`. */
const datasetIdPattern = /^[a-z0-9](?:[a-z0-9-]{0,126}[a-z0-9])?$/;

/** The base IRI with exactly one trailing slash, so `{base}graph/{id}` never doubles or drops one. */
export function normalizeBaseIRI(baseIRI: string): string {
  return baseIRI.endsWith('/') ? baseIRI : `${baseIRI}/`;
}

/** True for an id that can name a dataset: `[a-z0-9-]`, no leading/trailing `-`, not reserved. */
export function isValidDatasetId(id: string): boolean {
  return datasetIdPattern.test(id) && !reservedIds.has(id);
}

/**
 * The named graph that holds dataset `id`: `{base}graph/{id}`.
 * @throws BadRequest when `id` is not a valid dataset id.
 */
export function datasetGraph(baseIRI: string, id: string): RDF.NamedNode {
  if (!isValidDatasetId(id)) {
    throw new BadRequest(`invalid dataset id "${id}": use lowercase letters, digits and "-" (not catalog/vocabulary)`);
  }
  return DataFactory.namedNode(`${normalizeBaseIRI(baseIRI)}graph/${id}`);
}

/** The graph holding the DCAT catalog and the provenance of every import: `{base}graph/catalog`. */
export function catalogGraph(baseIRI: string): RDF.NamedNode {
  return DataFactory.namedNode(`${normalizeBaseIRI(baseIRI)}graph/catalog`);
}

/** The graph holding Vínculo's own vocabularies: `{base}graph/vocabulary`. */
export function vocabularyGraph(baseIRI: string): RDF.NamedNode {
  return DataFactory.namedNode(`${normalizeBaseIRI(baseIRI)}graph/vocabulary`);
}

/** The dataset id of a graph IRI, or undefined when the graph is not a dataset graph. */
export function datasetIdOfGraph(baseIRI: string, graphIRI: string): string | undefined {
  const prefix = `${normalizeBaseIRI(baseIRI)}graph/`;
  if (!graphIRI.startsWith(prefix)) return undefined;
  const id = graphIRI.slice(prefix.length);
  return isValidDatasetId(id) ? id : undefined;
}

/** The graphs only Vínculo itself writes (imports keep the catalog; start-up keeps the vocabularies). */
export function reservedGraphs(baseIRI: string): readonly string[] {
  return [catalogGraph(baseIRI).value, vocabularyGraph(baseIRI).value];
}

/** The refusal of a write to a reserved graph, the same from every write path. */
export function reservedGraphWrite(graph: string): Forbidden {
  return new Forbidden(`<${graph}> is reserved: only Vínculo writes it (imports keep the catalog, start-up the vocabularies)`);
}
