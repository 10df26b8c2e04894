/**
 * Drops the quads a run has already written (RDF graphs are sets; RMLMapper and Morph-KGC write
 * each triple once), keeping memory bounded: quads are remembered per subject, for the most
 * recently seen subjects only.
 */
import type * as RDF from '@rdfjs/types';
import { termToId } from 'n3';

/** N3's own term ids: a string its terms already hold, so keying costs no formatting. */
const termKey = (term: RDF.Term): string => termToId(term as Parameters<typeof termToId>[0]);

/** Past this many quads a subject's are looked up by key; below, compared one by one (no strings built). */
const scanLimit = 16;

/** What one subject has written: the quads themselves while few, then their keys. */
interface Written {
  quads: RDF.Quad[];
  targets: string[];
  keys?: Set<string>;
}

const keyOf = (quad: RDF.Quad, targets: string): string => `${termKey(quad.predicate)} ${termKey(quad.object)} ${termKey(quad.graph)} ${targets}`;

/**
 * Exact for every subject among the last `capacity` distinct subjects (at least): a table whose
 * rows about one thing lie within that many subjects of each other (any table of fewer subjects,
 * or one sorted or grouped by its key) is written without a duplicate. Beyond it, a repeat can
 * slip through, never a distinct quad be lost.
 */
export class DuplicateFilter {
  // Two generations instead of a least-recently-used list: when the current one is full it
  // becomes the previous one and the oldest is dropped whole, so no entry is ever deleted one
  // by one (deleting from the front of a large Map makes V8 scan the holes on every lookup).
  #current = new Map<string, Written>();
  #previous = new Map<string, Written>();
  // Consecutive quads usually share their subject term: skip the maps for them.
  #lastSubject: RDF.Term | undefined;
  #lastWritten: Written | undefined;

  // A generation of 5,000 subjects of a few quads each is a few MiB (the streaming test holds the heap flat).
  constructor(readonly capacity = 5_000) {}

  /** True the first time a quad (with these logical targets) is offered. */
  isNew(quad: RDF.Quad, targets: readonly string[]): boolean {
    let written = this.#lastSubject === quad.subject ? this.#lastWritten : undefined;
    if (!written) {
      written = this.#writtenFor(termKey(quad.subject));
      this.#lastSubject = quad.subject;
      this.#lastWritten = written;
    }
    const targetKey = targets.length > 0 ? targets.join(' ') : '';
    if (written.keys) {
      const key = keyOf(quad, targetKey);
      if (written.keys.has(key)) return false;
      written.keys.add(key);
      return true;
    }
    for (let index = 0; index < written.quads.length; index++) {
      const other = written.quads[index] as RDF.Quad;
      if (other.predicate.equals(quad.predicate) && other.object.equals(quad.object) && other.graph.equals(quad.graph) && written.targets[index] === targetKey) return false;
    }
    written.quads.push(quad);
    written.targets.push(targetKey);
    if (written.quads.length > scanLimit) {
      written.keys = new Set(written.quads.map((item, index) => keyOf(item, written.targets[index] as string)));
      written.quads = [];
      written.targets = [];
    }
    return true;
  }

  #writtenFor(subject: string): Written {
    const current = this.#current.get(subject);
    if (current) return current;
    const written = this.#previous.get(subject) ?? { quads: [], targets: [] };
    if (this.#current.size >= this.capacity) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
    this.#current.set(subject, written);
    return written;
  }
}
