/**
 * Which datasets a request read. A document belongs to the datasets whose graphs describe its
 * resource; a Triple Pattern Fragment and a SPARQL query to the datasets whose graphs hold matches
 * of their patterns (with the store's per-graph counts: binary searches on the embedded store's
 * indexes), except where the query names its graphs (GRAPH <g>, FROM, FROM NAMED, the protocol's
 * graph parameters): those are read whatever they hold. A remote SPARQL store has no cheap
 * per-graph counts, so there only named graphs and dataset paths are attributed.
 */
import type * as RDF from '@rdfjs/types';
import { LRUCache } from 'lru-cache';
import { DataFactory, datasetIdOfGraph, documentSpaces } from '../rdf/index.js';
import { type ParsedSparql, parseSparql } from '../sparql/index.js';
import type { VinculoStore } from '../store/index.js';

type Term = RDF.Term | null;

/** One pattern a query or fragment reads: null positions are open; `graph` undefined is the query's default graph. */
interface ReadPattern {
  readonly subject: Term;
  readonly predicate: Term;
  readonly object: Term;
  /** A graph IRI, `variable` for GRAPH ?g, `default` for the default graph. */
  readonly graph: string | 'variable' | 'default';
}

/** What a query's text says it reads. */
interface QueryReads {
  readonly patterns: readonly ReadPattern[];
  /** FROM graphs, FROM NAMED graphs (empty when the query names none). */
  readonly from: readonly string[];
  readonly fromNamed: readonly string[];
}

/** The graphs a query's evaluation reads beyond its text: the protocol's `default-graph-uri` and `named-graph-uri`. */
export interface ProtocolDataset {
  readonly defaultGraphUris: readonly string[];
  readonly namedGraphUris: readonly string[];
}

/**
 * Texts this long are parsed on a worker thread by the engine; here they are not parsed at all
 * (parsing would hold the event loop), only the dataset graphs they name are counted.
 */
const longQueryChars = 4000;
/** Memoised query texts (in memory only, never written). */
const maxQueries = 512;
/** Memoised document and fragment paths: a crawler walks many, and each answer is a few ids. */
const maxPaths = 16_384;
/** Distinct dataset lists kept (combinations of datasets: far fewer than paths). */
const maxLists = 4096;

const documentSuffixes = /\.(?:html|ttl|jsonld|rdf|nt|nq|trig)$/;
/** One non-ASCII character's UTF-8, percent-encoded (RFC 3987 §3.2 reads these back as characters). */
const encodedNonAscii = /(?:%[C-Fc-f][0-9A-Fa-f](?:%[89ABab][0-9A-Fa-f]){1,3})+/g;

function decodeNonAscii(path: string): string {
  return path.replace(encodedNonAscii, (encoded) => {
    try {
      return decodeURIComponent(encoded);
    } catch {
      return encoded;
    }
  });
}

function constant(term: RDF.Term): Term {
  return term.termType === 'Variable' || term.termType === 'BlankNode' ? null : term;
}

function graphOf(term: RDF.Term | undefined): ReadPattern['graph'] {
  if (!term || term.termType === 'DefaultGraph') return 'default';
  return term.termType === 'NamedNode' ? term.value : 'variable';
}

/** The predicate a property path reads when it is one IRI (possibly repeated or optional); null otherwise. */
function pathPredicate(path: unknown): Term {
  let node = path as { type?: string; iri?: RDF.NamedNode; path?: unknown } | undefined;
  while (node && (node.type === 'ZeroOrMorePath' || node.type === 'OneOrMorePath' || node.type === 'ZeroOrOnePath')) {
    node = node.path as typeof node;
  }
  return node?.type === 'link' && node.iri ? node.iri : null;
}

/** The patterns, dataset clauses and described IRIs anywhere in a query's algebra (sub-queries, EXISTS and paths included). */
function readsOf(parsed: ParsedSparql): QueryReads {
  const patterns: ReadPattern[] = [];
  const from: string[] = [];
  const fromNamed: string[] = [];
  const pending: unknown[] = [parsed.algebra];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      pending.push(...node);
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    const item = node as Record<string, unknown> & { type?: string; termType?: string };
    if (item.type === 'pattern' || item.type === 'path') {
      const quad = item as unknown as { subject: RDF.Term; predicate: RDF.Term; object: RDF.Term; graph?: RDF.Term; type: string };
      const predicate = quad.type === 'path' ? pathPredicate(item.predicate) : constant(quad.predicate);
      patterns.push({ subject: constant(quad.subject), predicate, object: constant(quad.object), graph: graphOf(quad.graph) });
      continue;
    }
    if (item.termType !== undefined) continue;
    if (item.type === 'from') {
      from.push(...((item.default ?? []) as RDF.NamedNode[]).map((graph) => graph.value));
      fromNamed.push(...((item.named ?? []) as RDF.NamedNode[]).map((graph) => graph.value));
    }
    if (item.type === 'describe') {
      for (const term of (item.terms ?? []) as RDF.Term[]) {
        if (term.termType === 'NamedNode') patterns.push({ subject: term, predicate: null, object: null, graph: 'default' });
      }
    }
    for (const value of Object.values(item)) if (typeof value === 'object' && value !== null) pending.push(value);
  }
  return { patterns, from, fromNamed };
}

/**
 * A memo of at most `max` entries, forgotten all at once when full: a crawler's walk fills it again
 * at once, and a lookup is one Map read (an LRU's recency bookkeeping on every read cost more than
 * the rest of counting a document).
 */
class BoundedMemo<V> {
  readonly #entries = new Map<string, V>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  set(key: string, value: V): void {
    if (this.#entries.size >= this.#max) this.#entries.clear();
    this.#entries.set(key, value);
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** Stores `value` under `key` in a bounded memo and gives it back. */
function remember<V>(memo: { set(key: string, value: V): unknown }, key: string, value: V): V {
  memo.set(key, value);
  return value;
}

export class Attribution {
  readonly #store: VinculoStore;
  readonly #baseIRI: string;
  readonly #unionDefault: boolean;
  readonly #queries = new LRUCache<string, QueryReads>({ max: maxQueries });
  /** Documents and fragments: what they read depends on the store's state, so this memo is cleared when it changes. */
  readonly #paths = new BoundedMemo<readonly string[]>(maxPaths);
  /** Dataset lists by their ids (see `#interned`). */
  readonly #lists = new BoundedMemo<readonly string[]>(maxLists);
  #version = -1;
  /** The store's datasets as of `#version`. */
  #datasets: ReadonlyArray<{ readonly id: string; readonly graph: RDF.NamedNode }> = [];
  readonly #things: string;
  readonly #concepts: string;

  constructor(store: VinculoStore, options: { readonly baseIRI: string; readonly defaultGraph: 'union' | 'store' }) {
    this.#store = store;
    this.#baseIRI = options.baseIRI;
    this.#unionDefault = options.defaultGraph === 'union';
    const { things, concepts } = documentSpaces(options.baseIRI);
    this.#things = things.iris;
    this.#concepts = concepts.iris;
  }

  /** The dataset a path segment names, as a list of one when the store holds it (else none). */
  datasetList(id: string): readonly string[] {
    return this.#interned(this.#store.dataset(id) ? [id] : []);
  }

  /** Every dataset the store holds. */
  allDatasets(): string[] {
    return this.#store.listDatasets().map((info) => info.id);
  }

  /** The datasets of `/doc/…`, `/doc/kos/…` and `/kos/…` documents: those whose graphs describe the resource. */
  documentDatasets(path: string): readonly string[] {
    // Every counted document asks this: a memo hit allocates nothing (no resolver closure).
    return this.#knownPath(path) ?? remember(this.#paths, path, this.#interned(this.#resolveDocument(path)));
  }

  /** The datasets a Triple Pattern Fragment reads: those with matches of its pattern (a literal object widens it to any object). */
  fragmentDatasets(search: string): readonly string[] {
    const key = `?${search}`;
    return this.#knownPath(key) ?? remember(this.#paths, key, this.#interned(this.#resolveFragment(search)));
  }

  /** The datasets a SPARQL query's evaluation read (see the file's comment). */
  queryDatasets(text: string, protocol: ProtocolDataset): readonly string[] {
    const reads = text.length >= longQueryChars ? undefined : this.#queryReads(text);
    const found = new Set<string>();
    const add = (graph: string) => {
      const id = datasetIdOfGraph(this.#baseIRI, graph);
      if (id !== undefined && this.#store.dataset(id)) found.add(id);
    };
    if (!reads) {
      for (const match of text.matchAll(/graph\/([a-z0-9-]+)/g)) add(`${this.#baseIRI}graph/${match[1]}`);
      for (const graph of [...protocol.defaultGraphUris, ...protocol.namedGraphUris]) add(graph);
      return this.#interned([...found]);
    }
    const defaults = protocol.defaultGraphUris.length > 0 || protocol.namedGraphUris.length > 0 ? protocol.defaultGraphUris : reads.from;
    const named = protocol.defaultGraphUris.length > 0 || protocol.namedGraphUris.length > 0 ? protocol.namedGraphUris : reads.fromNamed;
    const namesDataset = defaults.length > 0 || named.length > 0;
    for (const pattern of reads.patterns) {
      if (pattern.graph !== 'default' && pattern.graph !== 'variable') add(pattern.graph);
      else if (pattern.graph === 'default' && namesDataset) for (const graph of defaults) add(graph);
      else if (pattern.graph === 'variable' && namesDataset) for (const graph of named) add(graph);
      else if (pattern.graph === 'variable' || this.#unionDefault) for (const id of this.#holding(pattern.subject, pattern.predicate, pattern.object)) found.add(id);
    }
    return this.#interned([...found]);
  }

  #queryReads(text: string): QueryReads | undefined {
    const known = this.#queries.get(text);
    if (known !== undefined) return known;
    let reads: QueryReads | undefined;
    try {
      // The engine resolves relative IRIs against the endpoint's IRI.
      reads = readsOf(parseSparql(text, { expect: 'query', baseIRI: `${this.#baseIRI}sparql` }));
    } catch {
      // The engine refused it too; nothing was read.
      reads = { patterns: [], from: [], fromNamed: [] };
    }
    return remember(this.#queries, text, reads);
  }

  #knownPath(key: string): readonly string[] | undefined {
    this.#refresh();
    return this.#paths.get(key);
  }

  #resolveDocument(path: string): readonly string[] {
    const [space, tail] = path.startsWith('/doc/kos/')
      ? [this.#concepts, path.slice('/doc/kos/'.length)]
      : path.startsWith('/doc/')
        ? [this.#things, path.slice('/doc/'.length)]
        : [this.#concepts, path.slice('/kos/'.length)];
    // An IRI may itself end in `.nt`: the whole tail is tried after the tail less a suffix.
    const bare = tail.replace(documentSuffixes, '');
    const tails = bare === tail ? [tail] : [bare, tail];
    for (const candidate of tail.includes('%') ? [...new Set(tails.flatMap((each) => [decodeNonAscii(each), each]))] : tails) {
      const holders = this.#holding(DataFactory.namedNode(`${space}${candidate}`), null, null);
      if (holders.length > 0) return holders;
    }
    return [];
  }

  #resolveFragment(search: string): readonly string[] {
    const parameters = new URLSearchParams(search);
    const iri = (name: string): Term => {
      const value = parameters.get(name)?.replace(/^<(.*)>$/, '$1') ?? '';
      return value === '' || value.startsWith('?') || value.startsWith('_:') || value.startsWith('"') ? null : DataFactory.namedNode(value);
    };
    return this.#holding(iri('subject'), iri('predicate'), iri('object'));
  }

  /** The datasets whose graphs hold a match of the pattern (none on a store without cheap counts). */
  #holding(subject: Term, predicate: Term, object: Term): string[] {
    if (!this.#store.quadIndex) return [];
    this.#refresh();
    const holders: string[] = [];
    for (const { id, graph } of this.#datasets) {
      if (this.#store.countQuads(subject, predicate, object, graph) > 0) holders.push(id);
    }
    return holders;
  }

  /**
   * The one list with these ids: the counter keys its per-day tallies by list, and a crawl's
   * thousands of documents then share a handful of lists (a list per path made its lookups miss
   * the CPU's caches, costing more than the rest of counting a document).
   */
  #interned(ids: readonly string[]): readonly string[] {
    const key = ids.join('\n');
    const known = this.#lists.get(key);
    if (known !== undefined) return known;
    this.#lists.set(key, ids);
    return ids;
  }

  /**
   * Takes the dataset list again when the store changed, and forgets memoised paths when a dataset
   * graph did: a write elsewhere — the catalog graph, where the usage counter itself publishes
   * every minute — changes no path's answer, and forgetting them all would re-resolve every path
   * a crawler walks, once a minute.
   */
  #refresh(): void {
    const version = this.#store.version;
    if (version === this.#version) return;
    const changed = this.#store.changedGraphs?.(this.#version);
    const before = this.#datasets;
    this.#version = version;
    this.#datasets = this.#store.listDatasets().map(({ id, graph }) => ({ id, graph }));
    const datasetGraphs = new Set([...before, ...this.#datasets].map(({ graph }) => graph.value));
    if (changed === undefined || changed.some((graph) => graph.termType !== 'NamedNode' || datasetGraphs.has(graph.value))) this.#paths.clear();
  }
}
