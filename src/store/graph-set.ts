/**
 * The in-memory state: one `CompactGraph` per graph (key `''` is the default graph). Replacing a graph
 * is one `Map.set`, so a reader holds either the old store or the new one, never a mix.
 */
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import { BadRequest } from '../errors/index.js';
import type { CompactGraph } from './compact-graph.js';
import { SharedEntities } from './id-index.js';
import { GraphLoader } from './storable-quad.js';

type Pattern = RDF.Term | null | undefined;

/** The map key of a graph term; undefined for terms that cannot name a graph (literals, variables). */
export function graphKey(graph: RDF.Term): string | undefined {
  switch (graph.termType) {
    case 'NamedNode':
      return graph.value;
    case 'DefaultGraph':
      return '';
    case 'BlankNode':
      return `_:${graph.value}`;
    default:
      return undefined;
  }
}

/** RDF/JS allows variables as wildcards in `match`; N3 wants null. */
function wildcard(term: Pattern): RDF.Term | null {
  return term === undefined || term === null || term.termType === 'Variable' ? null : term;
}

/** An object-mode stream over a synchronous iterator, honouring back-pressure. */
export class IteratorReadable extends Readable {
  readonly #iterator: Iterator<RDF.Quad>;

  constructor(iterable: Iterable<RDF.Quad>) {
    super({ objectMode: true });
    this.#iterator = iterable[Symbol.iterator]();
  }

  override _read(size: number): void {
    for (let left = Math.max(size, 1); left > 0; left--) {
      const next = this.#iterator.next();
      if (next.done) {
        this.push(null);
        return;
      }
      if (!this.push(next.value)) return;
    }
  }
}

/**
 * What `match` returns: a stream (what Comunica reads) that can also be iterated synchronously,
 * each iteration re-reading the current state, as N3's own match result allows.
 */
export class QuadMatch extends IteratorReadable implements Iterable<RDF.Quad> {
  readonly #read: () => Iterable<RDF.Quad>;

  constructor(read: () => Iterable<RDF.Quad>) {
    super(read());
    this.#read = read;
  }

  [Symbol.iterator](): Iterator<RDF.Quad> {
    return this.#read()[Symbol.iterator]();
  }
}

export class GraphSet {
  readonly #stores = new Map<string, CompactGraph>();
  /** Shared by every graph's store, so that the SPARQL fast path joins ids across graphs. */
  readonly entities = new SharedEntities();

  get(key: string): CompactGraph | undefined {
    return this.#stores.get(key);
  }

  /** Swaps a graph's store in one step; an empty or missing store removes the graph. */
  set(key: string, store: CompactGraph | undefined): void {
    if (store === undefined || store.size === 0) this.#stores.delete(key);
    else this.#stores.set(key, store);
  }

  keys(): IterableIterator<string> {
    return this.#stores.keys();
  }

  /** Drops stores left empty by deletions (graphs exist while they hold quads). */
  prune(keys: Iterable<string>): void {
    for (const key of keys) if (this.#stores.get(key)?.size === 0) this.#stores.delete(key);
  }

  /** The graphs a graph pattern reaches, fixed at call time (later swaps do not affect a read); each is also its own id index. */
  select(graph: Pattern): CompactGraph[] {
    const pattern = wildcard(graph);
    if (pattern === null) return [...this.#stores.values()];
    const key = graphKey(pattern);
    const store = key === undefined ? undefined : this.#stores.get(key);
    return store ? [store] : [];
  }

  *quads(subject: Pattern, predicate: Pattern, object: Pattern, graph: Pattern): Generator<RDF.Quad> {
    const [s, p, o] = [wildcard(subject), wildcard(predicate), wildcard(object)];
    for (const store of this.select(graph)) yield* store.readQuads(s, p, o, null);
  }

  count(subject: Pattern, predicate: Pattern, object: Pattern, graph: Pattern): number {
    const [s, p, o] = [wildcard(subject), wildcard(predicate), wildcard(object)];
    let total = 0;
    for (const store of this.select(graph)) total += store.countQuads(s, p, o, null);
    return total;
  }

  get size(): number {
    let total = 0;
    for (const store of this.#stores.values()) total += store.size;
    return total;
  }

  /** Bytes held: every graph's arrays and the term dictionary. */
  get bytes(): number {
    let total = this.entities.dictionary.bytes;
    for (const store of this.#stores.values()) total += store.bytes;
    return total;
  }

  /**
   * Adds a quad to its graph's store (creating it); false when it was already there.
   * @throws BadRequest when the quad's graph is not an IRI, blank node or the default graph.
   */
  add(quad: RDF.Quad): boolean {
    const key = graphKey(quad.graph);
    if (key === undefined) throw new BadRequest(`a ${quad.graph.termType} cannot name a graph`);
    let store = this.#stores.get(key);
    if (!store) {
      store = new GraphLoader(this.entities, quad.graph, '').finish();
      this.#stores.set(key, store);
    }
    return store.addQuad(quad);
  }

  /** Removes a quad; false when it was not there. */
  remove(quad: RDF.Quad): boolean {
    const key = graphKey(quad.graph);
    const store = key === undefined ? undefined : this.#stores.get(key);
    return store ? store.removeQuad(quad) : false;
  }

  /** Forgets the dictionary's terms that no graph uses any more (see `SharedEntities.forgetUnused`). */
  forgetUnusedTerms(): void {
    this.entities.forgetUnused((used) => {
      for (const store of this.#stores.values()) store.markTerms(used);
    });
  }

  /**
   * Rebuilds the graphs among `keys` whose changes since their last build reach `share` of it
   * (0: any change), so that reads stop merging them. A rebuild costs a sort of the graph, so a
   * share above 0 keeps its cost per change constant (and a graph made by writes is built at once).
   */
  compact(keys: Iterable<string>, share = 0): void {
    for (const key of keys) {
      const store = this.#stores.get(key);
      if (!store) continue;
      const { count, built } = store.changes;
      if (count > 0 && count >= share * built) this.#stores.set(key, store.compacted());
    }
  }
}
