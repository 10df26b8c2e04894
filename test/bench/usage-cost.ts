/**
 * What counting use costs `/doc` Turtle throughput: the same store served twice — with the usage
 * counter wrapping the server's handler and without — measured with wrk (a separate process) in
 * both orders (off, on, on, off, …) so that warming and machine noise fall on both sides; prints
 * req/s for each run and the ratio of the medians (the target: at most 3 % cost).
 *   npx tsx test/bench/usage-cost.ts [--resources 5000] [--seconds 5] [--rounds 2]
 * `npm run bench` runs it on the procurement data after its crawler table.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** One server (counting or not) over `store`, crawled for `seconds` after a 2 s warm-up. */
async function measure(options: UsageCostOptions, counting: boolean, pathsFile: string): Promise<number> {
  const { store, engine, config, dir } = options;
  const logger = pino({ level: 'silent' });
  const usage = counting
    ? await UsageCounter.open({ store, baseIRI: config.baseIRI, dataDir: join(dir, 'usage-data'), defaultGraph: 'union', excludeAgents: [], publishIntervalMs: 60_000, warn: options.log })
    : undefined;
  const running = await serve(createRequestHandler({ store, engine, config, logger, usage }), { host: '127.0.0.1', port: 0, logger });
  try {
    await wrk(running.url, 'text/turtle', 10, 2, pathsFile, dir);
    return (await wrk(running.url, 'text/turtle', 10, options.seconds, pathsFile, dir)).requestsPerSecond;
  } finally {
    running.server.closeAllConnections();
    await running.close();
    await usage?.close();
  }
}

/**
 * Measures and returns the report's Markdown lines.
 * @throws when wrk fails to run.
 */
export async function usageCostTable(options: UsageCostOptions): Promise<string[]> {
  const pathsFile = join(options.dir, 'usage-cost-paths.txt');
  await writeFile(pathsFile, `${options.paths.join('\n')}\n`);
  const runs: Record<'off' | 'on', number[]> = { off: [], on: [] };
  for (let round = 0; round < options.rounds; round++) {
    for (const counting of [false, true, true, false]) {
      const rate = await measure(options, counting, pathsFile);
      runs[counting ? 'on' : 'off'].push(rate);
      options.log(`usage cost round ${round + 1}: counting ${counting ? 'on ' : 'off'} ${rate.toFixed(0)} req/s`);
    }
  }
  const [off, on] = [median(runs.off), median(runs.on)];
  const cost = 1 - on / off;
  return [
    '',
    `| \`/doc\` Turtle, ${options.paths.length} resources (wrk, 10 conn.) | runs req/s | median req/s |`,
    '|---|---|---:|',
    `| usage counting off | ${runs.off.map((rate) => rate.toFixed(0)).join(', ')} | ${off.toFixed(0)} |`,
    `| usage counting on | ${runs.on.map((rate) => rate.toFixed(0)).join(', ')} | ${on.toFixed(0)} |`,
    '',
    `Usage counting: on ÷ off = ${(on / off).toFixed(3)} (cost ${(100 * cost).toFixed(1)} % of /doc throughput; target ≤ 3 %), both orders, ${options.seconds} s per run.`,
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { resources: { type: 'string', default: '5000' }, seconds: { type: 'string', default: '5' }, rounds: { type: 'string', default: '2' } } });
  if (!(await wrkAvailable())) {
    process.stderr.write('usage-cost: wrk is not installed (apt-get install wrk)\n');
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
  const lines = await usageCostTable({ store, engine, config, paths, seconds: Number(values.seconds), rounds: Number(values.rounds), dir, log: (message) => process.stderr.write(`${message}\n`) });
  process.stdout.write(`${lines.join('\n')}\n`);
  await store.close();
  await rm(dir, { recursive: true, force: true });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
