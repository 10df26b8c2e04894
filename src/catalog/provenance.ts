/** PROV-O description of one import run: what was read (with SHA-256), what was written, when, and what went wrong. */
import type * as RDF from '@rdfjs/types';
import { DataFactory, datasetIri, importActivityIri, ns, vinculoTerm } from '../rdf/index.js';

const { namedNode, literal, quad, blankNode } = DataFactory;
const spdx = (local: string) => namedNode(`http://spdx.org/rdf/terms#${local}`);

export interface HashedFile {
  /** Path relative to the project, so the description does not leak the server's folders. */
  readonly path: string;
  readonly sha256: string;
}

export interface ImportRun {
  readonly baseIRI: string;
  readonly datasetId: string;
  readonly mapping: HashedFile;
  readonly sources: readonly HashedFile[];
  readonly started: Date;
  readonly ended: Date;
  readonly rowsRead: number;
  readonly triplesWritten: number;
  readonly problems: Readonly<Record<string, number>>;
}

const xsdDateTime = ns.xsd('dateTime');
const xsdInteger = ns.xsd('integer');

function fileEntity(activity: RDF.NamedNode, file: HashedFile, index: number, type: RDF.NamedNode): RDF.Quad[] {
  const entity = namedNode(`${activity.value}/used/${index}`);
  const checksum = blankNode();
  return [
    quad(activity, ns.prov('used'), entity),
    quad(entity, ns.rdf('type'), type),
    quad(entity, ns.rdfs('label'), literal(file.path)),
    quad(entity, spdx('checksum'), checksum),
    quad(checksum, ns.rdf('type'), spdx('Checksum')),
    quad(checksum, spdx('algorithm'), spdx('checksumAlgorithm_sha256')),
    quad(checksum, spdx('checksumValue'), literal(file.sha256, ns.xsd('hexBinary'))),
  ];
}

/** Quads of a PROV-O activity for one import run; the store keeps them in the catalog graph. */
export function importProvenance(run: ImportRun): RDF.Quad[] {
  const activity = importActivityIri(run.baseIRI, run.datasetId);
  const dataset = datasetIri(run.baseIRI, run.datasetId);
  const problems = Object.entries(run.problems)
    .map(([kind, count]) => `${kind}: ${count}`)
    .join(', ');
  const term = (local: string) => vinculoTerm(run.baseIRI, local);
  return [
    quad(activity, ns.rdf('type'), ns.prov('Activity')),
    quad(activity, ns.rdfs('label'), literal(`import of ${run.datasetId}`, 'en')),
    quad(activity, ns.prov('startedAtTime'), literal(run.started.toISOString(), xsdDateTime)),
    quad(activity, ns.prov('endedAtTime'), literal(run.ended.toISOString(), xsdDateTime)),
    quad(dataset, ns.prov('wasGeneratedBy'), activity),
    quad(activity, term('rowsRead'), literal(String(run.rowsRead), xsdInteger)),
    quad(activity, term('triplesWritten'), literal(String(run.triplesWritten), xsdInteger)),
    quad(activity, term('problems'), literal(problems === '' ? 'none' : problems)),
    ...fileEntity(activity, run.mapping, 0, ns.prov('Plan')),
    ...run.sources.flatMap((file, index) => fileEntity(activity, file, index + 1, ns.prov('Entity'))),
  ];
}

/** The files (path → SHA-256) a dataset's last recorded import read, to skip work when nothing changed. */
export function recordedInputs(quads: Iterable<RDF.Quad>, activity: RDF.NamedNode): Map<string, string> {
  const byNode = new Map<string, RDF.Quad[]>();
  for (const item of quads) {
    const key = item.subject.value;
    byNode.set(key, [...(byNode.get(key) ?? []), item]);
  }
  const inputs = new Map<string, string>();
  for (const used of byNode.get(activity.value) ?? []) {
    if (!used.predicate.equals(ns.prov('used'))) continue;
    const entityQuads = byNode.get(used.object.value) ?? [];
    const path = entityQuads.find((q) => q.predicate.equals(ns.rdfs('label')))?.object.value;
    const checksum = entityQuads.find((q) => q.predicate.equals(spdx('checksum')))?.object;
    const value = checksum && (byNode.get(checksum.value) ?? []).find((q) => q.predicate.equals(spdx('checksumValue')))?.object.value;
    if (path !== undefined && value !== undefined) inputs.set(path, value);
  }
  return inputs;
}
