/**
 * Runs one public conformance suite: counts, prints failures with reasons, compares with the
 * suite's checked-in known failures and fails on any surprise (new failure or newly passing).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Outcome = { status: 'pass' } | { status: 'fail'; reason: string } | { status: 'skip'; reason: string };

export interface ConformanceCase {
  /** The official test IRI (or folder name where the suite has no IRIs). */
  readonly id: string;
  run(): Promise<Outcome>;
}

export interface Suite {
  readonly name: string;
  cases(): AsyncIterable<ConformanceCase> | Iterable<ConformanceCase>;
  /** Per-case limit; a case that runs longer fails with a timeout reason. */
  readonly caseTimeoutMs?: number;
}

const here = dirname(fileURLToPath(import.meta.url));
export const sharedConformance = join(here, '..', '..', '..', 'shared', 'conformance');

async function readKnownFailures(suite: string): Promise<Record<string, string>> {
  const path = join(here, 'known-failures', `${suite}.json`);
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, string>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

async function runCase(testCase: ConformanceCase, timeoutMs: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'fail', reason: `timed out after ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([testCase.run(), timeout]);
  } catch (error) {
    return { status: 'fail', reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}

/** @returns the process exit code: 0 when every result matches the known-failures list. */
export async function runSuite(suite: Suite): Promise<number> {
  const known = await readKnownFailures(suite.name);
  const results: Array<{ id: string } & Outcome> = [];
  for await (const testCase of suite.cases()) {
    const outcome = await runCase(testCase, suite.caseTimeoutMs ?? 20_000);
    results.push({ id: testCase.id, ...outcome });
  }
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const unexpectedFailures: string[] = [];
  const unexpectedPasses: string[] = [];
  for (const result of results) {
    if (result.status === 'pass') {
      counts.passed++;
      if (result.id in known) unexpectedPasses.push(result.id);
    } else if (result.status === 'fail') {
      counts.failed++;
      const expected = result.id in known;
      if (!expected) unexpectedFailures.push(result.id);
      console.log(`${expected ? 'known failure' : 'FAIL'} ${result.id}: ${oneLine(result.reason)}`);
    } else {
      counts.skipped++;
      console.log(`skip ${result.id}: ${oneLine(result.reason)}`);
    }
  }
  const seen = new Set(results.map((result) => result.id));
  const stale = Object.keys(known).filter((id) => !seen.has(id));
  for (const id of unexpectedPasses) console.log(`NOW PASSES (remove from known failures) ${id}`);
  for (const id of stale) console.log(`STALE known failure (no such test) ${id}`);
  const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : '';
  console.log(`${suite.name}: ${counts.passed} passed, ${counts.failed} failed${skipped}`);

  const reportDir = join(here, 'reports');
  await mkdir(reportDir, { recursive: true });
  await writeFile(
    join(reportDir, `${suite.name}.json`),
    `${JSON.stringify({ suite: suite.name, ...counts, unexpectedFailures, unexpectedPasses, stale, results }, null, 2)}\n`,
  );
  return unexpectedFailures.length + unexpectedPasses.length + stale.length === 0 ? 0 : 1;
}
