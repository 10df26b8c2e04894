/**
 * The crawler-facing server alone at bench scale, without the engines' comparison of `npm run bench`:
 * the procurement data mapped into the store (three datasets), served by the server's own handler
 * (`createRequestHandler`, cache front included), then
 *   --table            the crawler table of `test/bench/http.ts` (cold and warm, c10 and c100, beside a bare server)
 *   --profile cold|warm  a CPU profile of the server while wrk asks for --profile-target (turtle unless said; written to --profile-out)
 *   --crawl SECONDS    the crawl soak: wrk at 100 connections over every contract's /doc, while a probe
 *                      process asks /health and an aggregate query (see crawlSoak)
 *   --settle SECONDS   the pause after a first document request, before any of them (20 unless said)
 *   npx tsx test/bench/serving.ts [--triples 1000000] [--seconds 5] [--targets turtle,html,id,fragments,sparql] …
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { copyFile } from 'node:fs/promises';
import type * as RDF from '@rdfjs/types';
import { pino } from 'pino';
import { createConfiguredEngine } from '../../src/cli/open-store.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createRequestHandler, serve } from '../../src/http/index.ts';
import { executeMapping, loadMapping } from '../../src/mapping/index.ts';
import { DataFactory } from '../../src/rdf/index.ts';
import { datasetGraph, openStore, type VinculoStore } from '../../src/store/index.ts';
import { repositoryFile } from './build.ts';
import { contractTargets, crawlSoak, crawlTable, wrk } from './http.ts';
import { procurementSize, writeProcurementCsv } from './procurement-data.ts';

const { values: flags } = parseArgs({
  options: {
    triples: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '5' },
    table: { type: 'boolean', default: false },
    targets: { type: 'string', default: 'turtle,html,id,fragments,sparql' },
    profile: { type: 'string' },
    'profile-out': { type: 'string', default: 'doc.cpuprofile' },
    'profile-connections': { type: 'string', default: '10' },
    'profile-target': { type: 'string', default: 'turtle' },
    /** Seconds of cold requests before a warm profile, so the cache is as full as after the table's cold runs. */
    fill: { type: 'string', default: '0' },
    crawl: { type: 'string' },
    settle: { type: 'string', default: '20' },
  },
});
const base = 'https://datos.example.gov.co/';
const log = (message: string) => process.stderr.write(`${message}\n`);

/** The procurement tables mapped and loaded as three datasets (territory; agencies and suppliers; contracts), as the bench does. */
async function procurementStore(dir: string, triples: number): Promise<{ store: VinculoStore; contracts: number }> {
  const size = procurementSize(triples);
  await writeProcurementCsv(dir, size);
  const mappingFile = join(dir, 'procurement.yml');
  await copyFile(repositoryFile('test/bench/procurement.yml'), mappingFile);
  const plan = await loadMapping(mappingFile, { baseIRI: base, allowedDirs: [dir] });
  const byDataset = new Map<string, RDF.Quad[]>();
  const { quads } = executeMapping(plan, { errorPolicy: 'fail' });
  for await (const quad of quads) {
    const iri = quad.subject.value;
    const id = /\/id\/(departamento|municipio|pais)\//.test(iri) ? 'territorio' : /\/id\/(entidad|proveedor)\//.test(iri) ? 'entidades' : 'contratos';
    const list = byDataset.get(id) ?? [];
    list.push(DataFactory.quad(quad.subject, quad.predicate, quad.object, datasetGraph(base, id)));
    byDataset.set(id, list);
  }
  const store = await openStore({ baseIRI: base });
  for (const [id, list] of byDataset) await store.putDataset(id, list);
  return { store, contracts: size.contracts };
}

const dir = await mkdtemp(join(tmpdir(), 'vinculo-serving-'));
const started = performance.now();
const { store, contracts } = await procurementStore(dir, Number(flags.triples));
log(`serving: ${store.countQuads()} quads, ${contracts} contracts, loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
const config = await loadConfig({ cwd: dir, env: {}, flags: { baseIRI: base, dataDir: join(dir, 'data') } });
const logger = pino({ level: 'silent' });
const running = await serve(createRequestHandler({ store, engine: createConfiguredEngine(store, config), config, logger }), { host: '127.0.0.1', port: 0, logger });
const origin = running.url;
const subjectQuery = `SELECT ?p ?o WHERE { <${base}id/contrato/CO1.PCCNTR.0000042> ?p ?o }`;
const targets = contractTargets(base, `/sparql?query=${encodeURIComponent(subjectQuery)}`);
const wanted = flags.targets.split(',');
const names = ['turtle', 'html', 'id', 'fragments', 'sparql'];
const chosen = targets.filter((_target, index) => wanted.includes(names[index] ?? ''));
const seconds = Number(flags.seconds);

// Every run meets a server that has been up a while: its start-up work (the search index, the
// ledger's first look at the datasets, which the first document request starts) done. Without
// this the first cold run (c10) also paid for seconds of index building.
const [firstTarget] = targets;
if (firstTarget) await (await fetch(`${origin}${firstTarget.path(0)}`, { headers: { accept: firstTarget.accept } })).text();
await new Promise((done) => setTimeout(done, Number(flags.settle) * 1000));

if (flags.table) {
  const lines = await crawlTable({ origin, targets: chosen, resources: contracts, seconds, dir, log });
  console.log(lines.join('\n'));
}

if (flags.profile === 'cold' || flags.profile === 'warm') {
  // Only the requests are profiled, not the load: the session starts when wrk does.
  const target = targets[names.indexOf(flags['profile-target'])];
  if (!target) throw new Error(`no target ${flags['profile-target']} (one of ${names.join(', ')})`);
  const pathsFile = join(dir, 'profile-paths.txt');
  const paths = flags.profile === 'warm' ? [target.path(0)] : Array.from({ length: contracts - 1 }, (_, index) => target.path(index + 1));
  await writeFile(pathsFile, `${paths.join('\n')}\n`);
  // A short run first, so the profile shows optimised code rather than the first calls.
  await wrk(origin, target.accept, 10, 2, pathsFile, dir);
  if (Number(flags.fill) > 0) {
    const fillFile = join(dir, 'fill-paths.txt');
    await writeFile(fillFile, `${Array.from({ length: contracts - 1 }, (_, index) => target.path(index + 1)).join('\n')}\n`);
    const fill = await wrk(origin, target.accept, 10, Number(flags.fill), fillFile, dir);
    log(`fill: ${fill.requests} cold requests`);
  }
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  const figures = await wrk(origin, target.accept, Number(flags['profile-connections']), seconds, pathsFile, dir);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  await writeFile(flags['profile-out'], JSON.stringify(profile));
  log(`profile ${flags.profile}: ${figures.requestsPerSecond.toFixed(0)} req/s, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, ${figures.requests} requests, ${figures.errors} errors → ${flags['profile-out']}`);
}

if (flags.crawl !== undefined) {
  const target = targets[0];
  if (!target) throw new Error('no /doc Turtle target');
  const lines = await crawlSoak({
    origin,
    paths: Array.from({ length: contracts }, (_, index) => target.path(index)),
    accept: target.accept,
    seconds: Number(flags.crawl),
    connections: 100,
    dir,
    aggregate: process.env.CRAWL_QUERY ?? `SELECT ?modalidad (COUNT(*) AS ?n) (SUM(?valor) AS ?total) WHERE { ?c <${base}def/contratos#modalidad> ?modalidad ; <${base}def/contratos#valor> ?valor } GROUP BY ?modalidad`,
    log,
  });
  console.log(lines.join('\n'));
}

running.server.closeAllConnections();
await running.close();
await store.close();
await rm(dir, { recursive: true, force: true });
