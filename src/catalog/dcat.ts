/** DCAT-AP descriptions: a dataset with its publisher, distributions and record; the catalog and its data services. */
import type * as RDF from '@rdfjs/types';
import { ldesCatalogQuads } from './ldes-distribution.js';
import type { DatasetMetadata } from '../mapping/index.js';
import {
  catalogIri,
  DataFactory,
  dataServiceIri,
  datasetIri,
  datasetPart,
  distributionIri,
  type DumpKind,
  dumpKinds,
  dumpSyntaxes,
  dumpUrl,
  fragmentsIri,
  ns,
  publisherIri,
  rdfFormat,
  recordIri,
  sitePublisherIri,
  sparqlEndpointIri,
  themeIri,
  themeSchemeIri,
  vinculoTerm,
} from '../rdf/index.js';
import { euFileType, euLanguage, euThemeOf, euThemeScheme, frequencyOf, ianaMediaType, languageOf, slug, spatialOf } from './authority-tables.js';

const { namedNode, literal, quad } = DataFactory;
const spdx = (local: string) => namedNode(`http://spdx.org/rdf/terms#${local}`);
const a = ns.rdf('type');

/** The EU file type of each dump `src/http/dumps.ts` serves (`{base}dumps/{id}.{kind}.gz`), described as distributions. */
const dumpFileTypes: Record<DumpKind, string> = { nt: 'RDF_N_TRIPLES', ttl: 'RDF_TURTLE', nq: 'RDF_N_QUADS' };


function dateLiteral(value: string): RDF.Literal {
  return literal(value, ns.xsd(value.includes('T') ? 'dateTime' : 'date'));
}

export interface DatasetDescriptionOptions {
  readonly baseIRI: string;
  /** When the catalog record changed: the import's end. */
  readonly recorded: Date;
}

/**
 * The DCAT-AP description of one dataset from its mapping's metadata block: the dataset, its
 * publisher (foaf:Agent + org:Organization), contact point, themes (the portal's scheme and the
 * EU data themes), dump and SPARQL distributions, and its catalog record.
 */
export function datasetDescription(metadata: DatasetMetadata, options: DatasetDescriptionOptions): RDF.Quad[] {
  const { baseIRI } = options;
  const dataset = datasetIri(baseIRI, metadata.id);
  const out: RDF.Quad[] = [];
  const add = (s: RDF.Quad_Subject, p: RDF.NamedNode, o: RDF.Quad_Object) => out.push(quad(s, p, o));
  const text = (s: RDF.Quad_Subject, p: RDF.NamedNode, value: { es: string; en?: string }) => {
    add(s, p, literal(value.es, 'es'));
    if (value.en !== undefined) add(s, p, literal(value.en, 'en'));
  };

  add(catalogIri(baseIRI), ns.dcat('dataset'), dataset);
  add(dataset, a, ns.dcat('Dataset'));
  text(dataset, ns.dct('title'), metadata.title);
  text(dataset, ns.dct('description'), metadata.description);
  add(dataset, ns.dct('identifier'), literal(metadata.identifier ?? dataset.value));

  const publisher = publisherIri(baseIRI, metadata.publisher.nit);
  add(dataset, ns.dct('publisher'), publisher);
  out.push(...publisherDescription(baseIRI, metadata.publisher));

  if (metadata.contactPoint) {
    const contact = datasetPart(baseIRI, metadata.id, 'contacto');
    add(dataset, ns.dcat('contactPoint'), contact);
    add(contact, a, ns.vcard('Organization'));
    add(contact, ns.vcard('fn'), literal(metadata.publisher.name));
    add(contact, ns.vcard('hasEmail'), namedNode(`mailto:${metadata.contactPoint.email}`));
  }
  for (const keyword of metadata.keywords) add(dataset, ns.dcat('keyword'), literal(keyword, 'es'));
  for (const theme of metadata.themes) {
    // The portal's scheme lives in the vocabulary graph; the label repeated here keeps the catalog self-describing.
    const concept = themeIri(baseIRI, slug(theme));
    add(dataset, ns.dcat('theme'), concept);
    add(concept, ns.skos('prefLabel'), literal(theme, 'es'));
    add(concept, ns.skos('inScheme'), themeSchemeIri(baseIRI));
    const eu = euThemeOf(theme);
    if (eu !== undefined) {
      add(dataset, ns.dcat('theme'), namedNode(eu.iri));
      add(namedNode(eu.iri), ns.skos('prefLabel'), literal(eu.label, 'en'));
      add(namedNode(eu.iri), ns.skos('inScheme'), namedNode(euThemeScheme));
    }
  }
  for (const place of metadata.spatial) {
    const iri = spatialOf(baseIRI, place);
    if (iri !== undefined) add(dataset, ns.dct('spatial'), namedNode(iri));
  }
  if (metadata.temporal && (metadata.temporal.start || metadata.temporal.end)) {
    const period = datasetPart(baseIRI, metadata.id, 'periodo');
    add(dataset, ns.dct('temporal'), period);
    add(period, a, ns.dct('PeriodOfTime'));
    if (metadata.temporal.start) add(period, ns.dcat('startDate'), dateLiteral(metadata.temporal.start));
    if (metadata.temporal.end) add(period, ns.dcat('endDate'), dateLiteral(metadata.temporal.end));
  }
  const frequency = metadata.accrualPeriodicity === undefined ? undefined : frequencyOf(metadata.accrualPeriodicity);
  if (frequency) add(dataset, ns.dct('accrualPeriodicity'), namedNode(frequency.iri));
  for (const code of metadata.language) {
    const iri = languageOf(code);
    if (iri !== undefined) add(dataset, ns.dct('language'), namedNode(iri));
  }
  if (metadata.issued) add(dataset, ns.dct('issued'), dateLiteral(metadata.issued));
  if (metadata.modified) add(dataset, ns.dct('modified'), dateLiteral(metadata.modified));

  const license = namedNode(metadata.license);
  for (const kind of dumpKinds) {
    const format = rdfFormat(dumpSyntaxes[kind]);
    const distribution = distributionIri(baseIRI, metadata.id, kind);
    const url = namedNode(dumpUrl(baseIRI, metadata.id, kind));
    add(dataset, ns.dcat('distribution'), distribution);
    add(distribution, a, ns.dcat('Distribution'));
    add(distribution, ns.dct('title'), literal(`Volcado ${format.label} comprimido (gzip)`, 'es'));
    add(distribution, ns.dct('title'), literal(`${format.label} dump (gzip)`, 'en'));
    add(distribution, ns.dcat('accessURL'), url);
    add(distribution, ns.dcat('downloadURL'), url);
    add(distribution, ns.dcat('mediaType'), namedNode(ianaMediaType(format.mediaType)));
    add(distribution, ns.dct('format'), namedNode(euFileType(dumpFileTypes[kind])));
    add(distribution, ns.dcat('compressFormat'), namedNode(ianaMediaType('application/gzip')));
    add(distribution, ns.dct('license'), license);
  }
  const sparql = distributionIri(baseIRI, metadata.id, 'sparql');
  add(dataset, ns.dcat('distribution'), sparql);
  add(sparql, a, ns.dcat('Distribution'));
  add(sparql, ns.dct('title'), literal('Punto de consulta SPARQL', 'es'));
  add(sparql, ns.dct('title'), literal('SPARQL endpoint', 'en'));
  add(sparql, ns.dcat('accessURL'), sparqlEndpointIri(baseIRI));
  add(sparql, ns.dcat('accessService'), dataServiceIri(sparqlEndpointIri(baseIRI)));
  add(sparql, ns.dct('license'), license);
  // LDES (src/ldes): the dataset's event stream, a distribution with its own data service.
  out.push(...ldesCatalogQuads(baseIRI, metadata.id), quad(distributionIri(baseIRI, metadata.id, 'ldes'), ns.dct('license'), license));

  const record = recordIri(baseIRI, metadata.id);
  add(catalogIri(baseIRI), ns.dcat('record'), record);
  add(record, a, ns.dcat('CatalogRecord'));
  add(record, ns.foaf('primaryTopic'), dataset);
  add(record, ns.dct('modified'), literal(options.recorded.toISOString(), ns.xsd('dateTime')));
  return out;
}

/** The publisher as foaf:Agent and org:Organization, with the portal's entity fields. */
export function publisherDescription(baseIRI: string, publisher: DatasetMetadata['publisher']): RDF.Quad[] {
  const agent = publisherIri(baseIRI, publisher.nit);
  const term = (local: string) => vinculoTerm(baseIRI, local);
  const out = [
    quad(agent, a, ns.foaf('Agent')),
    quad(agent, a, ns.org('Organization')),
    quad(agent, ns.foaf('name'), literal(publisher.name, 'es')),
    quad(agent, ns.dct('identifier'), literal(publisher.nit)),
  ];
  if (publisher.sector) out.push(quad(agent, term('sector'), literal(publisher.sector, 'es')));
  if (publisher.order) out.push(quad(agent, term('orden'), literal(publisher.order, 'es')));
  if (publisher.department) out.push(quad(agent, term('departamento'), literal(publisher.department, 'es')));
  if (publisher.municipality) out.push(quad(agent, term('municipio'), literal(publisher.municipality, 'es')));
  return out;
}

/**
 * The catalog itself and its two data services (SPARQL, Triple Pattern Fragments), serving the
 * given datasets. Built at read time: it depends on which datasets the store holds right now.
 */
export function catalogDescription(baseIRI: string, datasetIds: readonly string[]): RDF.Quad[] {
  const catalog = catalogIri(baseIRI);
  const host = new URL(baseIRI).host;
  const agent = sitePublisherIri(baseIRI);
  const out: RDF.Quad[] = [
    quad(catalog, a, ns.dcat('Catalog')),
    quad(catalog, ns.dct('title'), literal(`Catálogo de datos enlazados de ${host}`, 'es')),
    quad(catalog, ns.dct('title'), literal(`Linked data catalog of ${host}`, 'en')),
    quad(catalog, ns.dct('description'), literal('Conjuntos de datos publicados como datos abiertos enlazados con Vínculo.', 'es')),
    quad(catalog, ns.dct('description'), literal('Datasets published as linked open data with Vínculo.', 'en')),
    quad(catalog, ns.dct('publisher'), agent),
    quad(agent, a, ns.foaf('Agent')),
    quad(agent, ns.foaf('name'), literal(`Publicador de ${host}`, 'es')),
    quad(catalog, ns.foaf('homepage'), namedNode(baseIRI)),
    quad(catalog, ns.dct('language'), namedNode(euLanguage('SPA'))),
    quad(catalog, ns.dct('license'), namedNode('https://creativecommons.org/licenses/by-sa/4.0/')),
    quad(catalog, ns.dcat('themeTaxonomy'), themeSchemeIri(baseIRI)),
    quad(themeSchemeIri(baseIRI), ns.dct('title'), literal('Categorías del portal de datos abiertos', 'es')),
    quad(catalog, ns.dcat('themeTaxonomy'), namedNode(euThemeScheme)),
    quad(namedNode(euThemeScheme), ns.dct('title'), literal('Data theme', 'en')),
  ];
  const services = [
    { endpoint: sparqlEndpointIri(baseIRI), es: 'Punto de consulta SPARQL', en: 'SPARQL endpoint', spec: 'https://www.w3.org/TR/sparql11-protocol/' },
    { endpoint: fragmentsIri(baseIRI), es: 'Fragmentos de patrones de tripletas', en: 'Triple Pattern Fragments', spec: 'https://linkeddatafragments.org/specification/triple-pattern-fragments/' },
  ];
  for (const service of services) {
    const iri = dataServiceIri(service.endpoint);
    out.push(
      quad(catalog, ns.dcat('service'), iri),
      quad(iri, a, ns.dcat('DataService')),
      quad(iri, ns.dct('license'), namedNode('https://creativecommons.org/licenses/by-sa/4.0/')),
      quad(iri, ns.dct('title'), literal(service.es, 'es')),
      quad(iri, ns.dct('title'), literal(service.en, 'en')),
      quad(iri, ns.dcat('endpointURL'), service.endpoint),
      quad(iri, ns.dcat('endpointDescription'), service.endpoint),
      quad(iri, ns.dct('conformsTo'), namedNode(service.spec)),
    );
    for (const id of datasetIds) out.push(quad(iri, ns.dcat('servesDataset'), datasetIri(baseIRI, id)));
  }
  return out;
}

/** Classes DCAT-AP's range shapes expect of the objects of these predicates (authority IRIs carry no description of their own here). */
const rangeClasses: ReadonlyArray<readonly [string, RDF.NamedNode]> = [
  [ns.dcat('theme').value, ns.skos('Concept')],
  [ns.dct('accrualPeriodicity').value, ns.dct('Frequency')],
  [ns.dct('language').value, ns.dct('LinguisticSystem')],
  [ns.dct('spatial').value, ns.dct('Location')],
  [ns.dct('license').value, ns.dct('LicenseDocument')],
  [ns.dcat('mediaType').value, ns.dct('MediaType')],
  [ns.dcat('compressFormat').value, ns.dct('MediaType')],
  [ns.dct('format').value, ns.dct('MediaTypeOrExtent')],
  [ns.dcat('landingPage').value, ns.foaf('Document')],
  [ns.foaf('homepage').value, ns.foaf('Document')],
  [ns.dct('conformsTo').value, ns.dct('Standard')],
  [ns.dcat('themeTaxonomy').value, ns.skos('ConceptScheme')],
  [spdx('checksum').value, spdx('Checksum')],
  [spdx('algorithm').value, spdx('ChecksumAlgorithm')],
  [ns.foaf('primaryTopic').value, ns.dcat('Resource')],
  [ns.dcat('servesDataset').value, ns.dcat('Resource')],
  [ns.dcat('contactPoint').value, ns.vcard('Kind')],
  [ns.dcat('endpointURL').value, ns.rdfs('Resource')],
  [ns.dcat('endpointDescription').value, ns.rdfs('Resource')],
  [ns.dcat('accessService').value, ns.dcat('Resource')],
];

/**
 * Typing statements for the authority IRIs a description points to (EU themes are
 * skos:Concepts, licences dct:LicenseDocuments, ...), so that the catalog is self-contained
 * for validators and harvesters that check ranges.
 */
export function rangeTypes(quads: Iterable<RDF.Quad>): RDF.Quad[] {
  const classes = new Map(rangeClasses.map(([predicate, type]) => [predicate, type]));
  const seen = new Set<string>();
  const out: RDF.Quad[] = [];
  for (const item of quads) {
    const type = classes.get(item.predicate.value);
    if (!type || item.object.termType !== 'NamedNode') continue;
    const key = `${item.object.value} ${type.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(quad(item.object, a, type));
  }
  return out;
}
