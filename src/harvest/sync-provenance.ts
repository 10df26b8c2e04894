/** PROV-O description of one harvest sync: the portal resource read, when, and how many rows it added, changed and deleted. */
import type * as RDF from '@rdfjs/types';
import { DataFactory, datasetIri, ns, syncActivityIri, vinculoTerm } from '../rdf/index.js';

const { namedNode, literal, quad } = DataFactory;

export interface SyncRun {
  readonly baseIRI: string;
  readonly datasetId: string;
  /** The SODA resource the rows came from. */
  readonly source: string;
  readonly started: Date;
  readonly ended: Date;
  readonly rowsAdded: number;
  readonly rowsChanged: number;
  readonly rowsDeleted: number;
  readonly triplesAdded: number;
  readonly triplesRemoved: number;
}

/** Quads of the sync's PROV-O activity, for the catalog graph. */
export function syncProvenance(run: SyncRun): RDF.Quad[] {
  // One activity per dataset, replaced on every sync (the LDES keeps the history of rows).
  const activity = syncActivityIri(run.baseIRI, run.datasetId);
  const dataset = datasetIri(run.baseIRI, run.datasetId);
  const count = (local: string, value: number) => quad(activity, vinculoTerm(run.baseIRI, local), literal(String(value), ns.xsd('integer')));
  const time = (date: Date) => literal(date.toISOString(), ns.xsd('dateTime'));
  return [
    quad(activity, ns.rdf('type'), ns.prov('Activity')),
    quad(activity, ns.rdfs('label'), literal(`harvest sync of ${run.datasetId}`, 'en')),
    quad(activity, ns.prov('used'), namedNode(run.source)),
    quad(activity, ns.prov('startedAtTime'), time(run.started)),
    quad(activity, ns.prov('endedAtTime'), time(run.ended)),
    quad(dataset, ns.prov('wasInfluencedBy'), activity),
    count('rowsAdded', run.rowsAdded),
    count('rowsChanged', run.rowsChanged),
    count('rowsDeleted', run.rowsDeleted),
    count('triplesAdded', run.triplesAdded),
    count('triplesRemoved', run.triplesRemoved),
  ];
}
