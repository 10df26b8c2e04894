/**
 * The members of one event stream on disk: a file of JSON lines, one member each, appended and
 * fsync'd before the store version that publishes them commits. Only the members of batches the
 * store's marker names are ever read; a tail beyond it (a crash, a failed write) is cut.
 *
 * Compaction (the retention policy) removes whole pages, never part of one: a page linked to the
 * next is immutable, so it is served exactly as before or not at all. A removed page leaves a
 * one-line stub with its first member's time, which the page before it states in its relation.
 * The file is rewritten aside, fsync'd and renamed over the old one.
 */
import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, rename, stat, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StorageError } from '../errors/index.js';
import { syncDirectory } from '../store/index.js';
import { fullLogCutoff, type RetentionPolicy } from './retention.js';
import { membersPerPage, pageOfMember } from './stream-terms.js';

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

/** The line a compacted page leaves: its number and its first member's time. */
interface PrunedPageLine {
  readonly pruned: number;
  readonly firstTime: string;
}

interface PageEntry {
  /** Where the page's first line (member or stub) starts. */
  readonly offset: number;
  readonly firstTime: string;
  lastTime: string;
  readonly pruned: boolean;
  /** Members of the page among the latest `versionAmount` versions of their resource. */
  kept: number;
}

/** What a reader may see of a page. */
export type PageState = 'members' | 'pruned' | undefined;

type LogLine = { readonly member: LoggedMember } | { readonly stub: PrunedPageLine };

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

function parseLine(text: string): LogLine | undefined {
  try {
    const value = JSON.parse(text) as LoggedMember | PrunedPageLine;
    if ('pruned' in value) return typeof value.pruned === 'number' && typeof value.firstTime === 'string' ? { stub: value } : undefined;
    return typeof value.ordinal === 'number' && typeof value.batch === 'number' ? { member: value } : undefined;
  } catch {
    return undefined;
  }
}


/** Which members are among the latest versions of their resource; absent when the policy keeps everything. */
class VersionIndex {
  readonly #amount: number;
  /** Resource → ordinals of its latest `amount` versions, oldest first. */
  readonly #latest = new Map<string, number[]>();

  constructor(amount: number) {
    this.#amount = amount;
  }

  /** Records a new version of `of`; returns the ordinal it pushes out of the latest `amount`, if any. */
  add(of: string, ordinal: number): number | undefined {
    const ordinals = this.#latest.get(of);
    if (!ordinals) {
      this.#latest.set(of, [ordinal]);
      return undefined;
    }
    ordinals.push(ordinal);
    return ordinals.length > this.#amount ? ordinals.shift() : undefined;
  }
}

export class MemberLog {
  readonly #path: string;
  readonly #retention: RetentionPolicy;
  /** Bytes of the committed members; a pending batch lies beyond. */
  #size: number;
  /** The next ordinal: members of compacted pages count, as their numbers are never reused. */
  #count: number;
  #lastTime: string;
  /** One entry per page (a compacted one included): all the memory a page costs, besides the version index. */
  #pages: PageEntry[];
  readonly #versions: VersionIndex | undefined;
  #pending: { readonly size: number; readonly members: readonly LoggedMember[] } | undefined;
  /** Changes whenever the file is replaced: a reader that opened it across a change reads again. */
  #generation = 0;
  #compaction: Promise<void> | undefined;

  private constructor(path: string, retention: RetentionPolicy) {
    this.#path = path;
    this.#retention = retention;
    this.#size = 0;
    this.#count = 0;
    this.#lastTime = '';
    this.#pages = [];
    this.#versions = retention === 'all' ? undefined : new VersionIndex(retention.versionAmount);
  }

  /**
   * Reads the log's index, cutting every member of a batch after `committedBatch` (and a torn line).
   * @throws StorageError when the log holds fewer members than the store says were committed.
   */
  static async open(path: string, committed: { readonly batch: number; readonly members: number }, retention: RetentionPolicy): Promise<MemberLog> {
    await mkdir(dirname(path), { recursive: true });
    const length = (await stat(path).catch(() => undefined))?.size;
    if (length === undefined) {
      await (await open(path, 'a')).close();
      await syncDirectory(dirname(path));
    }
    const log = new MemberLog(path, retention);
    for await (const line of logLines(path, 0, length ?? 0)) {
      const parsed = parseLine(line.text);
      if (!parsed) break;
      if ('stub' in parsed) {
        if (parsed.stub.pruned * membersPerPage !== log.#count) break;
        log.#pages.push({ offset: line.offset, firstTime: parsed.stub.firstTime, lastTime: parsed.stub.firstTime, pruned: true, kept: 0 });
        log.#count += membersPerPage;
      } else {
        if (parsed.member.batch > committed.batch || parsed.member.ordinal !== log.#count) break;
        log.#added(parsed.member, line.offset);
      }
      log.#size = line.offset + Buffer.byteLength(line.text) + 1;
    }
    if (log.#count < committed.members) {
      throw new StorageError(`${path}: the event stream's log has ${log.#count} members, the store committed ${committed.members}; the log was cut or replaced`);
    }
    if ((length ?? 0) > log.#size) await truncate(path, log.#size);
    return log;
  }

  /** Committed members (the next ordinal). */
  get count(): number {
    return this.#count;
  }

  get lastTime(): string {
    return this.#lastTime;
  }

  get pageCount(): number {
    return this.#pages.length;
  }

  /** The `prov:generatedAtTime` of a page's first member (the lower bound of a relation to it), also of a compacted page. */
  firstTimeOf(page: number): string | undefined {
    return this.#pages[page]?.firstTime;
  }

  pageState(page: number): PageState {
    const entry = this.#pages[page];
    return entry === undefined ? undefined : entry.pruned ? 'pruned' : 'members';
  }

  /** The first page at or after `page` that still has its members (the newest page always has them). */
  pageWithMembersFrom(page: number): number | undefined {
    for (let index = Math.max(0, page); index < this.#pages.length; index++) if (!this.#pages[index]?.pruned) return index;
    return undefined;
  }

  /** A committed member, at `ordinal` or after it, updates the page index and the version index. */
  #added(member: LoggedMember, offset: number): void {
    const page = pageOfMember(member.ordinal);
    if (member.ordinal % membersPerPage === 0) this.#pages.push({ offset, firstTime: member.time, lastTime: member.time, pruned: false, kept: 0 });
    const entry = this.#pages[page] as PageEntry;
    entry.lastTime = member.time;
    this.#count = member.ordinal + 1;
    this.#lastTime = member.time;
    if (!this.#versions) return;
    entry.kept += 1;
    const superseded = this.#versions.add(member.of, member.ordinal);
    const older = superseded === undefined ? undefined : this.#pages[pageOfMember(superseded)];
    if (older) older.kept -= 1;
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
      this.#added(member, offset);
      offset += Buffer.byteLength(JSON.stringify(member)) + 1;
    }
    this.#size = offset;
    this.#pending = undefined;
  }

  /** The store version of the pending batch did not commit: its lines are cut. */
  async abandon(): Promise<void> {
    if (!this.#pending) return;
    await truncate(this.#path, this.#size);
    this.#pending = undefined;
  }

  /** The committed members of one page, in order (none for a compacted page). */
  async page(page: number): Promise<LoggedMember[]> {
    for (;;) {
      await this.#compaction;
      const generation = this.#generation;
      const entry = this.#pages[page];
      if (!entry || entry.pruned) return [];
      const end = this.#pages[page + 1]?.offset ?? this.#size;
      const handle = await open(this.#path, 'r');
      try {
        // The file was replaced while it was being opened: the offsets may be the old file's.
        if (generation !== this.#generation) continue;
        return (await readRange(handle, entry.offset, end))
          .toString('utf8')
          .split('\n')
          .filter((text) => text !== '')
          .map((text, index) => {
            const parsed = parseLine(text);
            if (!parsed || !('member' in parsed)) throw new StorageError(`${this.#path}: an unreadable member on page ${page} (line ${index + 1})`);
            return parsed.member;
          });
      } finally {
        await handle.close();
      }
    }
  }

  /** The latest committed state of every resource: its triples, or null once tombstoned. */
  async latestStates(): Promise<Map<string, string | null>> {
    const states = new Map<string, string | null>();
    for await (const line of logLines(this.#path, 0, this.#size)) {
      const parsed = parseLine(line.text);
      if (!parsed) throw new StorageError(`${this.#path}: an unreadable member at byte ${line.offset}`);
      if ('member' in parsed) states.set(parsed.member.of, parsed.member.deleted ? null : parsed.member.triples);
    }
    return states;
  }

  /**
   * Removes the pages wholly outside the retention policy at `now`: immutable ones (a newer page
   * exists) whose members are all older than the full-log window and all superseded by
   * `versionAmount` newer versions of their resource. Call it with no batch pending.
   * @returns the pages removed.
   * @throws StorageError when a batch is pending or the rewrite fails (the old file then stays).
   */
  async compact(now: Date): Promise<number> {
    if (this.#pending) throw new StorageError(`${this.#path}: compaction with a batch pending`);
    const cutoff = fullLogCutoff(this.#retention, now);
    if (cutoff === undefined) return 0;
    const doomed = new Set<number>();
    for (let page = 0; page < this.#pages.length - 1; page++) {
      const entry = this.#pages[page] as PageEntry;
      if (!entry.pruned && entry.kept === 0 && Date.parse(entry.lastTime) < cutoff) doomed.add(page);
    }
    if (doomed.size === 0) return 0;
    const aside = `${this.#path}.compacting`;
    const pages: PageEntry[] = [];
    let size = 0;
    const source = await open(this.#path, 'r');
    const target = await open(aside, 'w');
    try {
      for (const [page, entry] of this.#pages.entries()) {
        const bytes = entry.pruned || doomed.has(page)
          ? Buffer.from(`${JSON.stringify({ pruned: page, firstTime: entry.firstTime } satisfies PrunedPageLine)}\n`)
          : await readRange(source, entry.offset, this.#pages[page + 1]?.offset ?? this.#size);
        await target.write(bytes);
        pages.push({ ...entry, offset: size, pruned: entry.pruned || doomed.has(page) });
        size += bytes.length;
      }
      await target.sync();
    } finally {
      await target.close();
      await source.close();
    }
    let finish = (): void => undefined;
    this.#compaction = new Promise((resolve) => {
      finish = resolve;
    });
    // Before the rename: a reader whose open may land on the new file sees the generation move and reads again.
    this.#generation += 1;
    try {
      await rename(aside, this.#path);
      this.#pages = pages;
      this.#size = size;
      await syncDirectory(dirname(this.#path));
    } finally {
      this.#compaction = undefined;
      finish();
    }
    return doomed.size;
  }
}

async function readRange(handle: FileHandle, from: number, to: number): Promise<Buffer> {
  const bytes = Buffer.alloc(to - from);
  await handle.read(bytes, 0, bytes.length, from);
  return bytes;
}
