/** The graphs only Vínculo writes, and the refusal of writes to them (the graph IRIs themselves are the URI scheme's, in rdf/uris.ts). */
import { Forbidden } from '../errors/index.js';
import { catalogGraph, vocabularyGraph } from '../rdf/index.js';

export { catalogGraph, datasetGraph, datasetIdOfGraph, internalGraphIri, isValidDatasetId, normalizeBaseIRI, vocabularyGraph } from '../rdf/index.js';

/** The graphs only Vínculo itself writes (imports keep the catalog; start-up keeps the vocabularies). */
export function reservedGraphs(baseIRI: string): readonly string[] {
  // The catalog graph also holds the event streams' commit markers (src/ldes): a write there could show members of a version that never committed.
  return [catalogGraph(baseIRI).value, vocabularyGraph(baseIRI).value];
}

/** The refusal of a write to a reserved graph, the same from every write path. */
export function reservedGraphWrite(graph: string): Forbidden {
  return new Forbidden(`<${graph}> is reserved: only Vínculo writes it (imports keep the catalog, start-up the vocabularies)`);
}
