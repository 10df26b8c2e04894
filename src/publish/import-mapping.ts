/**
 * A mapping's import, start to end: change detection, the description checked before mapping,
 * one pass over the sources that yields the quads, the quality measurements and the figures of
 * the provenance, then the new version and its catalog description committed in one step.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import {
  type CatalogValidationReport,
  formatQualityReport,
  formatValidationReport,
  type HashedFile,
  importDescription,
  importProvenance,
  recordedInputs,
  startQualityMeasurement,
  validateMappingMetadata,
} from '../catalog/index.js';
import type { VinculoConfig } from '../config/index.js';
import { BadRequest } from '../errors/index.js';
import { publishDatasetChanges, streamPlace } from '../ldes/index.js';
import { type ErrorPolicy, executeMapping, loadMapping, type MappingPlan, problemLine } from '../mapping/index.js';
import { importActivityIri } from '../rdf/index.js';
import type { VinculoStore } from '../store/index.js';
import { catalogChanges, catalogQuads } from './catalog-changes.js';

/** Told of each run of the import pipeline; `serve` passes one that counts into `/metrics`. */
export interface PublishObserver {
  /** A run ended (`failed` when it threw); imports skipped as unchanged are not runs. */
  importFinished(run: { readonly datasetId: string; readonly failed: boolean }): void;
}

export interface PublishOptions {
  readonly config: VinculoConfig;
  readonly store: VinculoStore;
  /** Human progress; the CLI sends it to stderr. */
  readonly say: (message: string) => void;
  /** Re-import even when neither mapping nor sources changed. */
  readonly force?: boolean;
  readonly errorPolicy?: ErrorPolicy;
  readonly observer?: PublishObserver;
}

export interface PublishResult {
  readonly datasetId: string;
  readonly skipped: boolean;
  readonly rowsRead: number;
  readonly triplesWritten: number;
  readonly problems: Readonly<Record<string, number>>;
}

const mappingExtensions = new Set(['.yml', '.yaml', '.ttl', '.rml']);

/** The mapping files the configuration names: files as given, folders expanded (sorted, not recursive). */
export async function configuredMappings(config: VinculoConfig): Promise<string[]> {
  const files: string[] = [];
  for (const entry of config.mappings) {
    if ((await stat(entry)).isDirectory()) {
      const names = (await readdir(entry)).filter((name) => mappingExtensions.has(extname(name))).sort();
      files.push(...names.map((name) => join(entry, name)));
    } else files.push(entry);
  }
  return files;
}

async function hashed(path: string): Promise<HashedFile> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { path: relative(process.cwd(), path) || path, sha256: hash.digest('hex') };
}

function unchanged(recorded: Map<string, string>, current: readonly HashedFile[]): boolean {
  return recorded.size === current.length && current.every((file) => recorded.get(file.path) === file.sha256);
}

/**
 * Maps one mapping file and replaces its dataset and its catalog description in the store
 * (atomically), unless neither the mapping nor its sources changed since the recorded import.
 * @throws the mapping's errors (invalid mapping, a bad cell under the `fail` policy), BadRequest
 *   for a description the national profile refuses, the store's; the dataset's previous version
 *   (and description) then stay in place.
 */
export async function publishMapping(file: string, options: PublishOptions): Promise<PublishResult> {
  try {
    const result = await publishMappingUnobserved(file, options);
    if (!result.skipped) options.observer?.importFinished({ datasetId: result.datasetId, failed: false });
    return result;
  } catch (error) {
    // The dataset id may be unknown when the mapping itself is broken: the file's name stands in.
    options.observer?.importFinished({ datasetId: basename(file, extname(file)), failed: true });
    throw error;
  }
}

async function publishMappingUnobserved(file: string, options: PublishOptions): Promise<PublishResult> {
  const result = await importMapping(file, options);
  // LDES: the import's changes become members right after its commit, in a store write of their own that carries the stream's
  // marker (the store's commit edits only the dataset and catalog graphs). After a crash in between, the next import or harvest
  // of the dataset publishes them (an unchanged, skipped import too): the stream's readers never write.
  await publishDatasetChanges(streamPlace(options.config, options.store), result.datasetId);
  return result;
}

async function importMapping(file: string, options: PublishOptions): Promise<PublishResult> {
  const { config, store, say } = options;
  const plan = await loadMapping(file, { baseIRI: config.baseIRI, allowedDirs: config.sourceDirs, sourceOverrides: config.sourceOverrides });
  const datasetId = plan.datasetId;
  const inputs = [await hashed(file), ...(await Promise.all(plan.sources.map(hashed)))];
  const previous = recordedInputs(await catalogQuads(store), importActivityIri(config.baseIRI, datasetId));
  if (!options.force && store.dataset(datasetId) && unchanged(previous, inputs)) {
    say(`${datasetId}: unchanged since the last import, skipped`);
    return { datasetId, skipped: true, rowsRead: 0, triplesWritten: 0, problems: {} };
  }
  const started = new Date();
  await checkDescription(plan, config.baseIRI, say);
  say(`${datasetId}: mapping ${relative(process.cwd(), file)}`);
  const quality = await startQualityMeasurement(plan);
  const { pages, report } = executeMapping(plan, {
    errorPolicy: options.errorPolicy,
    onProblem: (problem) => say(problemLine(problem)),
    onRecord: quality.onRecord,
  });
  // A failing mapping surfaces through its quad stream, inside stage(); `report` rejects with it too.
  report.catch(() => undefined);
  const staged = await store.stage(datasetId, pages);
  try {
    const summary = await report;
    const measured = quality.report(summary.problems);
    if (measured) {
      for (const line of formatQualityReport(measured).split('\n')) say(`${datasetId}: ${line.trim()}`);
    }
    const [mapping, ...sources] = inputs as [HashedFile, ...HashedFile[]];
    const ended = new Date();
    const description = [
      ...importProvenance({ baseIRI: config.baseIRI, datasetId, mapping, sources, started, ended, rowsRead: summary.rowsRead, triplesWritten: summary.triplesWritten, problems: summary.problems }),
      ...importDescription(plan, config.baseIRI, measured, ended),
    ];
    // Read now, not before mapping, so that edits made meanwhile (another dataset's commit) are kept.
    await store.commit(staged, catalogChanges(await catalogQuads(store), config.baseIRI, datasetId, description));
    say(`${datasetId}: ${summary.rowsRead} rows read${summary.rowsDropped > 0 ? `, ${summary.rowsDropped} rows dropped` : ''}, ${summary.triplesWritten} triples written`);
    return { datasetId, skipped: false, rowsRead: summary.rowsRead, triplesWritten: summary.triplesWritten, problems: summary.problems };
  } catch (error) {
    await staged.discard();
    throw error;
  }
}

/**
 * Removes dataset `id` and its description from the catalog, in one step.
 * @throws BadRequest for an invalid id; the store's errors (nothing changes then).
 */
export async function dropPublishedDataset(store: VinculoStore, id: string): Promise<boolean> {
  if (!store.dataset(id)) return false;
  return store.dropDataset(id, catalogChanges(await catalogQuads(store), store.baseIRI, id, []));
}

/**
 * Runs the DCAT-AP shapes and the national profile on what a mapping's `dataset:` block will
 * publish; without the shared DCAT-AP shapes, the national profile alone (and `say` tells so).
 */
export async function describeValidation(plan: MappingPlan, baseIRI: string, say: (message: string) => void): Promise<CatalogValidationReport | undefined> {
  try {
    return await validateMappingMetadata(plan, baseIRI);
  } catch (error) {
    say(`${plan.dataset?.id}: warning: DCAT-AP not checked: ${(error as Error).message}`);
    return validateMappingMetadata(plan, baseIRI, { nationalProfileOnly: true });
  }
}

/**
 * Validates the dataset's DCAT description before anything is mapped: national-profile
 * violations refuse the import, DCAT-AP findings are only told (the catalog as a whole is
 * checked by `vinculo validate`). A mapping without a `dataset:` block has nothing to check.
 * @throws BadRequest listing the profile's violations.
 */
async function checkDescription(plan: MappingPlan, baseIRI: string, say: (message: string) => void): Promise<void> {
  const report = await describeValidation(plan, baseIRI, say);
  if (!report) return;
  const mandatory = report.findings.filter((finding) => finding.severity === 'violation' && finding.source === 'perfil nacional');
  for (const finding of report.findings.filter((item) => !mandatory.includes(item))) {
    say(`${plan.dataset?.id}: warning: ${formatValidationReport({ conforms: true, findings: [finding] }).split('\n')[0]}`);
  }
  if (mandatory.length > 0) {
    throw new BadRequest(`${plan.file}: the dataset description lacks what the national profile requires:\n${formatValidationReport({ conforms: false, findings: mandatory })}`);
  }
}
