/**
 * The members of one event stream on disk: an append-only file of JSON lines, one member each,
 * fsync'd before the store version that publishes them commits. Only the members of batches the
 * store's marker names are ever read; a tail beyond it (a crash, a failed write) is cut.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, stat, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StorageError } from '../errors/index.js';
import { membersPerPage } from './stream-terms.js';

/** One member as the log keeps it. */
export interface LoggedMember {
  /** 0-based position in the stream. */
  readonly ordinal: number;
  readonly batch: number;
  /** `prov:generatedAtTime`, ISO 8601 in UTC. */
  readonly time: string;
  /** The resource this member is a version of. */
  readonly of: string;
  readonly deleted?: true;
  /** The resource's triples as N-Triples lines, sorted (empty for a tombstone). */
  readonly triples: string;
}

interface PageStart {
  readonly offset: number;
  readonly firstTime: string;
}

/** Lines of `path` from byte `from` to byte `to`, each with the offset it starts at; a last line without its newline is left out (torn). */
async function* logLines(path: string, from: number, to: number): AsyncGenerator<{ readonly offset: number; readonly text: string }> {
  if (to <= from) return;
  let pending: Buffer[] = [];
  let lineStart = from;
  let position = from;
  for await (const chunk of createReadStream(path, { start: from, end: to - 1 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let index = chunk.indexOf(0x0a); index !== -1; index = chunk.indexOf(0x0a, start)) {
      pending.push(chunk.subarray(start, index));
      yield { offset: lineStart, text: Buffer.concat(pending).toString('utf8') };
      pending = [];
      lineStart = position + index + 1;
      start = index + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
    position += chunk.length;
  }
}

function parseMember(text: string): LoggedMember | undefined {
  try {
    const member = JSON.parse(text) as LoggedMember;
    return typeof member.ordinal === 'number' && typeof member.batch === 'number' ? member : undefined;
  } catch {
    return undefined;
  }
}

/** fsync of a folder, so that a file created in it survives a power cut (POSIX leaves the entry unsynced otherwise). */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class MemberLog {
  readonly #path: string;
  /** Bytes of the committed members; a pending batch lies beyond. */
  #size: number;
  #count: number;
  #lastTime: string;
  /** Where each page's first member starts: one entry per 250 members is all the memory a member costs. */
  readonly #pages: PageStart[];
  #pending: { readonly size: number; readonly members: readonly LoggedMember[] } | undefined;

  private constructor(path: string, state: { size: number; count: number; lastTime: string; pages: PageStart[] }) {
    this.#path = path;
    this.#size = state.size;
    this.#count = state.count;
    this.#lastTime = state.lastTime;
    this.#pages = state.pages;
  }

  /**
   * Reads the log's index, cutting every member of a batch after `committedBatch` (and a torn line).
   * @throws StorageError when the log holds fewer members than the store says were committed.
   */
  static async open(path: string, committed: { readonly batch: number; readonly members: number }): Promise<MemberLog> {
    await mkdir(dirname(path), { recursive: true });
    const length = (await stat(path).catch(() => undefined))?.size;
    if (length === undefined) {
      await (await open(path, 'a')).close();
      await syncFolder(dirname(path));
    }
    const state = { size: 0, count: 0, lastTime: '', pages: [] as PageStart[] };
    for await (const line of logLines(path, 0, length ?? 0)) {
      const member = parseMember(line.text);
      if (!member || member.batch > committed.batch || member.ordinal !== state.count) break;
      if (state.count % membersPerPage === 0) state.pages.push({ offset: line.offset, firstTime: member.time });
      state.count++;
      state.size = line.offset + Buffer.byteLength(line.text) + 1;
      state.lastTime = member.time;
    }
    if (state.count < committed.members) {
      throw new StorageError(`${path}: the event stream's log has ${state.count} members, the store committed ${committed.members}; the log was cut or replaced`);
    }
    if ((length ?? 0) > state.size) await truncate(path, state.size);
    return new MemberLog(path, state);
  }

  /** Committed members. */
  get count(): number {
    return this.#count;
  }

  get lastTime(): string {
    return this.#lastTime;
  }

  get pageCount(): number {
    return this.#pages.length;
  }

  /** The `prov:generatedAtTime` of a page's first member (the lower bound of a relation to it). */
  firstTimeOf(page: number): string | undefined {
    return this.#pages[page]?.firstTime;
  }

  /**
   * Appends a batch and fsyncs it; it stays invisible until `commit()`.
   * @throws StorageError when a batch is already pending (batches are one at a time).
   */
  async append(members: readonly LoggedMember[]): Promise<void> {
    if (this.#pending) throw new StorageError(`${this.#path}: a batch is already pending`);
    const handle = await open(this.#path, 'a');
    try {
      await handle.write(members.map((member) => `${JSON.stringify(member)}\n`).join(''));
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.#pending = { size: this.#size, members };
  }

  /** The pending batch is now part of the store's committed version: it becomes readable. */
  commit(): void {
    const pending = this.#pending;
    if (!pending) return;
    let offset = pending.size;
    for (const member of pending.members) {
      if (member.ordinal % membersPerPage === 0) this.#pages.push({ offset, firstTime: member.time });
      offset += Buffer.byteLength(JSON.stringify(member)) + 1;
      this.#lastTime = member.time;
    }
    this.#size = offset;
    this.#count += pending.members.length;
    this.#pending = undefined;
  }

  /** The store version of the pending batch did not commit: its lines are cut. */
  async abandon(): Promise<void> {
    if (!this.#pending) return;
    await truncate(this.#path, this.#size);
    this.#pending = undefined;
  }

  /** The committed members of one page, in order. */
  async page(page: number): Promise<LoggedMember[]> {
    const start = this.#pages[page];
    if (!start) return [];
    const end = this.#pages[page + 1]?.offset ?? this.#size;
    const members: LoggedMember[] = [];
    for await (const member of this.#members(start.offset, end)) members.push(member);
    return members;
  }

  /** The latest committed state of every resource: its triples, or null once tombstoned. */
  async latestStates(): Promise<Map<string, string | null>> {
    const states = new Map<string, string | null>();
    for await (const member of this.#members(0, this.#size)) states.set(member.of, member.deleted ? null : member.triples);
    return states;
  }

  async *#members(from: number, to: number): AsyncGenerator<LoggedMember> {
    for await (const line of logLines(this.#path, from, to)) {
      const member = parseMember(line.text);
      if (!member) throw new StorageError(`${this.#path}: an unreadable member at byte ${line.offset}`);
      yield member;
    }
  }
}
