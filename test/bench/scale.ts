/**
 * `npm run bench -- --scale [100M]`: the embedded store at national scale. For 1M and 10M
 * generated procurement-like quads (100M with `--scale 100M`: several GB and many minutes), each
 * in fresh processes so that every peak is its own: store-only import (quads/s, peak RSS), import
 * with persist (quads/s, snapshot bytes/quad), start-up from the snapshots (s, heap bytes/quad,
 * RSS growth, peak RSS), the peaks of an import and of a re-import (the dataset replaced in the
 * same store) against the loaded store's RSS, and CPU seconds of the
 * store-only import beside those of the generator alone (the machine is shared: CPU time is the
 * steadier figure, and the load average is printed). Prints one markdown table. Not run by tests or CI.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as RDF from '@rdfjs/types';
import { DataFactory } from '../../src/rdf/index.ts';
import { openStore } from '../../src/store/index.ts';
import { random } from '../support/random.ts';

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

/** One measurement in this (child) process; its JSON goes to stdout. */
async function child(mode: string, quads: number, dataDir: string | undefined): Promise<ImportResult | StartUpResult> {
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
    for await (const _quad of contractStream(quads)) count++;
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

/** The generated quads as a stream, as a mapping hands them over (holding them all would be most of the peak). */
async function* contractStream(quads: number): AsyncGenerator<RDF.Quad> {
  yield* contracts(quads);
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

function run<T>(...args: string[]): T {
  const self = fileURLToPath(import.meta.url);
  const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, '--child', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
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
const sizes = process.argv[scaleAt + 1] === '100M' ? [1_000_000, 10_000_000, 100_000_000] : [1_000_000, 10_000_000];
const rows: string[] = [];
for (const quads of sizes) {
  const label = `${quads / 1_000_000}M`;
  process.stderr.write(`scale ${label}: store-only import…\n`);
  const generated = run<ImportResult>('generate', String(quads), '-');
  const storeOnly = run<ImportResult>('import', String(quads), '-');
  const reimport = run<ImportResult>('reimport', String(quads), '-');
  const dataDir = await mkdtemp(join(tmpdir(), 'vinculo-scale-'));
  try {
    process.stderr.write(`scale ${label}: import with persist…\n`);
    const persisted = run<ImportResult>('import', String(quads), dataDir);
    const snapshotBytes = await directoryBytes(join(dataDir, 'snapshots'));
    process.stderr.write(`scale ${label}: start-up…\n`);
    const opened = run<StartUpResult>('open', String(quads), dataDir);
    rows.push(
      `| ${label} | ${Math.round(storeOnly.quads / (storeOnly.ms / 1000)).toLocaleString('en')} | ${mib(storeOnly.peakRss)} | ` +
        `${Math.round(persisted.quads / (persisted.ms / 1000)).toLocaleString('en')} | ${(snapshotBytes / quads).toFixed(1)} | ` +
        `${(opened.ms / 1000).toFixed(2)} | ${(opened.heapBytes / quads).toFixed(1)} | ${(opened.rssGrowth / quads).toFixed(1)} | ${mib(opened.peakRss)} | ` +
        `${(storeOnly.peakRss / opened.rss).toFixed(2)}× | ${(reimport.peakRss / opened.rss).toFixed(2)}× | ${(storeOnly.cpuMs / 1000).toFixed(1)} s (generator ${(generated.cpuMs / 1000).toFixed(1)} s) | ${load()} |`,
    );
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
console.log(
  '| quads | store-only import (quads/s) | import peak RSS | import + persist (quads/s) | snapshot (bytes/quad) | start-up (s) | heap once loaded (bytes/quad) | RSS growth at start-up (bytes/quad) | start-up peak RSS | import peak / loaded RSS | re-import peak / loaded RSS | store-only CPU | load average |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const row of rows) console.log(row);
