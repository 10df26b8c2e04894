/** The ids one query's evaluation sees: the store's terms, and negative ids for the values it computes. */
import type { QuadIndex } from '../store/index.js';
import { kindOfKey, literalParts, numericOf } from './fast-values.js';
import { DecodedIds, type IdSource } from './id-values.js';
import type { Numeric, NumericSum } from './xsd-numeric.js';

/** Ids of values computed during one query (aggregates, BIND), negative so they never clash with the store's. */
export class ComputedTerms implements IdSource {
  readonly #ids = new Map<string, number>();
  readonly #keys: string[] = [''];
  readonly #stored: DecodedIds;
  #computed: DecodedIds | undefined;

  constructor(readonly index: QuadIndex) {
    let stored = decodedCaches.get(index);
    if (!stored) {
      stored = new DecodedIds((id) => index.keyOf(id));
      decodedCaches.set(index, stored);
    }
    this.#stored = stored;
  }

  /** The decoded values of an id's side: the store's (kept across queries, as ids never change meaning) or this query's. */
  decoded(id: number): DecodedIds {
    if (id > 0) return this.#stored;
    this.#computed ??= new DecodedIds((computed) => this.#keys[computed] ?? '', 16);
    return this.#computed;
  }

  /** The id of a key: the store's when it holds that term (so joins and DISTINCT compare ids), else a computed one. */
  intern(key: string): number {
    const stored = this.index.idOfKey(key);
    if (stored !== undefined) return stored;
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = -this.#keys.length;
      this.#keys.push(key);
      this.#ids.set(key, id);
    }
    return id;
  }

  keyOf(id: number): string {
    return id > 0 ? this.index.keyOf(id) : (this.#keys[-id] ?? '');
  }

  /** Adds a bound id's numeric value to `sum` (Query §18.5.1.3); false when it is not a number. */
  addTo(sum: NumericSum, id: number): boolean {
    if (this.decoded(id).addSmall(Math.abs(id), sum)) return true;
    const value = this.#numericOf(id);
    if (value === undefined) return false;
    sum.add(value);
    return true;
  }

  /** The exact value of a numeric term, else undefined; remembered per store id (ids never change meaning). */
  #numericOf(id: number): Numeric | undefined {
    if (id <= 0) {
      const key = this.keyOf(id);
      return kindOfKey(key) === 'literal' ? numericOf(literalParts(key)) : undefined;
    }
    let cache = numericCaches.get(this.index);
    if (!cache) {
      cache = new Map();
      numericCaches.set(this.index, cache);
    }
    let value = cache.get(id);
    if (value === undefined) {
      const key = this.index.keyOf(id);
      value = (kindOfKey(key) === 'literal' && numericOf(literalParts(key))) || null;
      cache.set(id, value);
    }
    return value ?? undefined;
  }
}

/** Numeric values by id, per store (null: not a number), of the ids `DecodedIds.addSmall` leaves: long numbers, floats, doubles, non-numbers. */
const numericCaches = new WeakMap<QuadIndex, Map<number, Numeric | null>>();
/** Comparison values by id, per store. */
const decodedCaches = new WeakMap<QuadIndex, DecodedIds>();
