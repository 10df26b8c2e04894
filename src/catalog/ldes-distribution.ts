/** The DCAT-AP description of a dataset's Linked Data Event Stream (`/ldes/{id}`, built in `src/ldes`). */
import type * as RDF from '@rdfjs/types';
import { DataFactory, dataServiceIri, datasetIri, distributionIri, ns, streamIri } from '../rdf/index.js';

const { quad, literal, namedNode } = DataFactory;

/** The LDES specification, what a distribution of the stream conforms to. */
export const ldesSpecification = 'https://w3id.org/ldes/specification';

/**
 * DCAT-AP: a `dcat:Distribution` of the dataset whose access URL is the stream (conforming to the
 * LDES specification), served by a `dcat:DataService` whose endpoint is the stream.
 */
export function ldesCatalogQuads(baseIRI: string, datasetId: string): RDF.Quad[] {
  const dataset = datasetIri(baseIRI, datasetId);
  const stream = streamIri(baseIRI, datasetId);
  const distribution = distributionIri(baseIRI, datasetId, 'ldes');
  const service = dataServiceIri(stream);
  const specification = namedNode(ldesSpecification);
  const turtle = namedNode('https://www.iana.org/assignments/media-types/text/turtle');
  return [
    quad(dataset, ns.dcat('distribution'), distribution),
    quad(distribution, ns.rdf('type'), ns.dcat('Distribution')),
    quad(distribution, ns.dct('title'), literal('Flujo de eventos de datos enlazados (LDES)', 'es')),
    quad(distribution, ns.dct('title'), literal('Linked Data Event Stream', 'en')),
    quad(distribution, ns.dcat('accessURL'), stream),
    quad(distribution, ns.dcat('accessService'), service),
    quad(distribution, ns.dct('conformsTo'), specification),
    quad(distribution, ns.dcat('mediaType'), turtle),
    quad(service, ns.rdf('type'), ns.dcat('DataService')),
    quad(service, ns.dct('title'), literal('Flujo de eventos del conjunto de datos', 'es')),
    quad(service, ns.dct('title'), literal("The dataset's event stream", 'en')),
    quad(service, ns.dcat('endpointURL'), stream),
    quad(service, ns.dct('conformsTo'), specification),
    quad(service, ns.dcat('servesDataset'), dataset),
  ];
}

