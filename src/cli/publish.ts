/** Mapping → store: the import pipeline `vinculo import` and `vinculo serve` share, with provenance and change detection. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import { Store } from 'n3';
import {
  type CatalogValidationReport,
  formatQualityReport,
  formatValidationReport,
  type HashedFile,
  importActivity,
  importDescription,
  importProvenance,
  measureQuality,
  recordedInputs,
  validateMappingMetadata,
} from '../catalog/index.js';
import type { VinculoConfig } from '../config/index.js';
import { recordImport } from '../http/metrics.js';
import { BadRequest } from '../errors/index.js';
import { type ErrorPolicy, executeMapping, loadMapping, type MappingPlan } from '../mapping/index.js';
import { DataFactory, parseRdfToArray, type RdfFormat, rdfFormatOfPath, whenDone } from '../rdf/index.js';
import { problemLine } from './mapping-options.js';
import { catalogGraph, type VinculoStore, vocabularyGraph } from '../store/index.js';

export interface PublishOptions {
  readonly config: VinculoConfig;
  readonly store: VinculoStore;
  /** Human progress; the CLI sends it to stderr. */
  readonly say: (message: string) => void;
  /** Re-import even when neither mapping nor sources changed. */
  readonly force?: boolean;
  readonly errorPolicy?: ErrorPolicy;
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

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function hashed(path: string): Promise<HashedFile> {
  return { path: relative(process.cwd(), path) || path, sha256: await sha256(path) };
}

function unchanged(recorded: Map<string, string>, current: readonly HashedFile[]): boolean {
  return recorded.size === current.length && current.every((file) => recorded.get(file.path) === file.sha256);
}

/**
 * Maps one mapping file and replaces its dataset in the store (atomically), unless neither the
 * mapping nor its sources changed since the recorded import.
 * @throws the mapping's errors (invalid mapping, or a bad cell under the `fail` policy); the
 *   dataset's previous version then stays in place.
 */
export async function publishMapping(file: string, options: PublishOptions): Promise<PublishResult> {
  try {
    const result = await publishMappingUnrecorded(file, options);
    if (!result.skipped) recordImport(result.datasetId, false);
    return result;
  } catch (error) {
    // The dataset id may be unknown when the mapping itself is broken: the file's name stands in.
    recordImport(basename(file, extname(file)), true);
    throw error;
  }
}

async function publishMappingUnrecorded(file: string, options: PublishOptions): Promise<PublishResult> {
  const { config, store, say } = options;
  const plan = await loadMapping(file, { baseIRI: config.baseIRI, allowedDirs: config.sourceDirs, sourceOverrides: config.sourceOverrides });
  const datasetId = plan.datasetId;
  const inputs = [await hashed(file), ...(await Promise.all(plan.sources.map(hashed)))];
  const activity = importActivity(config.baseIRI, datasetId);
  // RDF/JS streams are async iterable (N3's match result also happens to be a sync one; a remote store's is not).
  const catalog: RDF.Quad[] = [];
  for await (const quad of store.match(null, null, null, catalogGraph(config.baseIRI)) as unknown as AsyncIterable<RDF.Quad>) catalog.push(quad);
  const previous = recordedInputs(catalog, activity);
  if (!options.force && store.dataset(datasetId) && unchanged(previous, inputs)) {
    say(`${datasetId}: unchanged since the last import, skipped`);
    return { datasetId, skipped: true, rowsRead: 0, triplesWritten: 0, problems: {} };
  }
  const started = new Date();
  await checkDescription(plan, config.baseIRI, say);
  say(`${datasetId}: mapping ${relative(process.cwd(), file)}`);
  const { quads, report } = executeMapping(plan, {
    errorPolicy: options.errorPolicy,
    onProblem: (problem) => say(problemLine(problem)),
  });
  // A failing mapping surfaces through its quad stream, inside putDataset; this keeps the
  // report's own rejection from counting as unhandled.
  report.catch(() => undefined);
  const [mappingFile, ...sources] = inputs as [HashedFile, ...HashedFile[]];
  await store.putDataset(datasetId, quads, {
    // The mapping's report settles when its quads are consumed, i.e. inside putDataset.
    provenance: async () => {
      const settled = await report;
      // A second streaming pass over the sources: the mapping engine sees references, not whole rows.
      const quality = await measureQuality(plan, settled.problems);
      if (quality) {
        for (const line of formatQualityReport(quality).split('\n')) say(`${datasetId}: ${line.trim()}`);
      }
      const description = importDescription(plan, config.baseIRI, quality, new Date());
      const provenance = importProvenance({
        baseIRI: config.baseIRI,
        datasetId,
        mapping: mappingFile,
        sources,
        started,
        ended: new Date(),
        rowsRead: settled.rowsRead,
        triplesWritten: settled.triplesWritten,
        problems: settled.problems,
      });
      return [...provenance, ...description];
    },
  });
  const summary = await report;
  say(`${datasetId}: ${summary.rowsRead} rows read${summary.rowsDropped > 0 ? `, ${summary.rowsDropped} rows dropped` : ''}, ${summary.triplesWritten} triples written`);
  return { datasetId, skipped: false, rowsRead: summary.rowsRead, triplesWritten: summary.triplesWritten, problems: summary.problems };
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

function isStored(store: VinculoStore, quad: RDF.Quad): boolean {
  const hasBlankNode = quad.subject.termType === 'BlankNode' || quad.object.termType === 'BlankNode';
  return hasBlankNode || store.countQuads(quad.subject, quad.predicate, quad.object, quad.graph) > 0;
}

/**
 * Loads the RDF files of the vocabularies folder (Turtle for ours, the publishers' own syntax for
 * the standard copies) into the vocabulary graph, resolving their
 * relative IRIs against the base IRI; rewrites the graph only when its content changed.
 * @throws SyntaxProblem naming the vocabulary file and line.
 */
export async function publishVocabularies(options: PublishOptions): Promise<number> {
  const { config, store, say } = options;
  const graph = vocabularyGraph(config.baseIRI);
  const files = (await readdir(config.vocabularies)).filter((name) => rdfFormatOfPath(name) !== undefined).sort();
  const quads: RDF.Quad[] = [];
  for (const name of files) {
    const path = join(config.vocabularies, name);
    const format = (rdfFormatOfPath(name) as RdfFormat).name;
    const parsed = await parseRdfToArray(await readFile(path, 'utf8'), { format, baseIRI: config.baseIRI, source: path });
    for (const item of parsed) quads.push(DataFactory.quad(item.subject, item.predicate, item.object, graph));
  }
  // The files may state a triple twice (several vocabularies restate a shared term); the graph holds it once.
  const distinct = new Store(quads).size;
  const current = store.countQuads(null, null, null, graph);
  if (current === distinct && quads.every((item) => isStored(store, item))) return quads.length;
  await store.write(async (target) => {
    await whenDone(target.deleteGraph(graph));
    await whenDone(target.import(Readable.from(quads)));
  });
  say(`vocabularies: ${quads.length} triples from ${files.length} files`);
  return quads.length;
}
