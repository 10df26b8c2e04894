/**
 * Integer-id access to the embedded store's N3 indexes, for the SPARQL fast path. Every graph's
 * N3 store shares one entity index, so an id names the same term in every graph and joins across
 * graphs compare numbers. This file is the only place that knows N3's internal layout (pinned
 * n3 version; `test/store/id-index.test.ts` fails if it changes).
 */
import type * as RDF from '@rdfjs/types';
import * as N3 from 'n3';
import { Store, termFromId } from 'n3';
import { DataFactory } from '../rdf/index.js';

/** One N3 index: first key → second key → third key → null (SPO, POS or OSP by position). */
export type IdIndexLevel = Readonly<Record<number, Readonly<Record<number, Readonly<Record<number, null>>>>>>;

/** One graph's three indexes, keyed by entity ids. */
export interface IdGraph {
  readonly subjects: IdIndexLevel;
  readonly predicates: IdIndexLevel;
  readonly objects: IdIndexLevel;
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
}

/** Adds quads to one store made by `SharedEntities.createStore` by entity id, so a bulk load resolves a repeated term once. */
export interface IdWriter {
  /**
   * The term's id. A term no graph has held yet gets a new id and is passed to `admit` first:
   * when `admit` throws, the new id is forgotten and the error passes on.
   */
  idOf(term: RDF.Term, admit: (term: RDF.Term) => void): number;
  /** Adds the quad of these ids (from `idOf`); false when it was there already. */
  add(subject: number, predicate: number, object: number, graph: number): boolean;
}

interface N3EntityIndexInternals {
  readonly _ids: Record<string, number>;
  readonly _entities: Record<number, string>;
  /** The last id given out. */
  readonly _id: number;
  _termToNumericId(term: RDF.Term): number | undefined;
  _termToNewNumericId(term: RDF.Term): number;
}

interface N3StoreInternals {
  readonly _graphs: Readonly<Record<number, IdGraph>>;
  _addQuad(subject: number, predicate: number, object: number, graph: number): boolean;
}

type EntityIndexConstructor = new (options: { factory: RDF.DataFactory }) => N3EntityIndexInternals;
type SharingStoreConstructor = new (quads: undefined, options: { entityIndex: N3EntityIndexInternals; factory: RDF.DataFactory }) => Store;

/** The one entity index of a store's graphs, and the factory of graph stores that share it. */
export class SharedEntities {
  // @types/n3 does not declare the EntityIndex that n3 2.x exports.
  readonly #index = new (N3 as unknown as { EntityIndex: EntityIndexConstructor }).EntityIndex({ factory: DataFactory });

  /** A new, empty N3 store whose ids are this index's. */
  createStore(): Store {
    return new (Store as unknown as SharingStoreConstructor)(undefined, { entityIndex: this.#index, factory: DataFactory });
  }

  idOf(term: RDF.Term): number | undefined {
    return this.#index._termToNumericId(term) || undefined;
  }

  /** Id-level writes into `store`, which must come from this object's `createStore`. */
  writerOf(store: Store): IdWriter {
    const index = this.#index;
    const internals = store as unknown as N3StoreInternals;
    return {
      idOf: (term, admit) => {
        const last = index._id;
        const id = index._termToNewNumericId(term);
        if (id > last) {
          try {
            admit(term);
          } catch (error) {
            delete index._ids[index._entities[id] as string];
            delete index._entities[id];
            throw error;
          }
        }
        return id;
      },
      add: (subject, predicate, object, graph) => internals._addQuad(subject, predicate, object, graph),
    };
  }

  idOfKey(key: string): number | undefined {
    return this.#index._ids[key];
  }

  keyOf(id: number): string {
    return this.#index._entities[id] ?? '';
  }
}

/** The indexes of an N3 store created by `SharedEntities.createStore` (one graph per store here). */
export function idGraphsOf(store: Store): IdGraph[] {
  return Object.values((store as unknown as N3StoreInternals)._graphs);
}

/** A term from an entity key, as N3 writes keys (IRIs that look like other keys are bracketed). */
export function termOfKey(key: string): RDF.Term {
  if (key.startsWith('<') && key.endsWith('>')) return DataFactory.namedNode(key.slice(1, -1));
  return termFromId(key, DataFactory);
}
