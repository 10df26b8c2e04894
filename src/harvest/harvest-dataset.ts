/**
 * Harvesting one Socrata dataset into the store: the first run maps every row (through the
 * import pipeline, with DCAT from the portal's view metadata); later runs fetch only the rows
 * updated since, reconcile deletions by `:id`, and replace exactly those rows' triples in one
 * store version.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import { scaffoldMapping, type SocrataView } from '../catalog/index.js';
import type { VinculoConfig } from '../config/index.js';
import { publishSyncChanges, streamPlace } from '../ldes/index.js';
import { executeMapping, loadMapping, type MappingPlan } from '../mapping/index.js';
import { publishMapping } from '../publish/index.js';
import { DataFactory, syncActivityIri, whenDone } from '../rdf/index.js';
import { catalogGraph, type VinculoStore } from '../store/index.js';
import { appendSync, byId, type HarvestFiles, harvestFiles, latestUpdate, type Mirror, type MirroredRow, mirroredRow, readMirror, rowsCsv, writeAtomically, writeMirror } from './mirror.js';
import { type DatasetLocation, datasetLocation, type SocrataClient } from './socrata-client.js';
import { syncProvenance } from './sync-provenance.js';

export interface HarvestOptions {
  readonly config: VinculoConfig;
  readonly store: VinculoStore;
  readonly client: SocrataClient;
  readonly say: (message: string) => void;
  /** Rows per SODA page. */
  readonly pageSize?: number;
  /** Map and load every row again, even when a mirror of the dataset exists. */
  readonly full?: boolean;
}

export interface HarvestResult {
  readonly datasetId: string;
  readonly kind: 'full' | 'sync' | 'unchanged';
  readonly rowsAdded: number;
  readonly rowsChanged: number;
  readonly rowsDeleted: number;
  readonly triplesAdded: number;
  readonly triplesRemoved: number;
}

/** The data columns of a view, by `fieldName` (system fields start with `:`). */
function dataColumns(view: SocrataView): string[] {
  return (view.columns ?? []).map((column) => column.fieldName).filter((name): name is string => name !== undefined && !name.startsWith(':'));
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

/** The configuration a harvest maps with: its folder is where the mapping's rows live. */
function harvestConfig(config: VinculoConfig, files: HarvestFiles): VinculoConfig {
  return { ...config, sourceDirs: [...config.sourceDirs, files.dir] };
}

/**
 * Harvests the dataset at `url`: a full harvest the first time (or with `full`), an incremental
 * sync after. Everything is fetched before anything is written, so a failure leaves the
 * previous version (and the previous mirror) in place, and the next run starts from there.
 * @throws Forbidden for a host outside the allowlist; HarvestFailed when the portal keeps failing;
 *   the mapping's errors.
 */
export async function harvestDataset(url: string, options: HarvestOptions): Promise<HarvestResult> {
  const location = datasetLocation(url);
  const files = harvestFiles(options.config.dataDir, location.id);
  const mirror = options.full ? undefined : await readMirror(files);
  if (mirror && options.store.dataset(mirror.datasetId) && (await exists(files.mapping))) return syncDataset(location, mirror, files, options);
  return fullHarvest(location, files, options);
}

const idPageSize = 50_000;

async function fetchRows(location: DatasetLocation, columns: readonly string[], options: HarvestOptions, since?: string): Promise<MirroredRow[]> {
  const rows: MirroredRow[] = [];
  for await (const page of options.client.rows(location, { since, pageSize: options.pageSize })) {
    for (const row of page) rows.push(mirroredRow(row, columns));
    options.say(`${location.id}: ${rows.length} rows fetched${since ? ` updated after ${since}` : ''}`);
  }
  return rows;
}

/** Every `:id` on the portal: what the mirror lacks was deleted. */
async function fetchIds(location: DatasetLocation, options: HarvestOptions): Promise<Set<string>> {
  const ids = new Set<string>();
  // Ids are small: a page of 50,000 (SODA 2.0's largest) keeps the comparison to a request or two.
  for await (const page of options.client.rows(location, { select: ':id', pageSize: Math.max(options.pageSize ?? 0, idPageSize) })) {
    for (const row of page) if (typeof row[':id'] === 'string') ids.add(row[':id']);
  }
  return ids;
}

async function fullHarvest(location: DatasetLocation, files: HarvestFiles, options: HarvestOptions): Promise<HarvestResult> {
  const { client, say } = options;
  const view = await client.view(location);
  const columns = dataColumns(view);
  const rows = await fetchRows(location, columns, options);
  await mkdir(files.dir, { recursive: true });
  await writeAtomically(files.rowsCsv, rowsCsv(columns, rows));
  if (!(await exists(files.mapping))) {
    const draft = await scaffoldMapping({ rowsPath: files.rowsCsv, rowsReference: 'rows.csv', view });
    await writeFile(files.mapping, draft.yaml);
    say(`${location.id}: draft mapping written to ${files.mapping} (key ${draft.key.join(' + ')}); review it and harvest again with --full`);
  }
  // LDES: the import publishes every resource of a first harvest as a member; of a re-harvest, those that changed.
  const published = await publishMapping(files.mapping, { config: harvestConfig(options.config, files), store: options.store, say, force: true });
  const mirror: Mirror = { origin: location.origin, socrataId: location.id, datasetId: published.datasetId, columns, lastUpdatedAt: latestUpdate(rows), lastSync: new Date().toISOString(), rows: new Map(rows.map((row) => [row[0], row])) };
  await writeMirror(files, mirror);
  await syncPlan(files, options.config);
  return { datasetId: published.datasetId, kind: 'full', rowsAdded: rows.length, rowsChanged: 0, rowsDeleted: 0, triplesAdded: published.triplesWritten, triplesRemoved: 0 };
}

const scratchOf = (files: HarvestFiles): string => join(files.dir, `changed-${process.pid}.csv`);

/** The plan each mapping file compiled to, with rows.csv read from the scratch file; kept while the file is unchanged. */
const syncPlans = new Map<string, { readonly modified: number; readonly plan: MappingPlan }>();

/** The mapping's plan for syncs (compiled after a full harvest, so that a sync starts mapping at once). */
async function syncPlan(files: HarvestFiles, config: VinculoConfig): Promise<MappingPlan> {
  const modified = (await stat(files.mapping)).mtimeMs;
  const cached = syncPlans.get(files.mapping);
  if (cached?.modified === modified) return cached.plan;
  // The plan checks that its sources exist.
  await writeFile(scratchOf(files), rowsCsv([], []));
  const plan = await loadMapping(files.mapping, { baseIRI: config.baseIRI, allowedDirs: [files.dir], sourceOverrides: new Map([[files.rowsCsv, scratchOf(files)]]) });
  syncPlans.set(files.mapping, { modified, plan });
  return plan;
}

/** The quads the mapping makes of each set of rows: each set is written in turn to the scratch CSV the sync plan reads instead of rows.csv. */
async function mapRowSets(sets: ReadonlyArray<readonly MirroredRow[]>, columns: readonly string[], graph: RDF.Quad_Graph, files: HarvestFiles, config: VinculoConfig): Promise<RDF.Quad[][]> {
  const plan = await syncPlan(files, config);
  const results: RDF.Quad[][] = [];
  for (const rows of sets) {
    const quads: RDF.Quad[] = [];
    if (rows.length > 0) {
      await writeFile(scratchOf(files), rowsCsv(columns, rows));
      for await (const item of executeMapping(plan).quads) quads.push(DataFactory.quad(item.subject, item.predicate, item.object, graph));
    }
    results.push(quads);
  }
  return results;
}

const termKey = (term: RDF.Term): string => (term.termType === 'Literal' ? `"${term.value}"@${term.language}^${term.datatype.value}` : `${term.termType}:${term.value}`);
const quadKey = (quad: RDF.Quad): string => `${termKey(quad.subject)} ${termKey(quad.predicate)} ${termKey(quad.object)}`;

function minus(quads: readonly RDF.Quad[], other: readonly RDF.Quad[]): RDF.Quad[] {
  const keys = new Set(other.map(quadKey));
  return quads.filter((quad) => !keys.has(quadKey(quad)));
}

const hasBlankNode = (quad: RDF.Quad): boolean => quad.subject.termType === 'BlankNode' || quad.object.termType === 'BlankNode';

async function syncDataset(location: DatasetLocation, mirror: Mirror, files: HarvestFiles, options: HarvestOptions): Promise<HarvestResult> {
  const { store, config, say } = options;
  const { datasetId } = mirror;
  const started = new Date();
  // The changed rows and the live ids travel at the same time.
  const [updated, liveIds] = await Promise.all([fetchRows(location, mirror.columns, options, mirror.lastUpdatedAt), fetchIds(location, options)]);
  const updatedIds = new Set(updated.map((row) => row[0]));
  const deleted = [...mirror.rows.values()].filter((row) => !liveIds.has(row[0]) && !updatedIds.has(row[0]));
  const added = updated.filter((row) => !mirror.rows.has(row[0]));
  const changed = updated.filter((row) => mirror.rows.has(row[0]));
  if (updated.length === 0 && deleted.length === 0) {
    say(`${datasetId}: up to date (no row updated after ${mirror.lastUpdatedAt}, none deleted)`);
    return { datasetId, kind: 'unchanged', rowsAdded: 0, rowsChanged: 0, rowsDeleted: 0, triplesAdded: 0, triplesRemoved: 0 };
  }
  const graph = (store.dataset(datasetId) as { graph: RDF.NamedNode }).graph;
  // A row's triples are what the mapping makes of it: the mirror keeps each row's cells by `:id`, so its old triples are mapped again from them.
  const previousVersions = [...changed.map((row) => mirror.rows.get(row[0]) as MirroredRow), ...deleted];
  const [before = [], after = []] = await mapRowSets([previousVersions, updated], mirror.columns, graph, files, config);
  const rows = new Map(mirror.rows);
  for (const row of deleted) rows.delete(row[0]);
  for (const row of updated) rows.set(row[0], row);
  const next: Mirror = { ...mirror, rows, lastUpdatedAt: latestUpdate(updated, mirror.lastUpdatedAt), lastSync: new Date().toISOString() };
  const counts = { rowsAdded: added.length, rowsChanged: changed.length, rowsDeleted: deleted.length };
  if ([...before, ...after].some(hasBlankNode)) {
    // Blank nodes are minted afresh on every mapping run: the old ones cannot be named again, so the whole dataset is mapped anew.
    say(`${datasetId}: the mapping makes blank nodes; re-importing every row`);
    await writeAtomically(files.rowsCsv, rowsCsv(next.columns, [...rows.values()].sort(byId)));
    const published = await publishMapping(files.mapping, { config: harvestConfig(config, files), store, say, force: true });
    await writeMirror(files, next);
    return { datasetId, kind: 'full', ...counts, triplesAdded: published.triplesWritten, triplesRemoved: 0 };
  }
  const removed = minus(before, after);
  const inserted = minus(after, before);
  const figures = { ...counts, triplesAdded: inserted.length, triplesRemoved: removed.length };
  const activity = syncActivityIri(config.baseIRI, datasetId);
  const provenance = syncProvenance({ baseIRI: config.baseIRI, datasetId, source: new URL(`/resource/${location.id}.json`, location.origin).href, started, ended: new Date(), ...figures });
  const catalog = catalogGraph(config.baseIRI);
  // LDES: the changed resources' versions and tombstones are logged first and committed by this write's marker.
  await publishSyncChanges(streamPlace(config, store), datasetId, { graph, removed, inserted }, (members) =>
    store.write(async (target) => {
      await whenDone(target.remove(Readable.from(removed)));
      await whenDone(target.import(Readable.from(inserted)));
      await whenDone(target.removeMatches(activity, null, null, catalog));
      await whenDone(target.import(Readable.from(provenance.map((item) => DataFactory.quad(item.subject, item.predicate, item.object, catalog)))));
      await members.writeMarker(target);
    }),
  );
  // The store first, then the mirror: after a crash between the two, the next sync fetches the same rows again and converges.
  await appendSync(files, next, { upserts: updated, deletes: deleted.map((row) => row[0]) });
  say(`${datasetId}: ${added.length} rows added, ${changed.length} changed, ${deleted.length} deleted (${inserted.length} triples added, ${removed.length} removed)`);
  return { datasetId, kind: 'sync', ...figures };
}
