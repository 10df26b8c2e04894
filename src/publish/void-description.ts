/** The VoID description of the site and what the store itself states about each dataset (W3C Note "Describing Linked Datasets with the VoID Vocabulary"). */
import type * as RDF from '@rdfjs/types';
import { DataFactory, datasetIri, dumpKinds, dumpUrl, ns, sparqlEndpointIri, voidIri } from '../rdf/index.js';
import { ldesVoidQuads } from '../ldes/index.js';
import type { DatasetInfo, VinculoStore } from '../store/index.js';
import { usageVoid } from '../usage/index.js';
import type { DatasetStatistics } from './dataset-statistics.js';

const { namedNode, literal, quad } = DataFactory;
const integer = (value: number) => literal(String(value), ns.xsd('integer'));

/** What the store itself knows of a dataset, stated on its `/dataset/{id}` page and in VoID. */
export function datasetFacts(baseIRI: string, info: DatasetInfo): RDF.Quad[] {
  const dataset = datasetIri(baseIRI, info.id);
  return [
    quad(dataset, ns.rdf('type'), ns.dcat('Dataset')),
    quad(dataset, ns.rdf('type'), ns.void('Dataset')),
    quad(dataset, ns.dct('identifier'), literal(info.id)),
    quad(dataset, ns.dct('modified'), literal(info.modified.toISOString(), ns.xsd('dateTime'))),
    quad(dataset, ns.void('triples'), integer(info.quads)),
    quad(dataset, ns.void('sparqlEndpoint'), sparqlEndpointIri(baseIRI)),
    quad(dataset, ns.rdfs('seeAlso'), info.graph),
    ...dumpKinds.map((kind) => quad(dataset, ns.void('dataDump'), namedNode(dumpUrl(baseIRI, info.id, kind)))),
    // LDES (src/ldes): the event stream as a subset entered at its time view.
    ...ldesVoidQuads(baseIRI, info.id),
  ];
}

/**
 * The VoID description: one `void:Dataset` per dataset with endpoints, dumps, URI space, example
 * resources, vocabularies, figures, and a `void:Linkset` per (target dataset, link predicate).
 * @throws whatever the store raises while the statistics pass reads a dataset.
 */
export async function voidDescription(
  store: VinculoStore,
  baseIRI: string,
  statistics: (info: DatasetInfo) => Promise<DatasetStatistics>,
): Promise<RDF.Quad[]> {
  const description = voidIri(baseIRI);
  const root = namedNode(`${description.value}#vinculo`);
  const quads: RDF.Quad[] = [
    quad(description, ns.rdf('type'), ns.void('DatasetDescription')),
    quad(description, ns.foaf('primaryTopic'), root),
    quad(root, ns.rdf('type'), ns.void('Dataset')),
    quad(root, ns.dct('title'), literal('Vínculo', 'es')),
    quad(root, ns.void('sparqlEndpoint'), sparqlEndpointIri(baseIRI)),
    quad(root, ns.void('uriSpace'), literal(baseIRI)),
    // Usage (src/usage, issue 23): the daily DQV measurements as a subset of the site.
    ...usageVoid(baseIRI, root),
  ];
  for (const info of store.listDatasets()) {
    const dataset = datasetIri(baseIRI, info.id);
    const figures = await statistics(info);
    quads.push(quad(root, ns.void('subset'), dataset), ...datasetFacts(baseIRI, info));
    quads.push(
      quad(dataset, ns.void('entities'), integer(figures.entities)),
      quad(dataset, ns.void('distinctSubjects'), integer(figures.distinctSubjects)),
      quad(dataset, ns.void('properties'), integer(figures.properties)),
      quad(dataset, ns.void('classes'), integer(figures.classes.length)),
    );
    if (figures.uriSpace) quads.push(quad(dataset, ns.void('uriSpace'), literal(figures.uriSpace)));
    for (const example of figures.examples) quads.push(quad(dataset, ns.void('exampleResource'), namedNode(example)));
    for (const vocabulary of figures.vocabularies) quads.push(quad(dataset, ns.void('vocabulary'), namedNode(vocabulary)));
    figures.linksets.forEach((linkset, index) => {
      const node = namedNode(`${dataset.value}#linkset-${index + 1}`);
      quads.push(
        quad(dataset, ns.void('subset'), node),
        quad(node, ns.rdf('type'), ns.void('Linkset')),
        quad(node, ns.void('subjectsTarget'), dataset),
        quad(node, ns.void('objectsTarget'), datasetIri(baseIRI, linkset.target)),
        quad(node, ns.void('linkPredicate'), namedNode(linkset.predicate)),
        quad(node, ns.void('triples'), integer(linkset.triples)),
      );
    });
  }
  return quads;
}

