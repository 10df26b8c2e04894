/**
 * `npm run bench -- --scale [100M]`: the embedded store at national scale. For 1M and 10M
 * generated procurement-like quads (100M with `--scale 100M`: several GB and many minutes), each
 * in fresh processes so that every peak is its own: store-only import (quads/s, peak RSS), import
 * with persist (quads/s, snapshot bytes/quad), start-up from the snapshots (s, heap bytes/quad,
 * RSS growth, peak RSS), the peaks of an import and of a re-import (the dataset replaced in the
 * same store) against the loaded store's RSS, and CPU seconds of the
 * store-only import beside those of the generator alone (the machine is shared: CPU time is the
 * steadier figure, and the load average is printed). Then, for 1M and 10M, the query mix
 * (query-mix.ts) over the procurement tables mapped at that size, on Vínculo and then, in the same
 * child once Vínculo's store is closed, on Oxigraph loaded from the same quads (its WebAssembly
 * memory stops at 4 GiB: where its load fails is recorded; `--mix-seconds N`, 1800 unless said, stops a
 * size's mix child and keeps Vínculo's figures). Prints markdown tables. Not run by tests or CI.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, createWriteStream, openSync, readSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as RDF from '@rdfjs/types';
import { Writer } from 'n3';
import * as oxigraph from 'oxigraph';
import { Parser as SparqlParser, type PropertyPath, type Triple } from 'sparqljs';
import { executeMapping, loadMapping } from '../../src/mapping/index.ts';
import { DataFactory } from '../../src/rdf/index.ts';
import { createSparqlEngine } from '../../src/sparql/index.ts';
import { datasetGraph, openStore } from '../../src/store/index.ts';
import { random } from '../support/random.ts';
import { repositoryFile } from './build.ts';
import { procurementSize, writeProcurementCsv } from './procurement-data.ts';
import { queryMix } from './query-mix.ts';

const base = 'https://datos.example.gov.co/';
const { namedNode, literal, quad } = DataFactory;
const xsd = (local: string): RDF.NamedNode => namedNode(`http://www.w3.org/2001/XMLSchema#${local}`);
const secop = (local: string): RDF.NamedNode => namedNode(`${base}def/secop#${local}`);
const [decimal, date, dateTime] = [xsd('decimal'), xsd('date'), xsd('dateTime')];
const contractType = secop('Contrato');
const predicates = ['type', 'identifier', 'value', 'signed', 'published', 'label', 'agency', 'supplier', 'municipality', 'state'].map(secop);
const states = ['Celebrado', 'En ejecución', 'Liquidado', 'Terminado', 'Cancelado'].map((state) => literal(state, 'es'));
const objects = ['Mantenimiento de vías terciarias', 'Suministro de alimentación escolar', 'Prestación de servicios profesionales', 'Compra de equipos de cómputo'];
const perContract = predicates.length;

/** SECOP-like contracts, ten quads each: decimals with cents, dates, times with a zone, Spanish labels, links to shared entities. */
function* contracts(quads: number): Generator<RDF.Quad> {
  const next = random(20);
  const municipalities = Array.from({ length: 1100 }, (_, index) => namedNode(`${base}id/municipio/${String(5001 + index).padStart(5, '0')}`));
  for (let index = 0; index * perContract < quads; index++) {
    const subject = namedNode(`${base}id/contrato/CO1.PCCNTR.${1_000_000 + index}`);
    const day = new Date(Date.UTC(2018, 0, 1) + Math.floor(next() * 2200) * 86_400_000).toISOString().slice(0, 10);
    const values: RDF.Quad_Object[] = [
      contractType,
      literal(`CO1.PCCNTR.${1_000_000 + index}`),
      literal((Math.floor(next() * 5_000_000_000) / 100).toFixed(2), decimal),
      literal(day, date),
      literal(`${day}T${String(Math.floor(next() * 24)).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}:00-05:00`, dateTime),
      literal(`${objects[index % objects.length]} ${index}`, 'es'),
      namedNode(`${base}id/entidad/${Math.floor(index / 300)}`),
      namedNode(`${base}id/proveedor/${Math.floor(next() * (quads / perContract / 8 + 1))}`),
      municipalities[index % municipalities.length] as RDF.NamedNode,
      states[index % states.length] as RDF.Literal,
    ];
    for (let slot = 0; slot < perContract && index * perContract + slot < quads; slot++) {
      yield quad(subject, predicates[slot] as RDF.NamedNode, values[slot] as RDF.Quad_Object);
    }
  }
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with node --expose-gc');
  collect();
  collect();
}

const heapBytes = (): number => process.memoryUsage().heapUsed + process.memoryUsage().external;

interface ImportResult {
  readonly ms: number;
  /** CPU time of the process over the same span (user + system): what a loaded, shared machine disturbs least. */
  readonly cpuMs: number;
  readonly quads: number;
  readonly peakRss: number;
}

interface StartUpResult {
  readonly ms: number;
  readonly quads: number;
  readonly heapBytes: number;
  readonly rssGrowth: number;
  /** The process's resident set once the store is loaded: the final in-memory size an import's peak is held to (≤ 1.5×). */
  readonly rss: number;
  readonly peakRss: number;
}

/** One query's figures on one engine: median milliseconds and the rows of its result. */
interface QueryFigures {
  readonly ms: number;
  readonly rows: number;
}

/** Vínculo's figures for a query, with the rows it must touch (`rowsToTouch`). */
interface VinculoFigures extends QueryFigures {
  readonly touched: number;
}

/** A triple pattern's terms to count with: null where the query has a variable (or a blank node). */
type CountPattern = readonly [RDF.Term | null, RDF.Term | null, RDF.Term | null, RDF.Term | null];

const constant = (term: RDF.Term | undefined): RDF.Term | null =>
  term && (term.termType === 'NamedNode' || term.termType === 'Literal') ? term : null;

/**
 * A property path as patterns, one per predicate IRI in it: a sequence's first step takes the
 * path's subject and its last step its object, an inverse swaps them; under `+`, `*`, `?`, `|`
 * and `!` the ends are left free (a closure may reach any edge of its predicate).
 */
function pathPatterns(path: PropertyPath | RDF.Term, subject: RDF.Term | null, object: RDF.Term | null, graph: RDF.Term | null): CountPattern[] {
  if (!('pathType' in path)) return [[subject, constant(path), object, graph]];
  const items = path.items as (PropertyPath | RDF.Term)[];
  if (path.pathType === '/') return items.flatMap((item, at) => pathPatterns(item, at === 0 ? subject : null, at === items.length - 1 ? object : null, graph));
  if (path.pathType === '^') return items.flatMap((item) => pathPatterns(item, object, subject, graph));
  return items.flatMap((item) => pathPatterns(item, null, null, graph));
}

/** Every triple pattern of a parsed query (FILTER EXISTS, OPTIONAL, MINUS and subqueries included), in its GRAPH's or FROM's graph when that is named. */
function queryPatterns(node: unknown, graph: RDF.Term | null, into: CountPattern[]): CountPattern[] {
  if (Array.isArray(node)) for (const item of node) queryPatterns(item, graph, into);
  else if (typeof node === 'object' && node !== null) {
    const pattern = node as { type?: string; triples?: Triple[]; name?: RDF.Term; patterns?: unknown };
    if (pattern.type === 'bgp') {
      for (const triple of pattern.triples ?? []) into.push(...pathPatterns(triple.predicate, constant(triple.subject), constant(triple.object), graph));
    } else if (pattern.type === 'graph') queryPatterns(pattern.patterns, constant(pattern.name) ?? graph, into);
    else for (const value of Object.values(node)) if (typeof value === 'object') queryPatterns(value, graph, into);
  }
  return into;
}

/**
 * The rows a query must touch: the sum, over its triple patterns, of the store's count of the
 * quads that match each (its constants bound, its variables free; see `pathPatterns`), that is
 * what reading every pattern's matches from an index once reads. A DESCRIBE touches its
 * resource's quads. A plan that looks patterns up by the values of earlier ones can touch fewer.
 */
function rowsToTouch(store: { countQuads(s: RDF.Term | null, p: RDF.Term | null, o: RDF.Term | null, g: RDF.Term | null): number }, text: string): number {
  const parsed = new SparqlParser().parse(text);
  if (parsed.type !== 'query') return 0;
  const from = parsed.from?.default ?? [];
  const graphs: (RDF.Term | null)[] = from.length > 0 ? from : [null];
  const patterns = graphs.flatMap((graph) => queryPatterns(parsed.where ?? [], graph, []));
  if (parsed.queryType === 'DESCRIBE') for (const resource of parsed.variables) patterns.push([constant(resource as RDF.Term), null, null, null]);
  return patterns.reduce((total, [s, p, o, g]) => total + store.countQuads(s, p, o, g), 0);
}

interface MixResult {
  readonly quads: number;
  readonly vinculo: Record<string, VinculoFigures>;
  /** Missing queries: Oxigraph could not hold the data (`oxigraphStopped` says where). */
  readonly oxigraph: Record<string, QueryFigures>;
  readonly oxigraphStopped?: string;
}

/** Runs `work` three times (once when a run takes over 10 s) and keeps the median time. */
async function timed(work: () => Promise<number> | number): Promise<QueryFigures> {
  const times: number[] = [];
  let rows = 0;
  for (let run = 0; run < 3 && (run === 0 || (times[0] as number) < 10_000); run++) {
    const started = performance.now();
    rows = await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)] as number, rows };
}

/** The N-Quads file in pieces cut at line ends, as Oxigraph's `load` takes an iterable of them. */
function* fileLines(path: string): Generator<Uint8Array> {
  const descriptor = openSync(path, 'r');
  try {
    let carry = Buffer.alloc(0);
    const piece = Buffer.allocUnsafe(1 << 24);
    for (let read = readSync(descriptor, piece); read > 0; read = readSync(descriptor, piece)) {
      const bytes = Buffer.concat([carry, piece.subarray(0, read)]);
      const end = bytes.lastIndexOf(0x0a) + 1;
      yield bytes.subarray(0, end);
      carry = Buffer.from(bytes.subarray(end));
    }
    if (carry.length > 0) yield carry;
  } finally {
    closeSync(descriptor);
  }
}

/**
 * The query mix at this size: the procurement tables generated and mapped, loaded into Vínculo as
 * the bench's three datasets (contracts streamed, the two small ones collected) and written as
 * N-Quads for Oxigraph, which loads them only after Vínculo's store is closed.
 */
async function mixChild(triples: number, dir: string): Promise<MixResult> {
  await writeProcurementCsv(dir, procurementSize(triples));
  const mappingFile = join(dir, 'procurement.yml');
  await copyFile(repositoryFile('test/bench/procurement.yml'), mappingFile);
  const plan = await loadMapping(mappingFile, { baseIRI: base, allowedDirs: [dir] });
  const nquadsFile = join(dir, 'all.nq');
  const out = createWriteStream(nquadsFile);
  const writer = new Writer({ format: 'N-Quads' });
  const small = new Map<string, RDF.Quad[]>([
    ['territorio', []],
    ['entidades', []],
  ]);
  let pending = '';
  async function* contratos(): AsyncGenerator<RDF.Quad> {
    for await (const mapped of executeMapping(plan, { errorPolicy: 'fail' }).quads) {
      const iri = mapped.subject.value;
      const id = /\/id\/(departamento|municipio|pais)\//.test(iri) ? 'territorio' : /\/id\/(entidad|proveedor)\//.test(iri) ? 'entidades' : 'contratos';
      const item = quad(mapped.subject, mapped.predicate, mapped.object, datasetGraph(base, id));
      pending += writer.quadToString(item.subject, item.predicate, item.object, item.graph);
      if (pending.length > 1 << 20) {
        if (!out.write(pending)) await once(out, 'drain');
        pending = '';
      }
      if (id === 'contratos') yield item;
      else small.get(id)?.push(item);
    }
  }
  const store = await openStore({ baseIRI: base });
  await store.putDataset('contratos', contratos());
  out.end(pending);
  await once(out, 'finish');
  for (const [id, list] of small) await store.putDataset(id, list);
  small.clear();
  const quads = store.countQuads();
  const queries = queryMix(base);
  const engine = createSparqlEngine({
    store,
    limits: { timeoutMs: 3_600_000, maxResultRows: Number.MAX_SAFE_INTEGER, maxQueryLength: 100_000, serviceAllowlist: [] },
    defaultGraph: 'union',
  });
  const vinculo: Record<string, VinculoFigures> = {};
  for (const { id, text } of queries) {
    const touched = rowsToTouch(store, text);
    const figures = await timed(async () => {
      const result = await engine.query(text);
      let rows = 0;
      if (result.type === 'bindings') for await (const _binding of result.bindings) rows++;
      else if (result.type === 'quads') for await (const _quad of result.quads) rows++;
      else rows = 1;
      return rows;
    });
    vinculo[id] = { ...figures, touched };
    process.stderr.write(`  vinculo ${id}: ${figures.ms.toFixed(1)} ms, ${figures.rows} rows, ${touched} rows to touch\n`);
  }
  await store.close();
  // Vínculo's figures first: if Oxigraph's load outlasts the parent's time limit, they survive it.
  console.log(JSON.stringify({ quads, vinculo, oxigraph: {}, oxigraphStopped: 'stopped by the time limit (--mix-seconds) before it had loaded and queried' }));
  gc();
  const oxigraphFigures: Record<string, QueryFigures> = {};
  const oxStore = new oxigraph.Store();
  const loadStarted = performance.now();
  try {
    // Its bulk path: one transaction over 10M quads is what kept it loading for over 20 minutes (400k
    // quads took 15.2 s in a transaction, 3.2 s without one and without IRI validation; the quads
    // are our own writer's, valid already).
    oxStore.load(fileLines(nquadsFile), { format: 'application/n-quads', no_transaction: true, lenient: true });
    process.stderr.write(`  oxigraph loaded ${oxStore.size.toLocaleString('en')} quads in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s\n`);
  } catch (error) {
    return { quads, vinculo, oxigraph: oxigraphFigures, oxigraphStopped: `load failed after ${oxStore.size.toLocaleString('en')} quads: ${(error as Error).message}` };
  }
  for (const { id, text } of queries) {
    oxigraphFigures[id] = await timed(() => {
      const result = oxStore.query(text, { use_default_graph_as_union: true });
      return Array.isArray(result) ? result.length : 1;
    });
    process.stderr.write(`  oxigraph ${id}: ${oxigraphFigures[id]?.ms.toFixed(1)} ms, ${oxigraphFigures[id]?.rows} rows\n`);
  }
  return { quads, vinculo, oxigraph: oxigraphFigures };
}

/** One measurement in this (child) process; its JSON goes to stdout. */
async function child(mode: string, quads: number, dataDir: string | undefined): Promise<ImportResult | StartUpResult | MixResult> {
  if (mode === 'mix') return mixChild(quads, dataDir as string);
  if (mode === 'open') {
    gc();
    const [heapBefore, rssBefore] = [heapBytes(), process.memoryUsage().rss];
    const started = performance.now();
    const store = await openStore({ baseIRI: base, dataDir: dataDir as string });
    const ms = performance.now() - started;
    gc();
    const rss = process.memoryUsage().rss;
    const result = { ms, quads: store.countQuads(), heapBytes: heapBytes() - heapBefore, rssGrowth: rss - rssBefore, rss };
    await store.close();
    return { ...result, peakRss: process.resourceUsage().maxRSS * 1024 };
  }
  if (mode === 'generate') {
    // The generator alone, through the same async stream: the floor under the store-only figure.
    const [started, cpu] = [performance.now(), process.cpuUsage()];
    let count = 0;
    for await (const batch of contractStream(quads)) count += batch.length;
    return { ms: performance.now() - started, cpuMs: cpuMsSince(cpu), quads: count, peakRss: process.resourceUsage().maxRSS * 1024 };
  }
  const store = await openStore({ baseIRI: base, dataDir });
  // A re-import replaces a dataset the store holds: the old version stays readable while the new one is built.
  if (mode === 'reimport') await store.putDataset('contratos', contractStream(quads));
  const [started, cpu] = [performance.now(), process.cpuUsage()];
  const info = await store.putDataset('contratos', contractStream(quads));
  const [ms, cpuMs] = [performance.now() - started, cpuMsSince(cpu)];
  await store.close();
  return { ms, cpuMs, quads: info.quads, peakRss: process.resourceUsage().maxRSS * 1024 };
}

/** Quads a generated stream hands over at once: a hundred contracts, as a page of mapped rows. */
const batchQuads = 1000;

/**
 * The generated quads as a stream in batches (holding them all would be most of the peak): the
 * store waits once a batch, not once a quad, whose promise and microtask were a fifth of the
 * import's CPU time.
 */
async function* contractStream(quads: number): AsyncGenerator<RDF.Quad[]> {
  let batch: RDF.Quad[] = [];
  for (const quad of contracts(quads)) {
    batch.push(quad);
    if (batch.length === batchQuads) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

/**
 * Runs one measurement in a child and returns the last JSON line it printed. With `timeoutMs`, a
 * child past it is stopped and its last line so far is the result (the mix prints Vínculo's
 * figures before Oxigraph starts: at 10M, Oxigraph's load was still running after 20 minutes).
 */
function run<T>(args: readonly string[], timeoutMs?: number): T {
  const self = fileURLToPath(import.meta.url);
  let output: string;
  try {
    // process.execArgv: tsx's loader, or the compiled bench's shipped-build hook.
    output = execFileSync(process.execPath, [...process.execArgv, '--expose-gc', self, '--child', ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20,
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
  } catch (error) {
    const partial = (error as { stdout?: string }).stdout?.trim();
    if (timeoutMs === undefined || !partial) throw error;
    process.stderr.write(`  child ${args[0]} stopped after ${timeoutMs / 1000} s\n`);
    output = partial;
  }
  return JSON.parse(output.trim().split('\n').at(-1) as string) as T;
}

/** The machine is shared: wall-clock rates are read beside its load (CPU times move less with it). */
const load = (): string => loadavg().map((value) => value.toFixed(1)).join(' ');

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
}

if (process.argv[2] === '--child') {
  const [mode, quads, dataDir] = process.argv.slice(3);
  console.log(JSON.stringify(await child(mode as string, Number(quads), dataDir === '-' ? undefined : dataDir)));
  process.exit(0);
}

const scaleAt = process.argv.indexOf('--scale');
const mixSecondsAt = process.argv.indexOf('--mix-seconds');
/** How long one size's query mix child may run, mapping and both engines included. */
const mixSeconds = mixSecondsAt < 0 ? 1800 : Number(process.argv[mixSecondsAt + 1]);
const sizes = process.argv[scaleAt + 1] === '100M' ? [1_000_000, 10_000_000, 100_000_000] : [1_000_000, 10_000_000];
const rows: string[] = [];
/** Query mix figures by size label; 100M is left out (mapping 100M rows alone takes most of an hour here, and Oxigraph stops well before). */
const mixes = new Map<string, MixResult>();
for (const quads of sizes) {
  const label = `${quads / 1_000_000}M`;
  process.stderr.write(`scale ${label}: store-only import…\n`);
  const generated = run<ImportResult>(['generate', String(quads), '-']);
  const storeOnly = run<ImportResult>(['import', String(quads), '-']);
  const reimport = run<ImportResult>(['reimport', String(quads), '-']);
  const dataDir = await mkdtemp(join(tmpdir(), 'vinculo-scale-'));
  try {
    process.stderr.write(`scale ${label}: import with persist…\n`);
    const persisted = run<ImportResult>(['import', String(quads), dataDir]);
    const snapshotBytes = await directoryBytes(join(dataDir, 'snapshots'));
    process.stderr.write(`scale ${label}: start-up…\n`);
    const opened = run<StartUpResult>(['open', String(quads), dataDir]);
    rows.push(
      `| ${label} | ${Math.round(storeOnly.quads / (storeOnly.ms / 1000)).toLocaleString('en')} | ${mib(storeOnly.peakRss)} | ` +
        `${Math.round(persisted.quads / (persisted.ms / 1000)).toLocaleString('en')} | ${(snapshotBytes / quads).toFixed(1)} | ` +
        `${(opened.ms / 1000).toFixed(2)} | ${(opened.heapBytes / quads).toFixed(1)} | ${(opened.rssGrowth / quads).toFixed(1)} | ${mib(opened.peakRss)} | ` +
        `${(storeOnly.peakRss / opened.rss).toFixed(2)}× | ${(reimport.peakRss / opened.rss).toFixed(2)}× | ${(storeOnly.cpuMs / 1000).toFixed(1)} s (generator ${(generated.cpuMs / 1000).toFixed(1)} s) | ${load()} |`,
    );
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  if (quads > 10_000_000) continue;
  const mixDir = await mkdtemp(join(tmpdir(), 'vinculo-scale-mix-'));
  try {
    process.stderr.write(`scale ${label}: query mix on Vínculo, then Oxigraph…\n`);
    mixes.set(label, run<MixResult>(['mix', String(quads), mixDir], mixSeconds * 1000));
  } finally {
    await rm(mixDir, { recursive: true, force: true });
  }
}
console.log(
  '| quads | store-only import (quads/s) | import peak RSS | import + persist (quads/s) | snapshot (bytes/quad) | start-up (s) | heap once loaded (bytes/quad) | RSS growth at start-up (bytes/quad) | start-up peak RSS | import peak / loaded RSS | re-import peak / loaded RSS | store-only CPU | load average |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const row of rows) console.log(row);

const labels = [...mixes.keys()];
const ms = (figures: QueryFigures | undefined): string => (figures ? figures.ms.toFixed(1) : '–');
const ratio = (a: QueryFigures | undefined, b: QueryFigures | undefined): string => (a && b ? `${(a.ms / b.ms).toFixed(2)}×` : '–');
console.log();
for (const label of labels) {
  const mix = mixes.get(label) as MixResult;
  const stopped = mix.oxigraphStopped ? ` (Oxigraph: ${mix.oxigraphStopped})` : '';
  console.log(`query mix at ${label}: ${mix.quads.toLocaleString('en')} quads${stopped}`);
}
const [first, last] = [mixes.get(labels[0] as string), mixes.get(labels.at(-1) as string)];
console.log();
console.log(
  `Rows to touch: the sum over a query's triple patterns of the store's count of the quads matching each, its constants bound and its variables free ` +
    `(a property path counts each predicate in it, the path's constants at its ends unless under +, *, ?, | or !; GRAPH and FROM count in their graph; ` +
    `DESCRIBE counts its resource's quads): what reading every pattern's matches from an index once reads. A plan that looks patterns up by earlier ` +
    `bindings can touch fewer. Growth ${labels[0]} → ${labels.at(-1)}: the later size's figure over the earlier's; "time ÷ touched" above 1.0× is time growing faster than the rows.`,
);
console.log();
console.log(
  `| query | ${labels.map((label) => `Vínculo ${label} (ms) | Oxigraph ${label} (ms) | ÷ Oxigraph ${label} | rows ${label} | rows to touch ${label}`).join(' | ')} | growth ${labels[0]} → ${labels.at(-1)}: Vínculo | Oxigraph | result rows | rows to touch | Vínculo time ÷ touched |`,
);
console.log(`|---|${labels.map(() => '---:|---:|---:|---:|---:').join('|')}|---:|---:|---:|---:|---:|`);
/** `to` over `from` as a growth factor (callers take a count of 0 as 1). */
const times = (from: number | undefined, to: number | undefined): string => (from !== undefined && to !== undefined ? `${(to / Math.max(from, 1e-9)).toFixed(1)}×` : '–');
for (const { id, label } of queryMix(base)) {
  const cells = labels.map((size) => {
    const mix = mixes.get(size) as MixResult;
    const [ours, theirs] = [mix.vinculo[id], mix.oxigraph[id]];
    return `${ms(ours)} | ${ms(theirs)} | ${ratio(ours, theirs)} | ${ours?.rows ?? '–'}${theirs && ours && theirs.rows !== ours.rows ? ` (Oxigraph ${theirs.rows})` : ''} | ${ours?.touched.toLocaleString('en') ?? '–'}`;
  });
  const [from, to] = [first?.vinculo[id], last?.vinculo[id]];
  const touchedGrowth = from && to ? to.touched / Math.max(1, from.touched) : undefined;
  const timeOverTouched = from && to && touchedGrowth !== undefined ? `${(to.ms / from.ms / touchedGrowth).toFixed(2)}×` : '–';
  console.log(
    `| ${label} | ${cells.join(' | ')} | ${times(from?.ms, to?.ms)} | ${times(first?.oxigraph[id]?.ms, last?.oxigraph[id]?.ms)} | ` +
      `${times(from && Math.max(1, from.rows), to?.rows)} | ${times(from && Math.max(1, from.touched), to?.touched)} | ${timeOverTouched} |`,
  );
}
console.log(`load average at the end: ${load()}`);
