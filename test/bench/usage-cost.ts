/**
 * What counting use costs `/doc` Turtle throughput: two server processes over the same generated
 * store, one with the usage counter wrapping its handler and one without, crawled at the same time
 * by two wrk processes, window after window. Measured side by side, whatever else the shared
 * machine does in a window falls on both alike: windows that alternated between the two servers
 * in one process drifted by a fifth from one to the next while other work ran, more than the cost
 * being measured. Each server is first crawled until a whole window has no representation-cache
 * miss (a miss costs about ten hits). Per window: req/s from wrk and each server's CPU per request,
 * split into user time (the counter's own work is user time) and system time. Both ways: half the
 * windows with the counting server started second, half with it started first (a new pair of
 * processes). The cost is the median over the windows of on ÷ off. With `--only on|off` both
 * servers are alike: that run's figure is the noise floor.
 *   npx tsx test/bench/usage-cost.ts [--resources 5000] [--seconds 3] [--rounds 5] [--only on|off]
 * `npm run bench` runs it after its crawler table.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/index.ts';
import { createRequestHandler, serve } from '../../src/http/index.ts';
import { DataFactory, ns } from '../../src/rdf/index.ts';
import { createSparqlEngine } from '../../src/sparql/index.ts';
import { openStore } from '../../src/store/index.ts';
import { UsageCounter } from '../../src/usage/index.ts';
import { wrk, wrkAvailable } from './http.ts';

type Side = 'on' | 'off';

export interface UsageCostOptions {
  /** Contracts in the generated store (four quads each); the crawl cycles through their documents. */
  readonly resources: number;
  readonly seconds: number;
  /** Windows measured, both servers at once: half with the counting server started second, half with it first. */
  readonly rounds: number;
  /** Where wrk's files and the servers' data go. */
  readonly dir: string;
  readonly log: (message: string) => void;
  /** Both servers counting (`on`) or both not (`off`): an A/A run. */
  readonly only?: Side;
}

/** What a server process reports when asked: its CPU time and collections so far. */
interface ServerFigures {
  readonly cpu: NodeJS.CpuUsage;
  readonly collections: number;
  readonly collectionMillis: number;
}

const baseIRI = 'https://datos.example.gov.co/';
const documentPath = (index: number) => `/doc/contrato/${index}`;

/** The server process: a store of `resources` contracts served with counting on or off; its figures on request. */
async function serverProcess(side: Side, resources: number, dir: string): Promise<void> {
  const config = await loadConfig({ cwd: dir, env: {}, flags: { baseIRI, dataDir: join(dir, 'data') } });
  const store = await openStore({ baseIRI });
  const { namedNode, literal, quad } = DataFactory;
  const quads = Array.from({ length: resources }, (_, index) => {
    const subject = namedNode(`${baseIRI}id/contrato/${index}`);
    return [
      quad(subject, ns.rdf('type'), namedNode(`${baseIRI}def/contratacion#Contrato`)),
      quad(subject, ns.rdfs('label'), literal(`Contrato ${index}`, 'es')),
      quad(subject, namedNode(`${baseIRI}def/contratacion#valor`), literal(`${1000 + index}.50`, ns.xsd('decimal'))),
      quad(subject, namedNode(`${baseIRI}def/contratacion#entidad`), namedNode(`${baseIRI}id/entidad/${index % 50}`)),
    ];
  }).flat();
  await store.putDataset('contratos', quads);
  const engine = createSparqlEngine({ store, limits: { timeoutMs: 30_000, maxResultRows: 100_000, maxQueryLength: 100_000, serviceAllowlist: [] }, defaultGraph: 'union' });
  const logger = pino({ level: 'silent' });
  const warn = (message: string) => process.stderr.write(`usage-cost server: ${message}\n`);
  const usage =
    side === 'on'
      ? await UsageCounter.open({ store, baseIRI, dataDir: join(dir, 'usage-data'), defaultGraph: 'union', excludeAgents: [], publishIntervalMs: 60_000, warn })
      : undefined;
  const running = await serve(createRequestHandler({ store, engine, config, logger, usage }), { host: '127.0.0.1', port: 0, logger });
  let collections = 0;
  let collectionMillis = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      collections++;
      collectionMillis += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('message', async (message) => {
    if (message === 'figures') process.send?.({ cpu: process.cpuUsage(), collections, collectionMillis } satisfies ServerFigures);
    if (message === 'close') {
      running.server.closeAllConnections();
      await running.close();
      await usage?.close();
      await store.close();
      process.disconnect();
    }
  });
  process.send?.({ url: running.url });
}

/** A server process and how to ask it for its figures. */
interface ServerHandle {
  readonly url: string;
  /** wrk's own folder: two wrk runs at once must not share a script file. */
  readonly dir: string;
  figures(): Promise<ServerFigures>;
  close(): Promise<void>;
}

async function startServer(side: Side, options: UsageCostOptions, name: string): Promise<ServerHandle> {
  const dir = join(options.dir, name);
  await mkdir(dir, { recursive: true });
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve', side, '--resources', String(options.resources), '--dir', dir], { execArgv: process.execArgv });
  const [ready] = (await once(child, 'message')) as [{ readonly url: string }];
  return {
    url: ready.url,
    dir,
    figures: async () => {
      child.send('figures');
      const [figures] = (await once(child, 'message')) as [ServerFigures];
      return figures;
    },
    close: async () => {
      child.send('close');
      await once(child, 'exit');
    },
  };
}

/** The representation cache's misses so far, from the server's `/metrics`. */
async function cacheMisses(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^vinculo_representation_cache_misses_total (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
}

/** Warm-up windows of 2 s at most before measuring anyway (and saying how many misses were left). */
const maxWarmupWindows = 8;

/** How a server's warm-up ended: after `windows` windows, `settled` when the last had no cache miss (false: the cap was hit). */
interface WarmUp {
  readonly windows: number;
  readonly settled: boolean;
}

/** Crawls `server` until a window has no cache miss, or `maxWarmupWindows` windows have passed. */
async function warm(server: ServerHandle, pathsFile: string): Promise<WarmUp> {
  let missesBefore = await cacheMisses(server.url);
  for (let windows = 1; windows <= maxWarmupWindows; windows++) {
    await wrk(server.url, 'text/turtle', 10, 2, pathsFile, server.dir);
    const missesAfter = await cacheMisses(server.url);
    if (missesAfter === missesBefore && windows > 1) return { windows, settled: true };
    missesBefore = missesAfter;
  }
  return { windows: maxWarmupWindows, settled: false };
}

/** What the summary says of the warm-ups: a cache smaller than the crawled documents never settles, and the windows' misses column shows it. */
function warmUpSummary(warmUps: readonly WarmUp[]): string {
  const windows = warmUps.map((warmUp) => warmUp.windows).join(', ');
  const unsettled = warmUps.filter((warmUp) => !warmUp.settled).length;
  if (unsettled === 0) return `Warmed until a window had no cache miss (${windows} windows of 2 s)`;
  return (
    `Warm-up stopped at its cap of ${maxWarmupWindows} windows of 2 s with cache misses still coming on ${unsettled} of ${warmUps.length} servers ` +
    `(${windows} windows): the representation cache holds only part of these documents, so every window measures misses too`
  );
}

/** One server's share of a window. */
interface WindowFigures {
  readonly requestsPerSecond: number;
  /** Server CPU (user + system) per request, µs. */
  readonly cpuMicros: number;
  readonly userMicros: number;
  readonly cacheMisses: number;
  readonly collectionsPer100k: number;
}

/** Crawls both servers at once for one window. */
async function measureWindow(servers: readonly ServerHandle[], pathsFile: string, seconds: number): Promise<WindowFigures[]> {
  const before = await Promise.all(servers.map(async (server) => ({ figures: await server.figures(), misses: await cacheMisses(server.url) })));
  const crawls = await Promise.all(servers.map((server) => wrk(server.url, 'text/turtle', 10, seconds, pathsFile, server.dir)));
  return Promise.all(
    servers.map(async (server, at) => {
      const [start, crawl] = [before[at], crawls[at]] as [(typeof before)[number], (typeof crawls)[number]];
      const figures = await server.figures();
      const user = figures.cpu.user - start.figures.cpu.user;
      const system = figures.cpu.system - start.figures.cpu.system;
      return {
        requestsPerSecond: crawl.requestsPerSecond,
        cpuMicros: (user + system) / crawl.requests,
        userMicros: user / crawl.requests,
        cacheMisses: (await cacheMisses(server.url)) - start.misses,
        collectionsPer100k: (figures.collections - start.figures.collections) / (crawl.requests / 1e5),
      };
    }),
  );
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

const formatted = (values: readonly number[], digits: number) => values.map((value) => value.toFixed(digits)).join(', ');

/**
 * Measures and returns the report's Markdown lines.
 * @throws when wrk fails to run.
 */
export async function usageCostTable(options: UsageCostOptions): Promise<string[]> {
  const pathsFile = join(options.dir, 'usage-cost-paths.txt');
  await writeFile(pathsFile, `${Array.from({ length: options.resources }, (_, index) => documentPath(index)).join('\n')}\n`);
  // Both ways: the counting server second, then first, so that whatever the order of two processes does falls on both sides.
  const sessions: ReadonlyArray<readonly [Side, Side]> = options.only === undefined ? [['off', 'on'], ['on', 'off']] : [[options.only, options.only]];
  /** Per window, the first server's figures and the second's. */
  const windows: Array<readonly [WindowFigures, WindowFigures]> = [];
  const bySide: Record<Side | 'a' | 'b', WindowFigures[]> = { on: [], off: [], a: [], b: [] };
  const loads: number[] = [];
  const warmUps: WarmUp[] = [];
  for (const [session, sides] of sessions.entries()) {
    const servers = [await startServer(sides[0], options, `server-${session}-a`), await startServer(sides[1], options, `server-${session}-b`)];
    try {
      warmUps.push(...(await Promise.all(servers.map((server) => warm(server, pathsFile)))));
      for (let round = 0; round < Math.ceil(options.rounds / sessions.length); round++) {
        const [first, second] = (await measureWindow(servers, pathsFile, options.seconds)) as [WindowFigures, WindowFigures];
        windows.push(options.only === undefined && sides[0] === 'on' ? [second, first] : [first, second]);
        bySide[sides[0]].push(first);
        bySide[sides[1]].push(second);
        bySide.a.push(first);
        bySide.b.push(second);
        loads.push(loadavg()[0] ?? Number.NaN);
        options.log(
          `usage cost window ${windows.length}: ${[first, second]
            .map((side, at) => `${sides[at]} ${side.requestsPerSecond.toFixed(0)} req/s, ${side.cpuMicros.toFixed(2)} CPU µs/request (user ${side.userMicros.toFixed(2)}), ${side.cacheMisses} cache misses`)
            .join('; ')}; load ${loads.at(-1)?.toFixed(2)}`,
        );
      }
    } finally {
      await Promise.all(servers.map((server) => server.close()));
    }
  }
  const row = (label: string, figures: readonly WindowFigures[]) =>
    `| ${label} | ${formatted(figures.map((side) => side.requestsPerSecond), 0)} | ${median(figures.map((side) => side.requestsPerSecond)).toFixed(0)} | ` +
    `${formatted(figures.map((side) => side.cpuMicros), 2)} | ${median(figures.map((side) => side.cpuMicros)).toFixed(2)} | ${median(figures.map((side) => side.userMicros)).toFixed(2)} | ` +
    `${figures.map((side) => side.cacheMisses).join(', ')} | ${formatted(figures.map((side) => side.collectionsPer100k), 1)} |`;
  /** The median over the windows of the measured side against the other (on against off; in an A/A run, b against a). */
  const ratio = (pick: (side: WindowFigures) => number) => median(windows.map(([other, measured]) => pick(measured) / pick(other)));
  const rows =
    options.only === undefined
      ? [row('usage counting off', bySide.off), row('usage counting on', bySide.on)]
      : [row(`usage counting ${options.only} (server a)`, bySide.a), row(`usage counting ${options.only} (server b)`, bySide.b)];
  const compared = options.only === undefined ? 'counting on against off, the counting server second and then first' : `two servers both counting ${options.only} (the noise floor: b against a)`;
  return [
    '',
    `| \`/doc\` Turtle, ${options.resources} resources (two servers crawled at once, wrk 10 conn. each) | windows req/s | median req/s | windows CPU µs/req | median CPU µs/req | of it user µs/req | cache misses per window | GCs per 100k req |`,
    '|---|---|---:|---|---:|---:|---|---|',
    ...rows,
    '',
    `Usage counting, ${compared}: cost ${(100 * (1 - ratio((side) => side.requestsPerSecond))).toFixed(1)} % of /doc throughput, ` +
      `${(100 * (ratio((side) => side.cpuMicros) - 1)).toFixed(1)} % more server CPU per request (${(100 * (ratio((side) => side.userMicros) - 1)).toFixed(1)} % more user time) — ` +
      `medians over ${windows.length} windows of ${options.seconds} s in which both servers were crawled at once; target ≤ 3 %. ` +
      `${warmUpSummary(warmUps)}; load average ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}.`,
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      resources: { type: 'string', default: '5000' },
      seconds: { type: 'string', default: '3' },
      rounds: { type: 'string', default: '5' },
      only: { type: 'string' },
      serve: { type: 'string' },
      dir: { type: 'string' },
    },
  });
  const resources = Number(values.resources);
  if (values.serve === 'on' || values.serve === 'off') {
    await serverProcess(values.serve, resources, values.dir as string);
    return;
  }
  if (!(await wrkAvailable())) {
    process.stderr.write('usage-cost: wrk is not installed (apt-get install wrk)\n');
    process.exit(2);
  }
  if (values.only !== undefined && values.only !== 'on' && values.only !== 'off') {
    process.stderr.write('usage-cost: --only takes on or off\n');
    process.exit(2);
  }
  const dir = await mkdtemp(join(tmpdir(), 'vinculo-usage-cost-'));
  try {
    const lines = await usageCostTable({
      resources,
      seconds: Number(values.seconds),
      rounds: Number(values.rounds),
      dir,
      only: values.only as Side | undefined,
      log: (message) => process.stderr.write(`${message}\n`),
    });
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
