/**
 * The RDF/JS `Store` handed to `write()` work: changes apply to memory at once (so a SPARQL
 * update sees its own earlier operations) and are recorded, to be journaled as one record on
 * success or undone on failure.
 */
import { EventEmitter } from 'node:events';
import type * as RDF from '@rdfjs/types';
import { StorageError } from '../errors/index.js';
import { DataFactory } from '../rdf/index.js';
import type { CompactGraph } from './compact-graph.js';
import type { GraphSet } from './graph-set.js';
import { graphKey, IteratorReadable } from './graph-set.js';
import type { Change } from './journal.js';
import { storableQuad } from './storable-quad.js';

export class WriteTarget implements RDF.Store<RDF.Quad> {
  readonly changes: Change[] = [];
  readonly #graphs: GraphSet;
  readonly #pending: Promise<void>[] = [];
  /** Graphs `deleteGraph` took out whole: their stores, and the changes (first to end) that recorded their quads. */
  readonly #emptied: { readonly key: string; readonly store: CompactGraph; readonly first: number; readonly end: number }[] = [];
  #open = true;

  constructor(graphs: GraphSet) {
    this.#graphs = graphs;
  }

  /**
   * The live state, materialised first: Comunica deletes while it still reads a match, and
   * mutating N3's indexes under a lazy iterator could skip quads.
   */
  match(
    subject?: RDF.Term | null,
    predicate?: RDF.Term | null,
    object?: RDF.Term | null,
    graph?: RDF.Term | null,
  ): RDF.Stream<RDF.Quad> {
    this.#assertOpen();
    return new IteratorReadable([...this.#graphs.quads(subject, predicate, object, graph)]);
  }

  countQuads(subject?: RDF.Term | null, predicate?: RDF.Term | null, object?: RDF.Term | null, graph?: RDF.Term | null): number {
    return this.#graphs.count(subject, predicate, object, graph);
  }

  import(stream: RDF.Stream<RDF.Quad>): EventEmitter {
    return this.#consume(stream, (quad) => {
      const stored = storableQuad(quad);
      if (this.#graphs.add(stored)) this.changes.push({ op: 'I', quad: stored });
    });
  }

  remove(stream: RDF.Stream<RDF.Quad>): EventEmitter {
    return this.#consume(stream, (quad) => this.#delete(quad));
  }

  removeMatches(
    subject?: RDF.Term | null,
    predicate?: RDF.Term | null,
    object?: RDF.Term | null,
    graph?: RDF.Term | null,
  ): EventEmitter {
    this.#assertOpen();
    const quads = [...this.#graphs.quads(subject, predicate, object, graph)];
    return this.#consume(new IteratorReadable(quads), (quad) => this.#delete(quad));
  }

  /**
   * Empties a graph in one step: its store leaves the set whole, and undo puts that store back,
   * where removing quad by quad would copy every quad into the store's deletion delta. Each quad
   * is still recorded as a change, for the journal.
   */
  deleteGraph(graph: RDF.Quad_Graph | string): EventEmitter {
    this.#assertOpen();
    const key = graphKey(typeof graph === 'string' ? DataFactory.namedNode(graph) : graph);
    const store = key === undefined ? undefined : this.#graphs.get(key);
    if (key !== undefined && store && store.size > 0) {
      const first = this.changes.length;
      for (const quad of store.readQuads(null, null, null)) this.changes.push({ op: 'D', quad });
      this.#graphs.set(key, undefined);
      this.#emptied.push({ key, store, first, end: this.changes.length });
    }
    // Nothing is left to stream; the emitter only reports the end, as for the other writes.
    return this.#consume(new IteratorReadable([]), () => undefined);
  }

  /**
   * Waits for every stream handed to `import`/`remove` to finish, also those the work did not await.
   * @throws the first error any of them raised.
   */
  async settled(): Promise<void> {
    let seen = 0;
    while (seen < this.#pending.length) {
      const batch = this.#pending.slice(seen);
      seen = this.#pending.length;
      await Promise.all(batch);
    }
  }

  /** Reverts every recorded change, newest first. */
  undo(): void {
    for (let index = this.changes.length - 1; index >= 0; index--) {
      const emptied = this.#emptied.at(-1);
      if (emptied && index === emptied.end - 1) {
        // Newer changes are undone, so the graph is empty again: the store it had comes back whole.
        this.#graphs.set(emptied.key, emptied.store);
        this.#emptied.pop();
        index = emptied.first;
        continue;
      }
      const change = this.changes[index] as Change;
      if (change.op === 'I') this.#graphs.remove(change.quad);
      else this.#graphs.add(change.quad);
    }
    this.changes.length = 0;
    this.#emptied.length = 0;
  }

  /** Ends the target's life: work that kept a reference cannot write after its commit or undo. */
  close(): void {
    this.#open = false;
  }

  #delete(quad: RDF.Quad): void {
    let stored: RDF.Quad;
    try {
      stored = storableQuad(quad);
    } catch {
      return; // a quad that could not be stored is not in the store
    }
    if (this.#graphs.remove(stored)) this.changes.push({ op: 'D', quad: stored });
  }

  #assertOpen(): void {
    if (!this.#open) throw new StorageError('write target used after its write() finished');
  }

  #consume(stream: RDF.Stream<RDF.Quad>, apply: (quad: RDF.Quad) => void): EventEmitter {
    this.#assertOpen();
    const done = new EventEmitter();
    const finished = new Promise<void>((resolve, reject) => {
      stream.on('data', (quad: RDF.Quad) => {
        try {
          this.#assertOpen();
          apply(quad);
        } catch (error) {
          reject(error);
        }
      });
      stream.on('error', reject);
      stream.on('end', resolve);
    });
    this.#pending.push(finished);
    finished.then(
      () => done.emit('end'),
      (error: unknown) => {
        // Unobserved errors still fail the write through settled(); only emit to listeners.
        if (done.listenerCount('error') > 0) done.emit('error', error);
      },
    );
    return done;
  }
}
