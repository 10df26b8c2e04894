/**
 * Binary snapshot files: a compact graph's permutations and the term dictionary written as they
 * are in memory, so that start-up reads whole sections into buffers instead of parsing quads.
 *
 * Layout: 8 bytes of magic, the sections one after the other, a JSON header (kind, counts, and
 * offset, length and SHA-256 of every section), then 8 bytes: the header's length and the format
 * version (little-endian u32s). The header comes last so that sections stream out and are hashed
 * as they are written; the manifest keeps the header's own SHA-256 and the file's length.
 */
import { createHash } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { StorageError } from '../errors/index.js';
import {
  type CompactGraph,
  type GraphRows,
  type PermutationPieces,
  type PermutationRows,
  permutationArrays,
  piecesOfRows,
  type Rotation,
  rotations,
} from './compact-graph.js';
import { forgottenLength, type TermDictionary } from './term-dictionary.js';

/** What the manifest remembers about a binary snapshot file to check it on load. */
export interface BinaryFileInfo {
  readonly file: string;
  readonly bytes: number;
  readonly headerSha256: string;
}

/** A graph's file: its quad count besides. */
export interface GraphFileInfo extends BinaryFileInfo {
  readonly quads: number;
}

/** A segment of the term dictionary: the keys of ids `firstId` to `firstId + count - 1`. */
export interface TermFileInfo extends BinaryFileInfo {
  readonly firstId: number;
  readonly count: number;
}

type FileKind = 'graph' | 'terms';

interface SectionEntry {
  readonly name: string;
  readonly offset: number;
  readonly bytes: number;
  readonly sha256: string;
}

interface Header {
  readonly kind: FileKind;
  readonly counts: Readonly<Record<string, number>>;
  readonly sections: readonly SectionEntry[];
}

/** A section to write: its bytes in chunks, produced only when the section's turn comes. */
interface Section {
  readonly name: string;
  readonly chunks: () => Iterable<Uint8Array>;
}

const magic = Buffer.from('VINCULO\u0001', 'latin1');
const formatVersion = 1;
const trailerBytes = 8;
/** Largest single read or write: the kernel moves at most about 2 GiB per call anyway. */
const ioChunk = 1 << 26;
/** Keys are written this many bytes at a time: bounded memory, few calls. */
const pieceBytes = 1 << 20;

function assertLittleEndian(): void {
  // The arrays are written and read as the machine holds them; the files say little-endian.
  if (endianness() !== 'LE') throw new StorageError('binary snapshots need a little-endian machine');
}

const bytesOf = (array: Uint32Array): Uint8Array => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

/** Each piece's bytes as it comes (a piece may be a buffer reused for the next: it is written before that is asked for). */
function* bytesOfPieces(pieces: Iterable<Uint32Array>): Generator<Uint8Array> {
  for (const piece of pieces) yield bytesOf(piece);
}

/**
 * Writes `directory/file` (via `file.tmp`, fsync'd, renamed). The caller fsyncs the directory
 * once for all the files of a checkpoint.
 * @throws StorageError when writing fails (the temporary file is removed).
 */
async function writeBinaryFile(
  directory: string,
  file: string,
  kind: FileKind,
  counts: () => Record<string, number>,
  sections: Iterable<Section>,
): Promise<BinaryFileInfo> {
  assertLittleEndian();
  const path = join(directory, file);
  const temporary = `${path}.tmp`;
  try {
    const handle = await open(temporary, 'w');
    let position = 0;
    const write = async (bytes: Uint8Array): Promise<void> => {
      for (let from = 0; from < bytes.length; ) {
        const { bytesWritten } = await handle.write(bytes, from, Math.min(ioChunk, bytes.length - from), position);
        from += bytesWritten;
        position += bytesWritten;
      }
    };
    let info: BinaryFileInfo;
    try {
      await write(magic);
      const entries: SectionEntry[] = [];
      for (const section of sections) {
        const offset = position;
        const hash = createHash('sha256');
        for (const chunk of section.chunks()) {
          hash.update(chunk);
          await write(chunk);
        }
        entries.push({ name: section.name, offset, bytes: position - offset, sha256: hash.digest('hex') });
      }
      const header = Buffer.from(JSON.stringify({ kind, counts: counts(), sections: entries } satisfies Header), 'utf8');
      const trailer = Buffer.alloc(trailerBytes);
      trailer.writeUInt32LE(header.length, 0);
      trailer.writeUInt32LE(formatVersion, 4);
      await write(header);
      await write(trailer);
      await handle.sync();
      info = { file, bytes: position, headerSha256: createHash('sha256').update(header).digest('hex') };
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
    return info;
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new StorageError(`cannot write snapshot ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** A file's counts and sections (each in its own buffer, 4-byte aligned for typed-array views). */
interface BinaryFile {
  readonly counts: Readonly<Record<string, number>>;
  section(name: string): ArrayBuffer;
}

function isHeader(value: unknown, kind: FileKind): value is Header {
  const header = value as Partial<Header> | null;
  return (
    typeof header === 'object' &&
    header !== null &&
    header.kind === kind &&
    typeof header.counts === 'object' &&
    Array.isArray(header.sections) &&
    header.sections.every((entry) => typeof entry?.name === 'string' && Number.isSafeInteger(entry.offset) && Number.isSafeInteger(entry.bytes))
  );
}

/** Sections whose names start with `prefix` are read before the others, `before` called first (a caller making room for them). */
interface ReadFirst {
  readonly prefix: string;
  readonly before: () => void;
}

/**
 * Reads and checks `directory/info.file`: its length, the header's SHA-256 against the manifest's,
 * each section's against the header's. Sections are read whole into their own buffers.
 * @throws StorageError naming the file (and the section) when it is missing, short or altered.
 */
async function readBinaryFile(directory: string, info: BinaryFileInfo, kind: FileKind, first?: ReadFirst): Promise<BinaryFile> {
  assertLittleEndian();
  const path = join(directory, info.file);
  const corrupt = (what: string): StorageError => new StorageError(`corrupt snapshot ${path}: ${what}`);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new StorageError(`corrupt snapshot ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const readInto = async (target: Uint8Array, position: number, hash?: ReturnType<typeof createHash>): Promise<void> => {
      for (let from = 0; from < target.length; ) {
        const { bytesRead } = await handle.read(target, from, Math.min(ioChunk, target.length - from), position + from);
        if (bytesRead === 0) throw corrupt(`ends before byte ${position + target.length}`);
        hash?.update(target.subarray(from, from + bytesRead));
        from += bytesRead;
      }
    };
    const { size } = await handle.stat();
    if (size !== info.bytes) throw corrupt(`${size} bytes, expected ${info.bytes}`);
    const opening = Buffer.alloc(magic.length);
    await readInto(opening, 0);
    if (!opening.equals(magic)) throw corrupt('section magic: not a Vínculo binary snapshot');
    const trailer = Buffer.alloc(trailerBytes);
    await readInto(trailer, size - trailerBytes);
    const headerLength = trailer.readUInt32LE(0);
    if (trailer.readUInt32LE(4) !== formatVersion) throw corrupt(`section trailer: format version ${trailer.readUInt32LE(4)}, expected ${formatVersion}`);
    if (headerLength > size - trailerBytes - magic.length) throw corrupt('section trailer: header length past the file');
    const headerBytes = Buffer.alloc(headerLength);
    const headerHash = createHash('sha256');
    await readInto(headerBytes, size - trailerBytes - headerLength, headerHash);
    if (headerHash.digest('hex') !== info.headerSha256) throw corrupt('section header: sha256 does not match the manifest');
    const header: unknown = JSON.parse(headerBytes.toString('utf8'));
    if (!isHeader(header, kind)) throw corrupt(`section header: not a ${kind} snapshot header`);
    const sections = new Map<string, ArrayBuffer>();
    const isFirst = (entry: SectionEntry): boolean => first !== undefined && entry.name.startsWith(first.prefix);
    first?.before();
    for (const entry of [...header.sections.filter(isFirst), ...header.sections.filter((entry) => !isFirst(entry))]) {
      const buffer = new ArrayBuffer(entry.bytes);
      const hash = createHash('sha256');
      await readInto(new Uint8Array(buffer), entry.offset, hash);
      if (hash.digest('hex') !== entry.sha256) throw corrupt(`section ${entry.name}: sha256 does not match the header`);
      sections.set(entry.name, buffer);
    }
    return {
      counts: header.counts,
      section: (name) => {
        const buffer = sections.get(name);
        if (!buffer) throw corrupt(`section ${name} is missing`);
        return buffer;
      },
    };
  } finally {
    await handle.close();
  }
}

/**
 * Writes a graph's triples (`graph` must have no changes since its last build: its rows are all of it).
 * @throws StorageError when writing fails.
 */
export async function writeGraphFile(directory: string, file: string, graph: CompactGraph): Promise<GraphFileInfo> {
  const rows = graph.rows;
  return writeGraphPermutations(directory, file, rotations.map((rotation): [Rotation, PermutationPieces] => [rotation, piecesOfRows(rows[rotation])]));
}

/**
 * Writes a graph's three permutations as `permutations` gives them, each taken only once the one
 * before is written, each array's pieces asked for only as they are written: a builder's
 * permutations go to the file as they are computed, never whole in memory.
 * @throws StorageError when writing fails, or when a rotation is missing or repeated.
 */
export async function writeGraphPermutations(
  directory: string,
  file: string,
  permutations: Iterable<readonly [Rotation, PermutationPieces]>,
): Promise<GraphFileInfo> {
  let quads = 0;
  const written = new Set<Rotation>();
  function* sections(): Generator<Section> {
    for (const [rotation, permutation] of permutations) {
      written.add(rotation);
      quads = permutation.rows;
      for (const name of permutationArrays) yield { name: `${rotation}.${name}`, chunks: () => bytesOfPieces(permutation.pieces(name)) };
    }
    if (written.size !== rotations.length) throw new StorageError(`graph ${file}: permutations ${[...written].join(', ')}, expected ${rotations.join(', ')}`);
  }
  const info = await writeBinaryFile(directory, file, 'graph', () => ({ quads }), sections());
  return { ...info, quads };
}

/**
 * Reads a graph's rows, checked as `readBinaryFile` checks them. With `releasing`, the sections of
 * its rotation are read first, once `release` has made room for them (and once the header is checked).
 * @throws StorageError naming file and section when they do not match.
 */
export async function readGraphFile(
  directory: string,
  info: GraphFileInfo,
  releasing?: { readonly rotation: Rotation; readonly release: () => void },
): Promise<GraphRows> {
  const file = await readBinaryFile(directory, info, 'graph', releasing && { prefix: `${releasing.rotation}.`, before: releasing.release });
  const permutation = (rotation: (typeof rotations)[number]): PermutationRows => {
    const [firstKeys, secondStart, secondKeys, thirdStart, thirdKeys] = permutationArrays.map(
      (name) => new Uint32Array(file.section(`${rotation}.${name}`)),
    ) as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
    return { firstKeys, secondStart, secondKeys, thirdStart, thirdKeys };
  };
  const rows = { spo: permutation('spo'), pos: permutation('pos'), osp: permutation('osp') };
  if (file.counts.quads !== info.quads || rows.spo.thirdKeys.length !== info.quads) {
    throw new StorageError(`corrupt snapshot ${join(directory, info.file)}: ${rows.spo.thirdKeys.length} quads, expected ${info.quads}`);
  }
  return rows;
}

/**
 * Writes the keys of ids `firstId` to `lastId`: a `keys` section (their UTF-8 bytes one after
 * the other, as the dictionary holds them), a `lengths` section (each key's byte length) and a
 * `hashes` section (each key's hash in the dictionary's index: start-up need not hash them again).
 * @throws StorageError when writing fails.
 */
export async function writeTermFile(
  directory: string,
  file: string,
  dictionary: TermDictionary,
  { firstId, lastId }: { readonly firstId: number; readonly lastId: number },
): Promise<TermFileInfo> {
  const lengths = new Uint32Array(lastId - firstId + 1);
  const hashes = new Uint32Array(lengths.length);
  function* keys(): Generator<Uint8Array> {
    const piece = Buffer.allocUnsafe(pieceBytes);
    let used = 0;
    for (let at = 0; at < lengths.length; at++) {
      const bytes = dictionary.bytesOf(firstId + at);
      lengths[at] = bytes === undefined ? forgottenLength : bytes.length;
      hashes[at] = bytes === undefined ? 0 : dictionary.hashOf(firstId + at);
      if (bytes === undefined) continue;
      if (used + bytes.length > piece.length) {
        yield piece.subarray(0, used);
        used = 0;
      }
      if (bytes.length > piece.length) yield bytes;
      else {
        piece.set(bytes, used);
        used += bytes.length;
      }
    }
    yield piece.subarray(0, used);
  }
  const info = await writeBinaryFile(directory, file, 'terms', () => ({ firstId, count: lengths.length }), [
    { name: 'keys', chunks: keys },
    { name: 'lengths', chunks: () => [bytesOf(lengths)] },
    { name: 'hashes', chunks: () => [bytesOf(hashes)] },
  ]);
  return { ...info, firstId, count: lengths.length };
}

/**
 * Reads a dictionary segment into `dictionary`, whose next id must be the segment's first: the
 * key bytes become one of its blocks as read.
 * @throws StorageError naming file and section when they do not match.
 */
export async function readTermFile(directory: string, info: TermFileInfo, dictionary: TermDictionary): Promise<void> {
  const path = join(directory, info.file);
  if (info.firstId !== dictionary.lastId + 1) {
    throw new StorageError(`corrupt snapshot ${path}: terms from id ${info.firstId}, expected ${dictionary.lastId + 1}`);
  }
  const file = await readBinaryFile(directory, info, 'terms');
  const lengths = new Uint32Array(file.section('lengths'));
  if (file.counts.count !== info.count || lengths.length !== info.count) {
    throw new StorageError(`corrupt snapshot ${path}: section lengths holds ${lengths.length} terms, expected ${info.count}`);
  }
  if (!dictionary.restore(Buffer.from(file.section('keys')), lengths, new Uint32Array(file.section('hashes')))) {
    throw new StorageError(`corrupt snapshot ${path}: sections lengths and hashes do not fit section keys`);
  }
}
