/**
 * RDF/JS Bindings over a small array, for fast-path results: Comunica's immutable bindings cost
 * more to build and to read than the whole evaluation of a small query, and a row has few
 * variables, so a scan beats building a map per row.
 */
import type * as RDF from '@rdfjs/types';
import { DataFactory } from '../rdf/index.js';

type Key = RDF.Variable | string;

const nameOf = (key: Key): string => (typeof key === 'string' ? key : key.value);

// N3's factory has variables; the RDF/JS DataFactory type marks them optional.
const variableNamed = (name: string): RDF.Variable => (DataFactory.variable as (name: string) => RDF.Variable)(name);

export class FastBindings implements RDF.Bindings {
  readonly type = 'bindings';
  readonly #entries: [RDF.Variable, RDF.Term][];

  /** `entries` (kept, not copied): one per bound variable (unbound variables are absent), each variable once. */
  constructor(entries: [RDF.Variable, RDF.Term][]) {
    this.#entries = entries;
  }

  get size(): number {
    return this.#entries.length;
  }

  #find(key: Key): [RDF.Variable, RDF.Term] | undefined {
    const name = nameOf(key);
    for (const entry of this.#entries) if (entry[0].value === name) return entry;
    return undefined;
  }

  has(key: Key): boolean {
    return this.#find(key) !== undefined;
  }

  get(key: Key): RDF.Term | undefined {
    return this.#find(key)?.[1];
  }

  set(key: Key, value: RDF.Term): RDF.Bindings {
    const variable = typeof key === 'string' ? variableNamed(key) : key;
    return new FastBindings([...this.#without(variable.value), [variable, value]]);
  }

  delete(key: Key): RDF.Bindings {
    return new FastBindings(this.#without(nameOf(key)));
  }

  keys(): Iterable<RDF.Variable> {
    return this.#entries.map(([variable]) => variable);
  }

  values(): Iterable<RDF.Term> {
    return this.#entries.map(([, term]) => term);
  }

  forEach(fn: (value: RDF.Term, key: RDF.Variable) => unknown): void {
    for (const [variable, term] of this.#entries) fn(term, variable);
  }

  [Symbol.iterator](): Iterator<[RDF.Variable, RDF.Term]> {
    return this.#entries.values();
  }

  equals(other: RDF.Bindings | null | undefined): boolean {
    if (!other || other.size !== this.size) return false;
    for (const [variable, term] of this.#entries) if (!other.get(variable)?.equals(term)) return false;
    return true;
  }

  filter(fn: (value: RDF.Term, key: RDF.Variable) => boolean): RDF.Bindings {
    return new FastBindings(this.#entries.filter(([variable, term]) => fn(term, variable)));
  }

  map(fn: (value: RDF.Term, key: RDF.Variable) => RDF.Term): RDF.Bindings {
    return new FastBindings(this.#entries.map(([variable, term]): [RDF.Variable, RDF.Term] => [variable, fn(term, variable)]));
  }

  merge(other: RDF.Bindings): RDF.Bindings | undefined {
    const merged = new Map<string, [RDF.Variable, RDF.Term]>(this.#entries.map((entry) => [entry[0].value, entry]));
    for (const [variable, term] of other) {
      const mine = merged.get(variable.value);
      if (mine && !mine[1].equals(term)) return undefined;
      merged.set(variable.value, [variable, term]);
    }
    return new FastBindings([...merged.values()]);
  }

  mergeWith(merger: (self: RDF.Term, other: RDF.Term, key: RDF.Variable) => RDF.Term, other: RDF.Bindings): RDF.Bindings {
    const merged = new Map<string, [RDF.Variable, RDF.Term]>(this.#entries.map((entry) => [entry[0].value, entry]));
    for (const [variable, term] of other) {
      const mine = merged.get(variable.value);
      merged.set(variable.value, [variable, mine ? merger(mine[1], term, variable) : term]);
    }
    return new FastBindings([...merged.values()]);
  }

  #without(name: string): [RDF.Variable, RDF.Term][] {
    return this.#entries.filter(([variable]) => variable.value !== name);
  }
}
