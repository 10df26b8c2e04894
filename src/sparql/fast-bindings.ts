/**
 * RDF/JS Bindings over a plain Map, for fast-path results: Comunica's immutable bindings cost
 * more to build and to read than the whole evaluation of a small query.
 */
import type * as RDF from '@rdfjs/types';
import { DataFactory } from '../rdf/index.js';

type Key = RDF.Variable | string;

const nameOf = (key: Key): string => (typeof key === 'string' ? key : key.value);

// N3's factory has variables; the RDF/JS DataFactory type marks them optional.
const variableNamed = (name: string): RDF.Variable => (DataFactory.variable as (name: string) => RDF.Variable)(name);

export class FastBindings implements RDF.Bindings {
  readonly type = 'bindings';
  readonly #entries: ReadonlyMap<string, readonly [RDF.Variable, RDF.Term]>;

  /** `entries`: one per bound variable (unbound variables are absent). */
  constructor(entries: Iterable<readonly [RDF.Variable, RDF.Term]>) {
    this.#entries = new Map([...entries].map((entry) => [entry[0].value, entry]));
  }

  get size(): number {
    return this.#entries.size;
  }

  has(key: Key): boolean {
    return this.#entries.has(nameOf(key));
  }

  get(key: Key): RDF.Term | undefined {
    return this.#entries.get(nameOf(key))?.[1];
  }

  set(key: Key, value: RDF.Term): RDF.Bindings {
    const variable = typeof key === 'string' ? variableNamed(key) : key;
    return new FastBindings([...this.#without(variable.value), [variable, value]]);
  }

  delete(key: Key): RDF.Bindings {
    return new FastBindings(this.#without(nameOf(key)));
  }

  *keys(): Iterable<RDF.Variable> {
    for (const [variable] of this.#entries.values()) yield variable;
  }

  *values(): Iterable<RDF.Term> {
    for (const [, term] of this.#entries.values()) yield term;
  }

  forEach(fn: (value: RDF.Term, key: RDF.Variable) => unknown): void {
    for (const [variable, term] of this.#entries.values()) fn(term, variable);
  }

  *[Symbol.iterator](): Iterator<[RDF.Variable, RDF.Term]> {
    for (const [variable, term] of this.#entries.values()) yield [variable, term];
  }

  equals(other: RDF.Bindings | null | undefined): boolean {
    if (!other || other.size !== this.size) return false;
    for (const [variable, term] of this.#entries.values()) if (!other.get(variable)?.equals(term)) return false;
    return true;
  }

  filter(fn: (value: RDF.Term, key: RDF.Variable) => boolean): RDF.Bindings {
    return new FastBindings([...this.#entries.values()].filter(([variable, term]) => fn(term, variable)));
  }

  map(fn: (value: RDF.Term, key: RDF.Variable) => RDF.Term): RDF.Bindings {
    return new FastBindings([...this.#entries.values()].map(([variable, term]) => [variable, fn(term, variable)] as const));
  }

  merge(other: RDF.Bindings): RDF.Bindings | undefined {
    const merged = new Map(this.#entries);
    for (const [variable, term] of other) {
      const mine = merged.get(variable.value);
      if (mine && !mine[1].equals(term)) return undefined;
      merged.set(variable.value, [variable, term]);
    }
    return new FastBindings(merged.values());
  }

  mergeWith(merger: (self: RDF.Term, other: RDF.Term, key: RDF.Variable) => RDF.Term, other: RDF.Bindings): RDF.Bindings {
    const merged = new Map(this.#entries);
    for (const [variable, term] of other) {
      const mine = merged.get(variable.value);
      merged.set(variable.value, [variable, mine ? merger(mine[1], term, variable) : term]);
    }
    return new FastBindings(merged.values());
  }

  #without(name: string): (readonly [RDF.Variable, RDF.Term])[] {
    return [...this.#entries.values()].filter(([variable]) => variable.value !== name);
  }
}
