/** `dataDir/server.json`: how `vinculo import` finds the server holding a data directory, and asks it to import. */
import { mkdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { Forbidden, Unauthorized, VinculoError } from '../errors/index.js';
import type { HarvestResult } from '../harvest/index.js';
import type { AdminStreamLine, ImportOutcome } from '../publish/index.js';
import type { ErrorPolicy } from '../mapping/index.js';
import { lockHolder, writeFileAtomic } from '../store/index.js';

/** What a serving process tells local commands; the token proves they may read the data directory. */
export interface ServerRecord {
  readonly url: string;
  readonly pid: number;
  /** Random per run: whoever can read this file (mode 0600) may import through the server. */
  readonly token: string;
}

const recordName = 'server.json';

/** @throws StorageError when the file cannot be written. */
export async function writeServerRecord(dataDir: string, record: ServerRecord): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  await writeFileAtomic(dataDir, recordName, `${JSON.stringify(record)}\n`, { mode: 0o600 });
}

export async function removeServerRecord(dataDir: string): Promise<void> {
  await unlink(join(dataDir, recordName)).catch(() => undefined);
}

function isServerRecord(value: unknown): value is ServerRecord {
  const record = value as Partial<ServerRecord> | null;
  return typeof record?.url === 'string' && typeof record.pid === 'number' && typeof record.token === 'string';
}

/**
 * The server that holds `dataDir` now: its lock's live holder, when that process left a record.
 * Undefined when the directory is free, or held by something else (another `vinculo import`).
 */
export async function runningServerOf(dataDir: string): Promise<ServerRecord | undefined> {
  const holder = await lockHolder(dataDir);
  if (holder === undefined) return undefined;
  const text = await readFile(join(dataDir, recordName), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isServerRecord(record) && record.pid === holder ? record : undefined;
}

export interface ServerImportOptions {
  readonly force?: boolean;
  readonly errorPolicy?: ErrorPolicy;
  /** Each progress line the server reports. */
  readonly say: (message: string) => void;
}

/** The error a refusal's status stands for. */
function refusal(status: number, message: string): VinculoError {
  if (status === 401) return new Unauthorized(message);
  if (status === 403) return new Forbidden(message);
  return new VinculoError(message);
}

/**
 * Has the running server import `mapping` (an absolute path), relaying its progress lines to `say`.
 * @throws Unauthorized or Forbidden when the server refuses the token; VinculoError with the
 *   server's message when the import failed (the dataset's previous version stays) or the server
 *   cannot be reached.
 */
export function importThroughServer(server: ServerRecord, mapping: string, options: ServerImportOptions): Promise<ImportOutcome> {
  return throughServer<ImportOutcome>(server, 'admin/import', { mapping, force: options.force ?? false, onError: options.errorPolicy }, options.say, `the import of ${mapping}`);
}

/**
 * Has the running server harvest `url` (through its harvest queue: never beside a scheduled sync), relaying its progress lines to `say`.
 * @throws as `importThroughServer`.
 */
export function harvestThroughServer(server: ServerRecord, url: string, options: { readonly full: boolean; readonly pageSize: number | undefined; readonly say: (message: string) => void }): Promise<HarvestResult> {
  return throughServer<HarvestResult>(server, 'admin/harvest', { url, full: options.full, pageSize: options.pageSize }, options.say, `the harvest of ${url}`);
}

/** Posts `body` to an admin route of the server and reads its NDJSON answer: progress lines, then the result or the error. */
async function throughServer<Result>(server: ServerRecord, route: string, body: unknown, say: (message: string) => void, what: string): Promise<Result> {
  let response: Response;
  try {
    response = await fetch(new URL(route, `${server.url}/`), {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json', Accept: 'application/x-ndjson' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new VinculoError(`cannot reach the server at ${server.url} (process ${server.pid}): ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok || !response.body) throw refusal(response.status, `the server at ${server.url} answered ${response.status}: ${(await response.text()).trim()}`);
  const lines = createInterface({ input: Readable.fromWeb(response.body), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const text of lines) {
    if (text === '') continue;
    const line = JSON.parse(text) as AdminStreamLine<Result>;
    if ('say' in line) say(line.say);
    else if ('result' in line) return line.result;
    else throw new VinculoError(line.error.message);
  }
  throw new VinculoError(`the server at ${server.url} stopped before ${what} finished`);
}
