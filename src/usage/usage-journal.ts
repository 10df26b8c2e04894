/**
 * The usage journal, `dataDir/usage/journal.ndjson`: one JSON record a line, appended and
 * fsync'd (the counter flushes every second), and rewritten whole — compacted — at start-up and
 * once a day is published for good. It holds dataset ids, days, counts and sketch registers:
 * never an address, a token or a query.
 */
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StorageError } from '../errors/index.js';
import { writeFileAtomic } from '../store/index.js';
import type { UsageRecord } from './usage-book.js';

const journalName = 'journal.ndjson';

type FileHandle = Awaited<ReturnType<typeof open>>;

function isRecord(value: unknown): value is UsageRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  if (typeof record.published === 'string') return true;
  return typeof record.day === 'string' && typeof record.dataset === 'string' && typeof record.counts === 'object' && record.counts !== null && Array.isArray(record.registers);
}

export interface OpenedJournal {
  readonly journal: UsageJournal;
  readonly records: readonly UsageRecord[];
}

export class UsageJournal {
  readonly #directory: string;
  #handle: FileHandle;
  /** Appends and rewrites in the order asked, never two at once. */
  #queue: Promise<void> = Promise.resolve();

  private constructor(directory: string, handle: FileHandle) {
    this.#directory = directory;
    this.#handle = handle;
  }

  /**
   * Reads the journal in `directory` (made when missing). A line cut by a crash is skipped, with
   * `warn` told how many were.
   * @throws StorageError when the folder or file cannot be read or opened.
   */
  static async open(directory: string, warn: (message: string) => void): Promise<OpenedJournal> {
    try {
      await mkdir(directory, { recursive: true, mode: 0o700 });
      const path = join(directory, journalName);
      const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return '';
        throw error;
      });
      const records: UsageRecord[] = [];
      let skipped = 0;
      for (const line of text.split('\n')) {
        if (line === '') continue;
        try {
          const parsed: unknown = JSON.parse(line);
          if (isRecord(parsed)) records.push(parsed);
          else skipped++;
        } catch {
          skipped++;
        }
      }
      if (skipped > 0) warn(`${path}: ${skipped} unreadable usage record(s) skipped (a write cut by a crash)`);
      return { journal: new UsageJournal(directory, await open(path, 'a', 0o600)), records };
    } catch (error) {
      throw new StorageError(`cannot open the usage journal in ${directory}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Appends records and fsyncs them. @throws StorageError when writing fails. */
  append(records: readonly UsageRecord[]): Promise<void> {
    if (records.length === 0) return this.#queue;
    const text = records.map((record) => `${JSON.stringify(record)}\n`).join('');
    return this.#enqueue(async () => {
      await this.#handle.write(text);
      await this.#handle.datasync();
    });
  }

  /** Replaces the journal with `records` (atomically: a crash leaves the old or the new one). @throws StorageError. */
  rewrite(records: readonly UsageRecord[]): Promise<void> {
    const text = records.map((record) => `${JSON.stringify(record)}\n`).join('');
    return this.#enqueue(async () => {
      await writeFileAtomic(this.#directory, journalName, text, { mode: 0o600 });
      await this.#handle.close();
      this.#handle = await open(join(this.#directory, journalName), 'a', 0o600);
    });
  }

  close(): Promise<void> {
    return this.#enqueue(() => this.#handle.close());
  }

  #enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(work).catch((error: unknown) => {
      throw new StorageError(`cannot write the usage journal in ${this.#directory}: ${(error as Error).message}`, { cause: error });
    });
    // A failed write must not stop the ones after it.
    this.#queue = next.catch(() => undefined);
    return next;
  }
}
