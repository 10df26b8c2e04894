/** What a member says: a resource's triples as stored text, and the version (or tombstone) quads a page serves of it. */
import type * as RDF from '@rdfjs/types';
import { Parser, Writer } from 'n3';
import { DataFactory, memberIri, ns, streamIri } from '../rdf/index.js';
import type { LoggedMember } from './member-log.js';
import { activityStreams, tree } from './stream-terms.js';

const { quad, literal } = DataFactory;

/**
 * Each named subject's triples with the blank nodes they lead to (its concise bounded
 * description), as sorted N-Triples lines: equal text, equal state.
 */
export function resourceStates(quads: Iterable<RDF.Quad>): Map<string, string> {
  const named = new Map<string, RDF.Quad[]>();
  const blank = new Map<string, RDF.Quad[]>();
  for (const item of quads) {
    const index = item.subject.termType === 'BlankNode' ? blank : item.subject.termType === 'NamedNode' ? named : undefined;
    if (!index) continue;
    const list = index.get(item.subject.value);
    if (list) list.push(item);
    else index.set(item.subject.value, [item]);
  }
  const writer = new Writer({ format: 'N-Triples' });
  const states = new Map<string, string>();
  for (const [subject, own] of named) {
    const lines: string[] = [];
    const visited = new Set<string>();
    const pending = [...own];
    for (let item = pending.pop(); item; item = pending.pop()) {
      lines.push(writer.quadToString(item.subject, item.predicate, item.object));
      if (item.object.termType === 'BlankNode' && !visited.has(item.object.value)) {
        visited.add(item.object.value);
        pending.push(...(blank.get(item.object.value) ?? []));
      }
    }
    states.set(subject, lines.sort().join(''));
  }
  return states;
}

/** The members that take `before` to `after` (states by resource): a version for each changed or new resource, a tombstone for each one gone. */
export function changedResources(before: ReadonlyMap<string, string | null>, after: ReadonlyMap<string, string>): Array<{ readonly of: string; readonly triples: string | null }> {
  const changes: Array<{ readonly of: string; readonly triples: string | null }> = [];
  for (const [of, triples] of after) if (before.get(of) !== triples) changes.push({ of, triples });
  for (const [of, triples] of before) if (triples !== null && !after.has(of)) changes.push({ of, triples: null });
  return changes;
}

/**
 * A member as a page serves it: `<stream> tree:member <m>`, `<m> dct:isVersionOf <resource>`,
 * `prov:generatedAtTime`, and the resource's triples restated on `<m>` (blank nodes renamed per
 * member, so that members on one page never share one); a tombstone is `<m> a as:Delete`.
 */
export function memberQuads(baseIRI: string, datasetId: string, member: LoggedMember): RDF.Quad[] {
  const version = memberIri(baseIRI, datasetId, member.ordinal);
  const resource = DataFactory.namedNode(member.of);
  const quads = [
    quad(streamIri(baseIRI, datasetId), tree('member'), version),
    quad(version, ns.dct('isVersionOf'), resource),
    quad(version, ns.prov('generatedAtTime'), literal(member.time, ns.xsd('dateTime'))),
  ];
  if (member.deleted) return [...quads, quad(version, ns.rdf('type'), activityStreams('Delete'))];
  const parsed = new Parser({ format: 'N-Triples', blankNodePrefix: `m${member.ordinal}_` }).parse(member.triples);
  for (const item of parsed) quads.push(quad(item.subject.equals(resource) ? version : item.subject, item.predicate, item.object));
  return quads;
}
