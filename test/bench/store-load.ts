/**
 * Measures the persisted store with 1M quads: put time, snapshot size, start-up (load) time,
 * heap bytes per quad and peak RSS of the import and of the start-up (a fresh process opens the
 * store, so that its peak is the start-up's own). Not run by tests. Run it alone (it is CPU and
 * memory heavy):
 *   node --expose-gc --import tsx test/bench/store-load.ts [QUADS]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import { DataFactory } from '../../src/rdf/index.ts';
import { openStore } from '../../src/store/index.ts';

const startUpFlag = '--start-up';
const total = Number(process.argv[2] ?? 1_000_000);
const base = 'https://datos.example.gov.co/';
const { namedNode, literal, quad } = DataFactory;
const xsdInteger = namedNode('http://www.w3.org/2001/XMLSchema#integer');
const predicates = Array.from({ length: 10 }, (_, index) => namedNode(`${base}def/contratos#p${index}`));
const municipalities = Array.from({ length: 1100 }, (_, index) => namedNode(`${base}id/municipio/${String(index).padStart(5, '0')}`));

/** Contract-like records: 10 quads per subject, a mix of IRIs, integers and strings. */
async function* records(count: number): AsyncGenerator<RDF.Quad> {
  for (let index = 0; index < count; index++) {
    const subject = namedNode(`${base}id/contrato/${Math.floor(index / 10)}`);
    const slot = index % 10;
    const predicate = predicates[slot] as RDF.NamedNode;
    const object =
      slot === 0
        ? (municipalities[index % municipalities.length] as RDF.NamedNode)
        : slot < 4
          ? literal(String((index * 7919) % 100000), xsdInteger)
          : literal(`valor ${slot} del contrato ${Math.floor(index / 10)}`);
    yield quad(subject, predicate, object);
  }
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with node --expose-gc');
  collect();
  collect();
}

/** The JavaScript heap plus the typed arrays' buffers outside it (compact graphs keep their triples there). */
function heapBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
/** The process's peak resident set so far (bytes). */
const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

interface StartUp {
  readonly loadMs: number;
  readonly heapBytes: number;
  readonly peakRss: number;
}

/** In the child: opens the store once and reports its start-up as JSON. */
async function startUp(dataDir: string): Promise<StartUp> {
  gc();
  const heapBefore = heapBytes();
  const started = performance.now();
  const store = await openStore({ baseIRI: base, dataDir });
  const loadMs = performance.now() - started;
  gc();
  const heap = heapBytes() - heapBefore;
  await store.close();
  return { loadMs, heapBytes: heap, peakRss: peakRss() };
}

if (process.argv[2] === startUpFlag) {
  console.log(JSON.stringify(await startUp(process.argv[3] as string)));
  process.exit(0);
}

const dataDir = await mkdtemp(join(tmpdir(), 'vinculo-bench-'));
try {
  let started = performance.now();
  const writer = await openStore({ baseIRI: base, dataDir });
  const info = await writer.putDataset('contratos', records(total));
  const putMs = performance.now() - started;
  await writer.close();
  const importPeakRss = peakRss();
  const snapshotsDir = join(dataDir, 'snapshots');
  let diskBytes = 0;
  for (const name of await readdir(snapshotsDir)) diskBytes += (await stat(join(snapshotsDir, name))).size;

  const fresh = JSON.parse(
    execFileSync(process.execPath, [...process.execArgv, process.argv[1] as string, startUpFlag, dataDir], { encoding: 'utf8', maxBuffer: 1 << 20 }),
  ) as StartUp;
  const store = await openStore({ baseIRI: base, dataDir });
  const quads = store.countQuads();

  started = performance.now();
  const bySubject = store.countQuads(namedNode(`${base}id/contrato/4242`), null, null, null);
  const byObject = store.countQuads(null, null, municipalities[10] ?? null, null);
  const matchMs = performance.now() - started;

  // Journaled writes: one quad each, acknowledged after fsync (a separate graph, so close() stays cheap).
  const writes = 200;
  const benchGraph = namedNode(`${base}graph/bench`);
  started = performance.now();
  for (let index = 0; index < writes; index++) {
    const item = quad(namedNode(`${base}id/w/${index}`), predicates[0] as RDF.NamedNode, literal(String(index)), benchGraph);
    await store.write(
      (target) => new Promise<void>((resolve, reject) => target.import(Readable.from([item])).on('end', resolve).on('error', reject)),
    );
  }
  const writeMs = (performance.now() - started) / writes;

  // A change to the bulk-loaded dataset graph goes beside its compact form until the next checkpoint.
  const datasetGraph = namedNode(`${base}graph/contratos`);
  const extra = quad(namedNode(`${base}id/contrato/extra`), predicates[0] as RDF.NamedNode, literal('extra'), datasetGraph);
  started = performance.now();
  await store.write((target) => new Promise<void>((resolve, reject) => target.import(Readable.from([extra])).on('end', resolve).on('error', reject)));
  const firstChangeMs = performance.now() - started;
  await store.close();

  console.log(`quads:               ${quads} (put reported ${info.quads})`);
  console.log(`put + persist:       ${(putMs / 1000).toFixed(2)} s`);
  console.log(`snapshot on disk:    ${mib(diskBytes)} (${(diskBytes / quads).toFixed(1)} bytes/quad)`);
  console.log(`peak RSS (import):   ${mib(importPeakRss)}`);
  console.log(`load (start-up):     ${(fresh.loadMs / 1000).toFixed(2)} s (${Math.round(quads / (fresh.loadMs / 1000))} quads/s)`);
  console.log(`heap after load:     ${mib(fresh.heapBytes)} (${(fresh.heapBytes / quads).toFixed(1)} bytes/quad)`);
  console.log(`peak RSS (start-up): ${mib(fresh.peakRss)}`);
  console.log(`two counts:          ${matchMs.toFixed(2)} ms (${bySubject} by subject, ${byObject} by object)`);
  console.log(`journaled write:     ${writeMs.toFixed(2)} ms each (${writes} one-quad writes, fsync'd)`);
  console.log(`dataset write:       ${firstChangeMs.toFixed(2)} ms (one quad into the bulk-loaded graph)`);
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
