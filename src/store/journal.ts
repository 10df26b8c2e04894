/**
 * The append-only journal of committed writes. Each record is framed as
 * `<payload byte length>\n<sha256 of payload, hex>\n<payload>`, so a record torn by a crash
 * (short payload, bad checksum at the end of the file) is told apart from corruption earlier on.
 * A payload is one JSON header line (`{"seq":…,"time":…}`) then one line per change:
 * `I <N-Quad>` (inserted) or `D <N-Quad>` (deleted), in the order they were applied.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type * as RDF from '@rdfjs/types';
import { Parser, Writer } from 'n3';
import { StorageError } from '../errors/index.js';
import { DataFactory } from '../rdf/index.js';

export type ChangeOp = 'I' | 'D';

export interface Change {
  readonly op: ChangeOp;
  readonly quad: RDF.Quad;
}

export interface JournalRecord {
  readonly seq: number;
  readonly time: Date;
  readonly changes: readonly Change[];
}

/** A record as found on disk, decoded on demand so replay never holds every record's quads at once. */
export interface FramedRecord {
  readonly offset: number;
  readonly payload: Buffer;
}

export interface JournalScan {
  readonly records: readonly FramedRecord[];
  /** Bytes of intact records; the file is cut here when the tail is torn. */
  readonly validLength: number;
  /** Why the tail was cut, when it was. */
  readonly torn?: string;
}

const lineWriter = new Writer({ format: 'N-Quads' });

/** One quad as an N-Quads line (with its newline), the text used by journals and snapshots. */
export function quadLine(quad: RDF.Quad): string {
  return lineWriter.quadToString(quad.subject, quad.predicate, quad.object, quad.graph);
}

/**
 * Parses N-Quads text keeping blank node labels as written, so `_:x` in a journal record is the
 * same node as `_:x` in a snapshot.
 * @throws Error from the N3 parser on a syntax error (callers wrap it with the file name).
 */
export function parseQuadLines(text: string): RDF.Quad[] {
  return new Parser({ format: 'N-Quads', blankNodePrefix: '', factory: DataFactory }).parse(text);
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Payload text is turned into Buffers this many characters at a time (a huge DROP stays under string limits). */
const chunkChars = 1 << 20;

/** Frames one journal record. */
export function encodeRecord(record: JournalRecord): Buffer {
  const chunks: Buffer[] = [];
  let text = `${JSON.stringify({ seq: record.seq, time: record.time.toISOString() })}\n`;
  for (const change of record.changes) {
    text += `${change.op} ${quadLine(change.quad)}`;
    if (text.length >= chunkChars) {
      chunks.push(Buffer.from(text, 'utf8'));
      text = '';
    }
  }
  chunks.push(Buffer.from(text, 'utf8'));
  const hash = createHash('sha256');
  let length = 0;
  for (const chunk of chunks) {
    hash.update(chunk);
    length += chunk.length;
  }
  return Buffer.concat([Buffer.from(`${length}\n${hash.digest('hex')}\n`, 'ascii'), ...chunks]);
}

/** Parses change lines in batches, so no single string grows with the record. */
function decodeChanges(payload: Buffer, from: number, changes: Change[]): void {
  const batchLines = 10_000;
  let ops: ChangeOp[] = [];
  let lines = '';
  const flush = (): void => {
    const quads = parseQuadLines(lines);
    if (quads.length !== ops.length) throw new Error(`${ops.length} changes but ${quads.length} quads`);
    for (let index = 0; index < quads.length; index++) {
      changes.push({ op: ops[index] as ChangeOp, quad: quads[index] as RDF.Quad });
    }
    ops = [];
    lines = '';
  };
  let start = from;
  while (start < payload.length) {
    let end = payload.indexOf(10, start);
    if (end < 0) end = payload.length;
    const op = String.fromCharCode(payload[start] ?? 0);
    if ((op !== 'I' && op !== 'D') || payload[start + 1] !== 32) throw new Error(`bad change line at byte ${start}`);
    ops.push(op);
    lines += `${payload.toString('utf8', start + 2, end)}\n`;
    if (ops.length >= batchLines) flush();
    start = end + 1;
  }
  flush();
}

/**
 * Decodes a framed record's payload (already checksummed).
 * @throws StorageError naming the journal when the payload does not decode.
 */
export function decodeRecord(framed: FramedRecord, path: string): JournalRecord {
  const { payload } = framed;
  try {
    let headerEnd = payload.indexOf(10);
    if (headerEnd < 0) headerEnd = payload.length;
    const header = JSON.parse(payload.toString('utf8', 0, headerEnd)) as { seq?: unknown; time?: unknown };
    if (typeof header.seq !== 'number' || typeof header.time !== 'string') throw new Error('bad record header');
    const changes: Change[] = [];
    decodeChanges(payload, headerEnd + 1, changes);
    return { seq: header.seq, time: new Date(header.time), changes };
  } catch (error) {
    throw new StorageError(`${path}: record at byte ${framed.offset} does not decode: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function allZero(buffer: Buffer, from: number): boolean {
  for (let index = from; index < buffer.length; index++) if (buffer[index] !== 0) return false;
  return true;
}

/**
 * Splits a journal's bytes into checksummed records. An incomplete or mismatching record at the
 * very end is a torn tail (a crash during an append that was never acknowledged) and is reported
 * in `torn`; a bad record with intact data after it means the file was damaged.
 * @throws StorageError naming `path` for damage before the tail.
 */
export function scanJournal(buffer: Buffer, path: string): JournalScan {
  const records: FramedRecord[] = [];
  let offset = 0;
  const torn = (why: string): JournalScan => ({ records, validLength: offset, torn: `${why} at byte ${offset}` });
  while (offset < buffer.length) {
    const lengthEnd = buffer.indexOf(10, offset);
    if (lengthEnd < 0) return torn('incomplete record header');
    const lengthText = buffer.toString('latin1', offset, lengthEnd);
    if (!/^\d{1,15}$/.test(lengthText)) {
      if (allZero(buffer, offset)) return torn('zero-filled tail');
      throw new StorageError(`${path}: damaged record header at byte ${offset}; refusing to guess what follows`);
    }
    const hashEnd = buffer.indexOf(10, lengthEnd + 1);
    if (hashEnd < 0) return torn('incomplete record header');
    const hash = buffer.toString('latin1', lengthEnd + 1, hashEnd);
    const start = hashEnd + 1;
    const end = start + Number(lengthText);
    if (end > buffer.length) return torn('incomplete record');
    const payload = buffer.subarray(start, end);
    if (!/^[0-9a-f]{64}$/.test(hash) || sha256(payload) !== hash) {
      if (end === buffer.length) return torn('checksum mismatch in the last record');
      throw new StorageError(`${path}: checksum mismatch in the record at byte ${offset}, with records after it`);
    }
    records.push({ offset, payload });
    offset = end;
  }
  return { records, validLength: offset };
}

/**
 * Reads and scans the journal file; a missing file is an empty journal.
 * @throws StorageError when the file cannot be read or is damaged before its tail.
 */
export async function readJournal(path: string): Promise<JournalScan> {
  let buffer: Buffer;
  try {
    // Read the length stat reports, not "until EOF": bytes appended meanwhile are not ours to judge.
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      buffer = Buffer.alloc(size);
      let read = 0;
      while (read < size) {
        const { bytesRead } = await handle.read(buffer, read, size - read, read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      buffer = buffer.subarray(0, read);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], validLength: 0 };
    throw new StorageError(`cannot read journal ${path}: ${(error as Error).message}`, { cause: error });
  }
  return scanJournal(buffer, path);
}

/** The journal file opened for appending; every append is fsync'd before it resolves. */
export class Journal {
  readonly path: string;
  #handle: Awaited<ReturnType<typeof open>>;
  #size: number;

  private constructor(path: string, handle: Awaited<ReturnType<typeof open>>, size: number) {
    this.path = path;
    this.#handle = handle;
    this.#size = size;
  }

  /**
   * Opens (creating) the journal and cuts it to `validLength`, dropping a torn tail durably.
   * @throws StorageError when the file cannot be opened or cut.
   */
  static async open(path: string, validLength: number): Promise<Journal> {
    try {
      const handle = await open(path, 'a+');
      const { size } = await handle.stat();
      if (size !== validLength) {
        await handle.truncate(validLength);
        await handle.sync();
      }
      return new Journal(path, handle, validLength);
    } catch (error) {
      throw new StorageError(`cannot open journal ${path}: ${(error as Error).message}`, { cause: error });
    }
  }

  get size(): number {
    return this.#size;
  }

  /**
   * Appends one framed record and fsyncs it. On failure the file is cut back to its previous
   * length, so a half-written record never sits in front of later ones.
   * @throws StorageError when writing or syncing fails (disk full, I/O error).
   */
  async append(record: Buffer): Promise<void> {
    try {
      let written = 0;
      while (written < record.length) {
        const { bytesWritten } = await this.#handle.write(record, written, record.length - written);
        written += bytesWritten;
      }
      await this.#handle.datasync();
      this.#size += record.length;
    } catch (error) {
      await this.#handle.truncate(this.#size).catch(() => undefined);
      throw new StorageError(`cannot append to journal ${this.path}: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * Empties the journal once a checkpoint made its records redundant.
   * @throws StorageError when the file cannot be truncated.
   */
  async reset(): Promise<void> {
    try {
      await this.#handle.truncate(0);
      await this.#handle.sync();
      this.#size = 0;
    } catch (error) {
      throw new StorageError(`cannot truncate journal ${this.path}: ${(error as Error).message}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    await this.#handle.close();
  }
}
