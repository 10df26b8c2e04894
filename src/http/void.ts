/** `/.well-known/void`: the VoID description of the site (W3C Note "Describing Linked Datasets with the VoID Vocabulary", §7.2 discovery). */
import type * as RDF from '@rdfjs/types';
import { Router } from 'express';
import { DataFactory, ns } from '../rdf/index.js';
import type { DatasetInfo, VinculoStore } from '../store/index.js';
import { storeClock } from './caching.js';
import { type DatasetStatistics, datasetStatistics } from './dataset-statistics.js';
import { chooseRepresentation, rdfBody, setDocumentHeaders } from './document-response.js';
import { dumpKinds, dumpUrl } from './dumps.js';
import { type RepresentationCache, wholeStore } from './representation-cache.js';

export interface VoidOptions {
  readonly store: VinculoStore;
  readonly baseIRI: string;
  /** Shared with the sitemap so one pass over a dataset serves both. */
  readonly statistics?: (info: DatasetInfo) => Promise<DatasetStatistics>;
}

const { namedNode, literal, quad } = DataFactory;
const integer = (value: number) => literal(String(value), ns.xsd('integer'));

/** The IRI of the description of dataset `id` (`{base}dataset/{id}`), shared by DCAT and VoID. */
export function datasetIri(baseIRI: string, id: string): RDF.NamedNode {
  return namedNode(`${baseIRI}dataset/${id}`);
}

/** What the store itself knows of a dataset, stated on its `/dataset/{id}` page and in VoID. */
export function datasetFacts(baseIRI: string, info: DatasetInfo): RDF.Quad[] {
  const dataset = datasetIri(baseIRI, info.id);
  return [
    quad(dataset, ns.rdf('type'), ns.dcat('Dataset')),
    quad(dataset, ns.rdf('type'), ns.void('Dataset')),
    quad(dataset, ns.dct('identifier'), literal(info.id)),
    quad(dataset, ns.dct('modified'), literal(info.modified.toISOString(), ns.xsd('dateTime'))),
    quad(dataset, ns.void('triples'), integer(info.quads)),
    quad(dataset, ns.void('sparqlEndpoint'), namedNode(`${baseIRI}sparql`)),
    quad(dataset, ns.rdfs('seeAlso'), info.graph),
    ...dumpKinds.map((kind) => quad(dataset, ns.void('dataDump'), namedNode(dumpUrl(baseIRI, info.id, kind)))),
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
  const description = namedNode(`${baseIRI}.well-known/void`);
  const root = namedNode(`${baseIRI}.well-known/void#vinculo`);
  const quads: RDF.Quad[] = [
    quad(description, ns.rdf('type'), ns.void('DatasetDescription')),
    quad(description, ns.foaf('primaryTopic'), root),
    quad(root, ns.rdf('type'), ns.void('Dataset')),
    quad(root, ns.dct('title'), literal('Vínculo', 'es')),
    quad(root, ns.void('sparqlEndpoint'), namedNode(`${baseIRI}sparql`)),
    quad(root, ns.void('uriSpace'), literal(baseIRI)),
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

/**
 * The router of `/.well-known/void` (RDF only; Turtle unless `Accept` or a suffix says otherwise).
 * @throws NotAcceptable (406) from its handler when no RDF syntax matches `Accept`.
 */
export function voidRouter({ store, baseIRI, statistics = datasetStatistics({ store, baseIRI }), cache }: VoidOptions & { readonly cache: RepresentationCache }): Router {
  const router = Router();
  const lastModified = storeClock(store);
  const path = `${new URL(baseIRI).pathname}.well-known/void`;
  router.get(/^\/\.well-known\/void(?:\.(ttl|jsonld|rdf|nt|nq|trig))?$/, async (request, response) => {
    const suffix = /\.(ttl|jsonld|rdf|nt|nq|trig)$/.exec(request.path)?.[1];
    const representation = chooseRepresentation(request, suffix, { html: false });
    setDocumentHeaders(response, path, representation, { html: false });
    if (representation.kind !== 'rdf') return;
    const builtAt = store.version;
    const body = await rdfBody(await voidDescription(store, baseIRI, statistics), representation.format, baseIRI);
    const contentType = `${representation.format.mediaType}; charset=utf-8`;
    cache.respond(request, response, { key: `void\n${representation.suffix}`, status: 200, contentType, body, lastModified: lastModified(), dependencies: wholeStore, builtAt });
  });
  return router;
}
