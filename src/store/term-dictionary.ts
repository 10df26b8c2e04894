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

const encoder = new TextEncoder();

/** Whether `text` from `start` on is ASCII. */
function isAscii(text: string, start: number): boolean {
  for (let at = start; at < text.length; at++) if (text.charCodeAt(at) >= 0x80) return false;
  return true;
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
  /** Bytes used in the last block. */
  #used = blockBytes;
  /** Per id, side by side (one cache line for what a probe compares): block, offset, length, hash. */
  #entries = new Uint32Array(1024 * entryFields);
  /** Ids by hash, 0 for an empty slot; never more than half full. */
  #slots = new Uint32Array(2048);
  #lastId = 0;
  #known = 0;
  /** The key being looked up, in its kept form as UTF-8, and its hash. */
  #scratch = Buffer.allocUnsafe(4096);
  #scratchHash = 0;

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
    const length = this.#encode(key);
    const id = this.#slots[this.#slotOfHashed(this.#scratchHash, this.#scratch, 0, length)] as number;
    return id === 0 ? undefined : id;
  }

  /**
   * The id of `key`, given the next id when it has none. A new key is passed to `admit` first
   * and gets no id when `admit` throws: one lookup serves both the check and the insertion.
   */
  add(key: string, admit?: () => void): number {
    const length = this.#encode(key);
    const hash = this.#scratchHash;
    const slot = this.#slotOfHashed(hash, this.#scratch, 0, length);
    const found = this.#slots[slot] as number;
    if (found !== 0) return found;
    admit?.();
    const id = this.#nextId();
    this.#append(id, this.#scratch, 0, length);
    this.#index(id, hash, slot);
    return id;
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
    let slots = this.#slots.length;
    while ((this.#known + lengths.length) * 2 > slots) slots *= 2;
    if (slots > this.#slots.length) this.#rehash(slots);
    const block = this.#blocks.length;
    this.#blocks.push(keys);
    this.#used = blockBytes; // the next key added starts a new block
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
      const previous = this.#slots[slot] as number;
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
   * Writes `key` in its kept form (`xsdSuffix` ending a literal as `xsdMark`) into `#scratch` as
   * UTF-8 and its hash into `#scratchHash`; returns the byte length. The key is encoded whole by
   * one native call and shortened in place: slicing and joining strings would make garbage per key.
   */
  #encode(key: string): number {
    if (this.#scratch.length < key.length * 3) this.#scratch = Buffer.allocUnsafe(key.length * 3);
    const scratch = this.#scratch;
    let length = encoder.encodeInto(key, scratch).written;
    if (key.charCodeAt(0) === 0x22) {
      const at = key.lastIndexOf(xsdSuffix);
      const rest = at + xsdSuffix.length;
      if (at > 0 && key.indexOf('"', at + 1) < 0) {
        if (isAscii(key, rest)) {
          // The suffix and what follows it are ASCII: one byte a character, counted from the end.
          const from = length - (key.length - rest);
          const to = from - xsdSuffix.length + xsdMark.length;
          scratch[to - 1] = xsdMark.charCodeAt(1);
          for (let byte = from; byte < length; byte++) scratch[to + byte - from] = scratch[byte] as number;
          length -= xsdSuffix.length - xsdMark.length;
        } else {
          length = encoder.encodeInto(`${key.slice(0, at)}${xsdMark}${key.slice(rest)}`, scratch).written;
        }
      }
    }
    this.#scratchHash = hashBytes(scratch, 0, length);
    return length;
  }

  /** The slot (index into `#slots`) holding the key `bytes[from, to)` whose hash is `hash`, or the empty slot where it would go. */
  #slotOfHashed(hash: number, bytes: Uint8Array, from: number, to: number): number {
    const slots = this.#slots;
    const mask = slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = slots[slot] as number;
      if (id === 0) return slot;
      if (this.#equals(id, hash, bytes, from, to - from)) return slot;
    }
  }

  #equals(id: number, hash: number, bytes: Uint8Array, from: number, length: number): boolean {
    const entries = this.#entries;
    const entry = id * entryFields;
    if (entries[entry + 3] !== hash || entries[entry + 2] !== length) return false;
    const block = this.#blocks[entries[entry] as number] as Buffer;
    const offset = entries[entry + 1] as number;
    for (let at = 0; at < length; at++) if (block[offset + at] !== bytes[from + at]) return false;
    return true;
  }

  /** Puts `id` with its key's hash in `slot` (found empty, or holding the key's previous id, by `#slotOfHashed`). */
  #index(id: number, hash: number, slot: number, counted = true): void {
    this.#entries[id * entryFields + 3] = hash;
    this.#slots[slot] = id;
    if (!counted) return;
    this.#known++;
    if (this.#known * 2 > this.#slots.length) this.#rehash(this.#slots.length * 2);
  }

  /** A new index of `size` slots with every entry of the current one. */
  #rehash(size: number): void {
    const slots = new Uint32Array(size);
    const mask = size - 1;
    for (const id of this.#slots) {
      if (id === 0) continue;
      let slot = (this.#entries[id * entryFields + 3] as number) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.#slots = slots;
  }

  /** Empties `slot`, moving later entries of its probe run back so that every key stays reachable. */
  #removeSlot(slot: number): void {
    const slots = this.#slots;
    const mask = slots.length - 1;
    let hole = slot;
    slots[hole] = 0;
    this.#known--;
    for (let next = (hole + 1) & mask; slots[next] !== 0; next = (next + 1) & mask) {
      const id = slots[next] as number;
      const home = (this.#entries[id * entryFields + 3] as number) & mask;
      // Move it when its home is not in (hole, next], cyclically.
      const stays = hole <= next ? home > hole && home <= next : home > hole || home <= next;
      if (!stays) {
        slots[hole] = id;
        slots[next] = 0;
        hole = next;
      }
    }
  }

  /** Appends a key's bytes for `id`. */
  #append(id: number, bytes: Uint8Array, from: number, length: number): void {
    if (this.#used + length > blockBytes || this.#blocks.length === 0) {
      this.#blocks.push(Buffer.allocUnsafeSlow(Math.max(blockBytes, length)));
      this.#used = 0;
    }
    const blockIndex = this.#blocks.length - 1;
    const block = this.#blocks[blockIndex] as Buffer;
    // A loop, not `set` of a `subarray`: most keys are tens of bytes, less than making a view costs.
    const offset = this.#used;
    for (let at = 0; at < length; at++) block[offset + at] = bytes[from + at] as number;
    const entry = id * entryFields;
    this.#entries[entry] = blockIndex;
    this.#entries[entry + 1] = this.#used;
    this.#entries[entry + 2] = length;
    this.#used += length;
  }
}
