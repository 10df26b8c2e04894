/**
 * The documents of an event stream (LDES specification, TREE hypermedia): the `ldes:EventStream`,
 * the root node of its time view with the retention policy, and the pages, each linked to the
 * next by a `tree:GreaterThanOrEqualToRelation` on `prov:generatedAtTime`.
 */
import type * as RDF from '@rdfjs/types';
import { DataFactory, ns, pageIri, streamIri, viewIri } from '../rdf/index.js';
import type { DatasetEventStream } from './event-stream.js';
import { memberQuads } from './members.js';
import type { RetentionPolicy } from './retention.js';
import { activityStreams, ldes, membersPerPage, tree } from './stream-terms.js';

const { quad, literal, blankNode } = DataFactory;

/** A document and how long it may be cached: `immutable` once its members and links can no longer change. */
export interface StreamDocument {
  readonly quads: readonly RDF.Quad[];
  readonly immutable: boolean;
  /** Changes whenever the document does (with `immutable`, never again). */
  readonly tag: string;
}

/** The stream's own description, repeated on every page so a client starting anywhere has its context. */
function streamQuads(baseIRI: string, datasetId: string): RDF.Quad[] {
  const stream = streamIri(baseIRI, datasetId);
  return [
    quad(stream, ns.rdf('type'), ldes('EventStream')),
    quad(stream, ldes('timestampPath'), ns.prov('generatedAtTime')),
    quad(stream, ldes('versionOfPath'), ns.dct('isVersionOf')),
    quad(stream, ldes('versionDeletePath'), ns.rdf('type')),
    quad(stream, ldes('versionDeleteObject'), activityStreams('Delete')),
    quad(stream, tree('view'), viewIri(baseIRI, datasetId)),
  ];
}

/** A relation from `node` to page `page`: its members were all generated at or after its first member. */
function relationToPage(baseIRI: string, datasetId: string, node: RDF.NamedNode, page: number, firstTime: string): RDF.Quad[] {
  const relation = blankNode(`to${page}`);
  return [
    quad(node, tree('relation'), relation),
    quad(relation, ns.rdf('type'), tree('GreaterThanOrEqualToRelation')),
    quad(relation, tree('path'), ns.prov('generatedAtTime')),
    quad(relation, tree('value'), literal(firstTime, ns.xsd('dateTime'))),
    quad(relation, tree('node'), pageIri(baseIRI, datasetId, page)),
  ];
}

function retentionQuads(node: RDF.NamedNode, retention: RetentionPolicy): RDF.Quad[] {
  if (retention === 'all') return [];
  const policy = blankNode('retention');
  return [
    quad(node, ldes('retentionPolicy'), policy),
    quad(policy, ldes('versionAmount'), literal(String(retention.versionAmount), ns.xsd('integer'))),
    quad(policy, ldes('fullLogDuration'), literal(retention.fullLogDuration, ns.xsd('duration'))),
  ];
}

/** `/ldes/{id}`: the event stream, pointing to its view. */
export function eventStreamDocument(baseIRI: string, stream: DatasetEventStream): StreamDocument {
  return { quads: streamQuads(baseIRI, stream.datasetId), immutable: false, tag: 'stream' };
}

/**
 * `/ldes/{id}/by-time`: the root node, with the retention policy and a relation to the oldest
 * page that still has members (compacted pages are never linked from here).
 */
export function viewDocument(baseIRI: string, stream: DatasetEventStream, retention: RetentionPolicy): StreamDocument {
  const view = viewIri(baseIRI, stream.datasetId);
  const first = stream.log.pageWithMembersFrom(0);
  const firstTime = first === undefined ? undefined : stream.log.firstTimeOf(first);
  return {
    quads: [
      ...streamQuads(baseIRI, stream.datasetId),
      quad(view, ns.rdf('type'), tree('Node')),
      ...retentionQuads(view, retention),
      ...(first === undefined || firstTime === undefined ? [] : relationToPage(baseIRI, stream.datasetId, view, first, firstTime)),
    ],
    immutable: false,
    tag: `view-${first ?? 'empty'}-${JSON.stringify(retention)}`,
  };
}

/** A page compaction removed: its members are gone, the stream goes on at page `continuesAt`. */
export interface CompactedPage {
  readonly continuesAt: number;
}

/**
 * `/ldes/{id}/by-time/{page}`: up to 250 members and a relation to the next page. A page is
 * immutable once the next one exists: then neither its members nor its links change again, and
 * compaction may only remove it whole (then the answer is where the stream continues).
 * @returns undefined for a page beyond the last.
 */
export async function pageDocument(baseIRI: string, stream: DatasetEventStream, page: number): Promise<StreamDocument | CompactedPage | undefined> {
  const { log, datasetId } = stream;
  if (!Number.isSafeInteger(page) || page < 0 || page >= log.pageCount) return undefined;
  if (log.pageState(page) === 'pruned') {
    const continuesAt = log.pageWithMembersFrom(page);
    // The newest page is never compacted, so the stream always continues somewhere.
    if (continuesAt !== undefined) return { continuesAt };
  }
  const node = pageIri(baseIRI, datasetId, page);
  const nextTime = log.firstTimeOf(page + 1);
  const members = await log.page(page);
  return {
    quads: [
      ...streamQuads(baseIRI, datasetId),
      quad(node, ns.rdf('type'), tree('Node')),
      ...(nextTime === undefined ? [] : relationToPage(baseIRI, datasetId, node, page + 1, nextTime)),
      ...members.flatMap((member) => memberQuads(baseIRI, datasetId, member)),
    ],
    immutable: nextTime !== undefined,
    tag: `page-${page}-${nextTime === undefined ? members.length : `full${membersPerPage}`}`,
  };
}
