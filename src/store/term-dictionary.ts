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

/** The form a key is kept in (the inverse of `expanded`). */
function compacted(key: string): string {
  if (key.charCodeAt(0) !== 0x22) return key;
  const at = key.lastIndexOf(xsdSuffix);
  return at > 0 && key.indexOf('"', at + 1) < 0 ? `${key.slice(0, at)}${xsdMark}${key.slice(at + xsdSuffix.length)}` : key;
}

function expanded(kept: string): string {
  if (kept.charCodeAt(0) !== 0x22) return kept;
  const at = kept.lastIndexOf(xsdMark);
  return at > 0 && kept.indexOf('"', at + 1) < 0 ? `${kept.slice(0, at)}${xsdSuffix}${kept.slice(at + xsdMark.length)}` : kept;
}

/** FNV-1a over `bytes[from, to)`. */
function hashBytes(bytes: Uint8Array, from: number, to: number): number {
  let hash = 0x811c9dc5;
  for (let at = from; at < to; at++) hash = Math.imul(hash ^ (bytes[at] as number), 0x01000193);
  return hash >>> 0;
}

function grown<T extends Uint32Array | Uint16Array>(array: T, length: number, make: (length: number) => T): T {
  if (length <= array.length) return array;
  const result = make(length);
  result.set(array);
  return result;
}

export class TermDictionary {
  #blocks: Buffer[] = [];
  /** Bytes used in the last block. */
  #used = blockBytes;
  /** Per id: its block, its offset there, its byte length (or `forgottenLength`), its hash. */
  #blockOf = new Uint16Array(1024);
  #offsets = new Uint32Array(1024);
  #lengths = new Uint32Array(1024);
  #hashes = new Uint32Array(1024);
  /** Ids by hash, 0 for an empty slot; never more than half full. */
  #slots = new Uint32Array(2048);
  #lastId = 0;
  #known = 0;
  /** The key being looked up, as UTF-8. */
  #scratch = Buffer.allocUnsafe(4096);

  /** The last id given out: ids go up from 1 and are never reused. */
  get lastId(): number {
    return this.#lastId;
  }

  /** Bytes held: key blocks and the per-id and hash arrays. */
  get bytes(): number {
    let total = this.#blockOf.byteLength + this.#offsets.byteLength + this.#lengths.byteLength + this.#hashes.byteLength + this.#slots.byteLength;
    for (const block of this.#blocks) total += block.byteLength;
    return total;
  }

  /** The id of `key`, or undefined. */
  find(key: string): number | undefined {
    const length = this.#encode(key);
    const id = this.#slots[this.#slotOf(this.#scratch, 0, length)] as number;
    return id === 0 ? undefined : id;
  }

  /** The id of `key`, given the next id when it has none. */
  add(key: string): number {
    const length = this.#encode(key);
    const slot = this.#slotOf(this.#scratch, 0, length);
    const found = this.#slots[slot] as number;
    if (found !== 0) return found;
    const id = this.#nextId();
    this.#append(id, this.#scratch, 0, length);
    this.#index(id, slot);
    return id;
  }

  /** The key of an id, or undefined for one never given out or forgotten. */
  keyOf(id: number): string | undefined {
    const length = this.#lengths[id];
    if (id < 1 || id > this.#lastId || length === undefined || length === forgottenLength) return undefined;
    const offset = this.#offsets[id] as number;
    return expanded((this.#blocks[this.#blockOf[id] as number] as Buffer).toString('utf8', offset, offset + length));
  }

  /** The UTF-8 bytes an id's key is kept in (a view into its block, what `restore` takes back), or undefined as `keyOf`. */
  bytesOf(id: number): Uint8Array | undefined {
    const length = this.#lengths[id];
    if (id < 1 || id > this.#lastId || length === undefined || length === forgottenLength) return undefined;
    const offset = this.#offsets[id] as number;
    return (this.#blocks[this.#blockOf[id] as number] as Buffer).subarray(offset, offset + length);
  }

  /** The hash of an id's key as the index keeps it (a snapshot saves it, so that a restore need not hash every key again). */
  hashOf(id: number): number {
    return this.#hashes[id] ?? 0;
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
    let offset = 0;
    for (let at = 0; at < lengths.length; at++) {
      const id = this.#nextId();
      const length = lengths[at] as number;
      if (length === forgottenLength) {
        this.#lengths[id] = forgottenLength;
        continue;
      }
      this.#blockOf[id] = block;
      this.#offsets[id] = offset;
      this.#lengths[id] = length;
      const end = offset + length;
      const slot = hashes ? this.#slotOfHashed(hashes[at] as number, keys, offset, end) : this.#slotOf(keys, offset, end);
      const previous = this.#slots[slot] as number;
      if (previous !== 0) this.#lengths[previous] = forgottenLength;
      this.#index(id, slot, previous === 0);
      offset += length;
    }
    return true;
  }

  /** Forgets `id`: lookups no longer find its key (a later `add` gives the key a new id) and `keyOf` knows it no more. */
  forget(id: number): void {
    const length = this.#lengths[id];
    if (id < 1 || id > this.#lastId || length === undefined || length === forgottenLength) return;
    const offset = this.#offsets[id] as number;
    const block = this.#blocks[this.#blockOf[id] as number] as Buffer;
    this.#removeSlot(this.#slotOf(block, offset, offset + length));
    this.#lengths[id] = forgottenLength;
  }

  #nextId(): number {
    const id = ++this.#lastId;
    if (id >= this.#lengths.length) this.#reserve(Math.max(id + 1, this.#lengths.length * 2));
    return id;
  }

  /** Room for ids below `length` in the per-id arrays (exactly: a restore knows how many it needs). */
  #reserve(length: number): void {
    this.#blockOf = grown(this.#blockOf, length, (size) => new Uint16Array(size));
    this.#offsets = grown(this.#offsets, length, (size) => new Uint32Array(size));
    this.#lengths = grown(this.#lengths, length, (size) => new Uint32Array(size));
    this.#hashes = grown(this.#hashes, length, (size) => new Uint32Array(size));
  }

  #encode(key: string): number {
    const kept = compacted(key);
    if (this.#scratch.length < kept.length * 3) this.#scratch = Buffer.allocUnsafe(kept.length * 3);
    return this.#scratch.write(kept, 0, 'utf8');
  }

  /** The slot holding the key `bytes[from, to)`, or the empty slot where it would go. */
  #slotOf(bytes: Uint8Array, from: number, to: number): number {
    return this.#slotOfHashed(hashBytes(bytes, from, to), bytes, from, to);
  }

  #slotOfHashed(hash: number, bytes: Uint8Array, from: number, to: number): number {
    this.#hashes[0] = hash;
    const slots = this.#slots;
    const mask = slots.length - 1;
    const length = to - from;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = slots[slot] as number;
      if (id === 0) return slot;
      if (this.#hashes[id] === hash && this.#lengths[id] === length && this.#equals(id, bytes, from, length)) return slot;
    }
  }

  #equals(id: number, bytes: Uint8Array, from: number, length: number): boolean {
    const block = this.#blocks[this.#blockOf[id] as number] as Buffer;
    const offset = this.#offsets[id] as number;
    for (let at = 0; at < length; at++) if (block[offset + at] !== bytes[from + at]) return false;
    return true;
  }

  /** Puts `id` in `slot` (found by the last `#slotOf`, which left the key's hash in `#hashes[0]`). */
  #index(id: number, slot: number, counted = true): void {
    this.#hashes[id] = this.#hashes[0] as number;
    this.#slots[slot] = id;
    if (!counted) return;
    this.#known++;
    if (this.#known * 2 > this.#slots.length) this.#rehash(this.#slots.length * 2);
  }

  #rehash(size: number): void {
    const slots = new Uint32Array(size);
    const mask = size - 1;
    for (const id of this.#slots) {
      if (id === 0) continue;
      let slot = (this.#hashes[id] as number) & mask;
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
      const home = (this.#hashes[id] as number) & mask;
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
    block.set(bytes.subarray(from, from + length), this.#used);
    this.#blockOf[id] = blockIndex;
    this.#offsets[id] = this.#used;
    this.#lengths[id] = length;
    this.#used += length;
  }
}
