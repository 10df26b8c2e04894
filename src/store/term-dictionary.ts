/**
 * The store's term dictionary: entity keys (N3's: IRIs bare, `"lexical"^^datatype`, `_:label`)
 * by id, as UTF-8 bytes in large blocks, found through an open-addressing hash index in typed
 * arrays. Millions of terms are a few buffers, not millions of strings and hash-table entries,
 * so the garbage collector has nothing to walk and a snapshot's key bytes become a block as read.
 * A literal typed with an XML Schema datatype (most of a portal's values: decimals, dates,
 * integers) is kept with its datatype IRI's namespace as one byte.
 */

/** Bytes of a block new keys are appended to (a key longer than that gets a block of its own). */
const blockBytes = 1 << 24;
/** `lengths` of an id given out and then forgotten. */
export const forgottenLength = 0xffffffff;

const xsdSuffix = '"^^http://www.w3.org/2001/XMLSchema#';
/** What `xsdSuffix` becomes: after a literal's closing quote only `@`, `^^` or nothing can follow in a key. */
const xsdMark = '"\u0001';

/** A key as `#encode` keeps it: with `xsdSuffix` as `xsdMark` when it ends a literal. */
function expanded(kept: string): string {
  if (kept.charCodeAt(0) !== 0x22) return kept;
  const at = kept.lastIndexOf(xsdMark);
  return at > 0 && kept.indexOf('"', at + 1) < 0 ? `${kept.slice(0, at)}${xsdSuffix}${kept.slice(at + xsdMark.length)}` : kept;
}

/** Whether `text` from `start` on is ASCII. */
function isAscii(text: string, start: number): boolean {
  for (let at = start; at < text.length; at++) if (text.charCodeAt(at) >= 0x80) return false;
  return true;
}

/** Writes `key` in its kept form (`xsdSuffix` ending a literal as `xsdMark`) as UTF-8 into `target` from `start`, which has room for three bytes a character; returns where it ends. */
function encodeKey(key: string, target: Buffer, start: number): number {
  // One native call for the whole key, shortened in place after: slicing and joining strings would make garbage per key.
  let end = start + target.write(key, start);
  if (key.charCodeAt(0) === 0x22) {
    const at = key.lastIndexOf(xsdSuffix);
    const rest = at + xsdSuffix.length;
    if (at > 0 && key.indexOf('"', at + 1) < 0) {
      if (isAscii(key, rest)) {
        // The suffix and what follows it are ASCII: one byte a character, counted from the end.
        const from = end - (key.length - rest);
        const to = from - xsdSuffix.length + xsdMark.length;
        target[to - 1] = xsdMark.charCodeAt(1);
        for (let byte = from; byte < end; byte++) target[to + byte - from] = target[byte] as number;
        end -= xsdSuffix.length - xsdMark.length;
      } else {
        end = start + target.write(`${key.slice(0, at)}${xsdMark}${key.slice(rest)}`, start);
      }
    }
  }
  return end;
}

/** FNV-1a over `bytes[from, to)` (snapshots save these hashes: changing the function needs a new format). */
function hashBytes(bytes: Uint8Array, from: number, to: number): number {
  let hash = 0x811c9dc5;
  for (let at = from; at < to; at++) hash = Math.imul(hash ^ (bytes[at] as number), 0x01000193);
  return hash >>> 0;
}

function grown(array: Uint32Array<ArrayBuffer>, length: number): Uint32Array<ArrayBuffer> {
  if (length <= array.length) return array;
  const result = new Uint32Array(length);
  result.set(array);
  return result;
}

/** Fields of an id in `#entries`: its block, its offset there, its byte length (or `forgottenLength`), its key's hash. */
const entryFields = 4;

export class TermDictionary {
  #blocks: Buffer[] = [];
  /** The block new keys are appended to (undefined until one is made: a restored block is full), and the bytes used in it. */
  #tail: Buffer | undefined;
  #used = 0;
  /** Per id, side by side: block, offset, length, hash. */
  #entries = new Uint32Array(1024 * entryFields);
  /**
   * The hash index: pairs of an id (0 for an empty slot) and its key's hash, never more than half
   * full. The hash beside the id lets a probe pass the other keys of its run without reading
   * their entries, each a cache miss in a dictionary of millions.
   */
  #slots = new Uint32Array(2 * 2048);
  #lastId = 0;
  #known = 0;
  /** Where a key, or a batch of keys, that does not fit the tail block is encoded to be looked up (so an `admit` must not add to the dictionary). */
  #scratch = Buffer.allocUnsafe(4096);
  /** The key being looked up, in its kept form as UTF-8: `#keyBytes[#keyStart, #keyEnd)` (the tail block's free room, or `#scratch`), and its hash. */
  #keyBytes: Buffer = this.#scratch;
  #keyStart = 0;
  #keyEnd = 0;
  #keyHash = 0;
  /** Where each key of an `addBatch` ends, their hashes, and the entry `#touch` read for each. */
  #batchEnds = new Uint32Array(0);
  #batchHashes = new Uint32Array(0);
  #batchEntries = new Uint32Array(0);
  /** What `#touch` read, kept only so that its loads are not dropped as unused. */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: written so that the compiler keeps `#touch`'s loads
  #touched = 0;

  /** The last id given out: ids go up from 1 and are never reused. */
  get lastId(): number {
    return this.#lastId;
  }

  /** Bytes held: key blocks and the per-id and hash arrays. */
  get bytes(): number {
    let total = this.#entries.byteLength + this.#slots.byteLength;
    for (const block of this.#blocks) total += block.byteLength;
    return total;
  }

  /** The id of `key`, or undefined. */
  find(key: string): number | undefined {
    this.#encode(key);
    const id = this.#slots[2 * this.#slotOfHashed(this.#keyHash, this.#keyBytes, this.#keyStart, this.#keyEnd)] as number;
    return id === 0 ? undefined : id;
  }

  /**
   * The id of `key`, given the next id when it has none. A new key is passed to `admit` first
   * and gets no id when `admit` throws: one lookup serves both the check and the insertion.
   */
  add(key: string, admit?: () => void): number {
    this.#encode(key);
    return this.#addEncoded(admit, 0);
  }

  /** `add` for the key `#encode` (or `addBatch`) left in `#keyBytes`; `admit` is given `index`. */
  #addEncoded(admit: ((index: number) => void) | undefined, index: number): number {
    const hash = this.#keyHash;
    const slot = this.#slotOfHashed(hash, this.#keyBytes, this.#keyStart, this.#keyEnd);
    const found = this.#slots[2 * slot] as number;
    if (found !== 0) return found;
    admit?.(index);
    const id = this.#nextId();
    this.#append(id);
    this.#index(id, hash, slot);
    return id;
  }

  /**
   * `add` for `keys[0, count)` in order, each id into `ids`; `admit(index)` is called for a new
   * key as `add` calls its `admit`. In a dictionary of millions every lookup misses the CPU's
   * caches (its slot, then its id's entry, then the key's bytes: ~250 ns one after the other), so
   * all keys are encoded and hashed first and each stage of their lookups is touched for the
   * whole batch before any lookup runs: the misses overlap instead of queueing.
   * @throws whatever `admit` throws; the keys before it have their ids.
   */
  addBatch(keys: readonly string[], count: number, ids: Uint32Array, admit?: (index: number) => void): void {
    if (this.#batchEnds.length < count) {
      this.#batchEnds = new Uint32Array(count);
      this.#batchHashes = new Uint32Array(count);
      this.#batchEntries = new Uint32Array(count);
    }
    const ends = this.#batchEnds;
    const hashes = this.#batchHashes;
    let room = 0;
    for (let index = 0; index < count; index++) room += (keys[index] as string).length * 3;
    // In the tail block, `#append` keeps a new key by moving it down to where the used bytes end.
    const bytes = this.#encodingBuffer(room);
    const first = this.#encodingStart(bytes);
    let end = first;
    for (let index = 0; index < count; index++) {
      const start = end;
      end = encodeKey(keys[index] as string, bytes, start);
      ends[index] = end;
      hashes[index] = hashBytes(bytes, start, end);
    }
    this.#touch(count);
    for (let index = 0, start = first; index < count; start = ends[index++] as number) {
      this.#keyBytes = bytes;
      this.#keyStart = start;
      this.#keyEnd = ends[index] as number;
      this.#keyHash = hashes[index] as number;
      ids[index] = this.#addEncoded(admit, index);
    }
  }

  /**
   * Reads, for the batch's `count` hashes, each home slot, then the entry of the id found there,
   * then that key's first byte: loads that do not depend on one another within a stage, so the
   * CPU has them all in flight at once and the lookups after find them cached. No branch depends
   * on what they read (a mispredicted one would throw away the loads in flight after it): an
   * empty slot reads id 0's entry, a slot of another key an entry not needed.
   */
  #touch(count: number): void {
    const hashes = this.#batchHashes;
    const entryAt = this.#batchEntries;
    const slots = this.#slots;
    const mask = slots.length / 2 - 1;
    for (let index = 0; index < count; index++) entryAt[index] = (slots[2 * ((hashes[index] as number) & mask)] as number) * entryFields;
    const entries = this.#entries;
    // Combined and kept so that the compiler cannot drop loads whose values nothing else uses.
    let sink = 0;
    for (let index = 0; index < count; index++) sink ^= entries[(entryAt[index] as number) + 1] as number;
    const blocks = this.#blocks;
    if (blocks.length > 0) {
      for (let index = 0; index < count; index++) {
        const entry = entryAt[index] as number;
        sink ^= (blocks[entries[entry] as number] as Buffer)[entries[entry + 1] as number] as number;
      }
    }
    this.#touched = sink;
  }

  /** The key of an id, or undefined for one never given out or forgotten. */
  keyOf(id: number): string | undefined {
    const entry = this.#entryOf(id);
    if (entry < 0) return undefined;
    const entries = this.#entries;
    const offset = entries[entry + 1] as number;
    // Decoded from the block in place: a read path (every term a query returns), so no view per call.
    return expanded((this.#blocks[entries[entry] as number] as Buffer).toString('utf8', offset, offset + (entries[entry + 2] as number)));
  }

  /** The UTF-8 bytes an id's key is kept in (a view into its block, what `restore` takes back), or undefined as `keyOf`. */
  bytesOf(id: number): Uint8Array | undefined {
    const entry = this.#entryOf(id);
    if (entry < 0) return undefined;
    const entries = this.#entries;
    const offset = entries[entry + 1] as number;
    return (this.#blocks[entries[entry] as number] as Buffer).subarray(offset, offset + (entries[entry + 2] as number));
  }

  /** Where an id's fields start in `#entries`, or -1 for an id never given out or forgotten. */
  #entryOf(id: number): number {
    if (id < 1 || id > this.#lastId) return -1;
    const entry = id * entryFields;
    return this.#entries[entry + 2] === forgottenLength ? -1 : entry;
  }

  /** The hash of an id's key as the index keeps it (a snapshot saves it, so that a restore need not hash every key again); 0 for no key. */
  hashOf(id: number): number {
    const entry = this.#entryOf(id);
    return entry < 0 ? 0 : (this.#entries[entry + 3] as number);
  }

  /**
   * Gives the next ids to keys stored one after the other in `keys` with byte lengths `lengths`
   * (`forgottenLength`: an id skipped, as it was when they were saved) and, when given, the
   * hashes `hashOf` gave them. `keys` becomes a block as it is. A key already known moves to its
   * new id: a later segment saw it given again.
   * @returns false when `lengths` add up to more than `keys` holds.
   */
  restore(keys: Buffer, lengths: Uint32Array, hashes?: Uint32Array): boolean {
    if (hashes !== undefined && hashes.length !== lengths.length) return false;
    let total = 0;
    for (let at = 0; at < lengths.length; at++) if (lengths[at] !== forgottenLength) total += lengths[at] as number;
    if (total !== keys.length) return false;
    this.#reserve(this.#lastId + lengths.length + 1);
    let slots = this.#slots.length / 2;
    while ((this.#known + lengths.length) * 2 > slots) slots *= 2;
    if (slots > this.#slots.length / 2) this.#rehash(slots);
    const block = this.#blocks.length;
    this.#blocks.push(keys);
    this.#tail = undefined; // the next key added starts a new block
    const entries = this.#entries;
    let offset = 0;
    for (let at = 0; at < lengths.length; at++) {
      const id = this.#nextId();
      const length = lengths[at] as number;
      const entry = id * entryFields;
      if (length === forgottenLength) {
        entries[entry + 2] = forgottenLength;
        continue;
      }
      entries[entry] = block;
      entries[entry + 1] = offset;
      entries[entry + 2] = length;
      const end = offset + length;
      const hash = hashes ? (hashes[at] as number) : hashBytes(keys, offset, end);
      const slot = this.#slotOfHashed(hash, keys, offset, end);
      const previous = this.#slots[2 * slot] as number;
      if (previous !== 0) entries[previous * entryFields + 2] = forgottenLength;
      this.#index(id, hash, slot, previous === 0);
      offset += length;
    }
    return true;
  }

  /** Forgets `id`: lookups no longer find its key (a later `add` gives the key a new id) and `keyOf` knows it no more. */
  forget(id: number): void {
    const bytes = this.bytesOf(id);
    if (bytes === undefined) return;
    this.#removeSlot(this.#slotOfHashed(this.#entries[id * entryFields + 3] as number, bytes, 0, bytes.length));
    this.#entries[id * entryFields + 2] = forgottenLength;
  }

  #nextId(): number {
    const id = ++this.#lastId;
    if ((id + 1) * entryFields > this.#entries.length) this.#reserve(Math.max(id + 1, (this.#entries.length / entryFields) * 2));
    return id;
  }

  /** Room for ids below `length` in the per-id array (exactly: a restore knows how many it needs). */
  #reserve(length: number): void {
    this.#entries = grown(this.#entries, length * entryFields);
  }

  /**
   * Encodes `key` in its kept form (`xsdSuffix` ending a literal as `xsdMark`) as UTF-8 into
   * `#keyBytes` and its hash into `#keyHash`: into the tail block's free room when it fits, so
   * that a new key is appended by counting its bytes as used, with no copy.
   */
  #encode(key: string): void {
    const target = this.#encodingBuffer(key.length * 3);
    const start = this.#encodingStart(target);
    const end = encodeKey(key, target, start);
    this.#keyBytes = target;
    this.#keyStart = start;
    this.#keyEnd = end;
    this.#keyHash = hashBytes(target, start, end);
  }

  /** Where keys needing `room` bytes are encoded: the tail block's free room when they fit there, else `#scratch`. */
  #encodingBuffer(room: number): Buffer {
    const tail = this.#tail;
    if (tail !== undefined && tail.length - this.#used >= room) return tail;
    if (this.#scratch.length < room) this.#scratch = Buffer.allocUnsafe(room);
    return this.#scratch;
  }

  /** Where encoding into `buffer` starts: after the used bytes of the tail block, at the start of `#scratch`. */
  #encodingStart(buffer: Buffer): number {
    return buffer === this.#tail ? this.#used : 0;
  }

  /** The slot (its pair is at twice it in `#slots`) holding the key `bytes[from, to)` whose hash is `hash`, or the empty slot where it would go. */
  #slotOfHashed(hash: number, bytes: Uint8Array, from: number, to: number): number {
    const slots = this.#slots;
    const mask = slots.length / 2 - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = slots[2 * slot] as number;
      if (id === 0) return slot;
      if (slots[2 * slot + 1] === hash && this.#equals(id, bytes, from, to - from)) return slot;
    }
  }

  #equals(id: number, bytes: Uint8Array, from: number, length: number): boolean {
    const entries = this.#entries;
    const entry = id * entryFields;
    if (entries[entry + 2] !== length) return false;
    const block = this.#blocks[entries[entry] as number] as Buffer;
    const offset = entries[entry + 1] as number;
    for (let at = 0; at < length; at++) if (block[offset + at] !== bytes[from + at]) return false;
    return true;
  }

  /** Puts `id` with its key's hash in `slot` (found empty, or holding the key's previous id, by `#slotOfHashed`). */
  #index(id: number, hash: number, slot: number, counted = true): void {
    this.#entries[id * entryFields + 3] = hash;
    this.#slots[2 * slot] = id;
    this.#slots[2 * slot + 1] = hash;
    if (!counted) return;
    this.#known++;
    if (this.#known > this.#slots.length / 4) this.#rehash(this.#slots.length);
  }

  /** A new index of `size` slots with every entry of the current one (the hashes beside the ids: no entry is read). */
  #rehash(size: number): void {
    const old = this.#slots;
    const slots = new Uint32Array(2 * size);
    const mask = size - 1;
    for (let pair = 0; pair < old.length; pair += 2) {
      const id = old[pair] as number;
      if (id === 0) continue;
      const hash = old[pair + 1] as number;
      let slot = hash & mask;
      while (slots[2 * slot] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = id;
      slots[2 * slot + 1] = hash;
    }
    this.#slots = slots;
  }

  /** Empties `slot`, moving later entries of its probe run back so that every key stays reachable. */
  #removeSlot(slot: number): void {
    const slots = this.#slots;
    const mask = slots.length / 2 - 1;
    let hole = slot;
    slots[2 * hole] = 0;
    this.#known--;
    for (let next = (hole + 1) & mask; slots[2 * next] !== 0; next = (next + 1) & mask) {
      const home = (slots[2 * next + 1] as number) & mask;
      // Move it when its home is not in (hole, next], cyclically.
      const stays = hole <= next ? home > hole && home <= next : home > hole || home <= next;
      if (!stays) {
        slots[2 * hole] = slots[2 * next] as number;
        slots[2 * hole + 1] = slots[2 * next + 1] as number;
        slots[2 * next] = 0;
        hole = next;
      }
    }
  }

  /** Keeps the key `#encode` or `addBatch` left in `#keyBytes` as `id`'s: counted as used where it is in the tail block's free room, else copied there (to a new block when it does not fit). */
  #append(id: number): void {
    const length = this.#keyEnd - this.#keyStart;
    if (this.#keyBytes === this.#tail) {
      // A batch's keys follow one another in the free room (`addBatch`): this one moves down to where the used bytes end.
      if (this.#keyStart !== this.#used) this.#keyBytes.copyWithin(this.#used, this.#keyStart, this.#keyEnd);
    } else {
      let tail = this.#tail;
      if (tail === undefined || tail.length - this.#used < length) {
        tail = Buffer.allocUnsafeSlow(Math.max(blockBytes, length));
        this.#blocks.push(tail);
        this.#tail = tail;
        this.#used = 0;
      }
      this.#keyBytes.copy(tail, this.#used, this.#keyStart, this.#keyEnd);
    }
    const entry = id * entryFields;
    this.#entries[entry] = this.#blocks.length - 1;
    this.#entries[entry + 1] = this.#used;
    this.#entries[entry + 2] = length;
    this.#used += length;
  }
}
