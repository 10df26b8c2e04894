/**
 * What is known of each harvested dataset's syncs: the last one that worked, the last failure,
 * the declared update frequency. Kept in `DATA_DIR/harvest/{socrataId}/status.json` beside the
 * mirror, so that `/harvest` shows the last sync after a restart and the schedule resumes from it.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { HarvestResult } from './harvest-dataset.js';
import { harvestFiles, writeAtomically } from './mirror.js';

/** One harvest that worked. */
export interface SyncSummary {
  readonly datasetId: string;
  readonly kind: HarvestResult['kind'];
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly rowsAdded: number;
  readonly rowsChanged: number;
  readonly rowsDeleted: number;
}

/** One harvest that did not; the message only (no stack, no secrets). */
export interface SyncFailure {
  readonly at: string;
  readonly message: string;
}

/** The durable part of a dataset's harvest state. */
export interface HarvestRecord {
  readonly lastSync?: SyncSummary;
  /** The most recent failure, kept after a later success so that it can still be read (`failuresInARow` says whether it is current). */
  readonly lastError?: SyncFailure;
  /** Failures since the last success: the back-off grows with it. */
  readonly failuresInARow: number;
  /** The portal's "Frecuencia de Actualización", as last read. */
  readonly declaredFrequency?: string;
  /** That frequency as an interval; absent when the word is unknown or names no period. */
  readonly declaredIntervalMs?: number;
}

/** What `/harvest` shows of one configured dataset. */
export interface HarvestDatasetStatus extends HarvestRecord {
  readonly url: string;
  readonly socrataId: string;
  /** `declared` or the configured interval (`15m`). */
  readonly schedule: string;
  /** The interval in force: the configured one, the declared one, or the default for a dataset that declares none. */
  readonly intervalMs: number;
  readonly nextSyncAt?: string;
  readonly running: boolean;
}

/** One finished run, for whoever counts them (the server's `/metrics`). */
export interface HarvestRun {
  readonly socrataId: string;
  readonly outcome: HarvestResult['kind'] | 'failed';
  readonly rowsAdded: number;
  readonly rowsChanged: number;
  readonly rowsDeleted: number;
  readonly durationSeconds: number;
  readonly finishedAt: Date;
}

/** Told of every harvest run; `src/harvest` knows nothing of HTTP, so the server passes one in. */
export interface HarvestObserver {
  harvestStarted?(socrataId: string): void;
  harvestFinished(run: HarvestRun): void;
}

export const noRecord: HarvestRecord = { failuresInARow: 0 };

const statusFile = (dataDir: string, socrataId: string): string => join(harvestFiles(dataDir, socrataId).dir, 'status.json');

/** The dataset's record; the empty one before its first harvest (or when the file is unreadable: the next run rewrites it). */
export async function readHarvestRecord(dataDir: string, socrataId: string): Promise<HarvestRecord> {
  const text = await readFile(statusFile(dataDir, socrataId), 'utf8').catch(() => undefined);
  if (text === undefined) return noRecord;
  try {
    const parsed = JSON.parse(text) as Partial<HarvestRecord>;
    return { ...parsed, failuresInARow: typeof parsed.failuresInARow === 'number' ? parsed.failuresInARow : 0 };
  } catch {
    return noRecord;
  }
}

export async function writeHarvestRecord(dataDir: string, socrataId: string, record: HarvestRecord): Promise<void> {
  // A first harvest that failed has written nothing there yet.
  await mkdir(dirname(statusFile(dataDir, socrataId)), { recursive: true });
  await writeAtomically(statusFile(dataDir, socrataId), `${JSON.stringify(record, null, 2)}\n`);
}

const longestMessage = 500;

/**
 * An error as `/harvest` may show it to anyone: its message only, with the given secrets (the app
 * token) and URL credentials or token parameters blanked, cut to a readable length.
 */
export function publicMessage(error: unknown, secrets: readonly (string | undefined)[]): string {
  let message = error instanceof Error ? error.message : String(error);
  for (const secret of secrets) if (secret) message = message.replaceAll(secret, '[hidden]');
  message = message.replace(/\/\/[^/\s@]+@/g, '//').replace(/([?&](?:\$\$app_token|app_token|token|key|password)=)[^&\s]*/gi, '$1[hidden]');
  return message.length > longestMessage ? `${message.slice(0, longestMessage - 1)}…` : message;
}

const units: ReadonlyArray<readonly [string, number]> = [
  ['w', 604_800_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/** `86400000` → `1d`, `900000` → `15m`: the largest unit that divides it (else milliseconds), as the configuration writes intervals. */
export function intervalText(ms: number): string {
  const unit = units.find(([, size]) => ms >= size && ms % size === 0);
  return unit ? `${ms / unit[1]}${unit[0]}` : `${ms}ms`;
}
