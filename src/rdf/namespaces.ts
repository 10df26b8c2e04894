/** The prefixes Vínculo writes and reads; one list, so Turtle, JSON-LD contexts and the UI agree. */
import type * as RDF from '@rdfjs/types';
import { DataFactory } from './factory.js';

export const prefixes = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  org: 'http://www.w3.org/ns/org#',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  prov: 'http://www.w3.org/ns/prov#',
  dqv: 'http://www.w3.org/ns/dqv#',
  void: 'http://rdfs.org/ns/void#',
  sd: 'http://www.w3.org/ns/sparql-service-description#',
  geo: 'http://www.w3.org/2003/01/geo/wgs84_pos#',
  schema: 'http://schema.org/',
} as const;

export type PrefixName = keyof typeof prefixes;

/** A function that mints named nodes in one namespace: `ns.dcat('Dataset')`. */
export type Namespace = (localName: string) => RDF.NamedNode;

export function namespace(iri: string): Namespace {
  return (localName) => DataFactory.namedNode(iri + localName);
}

export const ns = Object.fromEntries(
  Object.entries(prefixes).map(([prefix, iri]) => [prefix, namespace(iri)]),
) as Record<PrefixName, Namespace>;

/** Predicates that name a thing, in order of preference; views and clients use them instead of raw IRIs. */
export const labelPredicates: readonly string[] = [
  `${prefixes.rdfs}label`,
  `${prefixes.skos}prefLabel`,
  `${prefixes.schema}name`,
  `${prefixes.dct}title`,
  `${prefixes.foaf}name`,
];
