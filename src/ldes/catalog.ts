/** How VoID points to a dataset's event stream (DCAT's distribution of it is the catalog's, `catalog/ldes-distribution.ts`). */
import type * as RDF from '@rdfjs/types';
import { ldesSpecification } from '../catalog/index.js';
import { DataFactory, datasetIri, ns, streamIri, viewIri } from '../rdf/index.js';
import { ldes } from './stream-terms.js';

const { quad, namedNode } = DataFactory;

/**
 * VoID: the stream as a `void:subset` of the dataset — a derived dataset whose members restate
 * the dataset's resources, version by version — entered at its time view (`void:rootResource`).
 */
export function ldesVoidQuads(baseIRI: string, datasetId: string): RDF.Quad[] {
  const stream = streamIri(baseIRI, datasetId);
  return [
    quad(datasetIri(baseIRI, datasetId), ns.void('subset'), stream),
    quad(stream, ns.rdf('type'), ns.void('Dataset')),
    quad(stream, ns.rdf('type'), ldes('EventStream')),
    quad(stream, ns.dct('conformsTo'), namedNode(ldesSpecification)),
    quad(stream, ns.void('rootResource'), viewIri(baseIRI, datasetId)),
  ];
}
