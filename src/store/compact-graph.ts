/**
 * A graph of the store, kept as three sorted permutations of entity-id triples in typed arrays
 * instead of N3's nested objects: tens of bytes per triple instead of hundreds, built by radix
 * sorting in linear time, nothing for the garbage collector to trace, and read by binary search.
 * N3 stays the term layer (the shared entity index gives the ids). Changes go to small N3 stores
 * beside the permutations until the graph is rebuilt with them.
 */
import type * as RDF from '@rdfjs/types';
import type { Store } from 'n3';
import { StorageError } from '../errors/index.js';
import { DataFactory } from '../rdf/index.js';
import { IdTriples, type IdGraph, idGraphOf, type PredicateStatistics, type SharedEntities, type TripleSink } from './id-index.js';

/** Which permutation: its keys in order (`pos`: first the predicate, then the object, then the subject). */
export type Rotation = 'spo' | 'pos' | 'osp';

export const rotations: readonly Rotation[] = ['spo', 'pos', 'osp'];

/** The index of `key` in the ascending `keys[from, to)`, or -1. */
function search(keys: Uint32Array, from: number, to: number, key: number): number {
  let low = from;
  let high = to - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = keys[middle] as number;
    if (value < key) low = middle + 1;
    else if (value > key) high = middle - 1;
    else return middle;
  }
  return -1;
}

/** First keys from which a lookup goes through a directory rather than a binary search over all of them (a few cache lines). */
const directoryFrom = 1024;

/**
 * Where each range of 2^shift key values starts among a permutation's first keys: a lookup
 * reads its range's two starts and searches the one or two keys between, where a binary
 * search over a million subjects misses the cache a dozen times.
 */
interface FirstKeyDirectory {
  readonly lowest: number;
  readonly shift: number;
  /** Range b holds first keys [starts[b], starts[b + 1]). */
  readonly starts: Uint32Array;
}

/** About two keys a range, whatever the ids' density: 2 to 4 bytes per first key. */
function firstKeyDirectory(keys: Uint32Array): FirstKeyDirectory {
  const lowest = keys[0] as number;
  const span = (keys[keys.length - 1] as number) - lowest + 1;
  const shift = 32 - Math.clz32(Math.ceil(span / keys.length));
  const ranges = Math.floor((span - 1) / 2 ** shift) + 1;
  const starts = new Uint32Array(ranges + 1);
  let at = 0;
  for (let range = 0; range <= ranges; range++) {
    while (at < keys.length && ((keys[at] as number) - lowest) >>> shift < range) at++;
    starts[range] = at;
  }
  return { lowest, shift, starts };
}

/** The arrays of one permutation, as `Permutation` documents them (what a binary snapshot stores). */
export interface PermutationRows {
  readonly firstKeys: Uint32Array;
  readonly secondStart: Uint32Array;
  readonly secondKeys: Uint32Array;
  readonly thirdStart: Uint32Array;
  readonly thirdKeys: Uint32Array;
}

/** The names of a permutation's arrays, in the order a snapshot writes them. */
export const permutationArrays: readonly (keyof PermutationRows)[] = ['firstKeys', 'secondStart', 'secondKeys', 'thirdStart', 'thirdKeys'];

/** A compact graph's three permutations by rotation. */
export type GraphRows = Readonly<Record<Rotation, PermutationRows>>;

/** A permutation's arrays as pieces in order, each array's produced when it is asked for (what a snapshot writes). */
export interface PermutationPieces {
  /** Rows (triples) of the permutation: the length of its third keys. */
  readonly rows: number;
  pieces(name: keyof PermutationRows): Iterable<Uint32Array>;
}

/** A permutation held in arrays, as pieces: each array whole. */
export function piecesOfRows(rows: PermutationRows): PermutationPieces {
  return { rows: rows.thirdKeys.length, pieces: (name) => [rows[name]] };
}

/** Length of the pieces a permutation is streamed in: a few hundred kilobytes, reused from piece to piece. */
const pieceLength = 1 << 16;

/**
 * The array `name` of the permutation whose rows are `order` with their first keys in
 * `firstByRow` (as `Permutation.fromOrder` takes them), computed as it is read, in pieces of one
 * reused buffer (each valid until the next is asked for): no array of the permutation is ever whole in memory.
 */
function* orderPieces(name: keyof PermutationRows, order: Uint32Array, firstByRow: Uint32Array, second: Uint32Array, third: Uint32Array): Generator<Uint32Array> {
  const piece = new Uint32Array(pieceLength);
  let used = 0;
  const length = order.length;
  let lastFirst = -1;
  let lastSecond = -1;
  let pairs = 0;
  // One step past the last row closes the runs: the starts' arrays end with the totals.
  for (let row = 0; row <= length; row++) {
    if (used === pieceLength) {
      yield piece;
      used = 0;
    }
    const end = row === length;
    const index = end ? 0 : (order[row] as number);
    if (name === 'thirdKeys') {
      if (!end) piece[used++] = third[index] as number;
      continue;
    }
    const firstKey = end ? -1 : (firstByRow[row] as number);
    const secondKey = end ? -1 : (second[index] as number);
    const newFirst = end || firstKey !== lastFirst;
    const newPair = newFirst || secondKey !== lastSecond;
    if (name === 'firstKeys') {
      if (newFirst && !end) piece[used++] = firstKey;
    } else if (name === 'secondStart') {
      if (newFirst) piece[used++] = pairs;
    } else if (name === 'secondKeys') {
      if (newPair && !end) piece[used++] = secondKey;
    } else if (newPair) piece[used++] = row;
    if (newPair) pairs++;
    lastFirst = firstKey;
    lastSecond = secondKey;
  }
  if (used > 0) yield piece.subarray(0, used);
}

/**
 * One permutation of the triples in compressed sparse rows: the distinct first keys; for each,
 * a run of distinct second keys; for each of those, a run of third keys. All runs ascend.
 */
class Permutation implements PermutationRows {
  readonly firstKeys: Uint32Array;
  /** Run of first key i in `secondKeys`: [secondStart[i], secondStart[i + 1]). */
  readonly secondStart: Uint32Array;
  readonly secondKeys: Uint32Array;
  /** Run of second key j in `thirdKeys`: [thirdStart[j], thirdStart[j + 1]). */
  readonly thirdStart: Uint32Array;
  readonly thirdKeys: Uint32Array;
  readonly rotation: Rotation;
  /** Made at the first lookup: query-side only, nothing a build or a snapshot writes. */
  #directory: FirstKeyDirectory | undefined;

  constructor(rotation: Rotation, rows: PermutationRows) {
    this.rotation = rotation;
    this.firstKeys = rows.firstKeys;
    this.secondStart = rows.secondStart;
    this.secondKeys = rows.secondKeys;
    this.thirdStart = rows.thirdStart;
    this.thirdKeys = rows.thirdKeys;
  }

  /**
   * From rows `order` (indexes into the columns `second` and `third`) with their first keys in
   * `firstByRow`, ascending by (first, second, third) without duplicate rows: only the third
   * column is copied whole; the first two become their compressed runs. In an order other than
   * the columns' own, reading a row's key through its index is a cache miss, so each column is
   * read so once: the second keys first, into the third keys' array, where the runs are counted
   * (to make their arrays exactly as long as they need) and read from again to fill them.
   */
  static fromOrder(rotation: Rotation, order: Uint32Array, firstByRow: Uint32Array, second: Uint32Array, third: Uint32Array): Permutation {
    const length = order.length;
    const thirdKeys = gather(order, second, new Uint32Array(length));
    let firsts = 0;
    let pairs = 0;
    let lastFirst = -1;
    let lastSecond = -1;
    for (let row = 0; row < length; row++) {
      const firstKey = firstByRow[row] as number;
      const secondKey = thirdKeys[row] as number;
      if (firstKey !== lastFirst) {
        firsts++;
        pairs++;
      } else if (secondKey !== lastSecond) pairs++;
      lastFirst = firstKey;
      lastSecond = secondKey;
    }
    const firstKeys = new Uint32Array(firsts);
    const secondStart = new Uint32Array(firsts + 1);
    const secondKeys = new Uint32Array(pairs);
    const thirdStart = new Uint32Array(pairs + 1);
    let firstAt = 0;
    let pairAt = 0;
    lastFirst = -1;
    lastSecond = -1;
    for (let row = 0; row < length; row++) {
      const firstKey = firstByRow[row] as number;
      const secondKey = thirdKeys[row] as number;
      const newFirst = firstKey !== lastFirst;
      if (newFirst) {
        firstKeys[firstAt] = firstKey;
        secondStart[firstAt++] = pairAt;
      }
      if (newFirst || secondKey !== lastSecond) {
        secondKeys[pairAt] = secondKey;
        thirdStart[pairAt++] = row;
      }
      thirdKeys[row] = third[order[row] as number] as number;
      lastFirst = firstKey;
      lastSecond = secondKey;
    }
    secondStart[firsts] = pairs;
    thirdStart[pairs] = length;
    return new Permutation(rotation, { firstKeys, secondStart, secondKeys, thirdStart, thirdKeys });
  }

  /** The index of a first key, or -1. */
  first(key: number): number {
    const keys = this.firstKeys;
    if (keys.length < directoryFrom) return search(keys, 0, keys.length, key);
    this.#directory ??= firstKeyDirectory(keys);
    const { lowest, shift, starts } = this.#directory;
    if (key < lowest) return -1;
    const range = (key - lowest) >>> shift;
    return range + 1 < starts.length ? search(keys, starts[range] as number, starts[range + 1] as number, key) : -1;
  }

  /** The index of a second key under first key `at`, or -1. */
  second(at: number, key: number): number {
    return at < 0 ? -1 : search(this.secondKeys, this.secondStart[at] as number, this.secondStart[at + 1] as number, key);
  }

  /** Whether the pair at `pair` has third key `key`. */
  hasThird(pair: number, key: number): boolean {
    return pair >= 0 && search(this.thirdKeys, this.thirdStart[pair] as number, this.thirdStart[pair + 1] as number, key) >= 0;
  }

  /** Triples under the pair at `pair` (0 when it is -1). */
  countPair(pair: number): number {
    return pair < 0 ? 0 : (this.thirdStart[pair + 1] as number) - (this.thirdStart[pair] as number);
  }

  /** Triples under the first key at `at` (0 when it is -1). */
  countFirst(at: number): number {
    if (at < 0) return 0;
    return (this.thirdStart[this.secondStart[at + 1] as number] as number) - (this.thirdStart[this.secondStart[at] as number] as number);
  }

  /** The second keys under the first key at `at`. */
  secondsOf(at: number): Uint32Array {
    return at < 0 ? new Uint32Array(0) : this.secondKeys.subarray(this.secondStart[at] as number, this.secondStart[at + 1] as number);
  }

  /** Sends the triples under the pair at `pair`, whose keys are `first` and the pair's second key. */
  emitPair(first: number, pair: number, sink: TripleSink): void {
    if (pair < 0) return;
    const second = this.secondKeys[pair] as number;
    const start = this.thirdStart[pair] as number;
    const end = this.thirdStart[pair + 1] as number;
    const thirds = this.thirdKeys;
    if (this.rotation === 'spo') for (let row = start; row < end; row++) sink.add(first, second, thirds[row] as number);
    else if (this.rotation === 'pos') for (let row = start; row < end; row++) sink.add(thirds[row] as number, first, second);
    else for (let row = start; row < end; row++) sink.add(second, thirds[row] as number, first);
  }

  /** Sends the triples under the first key at `at`. */
  emitFirst(at: number, sink: TripleSink): void {
    if (at < 0) return;
    const first = this.firstKeys[at] as number;
    const end = this.secondStart[at + 1] as number;
    for (let pair = this.secondStart[at] as number; pair < end; pair++) this.emitPair(first, pair, sink);
  }
}

/** Counters for the digits of every pass of a sort: one pass of up to 16 bits, or up to three of up to 13. */
const digitCounters = 0x10000;
/** Widest digit of a sort in more than one pass: 8,192 buckets, whose write positions stay in the cache as rows are scattered. */
const multiPassDigitBits = 13;

/** Bits that the largest id in `column` needs: what `sortRows` sorts by. */
function keyBits(column: Uint32Array): number {
  let largest = 0;
  for (let at = 0; at < column.length; at++) largest |= column[at] as number;
  return 32 - Math.clz32(largest);
}

/** `column`'s value for each row of `order`, into `into` (as long as `order`). */
function gather(order: Uint32Array, column: Uint32Array, into: Uint32Array): Uint32Array {
  for (let row = 0; row < order.length; row++) into[row] = column[order[row] as number] as number;
  return into;
}

/** Room a sort of `length` rows works in: the rows' and keys' next places, and the digits' counters. */
interface SortScratch {
  readonly rows: Uint32Array;
  readonly keys: Uint32Array;
  readonly counts: Uint32Array;
}

/**
 * Stable LSD radix sort of `order` by `keys`, the key of each of its rows (side by side with
 * `order`, not indexed by it: see `gather`), whose ids need `bits` bits; afterwards `keys` are
 * the sorted keys, side by side with the sorted `order`. Keys move with their rows, so every pass
 * reads both in sequence, never a key through a row's index (a cache miss per row in a large
 * graph). Keys of up to 16 bits (a graph's predicates, most small graphs) take one pass; wider
 * ones take passes of up to 13 bits, few buckets enough for scattering to stay in the cache. One
 * counting pass serves every pass, and a pass whose digit is the same for every row is skipped.
 */
function sortRows(order: Uint32Array, keys: Uint32Array, bits: number, scratch: SortScratch): void {
  const length = order.length;
  if (length < 2 || bits === 0) return;
  const passes = bits <= 16 ? 1 : Math.ceil(bits / multiPassDigitBits);
  const digitBits = Math.ceil(bits / passes);
  const buckets = 1 << digitBits;
  const mask = buckets - 1;
  const counts = scratch.counts;
  counts.fill(0, 0, passes * buckets);
  for (let at = 0; at < length; at++) {
    const key = keys[at] as number;
    for (let pass = 0; pass < passes; pass++) (counts[pass * buckets + ((key >>> (pass * digitBits)) & mask)] as number)++;
  }
  let [from, fromKeys] = [order, keys];
  let [to, toKeys] = [scratch.rows.subarray(0, length), scratch.keys.subarray(0, length)];
  for (let pass = 0; pass < passes; pass++) {
    const shift = pass * digitBits;
    const base = pass * buckets;
    if (counts[base + (((fromKeys[0] as number) >>> shift) & mask)] === length) continue;
    let sum = 0;
    for (let digit = base; digit < base + buckets; digit++) {
      const count = counts[digit] as number;
      counts[digit] = sum;
      sum += count;
    }
    for (let at = 0; at < length; at++) {
      const key = fromKeys[at] as number;
      const place = (counts[base + ((key >>> shift) & mask)] as number)++;
      to[place] = from[at] as number;
      toKeys[place] = key;
    }
    [from, to, fromKeys, toKeys] = [to, from, toKeys, fromKeys];
  }
  if (from !== order) {
    order.set(from);
    keys.set(fromKeys);
  }
}

/** Runs of one subject no longer than this are sorted by insertion (they are a record's few quads). */
const insertionRun = 32;

/** Whether row `a` comes after row `b` by (predicate, object). */
function after(a: number, b: number, predicates: Uint32Array, objects: Uint32Array): boolean {
  const byPredicate = (predicates[a] as number) - (predicates[b] as number);
  return byPredicate > 0 || (byPredicate === 0 && (objects[a] as number) > (objects[b] as number));
}

/**
 * `order` sorted by (subject, predicate, object), `keys` (as long as `order`) holding the sort's
 * keys. Rows that come grouped by ascending subject — a mapping writes a record's quads together,
 * and new subjects get ascending ids — need only each run sorted by (predicate, object), most of
 * them a few rows by insertion; other rows take three keys of LSD radix sort.
 */
function sortTriples(
  order: Uint32Array,
  [subjects, predicates, objects]: readonly [Uint32Array, Uint32Array, Uint32Array],
  [subjectBits, predicateBits, objectBits]: readonly [number, number, number],
  keys: Uint32Array,
  scratch: SortScratch,
): void {
  const length = order.length;
  let grouped = true;
  for (let row = 1; row < length && grouped; row++) grouped = (subjects[row - 1] as number) <= (subjects[row] as number);
  if (!grouped) {
    // Least significant key first: sorted by object, then stably by predicate, then by subject.
    sortRows(order, gather(order, objects, keys), objectBits, scratch);
    sortRows(order, gather(order, predicates, keys), predicateBits, scratch);
    sortRows(order, gather(order, subjects, keys), subjectBits, scratch);
    return;
  }
  for (let start = 0; start < length; ) {
    let end = start + 1;
    while (end < length && subjects[end] === subjects[start]) end++;
    if (end - start > insertionRun) {
      const run = order.subarray(start, end);
      const runKeys = keys.subarray(start, end);
      sortRows(run, gather(run, objects, runKeys), objectBits, scratch);
      sortRows(run, gather(run, predicates, runKeys), predicateBits, scratch);
    } else {
      for (let row = start + 1; row < end; row++) {
        const index = order[row] as number;
        let at = row;
        for (; at > start && after(order[at - 1] as number, index, predicates, objects); at--) order[at] = order[at - 1] as number;
        order[at] = index;
      }
    }
    start = end;
  }
}

function identity(length: number): Uint32Array {
  const order = new Uint32Array(length);
  for (let at = 0; at < length; at++) order[at] = at;
  return order;
}

/** Collects a graph's triples by id; `build` sorts them into a `CompactGraph` (duplicates are kept once). */
export class CompactGraphBuilder implements TripleSink {
  #subjects: Uint32Array;
  #predicates: Uint32Array;
  #objects: Uint32Array;
  #length = 0;

  /**
   * `expectedRows`: room reserved at once (a re-import expects about the old version's size).
   * Reserved pages are resident only once written; growing by copies instead leaves the old
   * columns to the collector and their pages to the allocator, which keeps much of them.
   */
  constructor({ expectedRows = 1024 }: { readonly expectedRows?: number } = {}) {
    const rows = Math.max(1024, Math.ceil(expectedRows));
    this.#subjects = new Uint32Array(rows);
    this.#predicates = new Uint32Array(rows);
    this.#objects = new Uint32Array(rows);
  }

  /** Triples added so far (repeats included). */
  get length(): number {
    return this.#length;
  }

  add(subject: number, predicate: number, object: number): void {
    if (this.#length === this.#subjects.length) {
      this.#subjects = grown(this.#subjects);
      this.#predicates = grown(this.#predicates);
      this.#objects = grown(this.#objects);
    }
    this.#subjects[this.#length] = subject;
    this.#predicates[this.#length] = predicate;
    this.#objects[this.#length] = object;
    this.#length++;
  }

  build(entities: SharedEntities, graph: RDF.Quad_Graph, graphId: number): CompactGraph {
    const rows: Partial<Record<Rotation, PermutationRows>> = {};
    for (const [rotation, order, firstByRow, second, third] of this.#sortedOrders()) rows[rotation] = Permutation.fromOrder(rotation, order, firstByRow, second, third);
    return CompactGraph.fromRows(entities, graph, graphId, rows as GraphRows);
  }

  /**
   * The three permutations one at a time (SPO, OSP, POS) as pieces computed while they are read
   * (see `orderPieces`): each is valid only until the next is asked for. A caller that writes
   * each away holds none of their arrays, only the columns, one order of them and the sort's
   * scratch. The builder is empty afterwards.
   */
  *pieces(): Generator<[Rotation, PermutationPieces]> {
    for (const [rotation, order, firstByRow, second, third] of this.#sortedOrders()) {
      yield [rotation, { rows: order.length, pieces: (name) => orderPieces(name, order, firstByRow, second, third) }];
    }
  }

  /**
   * The rows in the order of each permutation in turn (SPO, OSP, POS) with their first keys side
   * by side and the columns of their second and third keys; the order is sorted on in place for
   * the next, and the first keys are valid until then. The builder is empty afterwards.
   */
  *#sortedOrders(): Generator<[Rotation, Uint32Array, Uint32Array, Uint32Array, Uint32Array]> {
    const length = this.#length;
    // Views, not exact-size copies: the room left to grow was never written, so it is not resident.
    const [subjects, predicates, objects] = [this.#subjects, this.#predicates, this.#objects].map((column) => column.subarray(0, length)) as [
      Uint32Array,
      Uint32Array,
      Uint32Array,
    ];
    this.#subjects = this.#predicates = this.#objects = new Uint32Array(0);
    this.#length = 0;
    let scratch: SortScratch | undefined = { rows: new Uint32Array(length), keys: new Uint32Array(length), counts: new Uint32Array(digitCounters) };
    const keys = new Uint32Array(length);
    const bits = [keyBits(subjects), keyBits(predicates), keyBits(objects)] as const;
    // Each permutation is an order of the rows as they came, never a copy of the columns.
    const bySubject = identity(length);
    sortTriples(bySubject, [subjects, predicates, objects], bits, keys, scratch);
    const order = bySubject.subarray(0, removeDuplicates(bySubject, subjects, predicates, objects));
    const firstKeys = keys.subarray(0, order.length);
    yield ['spo', order, gather(order, subjects, firstKeys), predicates, objects];
    // Stable sorts carry the order already there: SPO sorted by object is OSP, OSP by predicate is
    // POS. One order array serves all three, sorted on in place (no copy of it at the peak).
    sortRows(order, gather(order, objects, firstKeys), bits[2], scratch);
    yield ['osp', order, firstKeys, subjects, predicates];
    sortRows(order, gather(order, predicates, firstKeys), bits[1], scratch);
    // Let go of the sort's room before the last permutation is made: at the import's peak it would be two arrays of a row each.
    scratch = undefined;
    yield ['pos', order, firstKeys, objects, subjects];
  }
}

/** A column half as long again: less room left unused at the import's peak than doubling leaves. */
function grown(column: Uint32Array): Uint32Array {
  const result = new Uint32Array(Math.ceil(column.length * 1.5));
  result.set(column);
  return result;
}

/** Drops repeated triples from `order` (sorted, so repeats are adjacent) in place; returns the new length. */
function removeDuplicates(order: Uint32Array, subjects: Uint32Array, predicates: Uint32Array, objects: Uint32Array): number {
  let kept = 0;
  for (let at = 0; at < order.length; at++) {
    const index = order[at] as number;
    if (kept > 0) {
      const previous = order[kept - 1] as number;
      if (subjects[index] === subjects[previous] && predicates[index] === predicates[previous] && objects[index] === objects[previous]) continue;
    }
    order[kept++] = index;
  }
  return kept;
}

/**
 * The triples as they were built: three permutations, never changed. The object-first one can be
 * released (`releaseObjectIndex`) while the graph is about to be replaced: the same triples are
 * then answered from the other two, patterns with only the object known by a scan.
 */
class FrozenTriples {
  readonly #spo: Permutation;
  readonly #pos: Permutation;
  #osp: Permutation | undefined;

  constructor(spo: Permutation, pos: Permutation, osp: Permutation) {
    this.#spo = spo;
    this.#pos = pos;
    this.#osp = osp;
  }

  get size(): number {
    return this.#spo.thirdKeys.length;
  }

  /** @throws StorageError once the object index is released (a graph being replaced is never written again). */
  get rows(): GraphRows {
    if (!this.#osp) throw new StorageError('a graph whose object index was released has no rows to write');
    return { spo: this.#spo, pos: this.#pos, osp: this.#osp };
  }

  /** Bytes of the permutations still held. */
  get bytes(): number {
    let total = 0;
    for (const rows of [this.#spo, this.#pos, this.#osp]) if (rows) for (const name of permutationArrays) total += rows[name].byteLength;
    return total;
  }

  /** Drops the object-first permutation (the largest): what it answered is answered from the subject-first one, scanned when the subject is unknown. */
  releaseObjectIndex(): void {
    this.#osp = undefined;
  }

  get objectIndexReleased(): boolean {
    return this.#osp === undefined;
  }

  /** Sends the triples with object `o` (and subject `s` unless it is 0) found through the subject-first permutation. */
  #matchObjectBySubject(s: number, o: number, sink: TripleSink): void {
    const spo = this.#spo;
    const only = s === 0 ? 0 : spo.first(s);
    if (only < 0) return;
    const [from, to] = s === 0 ? [0, spo.firstKeys.length] : [only, only + 1];
    for (let at = from; at < to; at++) {
      const subject = spo.firstKeys[at] as number;
      const end = spo.secondStart[at + 1] as number;
      for (let pair = spo.secondStart[at] as number; pair < end; pair++) if (spo.hasThird(pair, o)) sink.add(subject, spo.secondKeys[pair] as number, o);
    }
  }

  match(s: number, p: number, o: number, sink: TripleSink): void {
    const osp = this.#osp;
    if (p === 0 && o !== 0 && !osp) this.#matchObjectBySubject(s, o, sink);
    else if (s !== 0 && p === 0 && o !== 0 && osp) {
      osp.emitPair(o, osp.second(osp.first(o), s), sink);
    } else if (s !== 0) {
      const spo = this.#spo;
      const at = spo.first(s);
      if (p === 0) spo.emitFirst(at, sink);
      else if (o === 0) spo.emitPair(s, spo.second(at, p), sink);
      else if (spo.hasThird(spo.second(at, p), o)) sink.add(s, p, o);
    } else if (p !== 0) {
      const pos = this.#pos;
      const at = pos.first(p);
      if (o === 0) pos.emitFirst(at, sink);
      else pos.emitPair(p, pos.second(at, o), sink);
    } else if (o !== 0 && osp) {
      osp.emitFirst(osp.first(o), sink);
    } else {
      for (let at = 0; at < this.#spo.firstKeys.length; at++) this.#spo.emitFirst(at, sink);
    }
  }

  count(s: number, p: number, o: number): number {
    const osp = this.#osp;
    if (p === 0 && o !== 0 && !osp) {
      let total = 0;
      this.#matchObjectBySubject(s, o, {
        add: () => {
          total++;
        },
      });
      return total;
    }
    if (s !== 0 && p === 0 && o !== 0 && osp) return osp.countPair(osp.second(osp.first(o), s));
    if (s !== 0) {
      const spo = this.#spo;
      const at = spo.first(s);
      if (p === 0) return spo.countFirst(at);
      const pair = spo.second(at, p);
      return o === 0 ? spo.countPair(pair) : Number(spo.hasThird(pair, o));
    }
    if (p !== 0) {
      const at = this.#pos.first(p);
      return o === 0 ? this.#pos.countFirst(at) : this.#pos.countPair(this.#pos.second(at, o));
    }
    return o !== 0 && osp ? osp.countFirst(osp.first(o)) : this.size;
  }

  /** The predicate's run of the object-first permutation: its distinct objects, each with its rows. */
  matchObjects(predicate: number, accept: (object: number) => boolean, sink: TripleSink): void {
    const pos = this.#pos;
    const at = pos.first(predicate);
    if (at < 0) return;
    const end = pos.secondStart[at + 1] as number;
    for (let pair = pos.secondStart[at] as number; pair < end; pair++) if (accept(pos.secondKeys[pair] as number)) pos.emitPair(predicate, pair, sink);
  }

  predicateStatistics(predicate: number): PredicateStatistics {
    const pos = this.#pos;
    const at = pos.first(predicate);
    if (at < 0) return { size: 0, objects: 0 };
    return { size: pos.countFirst(at), objects: (pos.secondStart[at + 1] as number) - (pos.secondStart[at] as number) };
  }

  /** Sets `used[id]` for every subject, predicate and object. */
  markTerms(used: Uint8Array): void {
    // The first keys of the three permutations are exactly the distinct subjects, predicates and objects.
    for (const id of this.#spo.firstKeys) used[id] = 1;
    for (const id of this.#pos.firstKeys) used[id] = 1;
    for (const id of this.#osp?.firstKeys ?? this.#spo.thirdKeys) used[id] = 1;
  }

  /** Patterns that together match what (s, p, o) matches, each a bounded group of one index. */
  *groups(s: number, p: number, o: number): Generator<[number, number, number]> {
    if (s === 0 && p === 0 && o === 0) for (const subject of this.#spo.firstKeys) yield [subject, 0, 0];
    else if (s === 0 && p !== 0 && o === 0) for (const value of this.#pos.secondsOf(this.#pos.first(p))) yield [0, p, value];
    else if (s === 0 && p === 0) {
      const osp = this.#osp;
      const subjects = osp ? osp.secondsOf(osp.first(o)) : this.#spo.firstKeys;
      for (const subject of subjects) yield [subject, 0, o];
    } else yield [s, p, o];
  }
}

/**
 * Changes since the graph was built, as N3 stores by the same entities: quads added that the
 * frozen triples lack, and frozen triples removed. Small next to the graph; a checkpoint folds
 * them into a new build (`compacted`).
 */
interface Delta {
  readonly added: Store;
  readonly removed: Store;
  /** Frozen matches before the removed ones are filtered out (reused: matching never re-enters). */
  readonly scratch: IdTriples;
}

/** Terms to match: null for a wildcard (as N3's `readQuads` takes them; variables count as wildcards). */
type TermPattern = RDF.Term | null | undefined;

/**
 * A graph's quads: the frozen triples of its last build plus the changes since. Reads go by id
 * (`IdGraph`, for the fast path) or by term (`readQuads`, `countQuads`, as N3's store offers them).
 */
export class CompactGraph implements IdGraph {
  readonly #graph: RDF.Quad_Graph;
  readonly #graphId: number;
  readonly #entities: SharedEntities;
  readonly #frozen: FrozenTriples;
  #delta: Delta | undefined;

  constructor(entities: SharedEntities, graph: RDF.Quad_Graph, graphId: number, frozen: FrozenTriples) {
    this.#entities = entities;
    this.#graph = graph;
    this.#graphId = graphId;
    this.#frozen = frozen;
  }

  /**
   * A graph whose triples are `rows` as `rows` gives them (a binary snapshot's sections, its
   * integrity already checked), with no sorting or other work per triple.
   */
  static fromRows(entities: SharedEntities, graph: RDF.Quad_Graph, graphId: number, rows: GraphRows): CompactGraph {
    const [spo, pos, osp] = rotations.map((rotation) => new Permutation(rotation, rows[rotation])) as [Permutation, Permutation, Permutation];
    return new CompactGraph(entities, graph, graphId, new FrozenTriples(spo, pos, osp));
  }

  /** Bytes of the arrays of the last build (the changes since are small N3 stores beside them). */
  get bytes(): number {
    return this.#frozen.bytes;
  }

  /** The arrays of the last build: with no changes since (see `changes`), exactly this graph's triples. */
  get rows(): GraphRows {
    return this.#frozen.rows;
  }

  get size(): number {
    const delta = this.#delta;
    return this.#frozen.size + (delta ? delta.added.size - delta.removed.size : 0);
  }

  /** Quads added or removed since the last build, against the triples of that build. */
  get changes(): { readonly count: number; readonly built: number } {
    const delta = this.#delta;
    return { count: delta ? delta.added.size + delta.removed.size : 0, built: this.#frozen.size };
  }

  match(s: number, p: number, o: number, sink: TripleSink): void {
    this.#matchFrozen(s, p, o, sink);
    if (this.#delta && this.#delta.added.size > 0) idGraphOf(this.#delta.added, this.#graphId)?.match(s, p, o, sink);
  }

  count(s: number, p: number, o: number): number {
    if (s === 0 && p === 0 && o === 0) return this.size;
    const delta = this.#delta;
    if (!delta) return this.#frozen.count(s, p, o);
    const added = idGraphOf(delta.added, this.#graphId);
    const removed = idGraphOf(delta.removed, this.#graphId);
    return this.#frozen.count(s, p, o) + (added?.count(s, p, o) ?? 0) - (removed?.count(s, p, o) ?? 0);
  }

  matchObjects(predicate: number, accept: (object: number) => boolean, sink: TripleSink): void {
    const delta = this.#delta;
    const removed = delta && delta.removed.size > 0 ? idGraphOf(delta.removed, this.#graphId) : undefined;
    // Removed triples are dropped as they pass, not through the delta's scratch buffer: `accept` may match this graph again (EXISTS).
    const kept: TripleSink = removed
      ? {
          add: (subject, predicateId, object) => {
            if (removed.count(subject, predicateId, object) === 0) sink.add(subject, predicateId, object);
          },
        }
      : sink;
    this.#frozen.matchObjects(predicate, accept, kept);
    if (delta && delta.added.size > 0) idGraphOf(delta.added, this.#graphId)?.matchObjects(predicate, accept, sink);
  }

  /** The frozen figures adjusted by the changes (distinct objects is an estimate once changed). */
  predicateStatistics(predicate: number): PredicateStatistics {
    const frozen = this.#frozen.predicateStatistics(predicate);
    if (!this.#delta) return frozen;
    const added = idGraphOf(this.#delta.added, this.#graphId)?.predicateStatistics(predicate) ?? { size: 0, objects: 0 };
    const removed = idGraphOf(this.#delta.removed, this.#graphId)?.predicateStatistics(predicate) ?? { size: 0, objects: 0 };
    return { size: frozen.size + added.size - removed.size, objects: frozen.objects + added.objects };
  }

  /** Matching quads as terms, as N3's `readQuads` gives them (the graph argument is this graph's). */
  *readQuads(subject: TermPattern, predicate: TermPattern, object: TermPattern, _graph?: TermPattern): Generator<RDF.Quad> {
    const ids = this.#idsOf(subject, predicate, object);
    if (!ids) return;
    const buffer = new IdTriples();
    // Read a group at a time (a subject's triples, a predicate-object pair's subjects…), not the whole match at once.
    for (const [groupS, groupP, groupO] of this.#frozen.groups(...ids)) {
      buffer.length = 0;
      this.#matchFrozen(groupS, groupP, groupO, buffer);
      yield* this.#quadsOf(buffer);
    }
    if (this.#delta) yield* this.#delta.added.readQuads(subject ?? null, predicate ?? null, object ?? null, null);
  }

  countQuads(subject: TermPattern, predicate: TermPattern, object: TermPattern, _graph?: TermPattern): number {
    const ids = this.#idsOf(subject, predicate, object);
    return ids ? this.count(...ids) : 0;
  }

  /** Adds a quad of this graph (already storable: the write path checked it); false when it was there. */
  addQuad(quad: RDF.Quad): boolean {
    const delta = this.#changes();
    if (delta.removed.removeQuad(quad)) return true;
    if (this.#inFrozen(quad)) return false;
    return delta.added.addQuad(quad);
  }

  /** Removes a quad; false when it was not there. */
  removeQuad(quad: RDF.Quad): boolean {
    const delta = this.#changes();
    if (delta.added.removeQuad(quad)) return true;
    if (!this.#inFrozen(quad)) return false;
    return delta.removed.addQuad(quad);
  }

  /** Sets `used[id]` for every term this graph holds, its name included (the dictionary forgets the others). */
  markTerms(used: Uint8Array): void {
    used[this.#graphId] = 1;
    this.#frozen.markTerms(used);
    const added = this.#delta && idGraphOf(this.#delta.added, this.#graphId);
    added?.match(0, 0, 0, {
      add: (subject, predicate, object) => {
        used[subject] = 1;
        used[predicate] = 1;
        used[object] = 1;
      },
    });
  }

  /**
   * Drops the permutation by object first, the largest: a graph about to be replaced keeps
   * answering every pattern (those with only the object known by a scan) while its successor is
   * read in, so that the two are never whole in memory together.
   */
  releaseObjectIndex(): void {
    this.#frozen.releaseObjectIndex();
  }

  get objectIndexReleased(): boolean {
    return this.#frozen.objectIndexReleased;
  }

  /** The same quads in one new build, without changes to filter (this graph is left as it is). */
  compacted(): CompactGraph {
    const builder = new CompactGraphBuilder();
    this.match(0, 0, 0, builder);
    return builder.build(this.#entities, this.#graph, this.#graphId);
  }

  /** Frozen triples that were not removed since. */
  #matchFrozen(s: number, p: number, o: number, sink: TripleSink): void {
    const delta = this.#delta;
    const removed = delta && delta.removed.size > 0 ? idGraphOf(delta.removed, this.#graphId) : undefined;
    if (!delta || !removed) {
      this.#frozen.match(s, p, o, sink);
      return;
    }
    const scratch = delta.scratch;
    scratch.length = 0;
    this.#frozen.match(s, p, o, scratch);
    const data = scratch.data;
    for (let at = 0; at < scratch.length; at += 3) {
      const subject = data[at] as number;
      const predicate = data[at + 1] as number;
      const object = data[at + 2] as number;
      if (removed.count(subject, predicate, object) === 0) sink.add(subject, predicate, object);
    }
  }

  #inFrozen(quad: RDF.Quad): boolean {
    const ids = this.#idsOf(quad.subject, quad.predicate, quad.object);
    return ids !== undefined && this.#frozen.count(...ids) === 1;
  }

  #changes(): Delta {
    this.#delta ??= { added: this.#entities.createStore(), removed: this.#entities.createStore(), scratch: new IdTriples() };
    return this.#delta;
  }

  /** Ids of the pattern's terms (0 for wildcards), or undefined when a term is in no graph. */
  #idsOf(...terms: TermPattern[]): [number, number, number] | undefined {
    const ids: number[] = [];
    for (const term of terms) {
      if (!term || term.termType === 'Variable') ids.push(0);
      else {
        const id = this.#entities.idOf(term);
        if (id === undefined) return undefined;
        ids.push(id);
      }
    }
    return ids as [number, number, number];
  }

  *#quadsOf(buffer: IdTriples): Generator<RDF.Quad> {
    const data = buffer.data;
    let subjectId = 0;
    let subject: RDF.Term | undefined;
    for (let at = 0; at < buffer.length; at += 3) {
      // Groups repeat their subject; one term object serves its quads, as N3's reads share them too.
      if (data[at] !== subjectId || !subject) {
        subjectId = data[at] as number;
        subject = this.#entities.termOf(subjectId);
      }
      yield DataFactory.quad(
        subject as RDF.Quad_Subject,
        this.#entities.termOf(data[at + 1] as number) as RDF.Quad_Predicate,
        this.#entities.termOf(data[at + 2] as number) as RDF.Quad_Object,
        this.#graph,
      );
    }
  }
}
