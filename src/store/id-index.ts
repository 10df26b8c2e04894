/**
 * Integer-id access to the embedded store's graphs, for the SPARQL fast path. Every graph shares
 * one term dictionary, so an id names the same term in every graph and joins across graphs
 * compare numbers; the N3 stores that hold write deltas take their ids from it too. A graph's
 * triples are read through `IdGraph`: a `CompactGraph` implements it on typed arrays, and this
 * file on an N3 store's nested indexes — the only place that knows N3's internal layout and its
 * entity-index protocol (pinned n3 version; `test/store/id-index.test.ts` fails if it changes).
 */
import type * as RDF from '@rdfjs/types';
import { Store, termFromId, termToId } from 'n3';
import { DataFactory } from '../rdf/index.js';
import { TermDictionary } from './term-dictionary.js';

/** Receives matched triples as ids (in subject, predicate, object order). */
export interface TripleSink {
  add(subject: number, predicate: number, object: number): void;
}

/** Matched triples as ids, three per match, in a reusable typed array (no object per triple). */
export class IdTriples implements TripleSink {
  data = new Uint32Array(48);
  length = 0;

  add(subject: number, predicate: number, object: number): void {
    if (this.length + 3 > this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = subject;
    this.data[this.length++] = predicate;
    this.data[this.length++] = object;
  }
}

/** Triples and distinct objects of one predicate in one graph: what the planner estimates fan-outs from. */
export interface PredicateStatistics {
  readonly size: number;
  readonly objects: number;
}

/** One graph's triples by entity id, whatever the layout behind them. In every argument 0 means "any". */
export interface IdGraph {
  /** Adds every matching triple to `sink`, in ascending id order of the index used. */
  match(subject: number, predicate: number, object: number, sink: TripleSink): void;
  /** How many triples match. */
  count(subject: number, predicate: number, object: number): number;
  predicateStatistics(predicate: number): PredicateStatistics;
  /**
   * Adds every triple of `predicate` whose object `accept` takes, in `match(0, predicate, 0)`'s
   * order, asking once per distinct object: a FILTER on the object alone is tested per value,
   * not per row, and only the rows of the values it passes are read.
   */
  matchObjects(predicate: number, accept: (object: number) => boolean, sink: TripleSink): void;
}

/** What the fast path reads: ids of terms, terms of ids, and the graphs of a dataset. */
export interface QuadIndex {
  /** The id of a term, or undefined when no graph has ever held it (so nothing can match it). */
  idOf(term: RDF.Term): number | undefined;
  /** The id of an N3 entity key (`"5"^^http://…#integer`, an IRI, `_:b0`), if known. */
  idOfKey(key: string): number | undefined;
  /** N3's entity key of an id: IRIs bare, literals as `"lexical"`, `"lexical"@lang` or `"lexical"^^datatype`. */
  keyOf(id: number): string;
  /** The graphs a query's default graph is made of ('union': every graph; 'store': the unnamed one). */
  defaultGraphs(mode: 'union' | 'store'): readonly IdGraph[];
  /** The IRIs of the named graphs that hold quads now (what `GRAPH ?g {}` lists). */
  namedGraphs(): readonly string[];
  /** The graph named by an IRI (or `_:label`), as it is now; undefined when it holds no quads. */
  namedGraph(name: string): IdGraph | undefined;
}

/** What an N3 store calls on the entity index it is given (n3 2.x; `test/store/id-index.test.ts` checks it). */
interface N3EntityIndex {
  /** Read by id as `entities[id]`: the key of an id. */
  readonly _entities: Readonly<Record<number, string | undefined>>;
  _termFromId(key: string): RDF.Term;
  _termToNumericId(term: RDF.Term | string): number | undefined;
  _termToNewNumericId(term: RDF.Term | string): number;
  createBlankNode(suggestedName?: string): RDF.BlankNode;
}

/** The key of a term in the entity index, as N3 makes it: IRIs that start like another kind of key are bracketed. */
const markedIri = /^[?_"[.<]/;
function entityKey(term: RDF.Term): string {
  const id = termToId(term as Parameters<typeof termToId>[0]);
  if (id.charCodeAt(0) >= 0x61) return id;
  return term.termType === 'NamedNode' && markedIri.test(term.value) ? `<${term.value}>` : id;
}

/** One N3 index: first key → second key → third key → null (SPO, POS or OSP by position). */
type N3IndexLevel = Readonly<Record<number, Readonly<Record<number, Readonly<Record<number, null>>>>>>;

interface N3GraphIndexes {
  readonly subjects: N3IndexLevel;
  readonly predicates: N3IndexLevel;
  readonly objects: N3IndexLevel;
}

interface N3StoreInternals {
  readonly _graphs: Readonly<Record<number, N3GraphIndexes | undefined>>;
}

type SharingStoreConstructor = new (quads: undefined, options: { entityIndex: N3EntityIndex; factory: RDF.DataFactory }) => Store;

/**
 * The one term dictionary of a store's graphs, and the factory of N3 stores (the small write
 * deltas) that take their ids from it. Quoted triples are never stored, so they have no id.
 */
export class SharedEntities {
  readonly #dictionary = new TermDictionary();
  readonly #n3Index: N3EntityIndex;
  #blankNodes = 0;
  #holds = 0;
  /** Ids no graph used at the last `forgetUnused` (1), or undefined before the first. */
  #unusedBefore: Uint8Array | undefined;

  constructor() {
    const dictionary = this.#dictionary;
    // The default graph is id 1, as N3 stores assume.
    dictionary.add('');
    const keyOf = (term: RDF.Term | string): string | undefined =>
      typeof term === 'string' ? term : term.termType === 'Quad' ? undefined : entityKey(term);
    this.#n3Index = {
      // N3 reads `entities[id]` only for the quads of a delta it returns.
      _entities: new Proxy({}, { get: (_target, id) => (typeof id === 'string' ? dictionary.keyOf(Number(id)) : undefined) }),
      _termFromId: termOfKey,
      _termToNumericId: (term) => {
        const key = keyOf(term);
        return key === undefined ? undefined : dictionary.find(key);
      },
      _termToNewNumericId: (term) => {
        const key = keyOf(term);
        if (key === undefined) throw new TypeError('quoted triples are not stored');
        return dictionary.add(key);
      },
      createBlankNode: (suggestedName) => {
        let label: string;
        do label = `${suggestedName ?? 'b'}${this.#blankNodes++}`;
        while (dictionary.find(`_:${label}`) !== undefined);
        dictionary.add(`_:${label}`);
        return DataFactory.blankNode(label);
      },
    };
  }

  /** A new, empty N3 store whose ids are this dictionary's. */
  createStore(): Store {
    return new (Store as unknown as SharingStoreConstructor)(undefined, { entityIndex: this.#n3Index, factory: DataFactory });
  }

  idOf(term: RDF.Term): number | undefined {
    return term.termType === 'Quad' ? undefined : this.#dictionary.find(entityKey(term));
  }

  /** The term's id. A term no graph has held yet is passed to `admit` first, and gets no id when `admit` throws. */
  admittedIdOf(term: RDF.Term, admit: (term: RDF.Term) => void): number {
    return this.#dictionary.add(entityKey(term), () => admit(term));
  }

  /** `admittedIdOf` for `terms[0, count)` in order, each id into `ids`: one batch of dictionary lookups (see `TermDictionary.addBatch`). */
  admittedIdsOf(terms: readonly RDF.Term[], count: number, ids: Uint32Array, admit: (term: RDF.Term) => void): void {
    const keys = new Array<string>(count);
    for (let index = 0; index < count; index++) keys[index] = entityKey(terms[index] as RDF.Term);
    this.#dictionary.addBatch(keys, count, ids, (index) => admit(terms[index] as RDF.Term));
  }

  /** The term of an id given out by this dictionary (a new term object, as N3's own reads make). */
  termOf(id: number): RDF.Term {
    return termOfKey(this.keyOf(id));
  }

  idOfKey(key: string): number | undefined {
    return this.#dictionary.find(key);
  }

  keyOf(id: number): string {
    return this.#dictionary.keyOf(id) ?? '';
  }

  /**
   * Keeps `forgetUnused` from running until the returned function is called: terms given ids
   * for a graph that is still being built (or waits to be swapped in) are in no graph yet.
   */
  hold(): () => void {
    this.#holds++;
    let released = false;
    return () => {
      if (!released) this.#holds--;
      released = true;
    };
  }

  /**
   * Forgets the terms that `markUsed` leaves unmarked now and left unmarked at the previous call
   * too: a read that began on a graph just replaced still finds its terms until the next call.
   * Does nothing while `hold` is in effect.
   */
  forgetUnused(markUsed: (used: Uint8Array) => void): void {
    if (this.#holds > 0) return;
    const dictionary = this.#dictionary;
    const used = new Uint8Array(dictionary.lastId + 1);
    used[1] = 1; // the default graph, which N3 stores assume
    markUsed(used);
    const previous = this.#unusedBefore;
    for (let id = 1; id < used.length; id++) if (used[id] === 0 && previous !== undefined && previous[id] === 1) dictionary.forget(id);
    // Now-unused becomes 1, so that the next call forgets what is still unused then.
    for (let id = 1; id < used.length; id++) used[id] = used[id] === 0 ? 1 : 0;
    this.#unusedBefore = used;
  }

  /** The dictionary itself, for snapshots and memory accounting. */
  get dictionary(): TermDictionary {
    return this.#dictionary;
  }
}

const keysOf = (level: object | undefined): string[] => (level ? Object.keys(level) : []);

const predicateStatisticsCache = new WeakMap<object, PredicateStatistics>();

/** The id view of one graph of an N3 store: its nested-object indexes, read in N3's ascending key order. */
class N3IdGraph implements IdGraph {
  readonly #subjects: N3IndexLevel;
  readonly #predicates: N3IndexLevel;
  readonly #objects: N3IndexLevel;

  constructor(indexes: N3GraphIndexes) {
    this.#subjects = indexes.subjects;
    this.#predicates = indexes.predicates;
    this.#objects = indexes.objects;
  }

  match(s: number, p: number, o: number, sink: TripleSink): void {
    if (s !== 0) {
      const bySubject = this.#subjects[s];
      if (!bySubject) return;
      if (p !== 0) {
        const objects = bySubject[p];
        if (!objects) return;
        if (o !== 0) {
          if (o in objects) sink.add(s, p, o);
        } else for (const key of Object.keys(objects)) sink.add(s, p, +key);
      } else {
        for (const predicateKey of Object.keys(bySubject)) {
          const objects = bySubject[+predicateKey] as N3IndexLevel[number][number];
          if (o !== 0) {
            if (o in objects) sink.add(s, +predicateKey, o);
          } else for (const key of Object.keys(objects)) sink.add(s, +predicateKey, +key);
        }
      }
    } else if (p !== 0) {
      const byPredicate = this.#predicates[p];
      if (!byPredicate) return;
      if (o !== 0) {
        const subjects = byPredicate[o];
        if (subjects) for (const key of Object.keys(subjects)) sink.add(+key, p, o);
      } else {
        for (const objectKey of Object.keys(byPredicate)) {
          const subjects = byPredicate[+objectKey] as N3IndexLevel[number][number];
          for (const key of Object.keys(subjects)) sink.add(+key, p, +objectKey);
        }
      }
    } else if (o !== 0) {
      const byObject = this.#objects[o];
      if (!byObject) return;
      for (const subjectKey of Object.keys(byObject)) {
        const predicates = byObject[+subjectKey] as N3IndexLevel[number][number];
        for (const key of Object.keys(predicates)) sink.add(+subjectKey, +key, o);
      }
    } else {
      for (const subjectKey of Object.keys(this.#subjects)) {
        const bySubject = this.#subjects[+subjectKey] as N3IndexLevel[number];
        for (const predicateKey of Object.keys(bySubject)) {
          const objects = bySubject[+predicateKey] as N3IndexLevel[number][number];
          for (const key of Object.keys(objects)) sink.add(+subjectKey, +predicateKey, +key);
        }
      }
    }
  }

  count(s: number, p: number, o: number): number {
    let total = 0;
    if (s !== 0) {
      const level = this.#subjects[s];
      if (p !== 0) return o !== 0 ? Number(o in (level?.[p] ?? {})) : keysOf(level?.[p]).length;
      for (const key in level) total += o !== 0 ? Number(o in (level[Number(key)] ?? {})) : keysOf(level[Number(key)]).length;
    } else if (p !== 0) {
      return o !== 0 ? keysOf(this.#predicates[p]?.[o]).length : this.predicateStatistics(p).size;
    } else {
      const level = o !== 0 ? { [o]: this.#objects[o] } : this.#subjects;
      for (const first in level) {
        const second = level[Number(first)];
        for (const key in second) total += keysOf(second[Number(key)]).length;
      }
    }
    return total;
  }

  matchObjects(predicate: number, accept: (object: number) => boolean, sink: TripleSink): void {
    const byPredicate = this.#predicates[predicate];
    if (!byPredicate) return;
    for (const objectKey of Object.keys(byPredicate)) {
      const object = +objectKey;
      if (!accept(object)) continue;
      for (const key of Object.keys(byPredicate[object] as N3IndexLevel[number][number])) sink.add(+key, predicate, object);
    }
  }

  /** Counted once per index object (a replaced graph has new ones). */
  predicateStatistics(predicate: number): PredicateStatistics {
    const level = this.#predicates[predicate];
    if (!level) return { size: 0, objects: 0 };
    let statistics = predicateStatisticsCache.get(level);
    if (statistics === undefined) {
      const objects = Object.keys(level);
      let size = 0;
      for (const object of objects) size += keysOf(level[Number(object)]).length;
      statistics = { size, objects: objects.length };
      predicateStatisticsCache.set(level, statistics);
    }
    return statistics;
  }
}

/** The id view of one graph of an N3 store made by `SharedEntities.createStore`; undefined while it holds none of that graph's quads. */
export function idGraphOf(store: Store, graph: number): IdGraph | undefined {
  const indexes = (store as unknown as N3StoreInternals)._graphs[graph];
  return indexes && new N3IdGraph(indexes);
}

/** A term from an entity key, as N3 writes keys (IRIs that look like other keys are bracketed). */
export function termOfKey(key: string): RDF.Term {
  if (key.startsWith('<') && key.endsWith('>')) return DataFactory.namedNode(key.slice(1, -1));
  return termFromId(key, DataFactory);
}
