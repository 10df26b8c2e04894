/** A replica of an event stream made with the real LDES client (`ldes-client`, TREEcg): members in order, then the graph they add up to. */
import type * as RDF from '@rdfjs/types';
import { DataFactory } from '../../../src/rdf/index.ts';

export interface ReplicatedMember {
  readonly id: string;
  readonly isVersionOf: string;
  readonly deleted: boolean;
  readonly quads: readonly RDF.Quad[];
}

const isVersionOf = 'http://purl.org/dc/terms/isVersionOf';
const generatedAtTime = 'http://www.w3.org/ns/prov#generatedAtTime';
const deleteType = 'https://www.w3.org/ns/activitystreams#Delete';

/**
 * Runs the client from `url` with its state in `statePath`. From scratch it walks the pages once;
 * resuming, it skips the immutable pages it saw and polls the mutable ones it kept in its state (as
 * a long-running replica does) until a poll brings nothing new.
 * @returns the members it emitted in this run, in ascending time order.
 */
export async function replicate(url: string, statePath: string, mode: 'from-scratch' | 'resume'): Promise<ReplicatedMember[]> {
  // The ESM build: uvu loads tests through require, and the package's CommonJS build fails to load its logger (winston) there.
  const { replicateLDES } = await import('ldes-client');
  const members: ReplicatedMember[] = [];
  const client = replicateLDES({ url, polling: mode === 'resume', pollInterval: 100, statePath, fetch }, 'ascending');
  // A poll re-fetches the mutable pages the state kept and follows their new relations; two polls
  // can start together, so the run stops at a poll (the third or later) after one that brought nothing.
  let polls = 0;
  let membersAtLastPoll = 0;
  let stopped = false;
  client.on('poll', () => {
    polls += 1;
    if (polls >= 3 && members.length === membersAtLastPoll) stopped = true;
    membersAtLastPoll = members.length;
  });
  const reader = client.stream({ highWaterMark: 100 }).getReader();
  let pending = reader.read();
  for (;;) {
    // Once stopped, what the client queued is read until the queue stays empty a moment (closing the client does not end its stream).
    const next = await Promise.race([pending, new Promise<'idle'>((resolve) => setTimeout(() => resolve('idle'), 100))]);
    if (next === 'idle') {
      if (stopped) break;
      continue;
    }
    if (next.done) break;
    pending = reader.read();
    const { value } = next;
    const deleted = value.quads.some((quad) => quad.subject.equals(value.id) && quad.predicate.value === 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type' && quad.object.value === deleteType);
    members.push({ id: value.id.value, isVersionOf: value.isVersionOf ?? '', deleted, quads: value.quads });
  }
  await client.close();
  return members;
}

/** The graph a consumer keeps: the latest version of each resource, its triples stated on the resource again; tombstoned resources dropped. */
export function materialize(members: readonly ReplicatedMember[], graph: RDF.Quad_Graph, latest = new Map<string, ReplicatedMember>()): { readonly quads: RDF.Quad[]; readonly latest: Map<string, ReplicatedMember> } {
  for (const member of members) latest.set(member.isVersionOf, member);
  const quads: RDF.Quad[] = [];
  for (const [resource, member] of latest) {
    if (member.deleted) continue;
    const subject = DataFactory.namedNode(resource);
    for (const quad of member.quads) {
      const own = quad.subject.value === member.id;
      if (own && (quad.predicate.value === isVersionOf || quad.predicate.value === generatedAtTime)) continue;
      quads.push(DataFactory.quad(own ? subject : quad.subject, quad.predicate, quad.object, graph));
    }
  }
  return { quads, latest };
}
