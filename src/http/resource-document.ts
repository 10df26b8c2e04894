/** What a linked-data document holds: the resource's own quads, their blank-node closure, labels and types of what they link to, and a sample of incoming links. */
import type * as RDF from '@rdfjs/types';
import { collectQuads, DataFactory, labelPredicates, matchQuads, ns } from '../rdf/index.js';
import type { VinculoStore } from '../store/index.js';
import type { ReadPattern } from './representation-cache.js';

export interface ResourceDocumentOptions {
  readonly baseIRI: string;
  /** The resources the document is about: the primary topic first, then any hash terms. */
  readonly topics: readonly RDF.NamedNode[];
  /** How many incoming links to show; the rest are paged at `incoming.allUrl`. */
  readonly incomingSample?: number;
  /** Bound on the linked resources whose labels and types are added. */
  readonly maxLinked?: number;
}

export interface IncomingLinks {
  /** Every quad in the store that has the primary topic as object. */
  readonly count: number;
  readonly sample: readonly RDF.Quad[];
  /** A Triple Pattern Fragment that pages through all of them. */
  readonly allUrl: string;
}

export interface ResourceDocument {
  readonly topic: RDF.NamedNode;
  /** The description, graph by graph (the dataset each statement comes from). */
  readonly quads: readonly RDF.Quad[];
  readonly incoming: IncomingLinks;
  /** Every lookup the document made, so a cached copy knows which writes concern it. */
  readonly reads: readonly ReadPattern[];
  /** The lookups it read only in part (the incoming links: a sample and a count). */
  readonly partialReads: readonly ReadPattern[];
}

const labelIris = new Set(labelPredicates);
const rdfType = ns.rdf('type');
/** Up to this many quads, a linked thing's description is read whole and filtered. */
const smallDescription = 64;

function quadKey(quad: RDF.Quad): string {
  const term = (t: RDF.Term) =>
    t.termType === 'Literal' ? `"${t.value}"@${t.language}^^${t.datatype.value}` : `${t.termType}:${t.value}`;
  return `${term(quad.subject)} ${term(quad.predicate)} ${term(quad.object)} ${term(quad.graph)}`;
}

/** The URL of the fragment listing every triple whose object is `iri` (see `fragments.ts`). */
export function incomingLinksUrl(baseIRI: string, iri: string): string {
  return `${baseIRI}fragments?object=${encodeURIComponent(iri)}`;
}

/**
 * Builds the document about `topics` from every graph of the store.
 * @throws whatever error the store raises while matching.
 */
export async function resourceDocument(store: VinculoStore, options: ResourceDocumentOptions): Promise<ResourceDocument | undefined> {
  const [topic] = options.topics;
  if (!topic) return undefined;
  const quads = new Map<string, RDF.Quad>();
  const add = (quad: RDF.Quad) => quads.set(quadKey(quad), quad);

  // The topics' own quads, then the blank nodes they reach, within the graph that mentions them.
  const pending: Array<{ node: RDF.Quad_Subject; graph: RDF.Term | null }> = options.topics.map((node) => ({ node, graph: null }));
  const visited = new Set<string>();
  const reads: ReadPattern[] = [];
  const described = (subject: RDF.Term) => reads.push({ subject, predicate: null, object: null });
  while (pending.length > 0) {
    const { node, graph } = pending.pop() as { node: RDF.Quad_Subject; graph: RDF.Term | null };
    const key = `${node.termType}:${node.value} ${graph?.value ?? ''}`;
    if (visited.has(key)) continue;
    visited.add(key);
    described(node);
    for await (const quad of matchQuads(store, node, null, null, graph)) {
      add(quad);
      if (quad.object.termType === 'BlankNode') pending.push({ node: quad.object, graph: quad.graph });
    }
  }
  const own = quads.size;
  if (own === 0) return undefined;

  const count = store.countQuads(null, null, topic, null);
  const incomingLinks: ReadPattern = { subject: null, predicate: null, object: topic };
  reads.push(incomingLinks);
  const sample = (await collectQuads(store, [null, null, topic, null], options.incomingSample ?? 10)).filter(
    (quad) => quad.subject.termType === 'NamedNode',
  );
  for (const quad of sample) add(quad);

  // Labels and types of what the document links to, so readers need no second request to name it.
  const topicIris = new Set(options.topics.map((node) => node.value));
  const linked = new Map<string, RDF.NamedNode>();
  const typed = new Set<string>();
  for (const quad of quads.values()) {
    for (const term of [quad.subject, quad.predicate, quad.object]) {
      if (term.termType === 'NamedNode' && !topicIris.has(term.value)) linked.set(term.value, term);
    }
    if (quad.object.termType === 'NamedNode' && !quad.predicate.equals(ns.rdf('type'))) typed.add(quad.object.value);
    if (quad.subject.termType === 'NamedNode' && !topicIris.has(quad.subject.value)) typed.add(quad.subject.value);
  }
  const maxLinked = options.maxLinked ?? 500;
  let looked = 0;
  for (const node of linked.values()) {
    if (looked++ >= maxLinked) break;
    described(node);
    const statements = store.countQuads(node, null, null, null);
    // Most linked things are described by a few quads (or none): one lookup each, filtered here,
    // costs less than one per label predicate; a hub is asked only for what is wanted of it.
    if (statements === 0) continue;
    const wanted = (predicate: RDF.Term) => labelIris.has(predicate.value) || (predicate.equals(rdfType) && typed.has(node.value));
    if (statements <= smallDescription) {
      for await (const quad of matchQuads(store, node, null, null, null)) if (wanted(quad.predicate)) add(quad);
      continue;
    }
    for (const predicate of labelPredicates) {
      for await (const quad of matchQuads(store, node, DataFactory.namedNode(predicate), null, null)) add(quad);
    }
    if (typed.has(node.value)) for await (const quad of matchQuads(store, node, rdfType, null, null)) add(quad);
  }

  return { topic, quads: [...quads.values()], incoming: { count, sample, allUrl: incomingLinksUrl(options.baseIRI, topic.value) }, reads, partialReads: [incomingLinks] };
}

/** The hash terms `{iri}#…` described in `graph` (e.g. a vocabulary's classes and properties), sorted. */
export async function hashTerms(store: VinculoStore, iri: string, graph: RDF.NamedNode): Promise<RDF.NamedNode[]> {
  const found = new Map<string, RDF.NamedNode>();
  for await (const quad of matchQuads(store, null, null, null, graph)) {
    if (quad.subject.termType === 'NamedNode' && quad.subject.value.startsWith(`${iri}#`)) found.set(quad.subject.value, quad.subject);
  }
  return [...found.values()].sort((a, b) => a.value.localeCompare(b.value));
}

/**
 * The statements about the document itself (RDF in the default graph): what it is about and
 * where all the incoming links are, with their count.
 */
export function documentMetadata(document: ResourceDocument, documentIri: string): RDF.Quad[] {
  const doc = DataFactory.namedNode(documentIri);
  const incoming = DataFactory.namedNode(document.incoming.allUrl);
  const hydra = 'http://www.w3.org/ns/hydra/core#';
  return [
    // Hash and slash-less URIs (`/def/…`, `/kos/…`) name their own document: no topic to state.
    ...(doc.equals(document.topic) ? [] : [DataFactory.quad(doc, ns.foaf('primaryTopic'), document.topic)]),
    DataFactory.quad(doc, ns.rdfs('seeAlso'), incoming),
    DataFactory.quad(incoming, DataFactory.namedNode(`${hydra}totalItems`), DataFactory.literal(String(document.incoming.count), ns.xsd('integer'))),
  ];
}
