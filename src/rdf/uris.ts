/**
 * Vínculo's URI scheme, defined once (the README's "URI scheme" table). It lives in the lowest
 * layer because every layer names things by it: the store its graphs, the catalog its DCAT
 * resources, the publish layer its activities, HTTP and the views their links.
 *
 * Each builder takes the site's base IRI (or, for links in pages, the site's root path: the
 * patterns are the same under either) and gives the absolute IRI (or path) of one pattern.
 */
import type * as RDF from '@rdfjs/types';
import { BadRequest } from '../errors/index.js';
import { DataFactory } from './factory.js';
import type { RdfFormatName } from './formats.js';

const { namedNode } = DataFactory;

/** The base IRI with exactly one trailing slash, so `{base}graph/{id}` never doubles or drops one. */
export function normalizeBaseIRI(baseIRI: string): string {
  return baseIRI.endsWith('/') ? baseIRI : `${baseIRI}/`;
}

// --- datasets and their graphs ---------------------------------------------------------------

/** Graph names that are not datasets: they hold the DCAT catalog and Vínculo's vocabularies. */
const reservedIds = new Set(['catalog', 'vocabulary']);

/** Dataset ids follow the URI scheme's `{ref}` rule: lowercase ASCII, digits and `-`. */
const datasetIdPattern = /^[a-z0-9](?:[a-z0-9-]{0,126}[a-z0-9])?$/;

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
  return namedNode(`${graphSpace(baseIRI)}${id}`);
}

/** The graph holding the DCAT catalog and the provenance of every import: `{base}graph/catalog`. */
export function catalogGraph(baseIRI: string): RDF.NamedNode {
  return namedNode(`${graphSpace(baseIRI)}catalog`);
}

/** The graph holding Vínculo's own vocabularies: `{base}graph/vocabulary`. */
export function vocabularyGraph(baseIRI: string): RDF.NamedNode {
  return namedNode(`${graphSpace(baseIRI)}vocabulary`);
}

/** A graph of the store's own bookkeeping, never a dataset's (`{base}graph/_{name}`: `_` cannot start an id). */
export function internalGraphIri(baseIRI: string, name: string): string {
  return `${graphSpace(baseIRI)}_${name}`;
}

/** Where the graphs are named: `{base}graph/` (a dataset's is `{base}graph/{id}`). */
export function graphSpace(base: string): string {
  return `${normalizeBaseIRI(base)}graph/`;
}

/** The dataset id of a graph IRI, or undefined when the graph is not a dataset graph. */
export function datasetIdOfGraph(baseIRI: string, graphIRI: string): string | undefined {
  const prefix = graphSpace(baseIRI);
  if (!graphIRI.startsWith(prefix)) return undefined;
  const id = graphIRI.slice(prefix.length);
  return isValidDatasetId(id) ? id : undefined;
}

/** Where dataset descriptions live: `{base}dataset/`. */
export function datasetSpace(base: string): string {
  return `${base}dataset/`;
}

/** The `dcat:Dataset` (and `void:Dataset`) describing dataset `id`: `{base}dataset/{id}`. */
export function datasetIri(base: string, id: string): RDF.NamedNode {
  return namedNode(`${datasetSpace(base)}${id}`);
}

/**
 * A resource that belongs to dataset `id`'s description (`{base}dataset/{id}/{path}`): its
 * distributions, contact point, period, column dictionary, quality measurements, activities.
 */
export function datasetPart(base: string, id: string, path: string): RDF.NamedNode {
  return namedNode(`${datasetSpace(base)}${id}/${path}`);
}

/** The PROV-O activity of a dataset's latest import: `{base}dataset/{id}/import` (one per dataset, replaced on every import). */
export function importActivityIri(base: string, id: string): RDF.NamedNode {
  return datasetPart(base, id, 'import');
}

/** The PROV-O activity of a dataset's latest harvest sync: `{base}dataset/{id}/sync`. */
export function syncActivityIri(base: string, id: string): RDF.NamedNode {
  return datasetPart(base, id, 'sync');
}

/** The CSVW table group describing a dataset's columns: `{base}dataset/{id}/columnas`. */
export function columnDictionaryIri(base: string, id: string): RDF.NamedNode {
  return datasetPart(base, id, 'columnas');
}

/** A DQV measurement on a dataset: `{base}dataset/{id}/calidad/{metric}[/{column}]`. */
export function measurementIri(base: string, id: string, local: string): RDF.NamedNode {
  return datasetPart(base, id, `calidad/${local}`);
}

/** A distribution of a dataset: `{base}dataset/{id}/distribution/{nt|ttl|nq|sparql}`. */
export function distributionIri(base: string, id: string, kind: string): RDF.NamedNode {
  return datasetPart(base, id, `distribution/${kind}`);
}

/** The dumps every dataset has, by kind (the `{kind}` of `{base}dumps/{id}.{kind}.gz`), with the syntax each is written in. */
export const dumpSyntaxes = { nt: 'ntriples', ttl: 'turtle', nq: 'nquads' } as const satisfies Record<string, RdfFormatName>;
export type DumpKind = keyof typeof dumpSyntaxes;
export const dumpKinds = Object.keys(dumpSyntaxes) as readonly DumpKind[];

/** The gzip dump of a dataset: `{base}dumps/{id}.{kind}.gz`. */
export function dumpUrl(base: string, id: string, kind: DumpKind): string {
  return `${base}dumps/${id}.${kind}.gz`;
}

// --- the catalog -----------------------------------------------------------------------------

/** The `dcat:Catalog`: `{base}catalog`. */
export function catalogIri(base: string): RDF.NamedNode {
  return namedNode(`${base}catalog`);
}

/** A dataset's catalog record: `{base}catalog/record/{id}`. */
export function recordIri(base: string, id: string): RDF.NamedNode {
  return namedNode(`${base}catalog/record/${id}`);
}

/** A publisher, by its NIT without the check digit: `{base}id/entidad/899999027`. */
export function publisherIri(base: string, nit: string): RDF.NamedNode {
  return namedNode(`${base}id/entidad/${nit.replace(/-\d$/, '')}`);
}

/** The site's own publisher, the catalog's `dct:publisher`: `{base}id/entidad/publicador`. */
export function sitePublisherIri(base: string): RDF.NamedNode {
  return namedNode(`${base}id/entidad/publicador`);
}

/** The portal's scheme of categories: `{base}kos/tema`. */
export function themeSchemeIri(base: string): RDF.NamedNode {
  return namedNode(`${base}kos/tema`);
}

/** One portal category (slugged): `{base}kos/tema/{slug}`. */
export function themeIri(base: string, themeSlug: string): RDF.NamedNode {
  return namedNode(`${themeSchemeIri(base).value}/${themeSlug}`);
}

/** A DIVIPOLA department or municipality as a SKOS concept: `{base}kos/divipola/{code}`. */
export function divipolaIri(base: string, code: string): RDF.NamedNode {
  return namedNode(`${base}kos/divipola/${code}`);
}

/** The use of the datasets as published measurements: `{base}usage` (a VoID subset of the site). */
export function usageSpace(base: string): RDF.NamedNode {
  return namedNode(`${base}usage`);
}

/** One day's usage measurement of a dataset: `{base}usage/{id}/{YYYY-MM-DD}/{metric}`. */
export function usageMeasurementIri(base: string, id: string, day: string, metric: string): RDF.NamedNode {
  return namedNode(`${usageSpace(base).value}/${id}/${day}/${metric}`);
}

// --- services and site documents -------------------------------------------------------------

/** The SPARQL endpoint: `{base}sparql`. */
export function sparqlEndpointIri(base: string): RDF.NamedNode {
  return namedNode(`${base}sparql`);
}

/** The Triple Pattern Fragments interface: `{base}fragments`. */
export function fragmentsIri(base: string): RDF.NamedNode {
  return namedNode(`${base}fragments`);
}

/** The `dcat:DataService` of an endpoint (`{endpoint}#service`). */
export function dataServiceIri(endpoint: RDF.NamedNode): RDF.NamedNode {
  return namedNode(`${endpoint.value}#service`);
}

/** Where blank nodes are named when they must be IRIs (RDF 1.1 §3.5 skolem IRIs): `{base}.well-known/genid/`. */
export function skolemSpace(base: string): string {
  return `${base}.well-known/genid/`;
}

/** The site's VoID description: `{base}.well-known/void`. */
export function voidIri(base: string): RDF.NamedNode {
  return namedNode(`${base}.well-known/void`);
}

// --- Linked Data Event Streams -------------------------------------------------------------

/** `{base}ldes/{id}`: a dataset's `ldes:EventStream`. */
export function streamIri(base: string, id: string): RDF.NamedNode {
  return namedNode(`${normalizeBaseIRI(base)}ldes/${id}`);
}

/** `{base}ldes/{id}/by-time`: the root node of the view that pages the members by `prov:generatedAtTime`. */
export function viewIri(base: string, id: string): RDF.NamedNode {
  return namedNode(`${streamIri(base, id).value}/by-time`);
}

/** `{base}ldes/{id}/by-time/{page}`: one page of the time view, members in the order they were published. */
export function pageIri(base: string, id: string, page: number): RDF.NamedNode {
  return namedNode(`${viewIri(base, id).value}/${page}`);
}

/** `{base}ldes/{id}/member/{n}`: the n-th member (0-based), a version of one resource or its tombstone. */
export function memberIri(base: string, id: string, ordinal: number): RDF.NamedNode {
  return namedNode(`${streamIri(base, id).value}/member/${ordinal}`);
}


// --- things, documents, vocabularies ---------------------------------------------------------

/** Vínculo's own prefixes under the base IRI: things (`id/`), code lists (`kos/`), vocabularies (`def/`). */
export function basePrefixes(baseIRI: string): Record<'def' | 'kos' | 'id', string> {
  return { def: `${baseIRI}def/`, kos: `${baseIRI}kos/`, id: `${baseIRI}id/` };
}

/** A URI space of resources and where, under the base, their documents live. */
export interface DocumentSpace {
  /** The IRIs of the resources: `{base}id/`, `{base}kos/`. */
  readonly iris: string;
  /** The path of their documents under the base: `doc/`, `doc/kos/`. */
  readonly documents: string;
}

/** Things under `{base}id/` with documents at `doc/`; code-list concepts under `{base}kos/` with theirs at `doc/kos/`. */
export function documentSpaces(base: string): { readonly things: DocumentSpace; readonly concepts: DocumentSpace } {
  const { id, kos } = basePrefixes(base);
  return { things: { iris: id, documents: 'doc/' }, concepts: { iris: kos, documents: 'doc/kos/' } };
}

/** The namespace of one of our vocabularies: `{base}def/{vocabulary}#`. */
export function vocabularyNamespace(base: string, vocabulary: string): string {
  return `${basePrefixes(base).def}${vocabulary}#`;
}

/** A term of Vínculo's own operational vocabulary (`vocabularies/vinculo.ttl`), under the base IRI. */
export function vinculoTerm(baseIRI: string, localName: string): RDF.NamedNode {
  return namedNode(`${vocabularyNamespace(baseIRI, 'vinculo')}${localName}`);
}

/** A term of the quality vocabulary (`vocabularies/calidad.ttl`): `{base}def/calidad#{metric}`. */
export function qualityTerm(baseIRI: string, localName: string): RDF.NamedNode {
  return namedNode(`${vocabularyNamespace(baseIRI, 'calidad')}${localName}`);
}
