/** `npm run soak`: 50 connections for 60 s against /doc, /sparql and /fragments with a re-import running meanwhile; prints req/s, latencies, errors, the server's RSS. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';
import { publishMapping } from '../../src/publish/index.ts';
import { repoRoot, startHostileSite } from '../hostile/support/site.ts';

const seconds = Number(process.env.SOAK_SECONDS ?? 60);
const connections = Number(process.env.SOAK_CONNECTIONS ?? 50);

const site = await startHostileSite({ queryTimeoutMs: 10_000 });
const loadScript = join(dirname(fileURLToPath(import.meta.url)), 'load.ts');

/** Runs the load in a child process (see load.ts) and returns autocannon's result. */
async function run(duration: number): Promise<autocannon.Result> {
  const child = spawn(process.execPath, ['--import', 'tsx', loadScript, site.url, String(duration), String(connections)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  const [status] = (await once(child, 'close')) as [number | null];
  if (status !== 0) throw new Error(`the load generator exited with ${status}`);
  return JSON.parse(output) as autocannon.Result;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

let importing = false;
let imports = 0;
let importFailures = 0;
async function reimportWhile(): Promise<void> {
  while (importing) {
    try {
      await publishMapping(join(repoRoot, 'mappings/municipios.yml'), { config: site.config, store: site.store, say: () => undefined, force: true });
      imports += 1;
    } catch (error) {
      importFailures += 1;
      console.error(`re-import failed: ${(error as Error).message}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

// The warm-up runs the same load, re-imports included, so the heap reaches its working size first.
const warmUp = Number(process.env.SOAK_WARMUP_SECONDS ?? 20);
console.error(`soak: warming up for ${warmUp} s against ${site.url}`);
importing = true;
let reimports = reimportWhile();
await run(warmUp);
importing = false;
await reimports;
globalThis.gc?.();
const rssBefore = process.memoryUsage().rss;
const heapBefore = process.memoryUsage().heapUsed;
imports = 0;
importing = true;
reimports = reimportWhile();

console.error(`soak: ${connections} connections for ${seconds} s, re-importing meanwhile`);
const result = await run(seconds);
importing = false;
await reimports;
globalThis.gc?.();
const rssAfter = process.memoryUsage().rss;
const heapAfter = process.memoryUsage().heapUsed;
const fiveXX = result['5xx'];
const growth = ((rssAfter - rssBefore) / rssBefore) * 100;
console.log(
  [
    `soak: ${result.requests.total} requests in ${seconds} s, ${Math.round(result.requests.average)} req/s`,
    `latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
    `2xx ${result['2xx']}, non-2xx ${result.non2xx}, 5xx ${fiveXX}, errors ${result.errors}, timeouts ${result.timeouts}`,
    `re-imports ${imports} (failed ${importFailures})`,
    `RSS after warm-up ${mb(rssBefore)} MB, after the soak ${mb(rssAfter)} MB (${growth.toFixed(1)}%)`,
    `heap used after warm-up ${mb(heapBefore)} MB, after the soak ${mb(heapAfter)} MB${globalThis.gc ? ' (after gc)' : ''}`,
  ].join('\n'),
);
await site.close();
const ok = fiveXX === 0 && result.errors === 0 && result.timeouts === 0 && importFailures === 0 && growth < 10;
console.log(ok ? 'soak: OK' : 'soak: FAILED (5xx, connection errors, failed imports or RSS growth >= 10%)');
process.exitCode = ok ? 0 : 1;
