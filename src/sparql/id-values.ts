/**
 * What `=`, `<` and ORDER BY need of a literal, decoded once per term id into two typed arrays
 * (a kind tag and a number), so that a FILTER or a sort over a million dates or decimals compares
 * numbers instead of decoding and parsing every key again. Only values whose comparison is plain
 * number order get a tag: numbers a double holds exactly, and dates or dateTimes (their instant).
 * Every other pair of terms goes the exact way, through their keys (fast-values.ts).
 */
import {
  compareKeys,
  equalKeys,
  exactAsNumber,
  kindOfKey,
  literalParts,
  numericValue,
  type OrderValue,
  orderValue,
} from './fast-values.js';
import { parseDateTime, xsdDate, xsdDateTime } from './xsd-datetime.js';
import { type NumericSum, numericTypeOf, smallExact } from './xsd-numeric.js';

/** Not decoded yet. */
const unread = 0;
/** Compared through its key. */
const other = 1;
/** A numeric literal whose double is its exact value for comparisons (not NaN). */
const exactNumber = 2;
/** Dates and dateTimes by datatype and time zone presence: only equal tags compare as instants. */
const zonedDate = 3;
const localDate = 4;
const zonedDateTime = 5;
const localDateTime = 6;
/** IRIs, blank nodes and simple literals (whose keys are their values): `=` between two different ids of these is false. */
const plainTerm = 7;

/** Tags and numbers by id, grown as ids are asked for. */
export class DecodedIds {
  #tags: Uint8Array;
  #numbers: Float64Array;
  /**
   * Integers and decimals of at most 15 digits, whose number is exactly `units` × 10^-scale:
   * 1 for an integer, 2 + scale for a decimal, 0 for anything else (see `addSmall`).
   */
  #small: Uint8Array;

  /**
   * @param keyOf the key of an id (≥ 1)
   * @param capacity ids room is made for at first (a query's own computed values are few)
   */
  constructor(
    readonly keyOf: (id: number) => string,
    capacity = 1024,
  ) {
    this.#tags = new Uint8Array(capacity);
    this.#numbers = new Float64Array(capacity);
    this.#small = new Uint8Array(capacity);
  }

  tag(id: number): number {
    if (id >= this.#tags.length) this.#grow(id);
    const tag = this.#tags[id] as number;
    return tag === unread ? this.#decode(id) : tag;
  }

  /** The number or instant of an id whose tag is a number or a date. */
  number(id: number): number {
    return this.#numbers[id] as number;
  }

  /**
   * Adds an id's value to `sum` when it is an integer or decimal of at most 15 digits, in plain
   * numbers (no key read, no BigInt); false for any other id, which the caller adds the exact way.
   */
  addSmall(id: number, sum: NumericSum): boolean {
    const code = this.tag(id) === exactNumber ? (this.#small[id] as number) : 0;
    if (code === 0) return false;
    const scale = code === 1 ? 0 : code - 2;
    sum.addExact(code === 1 ? 'integer' : 'decimal', Math.round((this.#numbers[id] as number) * 10 ** scale), scale);
    return true;
  }

  #grow(id: number): void {
    let length = this.#tags.length;
    while (length <= id) length *= 2;
    const tags = new Uint8Array(length);
    tags.set(this.#tags);
    const numbers = new Float64Array(length);
    numbers.set(this.#numbers);
    const small = new Uint8Array(length);
    small.set(this.#small);
    this.#tags = tags;
    this.#numbers = numbers;
    this.#small = small;
  }

  #decode(id: number): number {
    let tag = other;
    try {
      const key = this.keyOf(id);
      const kind = kindOfKey(key);
      if (kind !== 'literal') tag = plainTerm;
      else {
        const parts = literalParts(key);
        if (numericTypeOf(parts.datatype) !== undefined) {
          const number = numericValue(parts);
          if (number !== undefined && !Number.isNaN(number) && exactAsNumber(parts)) {
            tag = exactNumber;
            this.#numbers[id] = number;
            // Its units are read back from the number: kept only when that gives them exactly.
            const small = smallExact(parts.lexical, parts.datatype);
            if (small && small.scale < 254 && Math.round(number * 10 ** small.scale) === small.units) {
              this.#small[id] = small.type === 'integer' ? 1 : small.scale + 2;
            }
          }
        } else if (parts.datatype === xsdDate || parts.datatype === xsdDateTime) {
          const date = parseDateTime(parts.lexical, parts.datatype);
          if (date) {
            const zoned = date.offset !== undefined;
            tag = parts.datatype === xsdDate ? (zoned ? zonedDate : localDate) : zoned ? zonedDateTime : localDateTime;
            this.#numbers[id] = date.local - (date.offset ?? 0) * 60_000;
          }
        } else if (key.charCodeAt(key.length - 1) === 0x22) tag = plainTerm;
      }
    } catch {
      // Whatever the key's decoding refuses, the exact path refuses the same way.
      tag = other;
    }
    this.#tags[id] = tag;
    return tag;
  }
}

const isDate = (tag: number): boolean => tag >= zonedDate && tag <= localDateTime;
const fastlyOrdered = (tag: number): boolean => tag === exactNumber || isDate(tag);

/** Where ids come from: the store's ids are positive, a query's computed values negative; 0 is unbound. */
export interface IdSource {
  decoded(id: number): DecodedIds;
  keyOf(id: number): string;
}

/**
 * `a < b` and friends as a sign, for two bound ids (Query §17.3), exactly as `compareKeys`.
 * @throws as `compareKeys`.
 */
export function compareIds(source: IdSource, a: number, b: number): number {
  const left = source.decoded(a);
  const right = source.decoded(b);
  const leftTag = left.tag(Math.abs(a));
  if (fastlyOrdered(leftTag) && leftTag === right.tag(Math.abs(b))) {
    const x = left.number(Math.abs(a));
    const y = right.number(Math.abs(b));
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return compareKeys(source.keyOf(a), source.keyOf(b));
}

/**
 * `a = b` for two bound ids, exactly as `equalKeys`: one key has one id, so different ids of
 * plain terms are different terms.
 * @throws as `equalKeys`.
 */
export function equalIds(source: IdSource, a: number, b: number): boolean {
  const left = source.decoded(a);
  const right = source.decoded(b);
  const leftTag = left.tag(Math.abs(a));
  const rightTag = right.tag(Math.abs(b));
  if (leftTag === plainTerm && rightTag === plainTerm) return a === b;
  if (fastlyOrdered(leftTag) && leftTag === rightTag) return left.number(Math.abs(a)) === right.number(Math.abs(b));
  return equalKeys(source.keyOf(a), source.keyOf(b));
}

const dateOrders = new Map<number, { text: string; zoned: boolean }>([
  [zonedDate, { text: xsdDate, zoned: true }],
  [localDate, { text: xsdDate, zoned: false }],
  [zonedDateTime, { text: xsdDateTime, zoned: true }],
  [localDateTime, { text: xsdDateTime, zoned: false }],
]);

/**
 * An id's place in ORDER BY, as `orderValue` gives it for its key; numbers and dates without
 * decoding the key (a long number's exact value is read only if a tie needs it).
 * @throws as `orderValue`.
 */
export function orderValueOfId(source: IdSource, id: number): OrderValue {
  if (id === 0) return orderValue(undefined);
  const decoded = source.decoded(id);
  const tag = decoded.tag(Math.abs(id));
  if (tag === exactNumber) return { rank: 3, kind: 'number', number: decoded.number(Math.abs(id)), text: '', exact: () => orderValue(source.keyOf(id)).exact?.() };
  const date = dateOrders.get(tag);
  if (date) return { rank: 3, kind: 'date', number: decoded.number(Math.abs(id)), text: date.text, zoned: date.zoned };
  return orderValue(source.keyOf(id));
}
