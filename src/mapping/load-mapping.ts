/** Loading a mapping file (YARRRML or RML in any RDF syntax) into a checked, runnable plan. */
import { readFile, realpath } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { Forbidden } from '../errors/index.js';
import { parseRdfToArray, rdfFormatOfPath } from '../rdf/index.js';
import { readCsvHeader } from './csv-source.js';
import { type CsvwDocumentBase, isCsvTable, isCsvwDocument, loadCsvw } from './csvw.js';
import { type DatasetMetadata, defaultDatasetId } from './dataset-metadata.js';
import { MappingError } from './mapping-error.js';
import type { CompiledMapping, CsvwMode, ErrorPolicy } from './plan.js';
import { readRmlDataset } from './rml-dataset.js';
import { readRml } from './rml-reader.js';
import { readYarrrml } from './yarrrml.js';

export interface MappingPlan {
  /** Absolute path of the mapping file. */
  readonly file: string;
  /** Absolute paths of the files the mapping reads. */
  readonly sources: readonly string[];
  readonly dataset: DatasetMetadata | undefined;
  /** The dataset's id: the metadata's own, else the mapping file's base name, slugged. */
  readonly datasetId: string;
  /** The compiled triples maps (internal to the mapping engine). */
  readonly compiled: CompiledMapping;
  /** The policy the mapping file asks for (`errorPolicy:` in YARRRML), if any. */
  readonly errorPolicy: ErrorPolicy | undefined;
}

export interface LoadMappingOptions {
  /** Relative IRIs the mapping generates are resolved against it. */
  readonly baseIRI: string;
  /** Sources must lie inside one of these folders. */
  readonly allowedDirs: readonly string[];
  /**
   * Source files to read instead of the ones a mapping names (absolute path → absolute path), so
   * an agency points a shipped mapping at its full export. The replacements come from the
   * configuration, which is trusted like `allowedDirs`, so they may lie outside those folders.
   */
  readonly sourceOverrides?: ReadonlyMap<string, string>;
  /**
   * An RML file's own `@base` (or `BASE`) is the base of the relative IRIs it generates, as in
   * RMLMapper; for `vinculo map` when no base IRI is configured. Unset or without one: `baseIRI`.
   */
  readonly preferMappingBase?: boolean;
  /** What `rml:CurrentWorkingDirectory` means (RML-IO); `process.cwd()` by default. */
  readonly workingDirectory?: string;
  /** csv2rdf mode of a CSVW mapping; `standard` by default. */
  readonly csvwMode?: CsvwMode;
  /**
   * CSVW: where table URLs live (files under `folder` have URLs under `url`, the base of generated
   * IRIs); by default the mapping's folder is at `baseIRI`.
   */
  readonly csvwDocumentBase?: CsvwDocumentBase;
  /** CSVW: the URL of a bare CSV when it differs from the one its path maps to (a query part, say). */
  readonly csvwUrl?: string;
  /** CSVW: user metadata for a bare CSV, overriding located metadata. */
  readonly csvwMetadata?: string;
  /** CSVW: metadata named by an HTTP `Link: rel="describedby"` header, used if it describes the CSV. */
  readonly csvwLinkedMetadata?: string;
}

async function canonical(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolve(path);
  }
}

async function isInside(path: string, folders: readonly string[]): Promise<boolean> {
  const real = await canonical(path);
  for (const folder of folders) {
    const root = await canonical(folder);
    if (real === root || real.startsWith(root.endsWith(sep) ? root : root + sep)) return true;
  }
  return false;
}

/** The base a Turtle/TriG mapping declares for itself (`@base` or `BASE`), if it is an absolute http(s) IRI. */
function declaredBase(text: string): string | undefined {
  const declared = /^\s*(?:@base\s+<([^>]*)>\s*\.|BASE\s+<([^>]*)>)/im.exec(text);
  const iri = declared?.[1] ?? declared?.[2];
  return iri !== undefined && /^https?:\/\/\S+$/.test(iri) ? iri : undefined;
}

/** Every refusal says how to allow the folder, so a first run without a config file is not a dead end. */
function outsideAllowedFolders(what: string, allowedDirs: readonly string[]): Forbidden {
  const folders = allowedDirs.length > 0 ? allowedDirs.join(', ') : 'none';
  return new Forbidden(
    `${what} is outside the allowed data folders (${folders}); allow its folder with "sourceDirs" in vinculo.config.json, or with --source-dir DIR on vinculo map and vinculo import`,
  );
}

function withSourceOverrides(compiled: CompiledMapping, overrides: ReadonlyMap<string, string> | undefined): CompiledMapping {
  if (!overrides || overrides.size === 0) return compiled;
  const triplesMaps = compiled.triplesMaps.map((map) => {
    const replacement = overrides.get(map.source.path);
    if (replacement === undefined) return map;
    return { ...map, source: { ...map.source, path: replacement, key: `${map.source.key} → ${replacement}` } };
  });
  return { ...compiled, triplesMaps };
}

/** A CSVW metadata document or a bare CSV, compiled to a plan whose tables run through csv2rdf. */
async function loadCsvwMapping(path: string, options: LoadMappingOptions): Promise<MappingPlan> {
  const csvw = await loadCsvw(path, {
    baseIRI: options.baseIRI,
    ...(options.csvwMode ? { mode: options.csvwMode } : {}),
    ...(options.csvwDocumentBase ? { documentBase: options.csvwDocumentBase } : {}),
    ...(options.csvwMetadata ? { metadata: resolve(options.csvwMetadata) } : {}),
    ...(options.csvwUrl ? { url: options.csvwUrl } : {}),
    ...(options.csvwLinkedMetadata ? { linkedMetadata: resolve(options.csvwLinkedMetadata) } : {}),
    // Checked before a table is opened, so nothing outside the allowed folders is read.
    allow: async (source) => {
      if (!(await isInside(source, options.allowedDirs))) throw outsideAllowedFolders(`${path}: table ${source}`, options.allowedDirs);
    },
  });
  const sources = [...new Set(csvw.tables.map((table) => table.path))];
  const compiled: CompiledMapping = { triplesMaps: [], targets: new Map(), baseIRI: options.baseIRI, naturalDatatypes: false, csvw };
  return { file: path, sources, dataset: csvw.dataset, datasetId: csvw.dataset?.id ?? defaultDatasetId(path), compiled, errorPolicy: undefined };
}

/**
 * Reads and checks a mapping: YARRRML (`.yml`, `.yaml`), RML (`.ttl`, `.nt`, `.jsonld`, ...), CSVW
 * metadata (`.json` with the CSVW `@context`) or a bare CSV/TSV (its CSVW metadata located beside it).
 * CSV sources are opened here, so a missing file is a load error. A reference to a column the
 * header lacks is a row-level `missing-reference` problem, handled by the error policy.
 * @throws SyntaxProblem for a file that does not parse.
 * @throws MappingError naming the file, triples map and problem.
 * @throws Forbidden for a source outside `allowedDirs`.
 * @throws NotImplemented for sources out of scope (SQL, SPARQL endpoints, XML).
 */
export async function loadMapping(file: string, options: LoadMappingOptions): Promise<MappingPlan> {
  const path = resolve(file);
  // A bare CSV is mapped with the CSVW metadata located for it (or its header alone); never read whole here.
  if (isCsvTable(path)) return loadCsvwMapping(path, options);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new MappingError(`cannot read the mapping: ${(error as Error).message}`, { file: path }, { cause: error });
  }
  const extension = extname(path).toLowerCase();
  let compiled: CompiledMapping;
  let dataset: DatasetMetadata | undefined;
  let errorPolicy: ErrorPolicy | undefined;
  if (extension === '.json' && isCsvwDocument(text)) return loadCsvwMapping(path, options);
  if (extension === '.yml' || extension === '.yaml') {
    const yarrrml = readYarrrml(text, path);
    dataset = yarrrml.dataset;
    errorPolicy = yarrrml.errorPolicy;
    compiled = readRml(yarrrml.quads, {
      file: path,
      baseIRI: options.baseIRI,
      workingDirectory: options.workingDirectory,
      defaultEncoding: yarrrml.sourceEncoding,
      nullValues: yarrrml.nulls,
    });
  } else {
    const format = rdfFormatOfPath(path);
    if (!format) throw new MappingError(`unknown mapping syntax "${extension}" (use .yml for YARRRML or an RDF syntax for RML)`, { file: path });
    const quads = await parseRdfToArray(text, { format: format.name, baseIRI: `file://${path}`, source: path });
    const baseIRI = (options.preferMappingBase ? declaredBase(text) : undefined) ?? options.baseIRI;
    compiled = readRml(quads, { file: path, baseIRI, workingDirectory: options.workingDirectory });
    dataset = await readRmlDataset(quads, path);
    // RML-Core (as R2RML) makes a data error abort the mapping, and its conformance cases expect
    // that; legacy RML and YARRRML keep RMLMapper's leniency (skip the term). --on-error overrides both.
    if (compiled.naturalDatatypes) errorPolicy = 'fail';
  }
  compiled = withSourceOverrides(compiled, options.sourceOverrides);
  const overridden = new Set(options.sourceOverrides?.values() ?? []);
  const sources = [...new Set(compiled.triplesMaps.map((map) => map.source.path))];
  for (const source of sources) {
    if (!overridden.has(source) && !(await isInside(source, options.allowedDirs))) {
      const map = compiled.triplesMaps.find((candidate) => candidate.source.path === source);
      throw outsideAllowedFolders(`${path} (triples map ${map?.name}): source ${source}`, options.allowedDirs);
    }
  }
  for (const map of compiled.triplesMaps) {
    if (map.source.formulation !== 'CSV') continue;
    // Reading the header now turns a missing or unreadable source into a load error.
    try {
      await readCsvHeader(map.source);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? `source ${map.source.path} does not exist` : `source ${map.source.path}: ${(error as Error).message}`;
      throw new MappingError(reason, { file: path, triplesMap: map.name, kind: 'source' }, { cause: error });
    }
  }
  return { file: path, sources, dataset, datasetId: dataset?.id ?? defaultDatasetId(path), compiled, errorPolicy };
}
