/**
 * Measures the persisted store with 1M quads: put time, snapshot size, start-up (load) time and
 * heap bytes per quad. Not run by tests. Run it alone (it is CPU and memory heavy):
 *   node --expose-gc --import tsx test/bench/store-load.ts [QUADS]
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import { DataFactory } from '../../src/rdf/index.ts';
import { openStore } from '../../src/store/index.ts';

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

const dataDir = await mkdtemp(join(tmpdir(), 'vinculo-bench-'));
try {
  let started = performance.now();
  const writer = await openStore({ baseIRI: base, dataDir });
  const info = await writer.putDataset('contratos', records(total));
  const putMs = performance.now() - started;
  await writer.close();
  const snapshotsDir = join(dataDir, 'snapshots');
  let diskBytes = 0;
  for (const name of await readdir(snapshotsDir)) diskBytes += (await stat(join(snapshotsDir, name))).size;

  gc();
  const heapBefore = heapBytes();
  started = performance.now();
  const store = await openStore({ baseIRI: base, dataDir });
  const loadMs = performance.now() - started;
  gc();
  const heapAfter = heapBytes();
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
  console.log(`load (start-up):     ${(loadMs / 1000).toFixed(2)} s (${Math.round(quads / (loadMs / 1000))} quads/s)`);
  console.log(`heap after load:     ${mib(heapAfter - heapBefore)} (${((heapAfter - heapBefore) / quads).toFixed(1)} bytes/quad)`);
  console.log(`two counts:          ${matchMs.toFixed(2)} ms (${bySubject} by subject, ${byObject} by object)`);
  console.log(`journaled write:     ${writeMs.toFixed(2)} ms each (${writes} one-quad writes, fsync'd)`);
  console.log(`dataset write:       ${firstChangeMs.toFixed(2)} ms (one quad into the bulk-loaded graph)`);
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
