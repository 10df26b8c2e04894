/**
 * What counting use costs `/doc` Turtle throughput: the same store served by two servers at once,
 * one with the usage counter wrapping its handler and one without. Each is first crawled until a
 * whole window has no representation-cache miss (a miss costs about ten hits: a filling cache on
 * one side only would read as the counter's cost); then short windows alternate between them
 * (off, on, on, off, …), so that the machine's drift — on these shared machines a server's CPU
 * per request moved by half within minutes — falls on both sides alike. Per window: req/s from
 * wrk (a separate process) and this process's CPU per request, split into user time (the
 * counter's own work is user time) and system time (which on loopback also carries the wake-ups
 * of wrk's threads); the cost is the median of the paired differences of neighbouring windows.
 *   npx tsx test/bench/usage-cost.ts [--resources 5000] [--seconds 3] [--rounds 5] [--only on|off]
 * `npm run bench` runs it on the procurement data after its crawler table.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { loadConfig, type VinculoConfig } from '../../src/config/index.ts';
import { createRequestHandler, serve } from '../../src/http/index.ts';
import { DataFactory, ns } from '../../src/rdf/index.ts';
import { createSparqlEngine, type SparqlEngine } from '../../src/sparql/index.ts';
import { openStore, type VinculoStore } from '../../src/store/index.ts';
import { UsageCounter } from '../../src/usage/index.ts';
import { wrk, wrkAvailable } from './http.ts';

export interface UsageCostOptions {
  readonly store: VinculoStore;
  readonly engine: SparqlEngine;
  readonly config: VinculoConfig;
  /** The `/doc/…` paths the crawl cycles through. */
  readonly paths: readonly string[];
  readonly seconds: number;
  /** Each round measures off, on, on, off. */
  readonly rounds: number;
  /** Where wrk's files and the counter's journal go. */
  readonly dir: string;
  readonly log: (message: string) => void;
  /** Measure one side only (for a profile of it): every run of the round is that side. */
  readonly only?: 'on' | 'off';
}

/** One measured window of one server. */
interface RunFigures {
  readonly requestsPerSecond: number;
  readonly requests: number;
  /** Server CPU (user + system) per request, µs. */
  readonly cpuMicrosPerRequest: number;
  /** Its user part, µs. */
  readonly userMicrosPerRequest: number;
  readonly cacheMisses: number;
  readonly garbageCollections: number;
  readonly gcMillis: number;
  /** Warm-up windows it took until one had no cache miss. */
  readonly warmupWindows: number;
  /** The 1-minute load average when the window ended. */
  readonly load: number;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** Warm-up windows of 2 s at most before measuring anyway (and saying how many misses were left). */
const maxWarmupWindows = 8;

/** The representation cache's misses so far, from the server's `/metrics`. */
async function cacheMisses(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^vinculo_representation_cache_misses_total (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
}

/** Garbage collections (count and pause milliseconds) of this process while it observes. */
function watchCollections(): { readonly figures: () => { readonly count: number; readonly millis: number }; stop(): void } {
  let count = 0;
  let millis = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      count++;
      millis += entry.duration;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return { figures: () => ({ count, millis }), stop: () => observer.disconnect() };
}

interface RunningServer {
  readonly url: string;
  readonly warmupWindows: number;
  close(): Promise<void>;
}

/** A server over `store`, counting or not, crawled until a window has no cache miss. */
async function startServer(options: UsageCostOptions, counting: boolean, pathsFile: string): Promise<RunningServer> {
  const { store, engine, config, dir } = options;
  const logger = pino({ level: 'silent' });
  const usage = counting
    ? await UsageCounter.open({ store, baseIRI: config.baseIRI, dataDir: join(dir, 'usage-data'), defaultGraph: 'union', excludeAgents: [], publishIntervalMs: 60_000, warn: options.log })
    : undefined;
  const running = await serve(createRequestHandler({ store, engine, config, logger, usage }), { host: '127.0.0.1', port: 0, logger });
  let warmupWindows = 0;
  for (let missesBefore = await cacheMisses(running.url); warmupWindows < maxWarmupWindows; warmupWindows++) {
    await wrk(running.url, 'text/turtle', 10, 2, pathsFile, dir);
    const missesAfter = await cacheMisses(running.url);
    if (missesAfter === missesBefore && warmupWindows > 0) break;
    missesBefore = missesAfter;
  }
  return {
    url: running.url,
    warmupWindows,
    close: async () => {
      running.server.closeAllConnections();
      await running.close();
      await usage?.close();
    },
  };
}

/** One window of `seconds` on `server`. */
async function measure(options: UsageCostOptions, server: RunningServer, pathsFile: string): Promise<RunFigures> {
  const missesBefore = await cacheMisses(server.url);
  const collections = watchCollections();
  const cpuBefore = process.cpuUsage();
  const figures = await wrk(server.url, 'text/turtle', 10, options.seconds, pathsFile, options.dir);
  const cpu = process.cpuUsage(cpuBefore);
  const gc = collections.figures();
  collections.stop();
  return {
    requestsPerSecond: figures.requestsPerSecond,
    requests: figures.requests,
    cpuMicrosPerRequest: (cpu.user + cpu.system) / figures.requests,
    userMicrosPerRequest: cpu.user / figures.requests,
    cacheMisses: (await cacheMisses(server.url)) - missesBefore,
    garbageCollections: gc.count,
    gcMillis: gc.millis,
    warmupWindows: server.warmupWindows,
    load: loadavg()[0] ?? Number.NaN,
  };
}

const formatted = (values: readonly number[], digits: number) => values.map((value) => value.toFixed(digits)).join(', ');

/**
 * Measures and returns the report's Markdown lines.
 * @throws when wrk fails to run.
 */
export async function usageCostTable(options: UsageCostOptions): Promise<string[]> {
  const pathsFile = join(options.dir, 'usage-cost-paths.txt');
  await writeFile(pathsFile, `${options.paths.join('\n')}\n`);
  const runs: Record<'off' | 'on', RunFigures[]> = { off: [], on: [] };
  /** Neighbouring windows (off then on, or on then off), as on ÷ off of req/s and of CPU per request. */
  const pairs: Array<{ readonly rate: number; readonly cpu: number; readonly user: number }> = [];
  const order = options.only === undefined ? [false, true, true, false] : Array<boolean>(4).fill(options.only === 'on');
  const servers = { off: await startServer(options, false, pathsFile), on: await startServer(options, true, pathsFile) };
  try {
    for (let round = 0; round < options.rounds; round++) {
      const windows: RunFigures[] = [];
      for (const counting of order) {
        const run = await measure(options, counting ? servers.on : servers.off, pathsFile);
        runs[counting ? 'on' : 'off'].push(run);
        windows.push(run);
        options.log(
          `usage cost round ${round + 1}: counting ${counting ? 'on ' : 'off'} ${run.requestsPerSecond.toFixed(0)} req/s, ${run.cpuMicrosPerRequest.toFixed(2)} CPU µs/request ` +
            `(user ${run.userMicrosPerRequest.toFixed(2)}), ${run.cacheMisses} cache misses, ${run.garbageCollections} GCs (${run.gcMillis.toFixed(0)} ms), warm-up ${run.warmupWindows}×2 s, load ${run.load.toFixed(2)}`,
        );
      }
      for (const [offAt, onAt] of [[0, 1], [3, 2]] as const) {
        const [off, on] = [windows[offAt] as RunFigures, windows[onAt] as RunFigures];
        pairs.push({ rate: on.requestsPerSecond / off.requestsPerSecond, cpu: on.cpuMicrosPerRequest / off.cpuMicrosPerRequest, user: on.userMicrosPerRequest / off.userMicrosPerRequest });
      }
    }
  } finally {
    await servers.off.close();
    await servers.on.close();
  }
  const row = (side: 'off' | 'on') => {
    const figures = runs[side];
    const rates = figures.map((run) => run.requestsPerSecond);
    const cpu = figures.map((run) => run.cpuMicrosPerRequest);
    const user = figures.map((run) => run.userMicrosPerRequest);
    return {
      rate: median(rates),
      cpu: median(cpu),
      user: median(user),
      line:
        `| usage counting ${side} | ${formatted(rates, 0)} | ${median(rates).toFixed(0)} | ${formatted(cpu, 2)} | ${median(cpu).toFixed(2)} | ${median(user).toFixed(2)} | ` +
        `${figures.map((run) => run.cacheMisses).join(', ')} | ${formatted(figures.map((run) => run.garbageCollections / (run.requests / 1e5)), 1)} |`,
    };
  };
  const [off, on] = [row('off'), row('on')];
  const loads = [...runs.off, ...runs.on].map((run) => run.load);
  const paired = (ratio: (pair: (typeof pairs)[number]) => number) => median(pairs.map(ratio));
  return [
    '',
    `| \`/doc\` Turtle, ${options.paths.length} resources (wrk, 10 conn.) | windows req/s | median req/s | windows CPU µs/req | median CPU µs/req | of it user µs/req | cache misses per window | GCs per 100k req |`,
    '|---|---|---:|---|---:|---:|---|---|',
    off.line,
    on.line,
    '',
    `Usage counting: cost ${(100 * (1 - paired((pair) => pair.rate))).toFixed(1)} % of /doc throughput, ${(100 * (paired((pair) => pair.cpu) - 1)).toFixed(1)} % more server CPU per request ` +
      `(${(100 * (paired((pair) => pair.user) - 1)).toFixed(1)} % more user time) — medians of ${pairs.length} neighbouring off/on pairs of windows; target ≤ 3 %. ` +
      `Medians of the sides: ${on.rate.toFixed(0)} against ${off.rate.toFixed(0)} req/s, ${on.cpu.toFixed(2)} against ${off.cpu.toFixed(2)} CPU µs (user ${on.user.toFixed(2)} against ${off.user.toFixed(2)}). ` +
      `Both servers up at once, ${options.seconds} s windows alternating after each was warmed until a window had no cache miss; load average ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}.`,
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { resources: { type: 'string', default: '5000' }, seconds: { type: 'string', default: '3' }, rounds: { type: 'string', default: '5' }, only: { type: 'string' } },
  });
  if (!(await wrkAvailable())) {
    process.stderr.write('usage-cost: wrk is not installed (apt-get install wrk)\n');
    process.exit(2);
  }
  if (values.only !== undefined && values.only !== 'on' && values.only !== 'off') {
    process.stderr.write('usage-cost: --only takes on or off\n');
    process.exit(2);
  }
  const dir = await mkdtemp(join(tmpdir(), 'vinculo-usage-cost-'));
  const baseIRI = 'https://datos.example.gov.co/';
  const config = await loadConfig({ cwd: dir, env: {}, flags: { baseIRI, dataDir: join(dir, 'data') } });
  const store = await openStore({ baseIRI });
  const { namedNode, literal, quad } = DataFactory;
  const count = Number(values.resources);
  const quads = Array.from({ length: count }, (_, index) => {
    const subject = namedNode(`${baseIRI}id/contrato/${index}`);
    return [
      quad(subject, ns.rdf('type'), namedNode(`${baseIRI}def/contratacion#Contrato`)),
      quad(subject, ns.rdfs('label'), literal(`Contrato ${index}`, 'es')),
      quad(subject, namedNode(`${baseIRI}def/contratacion#valor`), literal(String(1000 + index), ns.xsd('integer'))),
      quad(subject, namedNode(`${baseIRI}def/contratacion#entidad`), namedNode(`${baseIRI}id/entidad/${index % 50}`)),
    ];
  }).flat();
  await store.putDataset('contratos', quads);
  const engine = createSparqlEngine({ store, limits: { timeoutMs: 30_000, maxResultRows: 100_000, maxQueryLength: 100_000, serviceAllowlist: [] }, defaultGraph: 'union' });
  const paths = Array.from({ length: count }, (_, index) => `/doc/contrato/${index}`);
  const lines = await usageCostTable({
    store,
    engine,
    config,
    paths,
    seconds: Number(values.seconds),
    rounds: Number(values.rounds),
    dir,
    only: values.only,
    log: (message) => process.stderr.write(`${message}\n`),
  });
  process.stdout.write(`${lines.join('\n')}\n`);
  await store.close();
  await rm(dir, { recursive: true, force: true });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
