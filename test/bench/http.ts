/**
 * The crawler table of `npm run bench`: `/doc` Turtle and HTML, `/id` 303, `/fragments` and a
 * `/sparql` lookup, cold (every request a resource not asked before, so nothing is cached) and
 * warm (one resource again and again), at 10 and 100 connections, each beside a bare `node:http`
 * server answering the same status, headers and bytes in the same run. The load comes from `wrk`
 * (Debian package `wrk`), a separate process, so the client does not share the server's event loop;
 * the server runs in this process, so a cold run also reports its CPU time per request (which
 * other work on the machine changes less than it changes req/s).
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ProbeFigures } from './crawl-probe.ts';

const run = promisify(execFile);

export interface CrawlTarget {
  readonly name: string;
  readonly accept: string;
  /** The path of the `index`-th resource of its kind; a warm run asks for index 0 only. */
  readonly path: (index: number) => string;
  /** Whether a cold run means anything (a `/sparql` lookup is never cached). */
  readonly cold: boolean;
}

export interface Figures {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly requests: number;
}

export interface CrawlOptions {
  readonly origin: string;
  readonly targets: readonly CrawlTarget[];
  /** Distinct resources of each kind (the cold runs of a target, at 10 and at 100 connections, take disjoint halves). */
  readonly resources: number;
  readonly seconds: number;
  /** Where wrk's path lists and scripts go. */
  readonly dir: string;
  readonly log: (message: string) => void;
}

function milliseconds(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!match) return Number.NaN;
  const factor = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[match[2] as 'us' | 'ms' | 's' | 'm'];
  // To the microsecond: `0.35 ms`, not the float noise of `350us` × 0.001.
  return Math.round(Number(match[1]) * factor * 1000) / 1000;
}

function parseWrk(output: string): Figures {
  const number = (pattern: RegExp) => Number(pattern.exec(output)?.[1] ?? Number.NaN);
  return {
    requestsPerSecond: number(/Requests\/sec:\s+([\d.]+)/),
    p50Ms: milliseconds(/^\s+50%\s+(\S+)/m.exec(output)?.[1] ?? ''),
    p99Ms: milliseconds(/^\s+99%\s+(\S+)/m.exec(output)?.[1] ?? ''),
    errors: number(/Non-2xx or 3xx responses:\s+(\d+)/) || 0,
    requests: number(/(\d+) requests in/),
  };
}

/** wrk's threads (`-t`): each walks its own share of the paths. */
const wrkThreads = 2;

/**
 * One wrk run over the paths listed in `pathsFile` (cycled), each thread from the start of its own
 * share: threads that started at random places could catch up with each other, so a "cold" run
 * asked for some documents twice.
 */
export async function wrk(url: string, accept: string, connections: number, seconds: number, pathsFile: string, dir: string): Promise<Figures> {
  const script = join(dir, 'paths.lua');
  await writeFile(
    script,
    `local paths = {}
for line in io.lines("${pathsFile}") do paths[#paths + 1] = line end
local threads = 0
function setup(thread)
  thread:set("share", threads)
  threads = threads + 1
end
local next_index = 0
function init(args) next_index = math.floor(share * #paths / ${wrkThreads}) - 1 end
function request()
  next_index = next_index + 1
  return wrk.format("GET", paths[(next_index % #paths) + 1], { ["Accept"] = "${accept}" })
end
`,
  );
  const { stdout } = await run('wrk', [`-t${wrkThreads}`, `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url], { maxBuffer: 1 << 20 });
  return parseWrk(stdout);
}

/** A bare node:http server that answers every request with `response`'s status, headers and body. */
async function bareServer(response: Response): Promise<{ readonly origin: string; close(): void }> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'content-encoding' && name !== 'transfer-encoding' && name !== 'connection' && name !== 'keep-alive' && name !== 'date') headers[name] = value;
  });
  headers['content-length'] = String(body.length);
  const server = createServer((_request, reply) => {
    reply.writeHead(response.status, headers);
    reply.end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/** Whether wrk is installed (the table is skipped, with a note, when it is not). */
export async function wrkAvailable(): Promise<boolean> {
  try {
    await run('wrk', ['--version']);
    return true;
  } catch (error) {
    // wrk prints its version and exits 1.
    return (error as { stdout?: string }).stdout?.includes('wrk') ?? false;
  }
}

/** User and system CPU time, in µs: the server's cost per request whatever else the machine runs (the server must run in this process). */
const cpuMicroseconds = ({ user, system }: NodeJS.CpuUsage) => user + system;

const percent = (part: number, whole: number) => `${Math.round((100 * part) / whole)}%`;

/**
 * Runs the table against the server at `origin` and returns its Markdown lines.
 * @throws when wrk fails to run.
 */
export async function crawlTable({ origin, targets, resources, seconds, dir, log }: CrawlOptions): Promise<string[]> {
  const lines = [
    '| HTTP (wrk, same run) | conn. | cold req/s | cold p99 | cold CPU/req | warm req/s | warm p50 | warm p99 | bare req/s | bare p99 | warm / bare | cold / bare |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  // Each target caches under keys of its own (syntax, language, redirect), so the targets may share resources.
  const block = Math.floor(resources / 2);
  for (const target of targets) {
    for (const [run, connections] of [10, 100].entries()) {
      const warmFile = join(dir, 'warm-paths.txt');
      await writeFile(warmFile, `${target.path(0)}\n`);
      // The first requests meet cold code: a short run first, logged but not counted.
      const warmup = await wrk(origin, target.accept, connections, 2, warmFile, dir);
      log(`http warm-up ${target.name} c${connections}: ${warmup.requestsPerSecond.toFixed(0)} req/s`);
      let cold: Figures | undefined;
      let coldCpuUs = Number.NaN;
      if (target.cold) {
        const coldFile = join(dir, 'cold-paths.txt');
        const first = 1 + run * block;
        await writeFile(coldFile, `${Array.from({ length: block }, (_, index) => target.path(first + index)).join('\n')}\n`);
        const cpuBefore = process.cpuUsage();
        cold = await wrk(origin, target.accept, connections, seconds, coldFile, dir);
        coldCpuUs = cpuMicroseconds(process.cpuUsage(cpuBefore)) / cold.requests;
        // Past the block the paths repeat and the cache answers: say so rather than call it cold.
        if (cold.requests > block) log(`http cold ${target.name} c${connections}: ${cold.requests} requests over ${block} resources — partly warm`);
      }
      const warm = await wrk(origin, target.accept, connections, seconds, warmFile, dir);
      const bare = await bareServer(await fetch(origin + target.path(0), { headers: { accept: target.accept }, redirect: 'manual' }));
      let peer: Figures;
      try {
        peer = await wrk(bare.origin, target.accept, connections, seconds, warmFile, dir);
      } finally {
        bare.close();
      }
      const errors = (cold?.errors ?? 0) + warm.errors;
      log(
        `http ${target.name} c${connections}: cold ${cold?.requestsPerSecond.toFixed(0) ?? '—'} req/s, warm ${warm.requestsPerSecond.toFixed(0)} req/s (p99 ${warm.p99Ms} ms), bare ${peer.requestsPerSecond.toFixed(0)} req/s, errors ${errors}`,
      );
      lines.push(
        `| ${target.name}${errors > 0 ? ` (${errors} errors)` : ''} | ${connections} | ${cold ? cold.requestsPerSecond.toFixed(0) : '—'} | ${cold ? `${cold.p99Ms} ms` : '—'} | ${cold ? `${coldCpuUs.toFixed(0)} µs` : '—'} | ${warm.requestsPerSecond.toFixed(0)} | ${warm.p50Ms} ms | ${warm.p99Ms} ms | ${peer.requestsPerSecond.toFixed(0)} | ${peer.p99Ms} ms | ${percent(warm.requestsPerSecond, peer.requestsPerSecond)} | ${cold ? percent(cold.requestsPerSecond, peer.requestsPerSecond) : '—'} |`,
      );
    }
  }
  return lines;
}

/** The table's rows over the bench's procurement data: contract `CO1.PCCNTR.0000042` warm, the others cold. */
export function contractTargets(baseIRI: string, sparqlPath: string): CrawlTarget[] {
  const code = (index: number) => `CO1.PCCNTR.${String(index === 0 ? 42 : index).padStart(7, '0')}`;
  return [
    { name: '`/doc` Turtle', accept: 'text/turtle', path: (index) => `/doc/contrato/${code(index)}`, cold: true },
    { name: '`/doc` HTML', accept: 'text/html', path: (index) => `/doc/contrato/${code(index)}`, cold: true },
    { name: '`/id` 303', accept: 'text/turtle', path: (index) => `/id/contrato/${code(index)}`, cold: true },
    { name: '`/fragments`', accept: 'text/turtle', path: (index) => `/fragments?subject=${encodeURIComponent(`${baseIRI}id/contrato/${code(index)}`)}`, cold: true },
    { name: '`/sparql` lookup', accept: 'application/sparql-results+json', path: () => sparqlPath, cold: false },
  ];
}

export interface CrawlSoakOptions {
  readonly origin: string;
  /** The documents the crawl walks (cycled). */
  readonly paths: readonly string[];
  readonly accept: string;
  readonly seconds: number;
  readonly connections: number;
  /** The aggregate SELECT that must still answer meanwhile. */
  readonly aggregate: string;
  readonly dir: string;
  readonly log: (message: string) => void;
}

/** The heap in use, after a full collection when the process runs with `--expose-gc` (then it is the live heap). */
function liveHeap(): { readonly bytes: number; readonly collected: boolean } {
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  return { bytes: process.memoryUsage().heapUsed, collected: collect !== undefined };
}

/** A figure of the server's `/metrics` text. */
async function metricOf(origin: string, name: string): Promise<number> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
}

/**
 * The crawl soak: wrk over every document at `connections` for `seconds`, while a probe process
 * asks `/health` every 50 ms and runs the aggregate every 2 s; the server's RSS is sampled each
 * second (the server must run in this process). Returns Markdown lines.
 * @throws when wrk or the probe fails to run.
 */
export async function crawlSoak({ origin, paths, accept, seconds, connections, aggregate, dir, log }: CrawlSoakOptions): Promise<string[]> {
  const pathsFile = join(dir, 'crawl-paths.txt');
  await writeFile(pathsFile, `${paths.join('\n')}\n`);
  const heapBefore = liveHeap();
  const rssBefore = process.memoryUsage().rss;
  const rss: number[] = [];
  const heap: number[] = [];
  const sampler = setInterval(() => {
    const { rss: resident, heapUsed } = process.memoryUsage();
    rss.push(resident);
    heap.push(heapUsed);
  }, 1000);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  // The probe runs as this module does: compiled beside it, or as TypeScript with the same loader flags.
  const probeScript = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './crawl-probe.ts' : './crawl-probe.js', import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, probeScript, origin, String(seconds), aggregate], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const probed = once(child, 'close');
  log(`crawl: ${connections} connections for ${seconds} s over ${paths.length} documents, probing /health and an aggregate`);
  const crawl = await wrk(origin, accept, connections, seconds, pathsFile, dir);
  const [status] = (await probed) as [number | null];
  clearInterval(sampler);
  loopDelay.disable();
  if (status !== 0) throw new Error(`the probe exited with ${status}`);
  const figures = JSON.parse(output) as ProbeFigures;
  const [cacheBytes, cacheMax, cacheEntries] = [
    await metricOf(origin, 'vinculo_representation_cache_bytes'),
    await metricOf(origin, 'vinculo_representation_cache_max_bytes'),
    await metricOf(origin, 'vinculo_representation_cache_entries'),
  ];
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const peak = Math.max(rssBefore, ...rss);
  const heapAfter = liveHeap();
  const { health, aggregate: query } = figures;
  return [
    `| crawl soak (wrk c${connections}, ${seconds} s, ${paths.length} documents) | figure |`,
    '|---|---|',
    `| crawl | ${crawl.requests} requests, ${crawl.requestsPerSecond.toFixed(0)} req/s, p50 ${crawl.p50Ms} ms, p99 ${crawl.p99Ms} ms, ${crawl.errors} non-2xx/3xx |`,
    `| \`/health\` | ${health.answered}/${health.probes} answered, p50 ${health.p50Ms} ms, p99 ${health.p99Ms} ms, max ${health.maxMs} ms |`,
    `| aggregate query | ${query.answered}/${query.runs} answered (${[...new Set(query.rows)].join(', ')} rows), median ${query.medianMs} ms, max ${query.maxMs} ms |`,
    `| event loop | delay p50 ${(loopDelay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(0)} ms |`,
    `| memory | RSS ${mib(rssBefore)} before, peak ${mib(peak)} (+${mib(peak - rssBefore)}); cache ${mib(cacheBytes)} of its ${mib(cacheMax)} bound, ${cacheEntries} entries |`,
    `| heap | ${heapAfter.collected ? 'live (after a full GC)' : 'used (run node with --expose-gc for live figures)'} ${mib(heapBefore.bytes)} before, ${mib(heapAfter.bytes)} after (+${mib(heapAfter.bytes - heapBefore.bytes)}); used at most ${mib(Math.max(heapBefore.bytes, ...heap))} |`,
  ];
}
