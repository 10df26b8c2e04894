/**
 * CSV on the Web as a mapping dialect: locating metadata for a CSV (§5 of "Model for Tabular
 * Data"), merging it with the file's embedded header, and csv2rdf (standard and minimal modes).
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as RDF from '@rdfjs/types';
import { DataFactory } from '../rdf/index.js';
import { csvwDatasetMetadata } from './csvw-dataset.js';
import { isStringLike, normalizeWhitespace, parseCellValue } from './csvw-datatypes.js';
import {
  type CsvwColumn,
  type CsvwTable,
  type CsvwTableGroup,
  expandPrefixed,
  isAbsoluteUrl,
  type Json,
  makeColumn,
  nameFromTitle,
  readCsvwMetadata,
  resolveUrl,
} from './csvw-metadata.js';
import { readCsvwHead, readCsvwTable } from './csvw-table.js';
import { expandUriTemplate, type TemplateValue } from './csvw-uri-template.js';
import { MappingError } from './mapping-error.js';
import type { CsvwMode, CsvwPlan, CsvwPlannedTable, MappingProblem, MappingReport, RunOptions, TargetedQuad } from './plan.js';

/** Where relative URLs live: files under `folder` have URLs under `url`. */
export interface CsvwDocumentBase {
  readonly url: string;
  readonly folder: string;
}

export interface CsvwOptions {
  readonly mode?: CsvwMode;
  /** Maps table URLs to local files (and gives files their URL, the base of generated IRIs). */
  readonly documentBase?: CsvwDocumentBase;
  /** User-supplied metadata for a CSV (takes precedence over located metadata). */
  readonly metadata?: string;
  /** Metadata a `Link: rel="describedby"` header would name (used only if it describes the file). */
  readonly linkedMetadata?: string;
  /** The URL of the CSV being loaded, when it is not the one its path maps to (e.g. with a query). */
  readonly url?: string;
  /** Called with each table's path before it is read (the caller's folder allow-list). */
  readonly allow?: (path: string) => Promise<void>;
}

const csvw = 'http://www.w3.org/ns/csvw#';
const rdfNs = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const xsd = 'http://www.w3.org/2001/XMLSchema#';
const { namedNode, literal, blankNode, quad } = DataFactory;
const rdfType = namedNode(`${rdfNs}type`);

function urlToPath(url: string, base: CsvwDocumentBase): string {
  const bare = url.replace(/[#?].*$/, '');
  const prefix = base.url.endsWith('/') ? base.url : `${base.url}/`;
  if (bare.startsWith(prefix)) return join(base.folder, decodeURIComponent(bare.slice(prefix.length)));
  if (bare.startsWith('file:')) return fileURLToPath(bare);
  throw new MappingError(`${url} is not a local file (remote tables are not read)`, { file: url, kind: 'csvw-metadata' });
}

function pathToUrl(path: string, base: CsvwDocumentBase): string {
  const prefix = base.url.endsWith('/') ? base.url : `${base.url}/`;
  const folder = base.folder.endsWith('/') ? base.folder : `${base.folder}/`;
  if (path.startsWith(folder)) return prefix + path.slice(folder.length).split('/').map(encodeURIComponent).join('/');
  return pathToFileURL(path).href;
}

/**
 * Whether JSON text is a CSVW metadata document (its `@context` is the CSVW one), as opposed to,
 * say, an RML mapping in JSON-LD.
 * @throws never: text that is not JSON is not CSVW.
 */
export function isCsvwDocument(text: string): boolean {
  try {
    const context = (JSON.parse(text) as { '@context'?: unknown })['@context'];
    return context === 'http://www.w3.org/ns/csvw' || (Array.isArray(context) && context[0] === 'http://www.w3.org/ns/csvw');
  } catch {
    return false;
  }
}

/**
 * Whether the path is a bare table (CSV/TSV) for which metadata is located.
 * @throws never.
 */
export function isCsvTable(path: string): boolean {
  return ['.csv', '.tsv'].includes(extname(path).toLowerCase());
}

function titleMatches(a: CsvwColumn['titles'], b: readonly string[]): boolean {
  return a.some((title) => b.includes(title.value));
}

/** Merges a table description with the embedded metadata of its file (§5.4.3 compatibility, §8 titles). */
function mergeEmbedded(table: CsvwTable, parsed: { titles: ReadonlyArray<readonly string[]>; width: number }, warnings: string[]): CsvwColumn[] {
  const { width } = parsed;
  if (!table.schemaPresent) {
    const columns: CsvwColumn[] = [];
    for (let index = 0; index < width; index++) {
      const titles = parsed.titles[index] ?? [];
      const name = titles[0] !== undefined ? nameFromTitle(titles[0]) : `_col.${index + 1}`;
      columns.push(makeColumn(name, false, titles.map((value) => ({ value, lang: 'und' })), table.inherited, { virtual: false, suppressOutput: false }));
    }
    return columns;
  }
  const real = table.columns.filter((column) => !column.virtual);
  if (table.dialect.headerRowCount > 0 && real.length !== parsed.titles.length) warnings.push(`${table.url}: the metadata has ${real.length} columns, the file ${parsed.titles.length}`);
  real.forEach((column, index) => {
    const embedded = parsed.titles[index] ?? [];
    if (column.titles.length > 0 && embedded.length > 0 && !titleMatches(column.titles, embedded)) {
      warnings.push(`${table.url}: column ${index + 1} titles do not match the header ("${embedded.join('", "')}")`);
    }
  });
  const columns = [...table.columns];
  // Cells beyond the described columns still produce triples, under `_col.N` names.
  for (let index = real.length; index < width; index++) {
    columns.splice(index, 0, makeColumn(`_col.${index + 1}`, false, [], table.inherited, { virtual: false, suppressOutput: false }));
  }
  return columns;
}

/** Where metadata for a CSV is looked for, in order (CSVW §5.3, the W3C's default site-wide configuration). */
const locations = ['{+url}-metadata.json', 'csv-metadata.json', '{+url}.json', 'csvm.json'];

function describes(group: CsvwTableGroup, url: string): boolean {
  return group.tables.some((table) => table.url.replace(/#.*$/, '') === url);
}

type Allow = ((path: string) => Promise<void>) | undefined;

async function readJsonFile(path: string, allow: Allow): Promise<Json> {
  // Checked before reading: a parse error would otherwise quote a forbidden file's text.
  await allow?.(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new MappingError(`cannot read CSVW metadata: ${(error as Error).message}`, { file: path, kind: 'csvw-metadata' }, { cause: error });
  }
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    throw new MappingError(`not JSON: ${(error as Error).message}`, { file: path, kind: 'csvw-metadata' }, { cause: error });
  }
}

function isJsonObject(value: Json | undefined): value is { readonly [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Replaces `tableSchema` links (§5.5 schema referenced by URL) with the schema documents, read through the allow-list. */
async function inlineSchemas(document: Json, documentUrl: string, base: CsvwDocumentBase, allow: Allow): Promise<Json> {
  if (!isJsonObject(document)) return document;
  const context = document['@context'];
  const declared = Array.isArray(context) && isJsonObject(context[1]) ? context[1]['@base'] : undefined;
  const resolveAgainst = typeof declared === 'string' ? resolveUrl(declared, documentUrl) : documentUrl;
  const inline = async (table: Json): Promise<Json> => {
    if (!isJsonObject(table) || typeof table.tableSchema !== 'string') return table;
    const schemaUrl = resolveUrl(table.tableSchema, resolveAgainst);
    const schema = await readJsonFile(urlToPath(schemaUrl, base), allow);
    return { ...table, tableSchema: isJsonObject(schema) ? schema : {} };
  };
  if (Array.isArray(document.tables)) return { ...document, tables: await Promise.all((document.tables as readonly Json[]).map(inline)) };
  return inline(document);
}

/** Reads a metadata document; `trusted` (the operator named it) skips the allow-list for it, not for its links. */
async function readMetadata(path: string, base: CsvwDocumentBase, allow: Allow, trusted: boolean): Promise<{ group: CsvwTableGroup; warnings: readonly string[] }> {
  const url = pathToUrl(path, base);
  const document = await inlineSchemas(await readJsonFile(path, trusted ? undefined : allow), url, base, allow);
  return readCsvwMetadata(document, url, path);
}

/**
 * Loads a CSVW metadata document, or locates the metadata of a bare CSV (user metadata, linked
 * metadata, `{file}-metadata.json`, `csv-metadata.json`, else the embedded header only), and
 * merges each table with the header of its file.
 * @throws MappingError for invalid metadata or an unreadable table.
 */
export async function loadCsvw(file: string, options: CsvwOptions & { readonly baseIRI: string }): Promise<CsvwPlan> {
  const base: CsvwDocumentBase = options.documentBase ?? { url: options.baseIRI, folder: dirname(file) };
  const warnings: string[] = [];
  let group: CsvwTableGroup | undefined;
  if (isCsvTable(file) && options.metadata === undefined) {
    // Nothing beside a CSV outside the allowed folders is read.
    await options.allow?.(file);
    const url = options.url ?? pathToUrl(file, base);
    // The W3C's /.well-known/csvm templates, applied locally (the tests' site-wide configuration).
    const located = locations.map((template) => {
      const candidate = resolveUrl(expandUriTemplate(template, (name) => (name === 'url' ? url : undefined)), url);
      return /[?#]/.test(candidate) ? undefined : urlToPath(candidate, base);
    });
    for (const candidate of [options.linkedMetadata, ...located]) {
      if (candidate === undefined) continue;
      if (!existsSync(candidate)) continue;
      const found = await readMetadata(candidate, base, options.allow, candidate === options.linkedMetadata);
      if (found && describes(found.group, url)) {
        group = found.group;
        warnings.push(...found.warnings);
        break;
      }
    }
    // No metadata: the embedded metadata alone; a .tsv is tab-separated (as text/tab-separated-values).
    const embedded: Json = extname(file).toLowerCase() === '.tsv' ? { '@context': 'http://www.w3.org/ns/csvw', url, dialect: { delimiter: '\t' } } : { '@context': 'http://www.w3.org/ns/csvw', url };
    group ??= readCsvwMetadata(embedded, url, file).group;
  } else {
    // The mapping file and user metadata are the operator's choice; the files they link to are checked.
    const path = options.metadata ?? file;
    const { group: read, warnings: found } = await readMetadata(path, base, options.allow, true);
    group = read;
    warnings.push(...found);
  }
  const tables: CsvwPlannedTable[] = [];
  for (const table of group.tables) {
    const path = urlToPath(table.url, base);
    await options.allow?.(path);
    let parsed: { titles: ReadonlyArray<readonly string[]>; width: number };
    try {
      parsed = await readCsvwHead(path, table.dialect);
    } catch (error) {
      throw new MappingError(`table ${table.url}: ${(error as Error).message}`, { file: path, kind: 'source' }, { cause: error });
    }
    tables.push({ table, path, columns: mergeEmbedded(table, parsed, warnings) });
  }
  const dataset = csvwDatasetMetadata(group, options.metadata ?? file);
  return { group, tables, mode: options.mode ?? 'standard', warnings, dataset };
}

/** A cell after §6.4: `undefined` for null; a list for a column with a separator. */
interface CellValue {
  readonly items: ReadonlyArray<{ readonly lexical: string; readonly valid: boolean }>;
  readonly list: boolean;
}

function parseCell(raw: string | undefined, column: CsvwColumn, report: (kind: string, message: string) => void): CellValue | undefined {
  if (raw === undefined) return undefined;
  const base = column.datatype.base;
  let text = normalizeWhitespace(raw, base);
  if (text === '') text = column.default;
  if (column.separator === null) {
    if (column.null.includes(text)) {
      if (column.required) report('missing-required-value', `required column "${column.name}" is empty`);
      return undefined;
    }
    return { items: [parseItem(text, column, report)], list: false };
  }
  if (column.null.includes(text)) return undefined;
  if (text === '') return { items: [], list: true };
  const items = text
    .split(column.separator)
    .map((item) => (isStringLike(base) ? item : item.trim()))
    .filter((item) => !column.null.includes(item))
    .map((item) => parseItem(item, column, report));
  return { items, list: true };
}

function parseItem(text: string, column: CsvwColumn, report: (kind: string, message: string) => void): { lexical: string; valid: boolean } {
  const parsed = parseCellValue(text, column.datatype);
  if (parsed.ok) return { lexical: parsed.lexical, valid: true };
  report('invalid-datatype-value', parsed.error);
  return { lexical: text, valid: false };
}

function commonTerms(value: Json, group: CsvwTableGroup, out: RDF.Quad[], fresh: () => RDF.BlankNode): RDF.Term[] {
  if (Array.isArray(value)) return (value as readonly Json[]).flatMap((item) => commonTerms(item, group, out, fresh));
  if (value === null) return [];
  if (typeof value === 'string') return [group.language ? literal(value, group.language) : literal(value)];
  if (typeof value === 'number') return [Number.isInteger(value) ? literal(String(value), namedNode(`${xsd}integer`)) : literal(String(value), namedNode(`${xsd}double`))];
  if (typeof value === 'boolean') return [literal(String(value), namedNode(`${xsd}boolean`))];
  const object = value as { readonly [key: string]: Json };
  if ('@value' in object) {
    const text = String(object['@value']);
    if (typeof object['@type'] === 'string') return [literal(text, namedNode(expandPrefixed(object['@type'])))];
    if (typeof object['@language'] === 'string') return [literal(text, object['@language'])];
    // An explicit @value object does not take the default language (JSON-LD expansion).
    if (typeof object['@value'] === 'number') return commonTerms(object['@value'], group, out, fresh);
    if (typeof object['@value'] === 'boolean') return commonTerms(object['@value'], group, out, fresh);
    return [literal(text)];
  }
  const node = typeof object['@id'] === 'string' ? namedNode(resolveUrl(expandPrefixed(object['@id']), group.base)) : fresh();
  for (const [key, inner] of Object.entries(object)) {
    if (key === '@id') continue;
    if (key === '@type') {
      for (const type of Array.isArray(inner) ? (inner as readonly Json[]) : [inner]) {
        if (typeof type === 'string') out.push(quad(node, rdfType, namedNode(typeIri(type, group))));
      }
      continue;
    }
    const predicate = expandPrefixed(key);
    if (!isAbsoluteUrl(predicate)) continue;
    for (const term of commonTerms(inner, group, out, fresh)) out.push(quad(node, namedNode(predicate), term as RDF.Quad_Object));
  }
  return [node];
}

function typeIri(type: string, group: CsvwTableGroup): string {
  const expanded = expandPrefixed(type);
  if (expanded !== type || isAbsoluteUrl(type)) return expanded;
  return /^[A-Z]/.test(type) ? csvw + type : resolveUrl(type, group.base);
}

function commonQuads(subject: RDF.Quad_Subject, common: CsvwTableGroup['common'], notes: readonly Json[], group: CsvwTableGroup, fresh: () => RDF.BlankNode): RDF.Quad[] {
  const out: RDF.Quad[] = [];
  for (const [predicate, value] of common) {
    if (!isAbsoluteUrl(predicate)) continue;
    for (const term of commonTerms(value, group, out, fresh)) out.push(quad(subject, namedNode(predicate), term as RDF.Quad_Object));
  }
  for (const note of notes) for (const term of commonTerms(note, group, out, fresh)) out.push(quad(subject, namedNode(`${csvw}note`), term as RDF.Quad_Object));
  return out;
}

/** Whether a template's variables are all fixed per column (`_name`, `_column`, `_sourceColumn`). */
function usesOnlyColumnVariables(template: string): boolean {
  for (const expression of template.matchAll(/\{[+#./;?&]?([^}]*)\}/g)) {
    for (const name of (expression[1] ?? '').split(',')) {
      if (!['_name', '_column', '_sourceColumn'].includes(name.replace(/[*]$|:\d+$/, ''))) return false;
    }
  }
  return true;
}

function expandUrl(template: string, variables: (name: string) => TemplateValue, tableUrl: string): string {
  const expanded = expandPrefixed(expandUriTemplate(template, variables));
  return resolveUrl(expanded, tableUrl);
}

function literalOf(item: { lexical: string; valid: boolean }, column: CsvwColumn): RDF.Literal {
  const { datatype } = column;
  if (!item.valid) return column.lang !== 'und' ? literal(item.lexical, column.lang) : literal(item.lexical);
  if (datatype.base === 'string' && datatype.iri === `${xsd}string`) return column.lang !== 'und' ? literal(item.lexical, column.lang) : literal(item.lexical);
  if (datatype.iri === `${xsd}string`) return literal(item.lexical);
  if (datatype.iri === `${xsd}anyAtomicType`) return literal(item.lexical);
  return literal(item.lexical, namedNode(datatype.iri));
}

/** Turns a failure to read a table (missing file, bad encoding) into a `MappingError` naming it. */
async function* guarded<T>(source: AsyncGenerator<T>, path: string): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (error) {
    if (error instanceof MappingError) throw error;
    throw new MappingError((error as Error).message, { file: path, kind: 'source' }, { cause: error });
  }
}

/**
 * csv2rdf (W3C "Generating RDF from Tabular Data on the Web" §4): one batch of quads per row.
 * Invalid cells become plain literals, as the spec says, and are reported as problems
 * (`invalid-datatype-value`; an empty `required` cell is `missing-required-value`); under `fail` the first one stops the run, under `skip-row` its row is dropped.
 * Metadata warnings are reported first as `csvw-warning` problems, under every policy without effect.
 * @throws MappingError for an unreadable table, and under `fail` for the first invalid cell.
 */
export async function* runCsvw(plan: CsvwPlan, options: RunOptions & { readonly mode?: CsvwMode }, report: MappingReport): AsyncGenerator<TargetedQuad[]> {
  const mode = options.mode ?? plan.mode;
  const { group } = plan;
  const wrap = (quads: RDF.Quad[]): TargetedQuad[] => quads.map((item) => ({ quad: item, targets: [] }));
  // Blank nodes are labelled per run, so two imports' nodes never merge in a store.
  const prefix = `c${randomUUID().slice(0, 8)}_`;
  let counter = 0;
  const fresh = (): RDF.BlankNode => blankNode(`${prefix}${counter++}`);
  // Metadata warnings (ignored properties, titles that differ from the header) are reported, never fatal.
  for (const message of plan.warnings) {
    report.problems['csvw-warning'] = (report.problems['csvw-warning'] ?? 0) + 1;
    options.onProblem?.({ kind: 'csvw-warning', message, file: plan.tables[0]?.path ?? '' });
  }
  const groupNode: RDF.Quad_Subject = group.id ? namedNode(group.id) : fresh();
  if (mode === 'standard') {
    const head = [quad(groupNode, rdfType, namedNode(`${csvw}TableGroup`)), ...commonQuads(groupNode, group.common, group.notes, group, fresh)];
    report.triplesWritten += head.length;
    yield wrap(head);
  }
  for (const { table, path, columns } of plan.tables) {
    if (table.suppressOutput) continue;
    const tableNode: RDF.Quad_Subject = table.id ? namedNode(table.id) : fresh();
    if (mode === 'standard') {
      const head = [
        quad(groupNode, namedNode(`${csvw}table`), tableNode),
        quad(tableNode, rdfType, namedNode(`${csvw}Table`)),
        quad(tableNode, namedNode(`${csvw}url`), namedNode(table.url)),
        ...commonQuads(tableNode, table.common, table.notes, group, fresh),
      ];
      report.triplesWritten += head.length;
      yield wrap(head);
    }
    const constantPredicates = new Map<number, string>();
    for await (const batch of guarded(readCsvwTable(path, table.dialect), path)) {
      for (const event of batch) {
        if (event.kind === 'comment') {
          if (mode === 'standard') {
            report.triplesWritten++;
            yield wrap([quad(tableNode, namedNode('http://www.w3.org/2000/01/rdf-schema#comment'), literal(event.text))]);
          }
          continue;
        }
        if (event.kind !== 'row') continue;
        const { row } = event;
        report.rowsRead++;
        const problems: MappingProblem[] = [];
        const values = columns.map((column, index) =>
          parseCell(column.virtual ? undefined : (row.cells[index] ?? ''), column, (kind, message) => {
            const problem: MappingProblem = { kind, message, file: path, line: row.sourceNumber, column: column.name, triplesMap: table.url };
            problems.push(problem);
          }),
        );
        for (const problem of problems) {
          report.problems[problem.kind] = (report.problems[problem.kind] ?? 0) + 1;
          options.onProblem?.(problem);
          if (options.errorPolicy === 'fail') {
            throw new MappingError(problem.message, { file: problem.file, line: problem.line, column: problem.column, triplesMap: problem.triplesMap, kind: problem.kind });
          }
        }
        if (problems.length > 0 && options.errorPolicy === 'skip-row') {
          report.rowsDropped++;
          continue;
        }
        const byName = new Map(columns.map((column, index) => [column.name, values[index]]));
        const rowSubject = fresh();
        const out: RDF.Quad[] = [];
        const subjects = new Map<string, RDF.Quad_Subject>();
        const aboutUrls = new Map<string, string>();
        let current = 0;
        const variables = (name: string): TemplateValue => {
          switch (name) {
            case '_row':
              return String(row.number);
            case '_sourceRow':
              return String(row.sourceNumber);
            case '_column':
              return String(current + 1);
            case '_sourceColumn':
              return String(current + 1 + table.dialect.skipColumns);
            case '_name':
              // Still percent-encoded: `{#_name}` then keeps `%2D` for a `-` of a title (csv2rdf tests).
              return columns[current]?.name;
            default: {
              const cell = byName.get(name);
              if (cell === undefined) return undefined;
              return cell.list ? cell.items.map((item) => item.lexical) : cell.items[0]?.lexical;
            }
          }
        };
        columns.forEach((column, index) => {
          if (column.suppressOutput) return;
          const value = values[index];
          current = index;
          let subject: RDF.Quad_Subject = rowSubject;
          if (column.aboutUrl !== undefined) {
            // Columns usually share one aboutUrl: expand it once per row.
            const perRow = !/_column|_sourceColumn|_name/.test(column.aboutUrl);
            let iri = perRow ? aboutUrls.get(column.aboutUrl) : undefined;
            if (iri === undefined) {
              iri = expandUrl(column.aboutUrl, variables, table.url);
              if (perRow) aboutUrls.set(column.aboutUrl, iri);
            }
            subject = namedNode(iri);
          }
          // A property URL that uses no cell values is the same on every row: expanded once per column.
          const propertyTemplate = column.propertyUrl ?? '{#_name}';
          let predicateIri = constantPredicates.get(index);
          if (predicateIri === undefined) {
            predicateIri = expandUrl(propertyTemplate, variables, table.url);
            if (usesOnlyColumnVariables(propertyTemplate)) constantPredicates.set(index, predicateIri);
          }
          const predicate = namedNode(predicateIri);
          if (column.valueUrl !== undefined) {
            if (value === undefined && !column.virtual) return;
            subjects.set(`${subject.termType}:${subject.value}`, subject);
            out.push(quad(subject, predicate, namedNode(expandUrl(column.valueUrl, variables, table.url))));
            return;
          }
          if (value === undefined) return;
          subjects.set(`${subject.termType}:${subject.value}`, subject);
          const terms = value.items.map((item) => literalOf(item, column));
          if (value.list && column.ordered) {
            if (terms.length === 0) {
              out.push(quad(subject, predicate, namedNode(`${rdfNs}nil`)));
              return;
            }
            const nodes = terms.map(() => fresh());
            out.push(quad(subject, predicate, nodes[0]!));
            terms.forEach((term, position) => {
              out.push(quad(nodes[position]!, namedNode(`${rdfNs}first`), term));
              out.push(quad(nodes[position]!, namedNode(`${rdfNs}rest`), nodes[position + 1] ?? namedNode(`${rdfNs}nil`)));
            });
            return;
          }
          for (const term of terms) out.push(quad(subject, predicate, term));
        });
        if (mode === 'standard') {
          const rowNode = fresh();
          out.push(quad(tableNode, namedNode(`${csvw}row`), rowNode));
          out.push(quad(rowNode, rdfType, namedNode(`${csvw}Row`)));
          out.push(quad(rowNode, namedNode(`${csvw}rownum`), literal(String(row.number), namedNode(`${xsd}integer`))));
          out.push(quad(rowNode, namedNode(`${csvw}url`), namedNode(`${table.url}#row=${row.sourceNumber}`)));
          for (const subject of subjects.values()) out.push(quad(rowNode, namedNode(`${csvw}describes`), subject));
          for (const name of table.rowTitles) {
            const column = columns.find((candidate) => candidate.name === name);
            const cell = byName.get(name);
            if (!column || !cell) continue;
            for (const item of cell.items) out.push(quad(rowNode, namedNode(`${csvw}title`), column.lang !== 'und' ? literal(item.lexical, column.lang) : literal(item.lexical)));
          }
        }
        if (out.length === 0) continue;
        report.triplesWritten += out.length;
        yield wrap(out);
      }
    }
  }
}

