/**
 * Usage as linked data: per dataset and day, one DQV measurement per metric in the catalog graph
 * (`{base}usage/{id}/{YYYY-MM-DD}/{metric}`), written through `store.write` like every other
 * change, so SPARQL can rank datasets by use. DQV because the catalog already describes quality
 * with it and DCAT-AP names it as its quality vocabulary: one more dimension (`vin:use`) of
 * measurements clients already read.
 */
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import { catalogGraph, DataFactory, datasetIri, ns, sparqlEndpointIri, usageMeasurementIri, usageSpace, vinculoTerm, vocabularyNamespace, whenDone } from '../rdf/index.js';
import type { VinculoStore } from '../store/index.js';
import type { DayUsage } from './usage-book.js';
import { countedMetrics, type UsageMetric, usageMetrics } from './usage-metrics.js';

const { namedNode, literal, quad } = DataFactory;

export interface UsageEntry {
  readonly day: string;
  readonly dataset: string;
  readonly usage: DayUsage;
}

/** The measurements of one dataset's day: its nonzero metrics, in the catalog graph. */
export function usageMeasurements(baseIRI: string, { day, dataset, usage }: UsageEntry): RDF.Quad[] {
  const graph = catalogGraph(baseIRI);
  const values: Array<[UsageMetric, number]> = countedMetrics.map((metric) => [metric, usage.count(metric)]);
  values.push(['distinctClients', usage.distinctClients()]);
  const quads: RDF.Quad[] = [];
  for (const [metric, value] of values) {
    if (value === 0) continue;
    const node = usageMeasurementIri(baseIRI, dataset, day, metric);
    quads.push(
      quad(node, ns.rdf('type'), ns.dqv('QualityMeasurement'), graph),
      quad(node, ns.dqv('computedOn'), datasetIri(baseIRI, dataset), graph),
      quad(node, ns.dqv('isMeasurementOf'), vinculoTerm(baseIRI, metric), graph),
      quad(node, ns.dqv('value'), literal(String(value), ns.xsd('integer')), graph),
      quad(node, ns.dct('date'), literal(day, ns.xsd('date')), graph),
    );
  }
  return quads;
}

/**
 * Replaces the published measurements of each entry's day with its current figures, in one
 * store write (one journal record).
 * @throws StorageError when the store cannot write.
 */
export async function writeUsage(store: VinculoStore, baseIRI: string, entries: readonly UsageEntry[]): Promise<void> {
  const graph = catalogGraph(baseIRI);
  await store.write(async (target) => {
    for (const entry of entries) {
      for (const metric of usageMetrics) await whenDone(target.removeMatches(usageMeasurementIri(baseIRI, entry.dataset, entry.day, metric), null, null, graph));
      const quads = usageMeasurements(baseIRI, entry);
      if (quads.length > 0) await whenDone(target.import(Readable.from(quads)));
    }
  });
}

/** What the VoID description says of the usage measurements: a subset of the site, queryable at `/sparql`. */
export function usageVoid(baseIRI: string, site: RDF.NamedNode): RDF.Quad[] {
  const usage = usageSpace(baseIRI);
  return [
    quad(site, ns.void('subset'), usage),
    quad(usage, ns.rdf('type'), ns.void('Dataset')),
    quad(usage, ns.dct('title'), literal('Uso de los conjuntos de datos', 'es')),
    quad(usage, ns.dct('title'), literal('Use of the datasets', 'en')),
    quad(usage, ns.dct('description'), literal('Mediciones DQV diarias del uso de cada conjunto de datos (documentos, consultas, descargas, clientes distintos), en el grafo del catálogo.', 'es')),
    quad(usage, ns.dct('description'), literal("Daily DQV measurements of each dataset's use (documents, queries, downloads, distinct clients), in the catalog graph.", 'en')),
    quad(usage, ns.void('uriSpace'), literal(`${usage.value}/`)),
    quad(usage, ns.void('sparqlEndpoint'), sparqlEndpointIri(baseIRI)),
    quad(usage, ns.void('vocabulary'), namedNode('http://www.w3.org/ns/dqv#')),
    quad(usage, ns.void('vocabulary'), namedNode(vocabularyNamespace(baseIRI, 'vinculo'))),
  ];
}
