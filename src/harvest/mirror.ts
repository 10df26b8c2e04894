/**
 * The local copy of a harvested dataset: its rows by `:id` (what the store's triples were mapped
 * from), kept as a base file plus an append-only log of syncs, so a sync writes what changed only.
 */
import { appendFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../store/index.js';
import type { SodaRow } from './socrata-client.js';

/** One row as the portal last gave it: `[:id, :updated_at, ...cells in the order of Mirror.columns]`. */
export type MirroredRow = readonly [id: string, updatedAt: string, ...cells: string[]];

/** What a harvest knows between runs. */
export interface Mirror {
  readonly origin: string;
  readonly socrataId: string;
  /** The store's dataset id (the mapping's). */
  readonly datasetId: string;
  /** The data columns' `fieldName`s: the header of `rows.csv`. */
  readonly columns: readonly string[];
  /** The largest `:updated_at` seen: the next sync asks for rows after it. */
  readonly lastUpdatedAt: string;
  readonly lastSync: string;
  /** By `:id`; in `:id` order after a full harvest or a compaction. */
  readonly rows: ReadonlyMap<string, MirroredRow>;
}

/** One sync, as a line of the log. */
interface SyncRecord {
  readonly lastUpdatedAt: string;
  readonly lastSync: string;
  readonly upserts: readonly MirroredRow[];
  readonly deletes: readonly string[];
}

/** The files of one harvested dataset, in the data directory. */
export interface HarvestFiles {
  readonly dir: string;
  /** The rows as of the last full harvest or compaction, in `:id` order. */
  readonly base: string;
  /** One JSON line per sync since. */
  readonly log: string;
  /** What the mapping reads: the rows as of the last full harvest or compaction. */
  readonly rowsCsv: string;
  readonly mapping: string;
}

export function harvestFiles(dataDir: string, socrataId: string): HarvestFiles {
  const dir = join(dataDir, 'harvest', socrataId);
  return { dir, base: join(dir, 'mirror.json'), log: join(dir, 'mirror.log'), rowsCsv: join(dir, 'rows.csv'), mapping: join(dir, 'mapping.yml') };
}

/** A SODA cell as CSV text: SODA writes numbers as strings already; nested values (locations, links) as their JSON. */
function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** @throws TypeError for a row without the `:id` and `:updated_at` system fields (the harvest asks for them). */
export function mirroredRow(row: SodaRow, columns: readonly string[]): MirroredRow {
  const id = row[':id'];
  const updatedAt = row[':updated_at'];
  if (typeof id !== 'string' || typeof updatedAt !== 'string') throw new TypeError('a SODA row without :id or :updated_at');
  return [id, updatedAt, ...columns.map((name) => cellText(row[name]))];
}

/** RFC 4180: a field with a quote, delimiter or line break is quoted, its quotes doubled. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function rowsCsv(columns: readonly string[], rows: Iterable<MirroredRow>): string {
  const lines = [columns.map(csvField).join(',')];
  for (const [, , ...cells] of rows) lines.push(cells.map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** The store's fsync'd atomic replace, by path: a crash leaves the old file or the new one. */
export function writeAtomically(path: string, text: string): Promise<void> {
  return writeFileAtomic(dirname(path), basename(path), text);
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

type StoredMirror = Omit<Mirror, 'rows'> & { readonly rows: readonly MirroredRow[] };

/** The files' state a cached mirror was read from or written as: another process's sync changes it. */
async function fileStamp(files: HarvestFiles): Promise<string> {
  const [base, log] = await Promise.all([stat(files.base).catch(() => undefined), stat(files.log).catch(() => undefined)]);
  return `${base?.mtimeMs}:${base?.size}:${log?.mtimeMs}:${log?.size}`;
}

/** The last mirror each dataset folder held in this process: scheduled syncs skip re-reading 50,000 rows. */
const cachedMirrors = new Map<string, { readonly stamp: string; readonly mirror: Mirror }>();

async function remember(files: HarvestFiles, mirror: Mirror): Promise<void> {
  cachedMirrors.set(files.dir, { stamp: await fileStamp(files), mirror });
}

/** The base file with the log's syncs replayed; undefined before the first full harvest. */
export async function readMirror(files: HarvestFiles): Promise<Mirror | undefined> {
  const cached = cachedMirrors.get(files.dir);
  if (cached && cached.stamp === (await fileStamp(files))) return cached.mirror;
  const mirror = await readStoredMirror(files);
  if (mirror) await remember(files, mirror);
  return mirror;
}

async function readStoredMirror(files: HarvestFiles): Promise<Mirror | undefined> {
  const base = await readOptional(files.base);
  if (base === undefined) return undefined;
  const stored = JSON.parse(base) as StoredMirror;
  const rows = new Map(stored.rows.map((row) => [row[0], row]));
  let { lastUpdatedAt, lastSync } = stored;
  // A line cut by a crash is the sync whose store version may not have committed: the next sync fetches its rows again.
  for (const line of ((await readOptional(files.log)) ?? '').split('\n')) {
    let record: SyncRecord;
    try {
      record = JSON.parse(line) as SyncRecord;
    } catch {
      continue;
    }
    for (const id of record.deletes) rows.delete(id);
    for (const row of record.upserts) rows.set(row[0], row);
    ({ lastUpdatedAt, lastSync } = record);
  }
  return { ...stored, rows, lastUpdatedAt, lastSync };
}

/** `:id` order, the portal's paging order. */
export const byId = (a: MirroredRow, b: MirroredRow) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** Rewrites the base (and the rows CSV the mapping reads) and empties the log. */
export async function writeMirror(files: HarvestFiles, mirror: Mirror): Promise<void> {
  await mkdir(files.dir, { recursive: true });
  const rows = [...mirror.rows.values()].sort(byId);
  await writeAtomically(files.rowsCsv, rowsCsv(mirror.columns, rows));
  await writeAtomically(files.base, JSON.stringify({ ...mirror, rows }));
  await rm(files.log, { force: true });
  await remember(files, mirror);
}

/** Syncs the log holds before the base is rewritten: the log stays short and the rows CSV close to the store. */
const syncsPerCompaction = 50;

/** Appends one sync to the log (compacting into the base every so often). */
export async function appendSync(files: HarvestFiles, mirror: Mirror, change: { readonly upserts: readonly MirroredRow[]; readonly deletes: readonly string[] }): Promise<void> {
  const logged = ((await readOptional(files.log)) ?? '').split('\n').filter((line) => line !== '').length;
  if (logged + 1 >= syncsPerCompaction) return writeMirror(files, mirror);
  const record: SyncRecord = { lastUpdatedAt: mirror.lastUpdatedAt, lastSync: mirror.lastSync, ...change };
  await appendFile(files.log, `${JSON.stringify(record)}\n`);
  await remember(files, mirror);
}

/** The largest `:updated_at` of the rows (ISO 8601 timestamps compare as strings). */
export function latestUpdate(rows: Iterable<MirroredRow>, since = ''): string {
  let latest = since;
  for (const row of rows) if (row[1] > latest) latest = row[1];
  return latest;
}
