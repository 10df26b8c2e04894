/**
 * `npm run bench`: generates the procurement dataset, maps it, loads it into Vínculo's store,
 * a plain N3 store and Oxigraph, runs the query mix on Vínculo's engine, Comunica over N3 and
 * Oxigraph (same process), measures HTTP throughput with autocannon and event-loop
 * responsiveness, prints one markdown table and writes JSON to `bench-results/`.
 *   npm run bench -- [--triples 1000000] [--runs 5] [--budget 60] [--http-seconds 5] [--crawl-seconds 60] [--no-http]
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type * as RDF from '@rdfjs/types';
import { QueryEngine } from '@comunica/query-sparql-rdfjs';
import autocannon from 'autocannon';
import { parse as parseCsv } from 'csv-parse';
import { Store as N3Store, Writer } from 'n3';
import * as oxigraph from 'oxigraph';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/index.ts';
import { createRequestHandler } from '../../src/http/index.ts';
import { executeMapping, loadMapping } from '../../src/mapping/index.ts';
import { DataFactory } from '../../src/rdf/index.ts';
import { createSparqlEngine, type SparqlEngine } from '../../src/sparql/index.ts';
import { numericLexical, parseNumeric } from '../../src/sparql/xsd-numeric.ts';
import { datasetGraph, openStore, type VinculoStore } from '../../src/store/index.ts';
import { buildInfo, describeBuild, repositoryFile } from './build.ts';
import { contractTargets, crawlSoak, crawlTable, wrkAvailable } from './http.ts';
import { type HttpMix, httpMixTable } from './http-mix.ts';
import { usageCostTable } from './usage-cost.ts';
import { procurementFiles, procurementSize, writeProcurementCsv } from './procurement-data.ts';
import { type BenchQuery, queryMix } from './query-mix.ts';

if (process.argv.includes('--scale')) await import('./scale.ts').then(() => process.exit(0));
const { values: flags } = parseArgs({
  options: {
    triples: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '5' },
    budget: { type: 'string', default: '60' },
    'http-seconds': { type: 'string', default: '5' },
    'no-http': { type: 'boolean', default: false },
    'crawl-seconds': { type: 'string', default: '60' },
    engines: { type: 'string', default: 'vinculo,comunica,oxigraph' },
  },
});
const targetTriples = Number(flags.triples);
const runs = Math.max(1, Number(flags.runs));
/** Seconds one measurement (one query on one engine) may take in total before repeats stop. */
const budgetMs = Number(flags.budget) * 1000;
const httpSeconds = Number(flags['http-seconds']);
const engines = new Set(flags.engines.split(','));
const base = 'https://datos.example.gov.co/';

// A precise bytes-per-quad figure needs a full collection before and after each load.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const memory = (): number => {
  gc();
  gc();
  const usage = process.memoryUsage();
  // Oxigraph keeps its data in WebAssembly memory, which Node counts as external.
  return usage.heapUsed + usage.external;
};

const median = (times: readonly number[]): number => {
  const sorted = [...times].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/**
 * A measurement this short is repeated until it has run this long (at most `maxRepeats` times):
 * the median of five sub-millisecond runs is mostly garbage-collection and timer noise.
 */
const minimumSpentMs = 250;
const maxRepeats = 100;

/** Repeats `work` up to `runs` times (more for very short work) or until the budget is spent; returns every duration (ms). */
async function measure<T>(work: () => Promise<T>, times = runs): Promise<{ ms: number[]; last: T }> {
  const ms: number[] = [];
  let last: T | undefined;
  let spent = 0;
  const wanted = () => ms.length < times || (spent < minimumSpentMs && ms.length < maxRepeats);
  while (wanted() && (ms.length === 0 || spent < budgetMs)) {
    const started = performance.now();
    last = await work();
    const took = performance.now() - started;
    ms.push(took);
    spent += took;
  }
  return { ms, last: last as T };
}

const log = (message: string) => process.stderr.write(`${message}\n`);
const build = buildInfo();
log(describeBuild(build));

// --- 1. Data ------------------------------------------------------------------------------

const dir = await mkdtemp(join(tmpdir(), 'vinculo-bench-'));
const size = procurementSize(targetTriples);
log(`bench: ${targetTriples} triples target, ${size.contracts} contracts, data in ${dir}`);
const csvRows = await writeProcurementCsv(dir, size);
const mappingFile = join(dir, 'procurement.yml');
await copyFile(repositoryFile('test/bench/procurement.yml'), mappingFile);
let csvBytes = 0;
for (const name of procurementFiles) csvBytes += (await stat(join(dir, name))).size;

// --- 2. Mapping vs floor -----------------------------------------------------------------

const plan = await loadMapping(mappingFile, { baseIRI: base, allowedDirs: [dir] });
let mapped: RDF.Quad[] = [];
const mapping = await measure(async () => {
  const { quads, report } = executeMapping(plan, { errorPolicy: 'fail' });
  const collected: RDF.Quad[] = [];
  for await (const item of quads) collected.push(item);
  mapped = collected;
  return report;
}, Math.min(runs, 3));
const mappingReport = await mapping.last;
log(`mapping: ${mappingReport.rowsRead} rows, ${mappingReport.triplesWritten} triples, median ${median(mapping.ms).toFixed(0)} ms`);

/** The floor: parse each CSV and write one N-Quads line per cell (plus a type line per row). */
async function floorRun(): Promise<number> {
  const out = createWriteStream(join(dir, 'floor.nq'));
  let lines = 0;
  for (const name of procurementFiles) {
    const parser = createReadStream(join(dir, name)).pipe(parseCsv({ columns: true }));
    let chunk = '';
    let row = 0;
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      const subject = `<${base}id/${name}/${row++}>`;
      chunk += `${subject} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <${base}def/${name}> .\n`;
      lines++;
      for (const [column, value] of Object.entries(record)) {
        chunk += `${subject} <${base}def/${column}> "${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}" .\n`;
        lines++;
      }
      if (chunk.length > 1 << 16) {
        if (!out.write(chunk)) await once(out, 'drain');
        chunk = '';
      }
    }
    out.write(chunk);
  }
  out.end();
  await once(out, 'finish');
  return lines;
}
const floor = await measure(floorRun, Math.min(runs, 3));
const floorLines = floor.last;

// --- 3. Load: Vínculo store vs N3 store vs Oxigraph --------------------------------------

// Three datasets, as a portal publishes them: territory, agencies and suppliers, contracts.
const datasetOf = (subject: RDF.Term): string =>
  /\/id\/(departamento|municipio|pais)\//.test(subject.value) ? 'territorio' : /\/id\/(entidad|proveedor)\//.test(subject.value) ? 'entidades' : 'contratos';
const datasetIds = ['territorio', 'entidades', 'contratos'] as const;
const inGraph = mapped.map((item) => DataFactory.quad(item.subject, item.predicate, item.object, datasetGraph(base, datasetOf(item.subject))));
const nquads = new Writer({ format: 'N-Quads' }).quadsToString(inGraph);
await rm(join(dir, 'floor.nq'), { force: true });

interface LoadFigures {
  ms: number[];
  quads: number;
  bytesPerQuad: number;
}

let vinculoStore: VinculoStore | undefined;
let n3Store: N3Store | undefined;
let oxStore: oxigraph.Store | undefined;

/** How each engine drops its store and loads it again from the same mapped quads (returns the quad count). */
const loaders: Record<string, { release(): Promise<void>; load(): Promise<number> }> = {
  vinculo: {
    release: async () => {
      await vinculoStore?.close();
      vinculoStore = undefined;
    },
    load: async () => {
      const store = await openStore({ baseIRI: base });
      for (const id of datasetIds) await store.putDataset(id, inGraph.filter((item) => datasetOf(item.subject) === id));
      vinculoStore = store;
      return store.countQuads();
    },
  },
  n3: {
    release: async () => {
      n3Store = undefined;
    },
    load: async () => {
      const store = new N3Store();
      store.addQuads(inGraph);
      n3Store = store;
      return store.size;
    },
  },
  oxigraph: {
    release: async () => {
      oxStore = undefined;
    },
    load: async () => {
      const store = new oxigraph.Store();
      store.load(nquads, { format: 'application/n-quads' });
      oxStore = store;
      return store.size;
    },
  },
};

// Rounds, each engine in turn: after a first round that is not counted, every engine loads while
// the other two stores are in memory, so all meet the same heap and the same garbage collector
// (loading one engine's runs back to back, with another's store alive or not, favoured one of them);
// each round starts with the next engine, so none always loads right after the same other one.
const load: Record<string, LoadFigures> = {};
const loadRounds = Math.min(runs, 3);
const loaderEntries = Object.entries(loaders);
for (let round = 0; round <= loadRounds; round++) {
  const rotated = [...loaderEntries.slice(round % loaderEntries.length), ...loaderEntries.slice(0, round % loaderEntries.length)];
  for (const [name, loader] of rotated) {
    await loader.release();
    const before = memory();
    const started = performance.now();
    const quads = await loader.load();
    const ms = performance.now() - started;
    const bytesPerQuad = (memory() - before) / quads;
    log(`load ${name}, round ${round}: ${ms.toFixed(0)} ms, heap before ${(before / 2 ** 20).toFixed(0)} MiB, ${bytesPerQuad.toFixed(0)} bytes/quad`);
    const figures = load[name] ?? { ms: [], quads, bytesPerQuad: 0 };
    load[name] = figures;
    // WebAssembly memory only grows, so Oxigraph's first load is the one that shows its size;
    // the JavaScript stores are measured in every counted round and keep their largest figure.
    if (name === 'oxigraph' ? round === 0 : round > 0) figures.bytesPerQuad = Math.max(figures.bytesPerQuad, bytesPerQuad);
    if (round > 0) figures.ms.push(ms);
  }
}
if (!vinculoStore || !n3Store || !oxStore) throw new Error('a store failed to load');
/** The peers' stores are released before the HTTP section (see there). */
const stores: { vinculo: VinculoStore; n3?: N3Store; oxigraph?: oxigraph.Store } = { vinculo: vinculoStore, n3: n3Store, oxigraph: oxStore };
const peer = <T>(value: T | undefined): T => {
  if (value === undefined) throw new Error('a peer engine or store was used after its release');
  return value;
};
log(`load: ${Object.entries(load).map(([name, figures]) => `${name} ${median(figures.ms).toFixed(0)} ms`).join(', ')}`);

// --- 4. Queries --------------------------------------------------------------------------

/**
 * A term as a comparable string (N-Triples-like). Numbers are written in their canonical form:
 * Oxigraph stores "1234.50"^^xsd:decimal as 1234.5, and engines print computed values differently.
 */
function termKey(term: RDF.Term): string {
  if (term.termType === 'NamedNode') return `<${term.value}>`;
  if (term.termType === 'BlankNode') return '_:b';
  if (term.termType === 'Literal') {
    if (term.language) return `"${term.value}"@${term.language}`;
    const number = parseNumeric(term.value, term.datatype.value);
    return `"${number ? numericLexical(number) : term.value}"^^<${term.datatype.value}>`;
  }
  return term.value;
}

interface Answer {
  count: number;
  digest: string;
}

function digestRows(rows: string[]): Answer {
  rows.sort();
  return { count: rows.length, digest: createHash('sha1').update(rows.join('\n')).digest('hex').slice(0, 12) };
}

const bindingRow = (entries: Iterable<[string, RDF.Term]>): string =>
  [...entries]
    .map(([name, term]) => `${name}=${termKey(term)}`)
    .sort()
    .join(' ');
const quadRow = (item: RDF.Quad): string => `${termKey(item.subject)} ${termKey(item.predicate)} ${termKey(item.object)}`;

const vinculoEngine: SparqlEngine = createSparqlEngine({
  store: vinculoStore,
  limits: { timeoutMs: 3_600_000, maxResultRows: Number.MAX_SAFE_INTEGER, maxQueryLength: 100_000, serviceAllowlist: [] },
  defaultGraph: 'union',
});
// Released with the peers' stores before the HTTP section (its caches may hold the N3 store).
let comunica: QueryEngine | undefined = new QueryEngine();

type EngineName = 'vinculo' | 'comunica' | 'oxigraph';
const runners: Record<EngineName, (query: BenchQuery) => Promise<Answer>> = {
  vinculo: async (query) => {
    const result = await vinculoEngine.query(query.text);
    const rows: string[] = [];
    if (result.type === 'bindings') {
      const names = result.variables.map((variable) => variable.value);
      for await (const binding of result.bindings) {
        rows.push(bindingRow(names.flatMap((name): [string, RDF.Term][] => {
          const term = binding.get(name);
          return term ? [[name, term]] : [];
        })));
      }
    } else if (result.type === 'quads') {
      for await (const item of result.quads) rows.push(quadRow(item));
    } else rows.push(String(result.value));
    return digestRows(rows);
  },
  comunica: async (query) => {
    const engine = peer(comunica);
    const context: { sources: [N3Store]; unionDefaultGraph: boolean } = { sources: [peer(stores.n3)], unionDefaultGraph: true };
    const rows: string[] = [];
    if (query.graph) {
      for await (const item of await engine.queryQuads(query.text, context)) rows.push(quadRow(item));
    } else {
      for await (const binding of await engine.queryBindings(query.text, context)) {
        rows.push(bindingRow([...binding].map(([variable, term]): [string, RDF.Term] => [variable.value, term])));
      }
    }
    return digestRows(rows);
  },
  oxigraph: async (query) => {
    const result = peer(stores.oxigraph).query(query.text, { use_default_graph_as_union: true });
    const rows: string[] = [];
    if (Array.isArray(result)) {
      for (const item of result as Array<Map<string, oxigraph.Term> | oxigraph.Quad>) {
        if (item instanceof Map) rows.push(bindingRow([...item].map(([name, term]): [string, RDF.Term] => [name, term as unknown as RDF.Term])));
        else rows.push(quadRow(item as unknown as RDF.Quad));
      }
    } else rows.push(String(result));
    return digestRows(rows);
  },
};

interface QueryFigures {
  ms: number[];
  median: number;
  count: number;
  digest: string;
}
const queries = queryMix(base);
const queryResults: Record<string, Partial<Record<EngineName, QueryFigures>>> = {};
for (const query of queries) {
  queryResults[query.id] = {};
  for (const engine of ['oxigraph', 'vinculo', 'comunica'] as const) {
    if (!engines.has(engine)) continue;
    const result = await measure(() => runners[engine](query));
    const figures = { ms: result.ms, median: median(result.ms), count: result.last.count, digest: result.last.digest };
    (queryResults[query.id] as Record<EngineName, QueryFigures>)[engine] = figures;
    log(`query ${query.id} on ${engine}: ${figures.median.toFixed(1)} ms (${result.ms.length} runs), ${figures.count} results ${figures.digest}`);
  }
}

// --- 5. HTTP and event-loop responsiveness ---------------------------------------------

interface HttpFigures {
  path: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}
const http: HttpFigures[] = [];
let crawl: string[] = ['', 'HTTP crawler table skipped: wrk is not installed (apt-get install wrk).'];
let responsiveness: Record<string, number> | undefined;
let httpMix: HttpMix | undefined;
if (!flags['no-http']) {
  const config = await loadConfig({ cwd: dir, env: {}, flags: { baseIRI: base, dataDir: join(dir, 'data') } });
  // The server's own handler, as `vinculo serve` runs it: cached and crawlers' documents and
  // plain /sparql queries answered in front of Express.
  const handler = createRequestHandler({ store: vinculoStore, engine: vinculoEngine, config, logger: pino({ level: 'silent' }) });
  // The query mix over HTTP against Oxigraph behind a bare node:http handler (issue 19), while
  // Oxigraph's store is still here.
  httpMix = await httpMixTable({ handler, engine: vinculoEngine, oxigraph: peer(stores.oxigraph), queries, log });
  // The server runs alone with its store in production. The peers' stores and the bench's own
  // copies of the quads (millions of objects) would make every full collection during the HTTP
  // run trace them too, and such a pause lands in the p99; release them, then collect.
  delete stores.n3;
  delete stores.oxigraph;
  n3Store = undefined;
  oxStore = undefined;
  comunica = undefined;
  mapped = [];
  inGraph.length = 0;
  memory();
  // Oxigraph's WebAssembly memory never shrinks, but the collector does not trace it.
  log(`JavaScript heap before HTTP: ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const docPath = '/doc/contrato/CO1.PCCNTR.0000042';
  const subjectQuery = queries.find((query) => query.id === 'subject') as BenchQuery;
  const targets = [
    { path: docPath, accept: 'text/turtle' },
    { path: `/sparql?query=${encodeURIComponent(subjectQuery.text)}`, accept: 'application/sparql-results+json' },
  ];
  for (const target of targets) {
    // The first requests meet cold code (routes, serializers not yet optimised): a short run first,
    // logged but not counted, so the figures describe a warm server.
    const warmup = await autocannon({ url: origin + target.path, connections: 10, duration: 2, headers: { accept: target.accept } });
    log(`http warm-up ${target.path.slice(0, 40)}: ${warmup.requests.average} req/s, p99 ${warmup.latency.p99} ms, max ${warmup.latency.max} ms`);
    const result = await autocannon({
      url: origin + target.path,
      connections: 10,
      duration: httpSeconds,
      headers: { accept: target.accept },
    });
    http.push({
      path: target.path.length > 60 ? `${target.path.slice(0, 57)}...` : target.path,
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      non2xx: result.non2xx,
    });
    log(`http ${target.path.slice(0, 40)}: ${result.requests.average} req/s, p99 ${result.latency.p99} ms, max ${result.latency.max} ms, non-2xx ${result.non2xx}`);
  }

  const crawlTargets = contractTargets(base, targets[1]?.path ?? '');
  if (await wrkAvailable()) {
    crawl = ['', ...(await crawlTable({ origin, targets: crawlTargets, resources: size.contracts, seconds: httpSeconds, dir, log }))];
    // The crawl soak: every contract's document at 100 connections while /health and an aggregate are probed.
    const group = queries.find((query) => query.id === 'group') as BenchQuery;
    const paths = Array.from({ length: size.contracts }, (_, index) => crawlTargets[0]?.path(index) ?? '');
    const crawlSeconds = Number(flags['crawl-seconds']);
    if (crawlSeconds > 0) crawl.push('', ...(await crawlSoak({ origin, paths, accept: 'text/turtle', seconds: crawlSeconds, connections: 100, aggregate: group.text, dir, log })));
  }
  // Usage counting's cost on /doc Turtle (issue 23): two servers of their own, counting on and off, crawled at once.
  if (await wrkAvailable()) crawl.push(...(await usageCostTable({ resources: Math.min(size.contracts, 20_000), seconds: 3, rounds: 7, dir, log })));

  // A /doc request's latency while the GROUP BY aggregate runs through the same process.
  const docLatency = async (): Promise<number> => {
    const started = performance.now();
    const response = await fetch(origin + docPath, { headers: { accept: 'text/turtle' } });
    await response.text();
    return performance.now() - started;
  };
  const idle: number[] = [];
  for (let index = 0; index < 20; index++) idle.push(await docLatency());
  const group = queries.find((query) => query.id === 'group') as BenchQuery;
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  let running = true;
  const aggregate = runners.vinculo(group).finally(() => {
    running = false;
  });
  const busy: number[] = [];
  while (running) {
    busy.push(await docLatency());
    await new Promise((resolveWait) => setTimeout(resolveWait, 10));
  }
  await aggregate;
  histogram.disable();
  responsiveness = {
    idleMedianMs: median(idle),
    busyMedianMs: busy.length > 0 ? median(busy) : Number.NaN,
    busyMaxMs: Math.max(...busy),
    busyRequests: busy.length,
    eventLoopMaxDelayMs: histogram.max / 1e6,
    eventLoopP99DelayMs: histogram.percentile(99) / 1e6,
  };
  server.closeAllConnections();
  server.close();
}

// --- 6. Report -------------------------------------------------------------------------------

const fmt = (ms: number | undefined): string => (ms === undefined ? '–' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || b === 0 ? '–' : `${(a / b).toFixed(2)}×`;
const lines: string[] = [];
const quadCount = load.vinculo?.quads ?? 0;
lines.push(`## Vínculo bench — ${quadCount} quads (${size.contracts} contracts), ${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
lines.push('', describeBuild(build), '');
lines.push('| measurement | Vínculo | Comunica/N3 | Oxigraph | Vínculo ÷ Oxigraph | Comunica ÷ Vínculo | results agree |');
lines.push('|---|---:|---:|---:|---:|---:|---|');
for (const query of queries) {
  const row = queryResults[query.id] ?? {};
  const answers = Object.values(row).map((figures) => `${figures.count}/${figures.digest}`);
  const agree = new Set(answers).size <= 1 ? `yes (${row.vinculo?.count ?? row.oxigraph?.count} rows)` : `**NO**: ${Object.entries(row).map(([name, figures]) => `${name} ${figures.count}`).join(', ')}`;
  lines.push(
    `| ${query.label}${query.heavy ? ' *' : ''} | ${fmt(row.vinculo?.median)} | ${fmt(row.comunica?.median)} | ${fmt(row.oxigraph?.median)} | ${ratio(row.vinculo?.median, row.oxigraph?.median)} | ${ratio(row.comunica?.median, row.vinculo?.median)} | ${agree} |`,
  );
}
const loadMedian = (name: string) => median(load[name]?.ms ?? [Number.NaN]);
lines.push(
  `| load (quads/s) | ${Math.round(quadCount / (loadMedian('vinculo') / 1000))} | ${Math.round(quadCount / (loadMedian('n3') / 1000))} (N3 store) | ${Math.round(quadCount / (loadMedian('oxigraph') / 1000))} (incl. N-Quads parsing) | ${ratio(loadMedian('vinculo'), loadMedian('oxigraph'))} (time) | N3 ÷ Vínculo ${ratio(loadMedian('n3'), loadMedian('vinculo'))} (time) | – |`,
);
lines.push(
  `| memory (bytes/quad) | ${load.vinculo?.bytesPerQuad.toFixed(0)} | ${load.n3?.bytesPerQuad.toFixed(0)} (N3 store) | ${load.oxigraph?.bytesPerQuad.toFixed(0)} | ${ratio(load.vinculo?.bytesPerQuad, load.oxigraph?.bytesPerQuad)} | N3 ÷ Vínculo ${ratio(load.n3?.bytesPerQuad, load.vinculo?.bytesPerQuad)} | – |`,
);
lines.push('');
const mapSeconds = median(mapping.ms) / 1000;
const floorSeconds = median(floor.ms) / 1000;
lines.push(
  `Mapping (YARRRML → quads, ${csvRows} rows, ${(csvBytes / 2 ** 20).toFixed(1)} MiB CSV): ${Math.round(mappingReport.rowsRead / mapSeconds)} rows/s, ${Math.round(mappingReport.triplesWritten / mapSeconds)} triples/s; floor (csv-parse + N-Quads lines to a file): ${Math.round(csvRows / floorSeconds)} rows/s, ${Math.round(floorLines / floorSeconds)} lines/s (mapping takes ${(mapSeconds / floorSeconds).toFixed(1)}× the floor).`,
);
if (http.length > 0) {
  lines.push('');
  lines.push('| HTTP (autocannon, 10 connections) | req/s | p50 | p99 | non-2xx |');
  lines.push('|---|---:|---:|---:|---:|');
  for (const figures of http) lines.push(`| \`${figures.path}\` | ${figures.requestsPerSecond.toFixed(0)} | ${figures.p50Ms} ms | ${figures.p99Ms} ms | ${figures.non2xx} |`);
}
if (httpMix) lines.push('', ...httpMix.lines);
if (!flags['no-http']) lines.push(...crawl);
if (responsiveness) {
  lines.push('');
  lines.push(
    `Event loop while the GROUP BY aggregate runs: /doc latency median ${responsiveness.busyMedianMs?.toFixed(1)} ms, max ${responsiveness.busyMaxMs?.toFixed(1)} ms over ${responsiveness.busyRequests} requests (idle median ${responsiveness.idleMedianMs?.toFixed(1)} ms); event-loop delay max ${responsiveness.eventLoopMaxDelayMs?.toFixed(1)} ms, p99 ${responsiveness.eventLoopP99DelayMs?.toFixed(1)} ms.`,
  );
}
lines.push('');
lines.push(`Times are medians of up to ${runs} runs (fewer when one measurement passed ${budgetMs / 1000} s; more, up to ${maxRepeats}, when ${runs} runs took under ${minimumSpentMs} ms); * = aggregate / ORDER BY query.`);
const table = lines.join('\n');
process.stdout.write(`${table}\n`);

const outDir = fileURLToPath(repositoryFile('bench-results/'));
await mkdir(outDir, { recursive: true });
const stamp = new Date().toISOString().replaceAll(':', '-').slice(0, 19);
const outFile = join(outDir, `bench-${quadCount}-${stamp}.json`);
await writeFile(
  outFile,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      build,
      cpus: cpus().length,
      triplesTarget: targetTriples,
      quads: quadCount,
      size,
      runs,
      budgetSeconds: budgetMs / 1000,
      mapping: { ms: mapping.ms, rows: mappingReport.rowsRead, triples: mappingReport.triplesWritten, csvBytes },
      floor: { ms: floor.ms, rows: csvRows, lines: floorLines },
      load,
      queries: Object.fromEntries(queries.map((query) => [query.id, { label: query.label, text: query.text, engines: queryResults[query.id] }])),
      http,
      httpMix: httpMix?.rows,
      responsiveness,
      table,
    },
    null,
    2,
  ),
);
log(`wrote ${outFile}`);
await vinculoStore.close();
await rm(dir, { recursive: true, force: true });
// fetch's connection pool and Comunica's caches keep handles open; the bench is done.
process.exit(0);
