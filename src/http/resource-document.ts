/** What a linked-data document holds: the resource's own quads, their blank-node closure, labels and types of what they link to, and a sample of incoming links. */
import type * as RDF from '@rdfjs/types';
import { termToId } from 'n3';
import { collectQuads, DataFactory, labelPredicates, matchQuads, ns } from '../rdf/index.js';
import { type IdGraph, IdTriples, type QuadIndex, termOfKey, type VinculoStore } from '../store/index.js';
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

/** N3's term ids (which N3 terms carry ready-made), the object last: only a literal holds spaces or line ends. */
function quadKey(quad: RDF.Quad): string {
  return `${n3Id(quad.graph)}\n${n3Id(quad.subject)}\n${n3Id(quad.predicate)}\n${n3Id(quad.object)}`;
}

function n3Id(term: RDF.Term): string {
  return termToId(term as Parameters<typeof termToId>[0]);
}

/** The URL of the fragment listing every triple whose object is `iri` (see `fragments.ts`). */
export function incomingLinksUrl(baseIRI: string, iri: string): string {
  return `${baseIRI}fragments?object=${encodeURIComponent(iri)}`;
}

type Pattern = RDF.Term | null;

/** The lookups a document makes: every answer of one pattern at once, and counts. */
interface DocumentReader {
  /** Quads matching the pattern in `graph` (null: every graph), at most `limit` of them. */
  quads(subject: Pattern, predicate: Pattern, object: Pattern, graph: Pattern, limit?: number): readonly RDF.Quad[] | Promise<readonly RDF.Quad[]>;
  count(subject: Pattern, predicate: Pattern, object: Pattern): number;
}

/** A store's graphs as id indexes with their names, as they are at one store version. */
interface NamedIdGraph {
  readonly name: RDF.Quad_Graph;
  readonly graph: IdGraph;
}

const graphLists = new WeakMap<VinculoStore, { readonly version: number; readonly graphs: readonly NamedIdGraph[] }>();

/** The default graph and the IRI-named graphs (the ones a document can come from), listed once per store version. */
function namedIdGraphs(store: VinculoStore, index: QuadIndex): readonly NamedIdGraph[] {
  const listed = graphLists.get(store);
  if (listed?.version === store.version) return listed.graphs;
  const graphs: NamedIdGraph[] = index.defaultGraphs('store').map((graph) => ({ name: DataFactory.defaultGraph(), graph }));
  for (const name of index.namedGraphs()) {
    const graph = index.namedGraph(name);
    if (graph) graphs.push({ name: DataFactory.namedNode(name), graph });
  }
  graphLists.set(store, { version: store.version, graphs });
  return graphs;
}

/**
 * Reads the store's id indexes directly: one binary search per graph and lookup, terms made once
 * per document, no stream or promise per quad (what RDF/JS `match` costs for each of the few
 * dozen lookups of a document). Everything is read synchronously, so at one store version.
 * A class rather than closures: one object per document, not five functions.
 */
class IdReader implements DocumentReader {
  readonly #index: QuadIndex;
  readonly #graphs: readonly NamedIdGraph[];
  readonly #terms = new Map<number, RDF.Term>();
  readonly #buffer = new IdTriples();

  constructor(store: VinculoStore, index: QuadIndex) {
    this.#index = index;
    this.#graphs = namedIdGraphs(store, index);
  }

  quads(subject: Pattern, predicate: Pattern, object: Pattern, graph: Pattern, limit = Number.POSITIVE_INFINITY): RDF.Quad[] {
    const [s, p, o] = [this.#idOf(subject), this.#idOf(predicate), this.#idOf(object)];
    const found: RDF.Quad[] = [];
    if (s === undefined || p === undefined || o === undefined) return found;
    const buffer = this.#buffer;
    for (const { name, graph: triples } of this.#graphs) {
      if (graph !== null && !name.equals(graph)) continue;
      buffer.length = 0;
      triples.match(s, p, o, buffer);
      const ids = buffer.data;
      for (let at = 0; at < buffer.length && found.length < limit; at += 3) {
        const [subjectTerm, predicateTerm, objectTerm] = [this.#termOf(ids[at] as number), this.#termOf(ids[at + 1] as number), this.#termOf(ids[at + 2] as number)];
        found.push(DataFactory.quad(subjectTerm as RDF.Quad_Subject, predicateTerm as RDF.Quad_Predicate, objectTerm as RDF.Quad_Object, name));
      }
    }
    return found;
  }

  count(subject: Pattern, predicate: Pattern, object: Pattern): number {
    const [s, p, o] = [this.#idOf(subject), this.#idOf(predicate), this.#idOf(object)];
    if (s === undefined || p === undefined || o === undefined) return 0;
    let total = 0;
    for (const { graph } of this.#graphs) total += graph.count(s, p, o);
    return total;
  }

  /** 0 is "any"; undefined: a term no graph holds, so nothing matches. */
  #idOf(term: Pattern): number | undefined {
    return term === null ? 0 : this.#index.idOf(term);
  }

  #termOf(id: number): RDF.Term {
    let term = this.#terms.get(id);
    if (term === undefined) {
      term = termOfKey(this.#index.keyOf(id));
      this.#terms.set(id, term);
    }
    return term;
  }
}

/** Through RDF/JS `match`, for stores without id indexes (a remote SPARQL store). */
function matchReader(store: VinculoStore): DocumentReader {
  return {
    quads: (subject, predicate, object, graph, limit) => collectQuads(store, [subject, predicate, object, graph], limit),
    count: (subject, predicate, object) => store.countQuads(subject, predicate, object, null),
  };
}

/**
 * The labels and types of a thing a document links to, in the order they are added. Most linked
 * things are described by a few quads (or none): one lookup each, filtered here, costs less than
 * one per label predicate; a hub is asked only for its labels and types.
 */
async function linkedDescription(reader: DocumentReader, node: RDF.NamedNode): Promise<readonly RDF.Quad[]> {
  const statements = reader.count(node, null, null);
  if (statements === 0) return [];
  if (statements <= smallDescription) return (await reader.quads(node, null, null, null)).filter((quad) => labelIris.has(quad.predicate.value) || quad.predicate.equals(rdfType));
  const found: RDF.Quad[] = [];
  for (const predicate of labelPredicates) found.push(...(await reader.quads(node, DataFactory.namedNode(predicate), null, null)));
  found.push(...(await reader.quads(node, rdfType, null, null)));
  return found;
}

/** Linked things' descriptions remembered per store (this many at most, then forgotten all at once). */
const maxKnownLinks = 4096;

/**
 * The descriptions of linked things as the store is at its current version: the documents of a
 * crawl link to the same few classes, predicates, places and agencies over and over, and each
 * was two lookups per document (a count and its quads).
 */
class KnownLinks {
  readonly version: number;
  readonly #descriptions = new Map<string, readonly RDF.Quad[]>();

  constructor(version: number) {
    this.version = version;
  }

  get(iri: string): readonly RDF.Quad[] | undefined {
    return this.#descriptions.get(iri);
  }

  remember(iri: string, description: readonly RDF.Quad[]): void {
    if (this.#descriptions.size >= maxKnownLinks) this.#descriptions.clear();
    this.#descriptions.set(iri, description);
  }
}

const knownLinks = new WeakMap<VinculoStore, KnownLinks>();

/**
 * The descriptions known at `version`, the store version a document began at: those of a
 * document that began before the latest commit are neither used nor kept, so what a build read
 * across a commit never reaches a document of the next version.
 */
function linkedDescriptionsOf(store: VinculoStore, version: number): KnownLinks | undefined {
  const known = knownLinks.get(store);
  if (known?.version === version) return known;
  if (store.version !== version) return undefined;
  const fresh = new KnownLinks(version);
  knownLinks.set(store, fresh);
  return fresh;
}

/**
 * Builds the document about `topics` from every graph of the store.
 * @throws whatever error the store raises while matching.
 */
export async function resourceDocument(store: VinculoStore, options: ResourceDocumentOptions): Promise<ResourceDocument | undefined> {
  const [topic] = options.topics;
  if (!topic) return undefined;
  const version = store.version;
  const reader = store.quadIndex ? new IdReader(store, store.quadIndex) : matchReader(store);
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
    for (const quad of await reader.quads(node, null, null, graph)) {
      add(quad);
      if (quad.object.termType === 'BlankNode') pending.push({ node: quad.object, graph: quad.graph });
    }
  }
  const own = quads.size;
  if (own === 0) return undefined;

  const count = reader.count(null, null, topic);
  const incomingLinks: ReadPattern = { subject: null, predicate: null, object: topic };
  reads.push(incomingLinks);
  const sample = (await reader.quads(null, null, topic, null, options.incomingSample ?? 10)).filter((quad) => quad.subject.termType === 'NamedNode');
  for (const quad of sample) add(quad);

  // Labels and types of what the document links to, so readers need no second request to name it.
  const topicIris = new Set(options.topics.map((node) => node.value));
  const linked = new Map<string, RDF.NamedNode>();
  const typed = new Set<string>();
  for (const quad of quads.values()) {
    for (const term of [quad.subject, quad.predicate, quad.object]) {
      if (term.termType === 'NamedNode' && !topicIris.has(term.value)) linked.set(term.value, term);
    }
    if (quad.object.termType === 'NamedNode' && !quad.predicate.equals(rdfType)) typed.add(quad.object.value);
    if (quad.subject.termType === 'NamedNode' && !topicIris.has(quad.subject.value)) typed.add(quad.subject.value);
  }
  const maxLinked = options.maxLinked ?? 500;
  const known = store.quadIndex ? linkedDescriptionsOf(store, version) : undefined;
  let looked = 0;
  for (const node of linked.values()) {
    if (looked++ >= maxLinked) break;
    described(node);
    let description = known?.get(node.value);
    if (description === undefined) {
      description = await linkedDescription(reader, node);
      known?.remember(node.value, description);
    }
    // A type names what the document shows as a thing (not a class it merely uses).
    for (const quad of description) if (typed.has(node.value) || !quad.predicate.equals(rdfType)) add(quad);
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
