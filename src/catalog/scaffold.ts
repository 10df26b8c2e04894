/** Drafting a YARRRML mapping, with its `dataset:` block, from a Socrata export (view metadata + rows) or a bare CSV. */
import { open, readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { BadRequest } from '../errors/index.js';
import { decodeText } from '../mapping/index.js';
import { frequencyOf, slug } from './authority-tables.js';
import { looksLikeDivipola, looksPersonal } from './quality.js';

/** The parts of Socrata's `/api/views/{4x4}.json` a draft uses. */
export interface SocrataView {
  readonly id?: string;
  readonly name?: string;
  readonly description?: string;
  readonly category?: string;
  readonly tags?: readonly string[];
  readonly attribution?: string;
  readonly license?: { readonly name?: string; readonly termsLink?: string };
  readonly publicationDate?: number;
  readonly rowsUpdatedAt?: number;
  readonly owner?: { readonly displayName?: string };
  readonly columns?: ReadonlyArray<{ readonly fieldName?: string; readonly name?: string; readonly dataTypeName?: string; readonly description?: string }>;
  readonly metadata?: { readonly custom_fields?: Record<string, Record<string, string> | undefined> };
}

export interface ScaffoldInput {
  /** The rows: a CSV file, or a SODA JSON export (an array of objects). */
  readonly rowsPath: string;
  /** How the mapping refers to the rows (relative to where the mapping will be written). */
  readonly rowsReference: string;
  readonly view?: SocrataView;
  /** How many rows to sample for datatypes and keys. */
  readonly sampleRows?: number;
}

export type InferredType = 'string' | 'integer' | 'decimal' | 'date' | 'dateTime' | 'boolean';

export interface ScaffoldColumn {
  readonly name: string;
  readonly type: InferredType;
  /** The `vfn:parseDate` pattern of a date column written day- or month-first (`d/MM/yyyy`). */
  readonly datePattern?: string;
  /** No sampled value told day-first from month-first. */
  readonly datePatternGuessed?: boolean;
  readonly divipola: boolean;
  /** DANE's 8-digit form (`05172000`: the municipality and `000`), linked by its 5-digit code. */
  readonly daneSuffix: boolean;
  readonly personal: boolean;
  readonly description?: string;
}

export interface Scaffold {
  readonly datasetId: string;
  readonly columns: readonly ScaffoldColumn[];
  /** The key columns, unique together and never empty in the sample; `['_row']` (the row number) when none are. */
  readonly key: readonly string[];
  /** The CSV delimiter found in the file (`,` for JSON). */
  readonly delimiter: string;
  /** The YARRRML text, with `# REVIEW` comments where a person must decide. */
  readonly yaml: string;
}

const integer = /^-?\d{1,3}(\.\d{3})+$|^-?\d+$/;
const decimal = /^-?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?$|^-?\d+(\.\d+)?$/;
const isoDate = /^\d{4}-\d{2}-\d{2}(T00:00:00(\.000)?)?$/;
const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
/** Day and month in either order, a 4-digit year, an optional time: `6/03/2020`, `1/01/1996 0:00`, `01/31/2020 12:00:00 AM`. */
const writtenDate = /^(\d{1,2})([/-])(\d{1,2})\2(\d{4})(?:\s+(\d{1,2}):(\d{2})(:\d{2})?(?:\s*([AaPp])\.?\s?[Mm]\.?)?)?$/;

export interface DateShape {
  readonly type: 'date' | 'dateTime';
  /** The `vfn:parseDate` pattern; none for ISO values, which `vfn:toDate` / `vfn:toDateTime` read. */
  readonly pattern?: string;
  /** Every sampled day and month was 12 or less: day-first is a guess (the Colombian convention). */
  readonly ambiguous?: boolean;
}

/**
 * The date shape every non-empty sample value shares, if any: ISO dates and timestamps, or one
 * written pattern. Day-first or month-first is read from the values (a first part above 12 is a
 * day); when nothing tells, AM/PM times are month-first (Socrata's US exports), others day-first.
 */
export function dateShape(values: readonly string[]): DateShape | undefined {
  const present = values.map((value) => value.trim()).filter((value) => value !== '');
  if (present.length === 0) return undefined;
  if (present.every((value) => isoDate.test(value))) return { type: 'date' };
  if (present.every((value) => isoDateTime.test(value) || isoDate.test(value))) return { type: 'dateTime' };
  // ISO and day-first dates mixed in one column: `vfn:toDate` reads both.
  const mixed = (): DateShape | undefined => (present.every((value) => isoDate.test(value) || /^\d{1,2}\/\d{1,2}\/\d{4}$/.test(value)) ? { type: 'date' } : undefined);
  const matches = present.map((value) => writtenDate.exec(value));
  if (matches.some((match) => match === null)) return mixed();
  const shapes = new Set(matches.map((match) => `${match![2]} ${match![5] !== undefined} ${match![7] !== undefined} ${match![8] !== undefined}`));
  if (shapes.size !== 1) return undefined;
  const first = matches[0]!;
  const [separator, hasTime, hasSeconds, hasMeridiem] = [first[2]!, first[5] !== undefined, first[7] !== undefined, first[8] !== undefined];
  const largest = (group: number) => Math.max(...matches.map((match) => Number(match![group])));
  const firstIsDay = largest(1) > 12;
  const secondIsDay = largest(3) > 12;
  if (firstIsDay && secondIsDay) return undefined;
  const monthFirst = secondIsDay || (!firstIsDay && hasMeridiem);
  const width = (group: number) => (matches.every((match) => match![group]!.length === 2) ? 2 : 1);
  const day = 'd'.repeat(width(monthFirst ? 3 : 1));
  const month = 'M'.repeat(width(monthFirst ? 1 : 3));
  const datePart = monthFirst ? `${month}${separator}${day}${separator}yyyy` : `${day}${separator}${month}${separator}yyyy`;
  const timePart = hasTime ? ` ${(hasMeridiem ? 'h' : 'H').repeat(width(5))}:mm${hasSeconds ? ':ss' : ''}${hasMeridiem ? ' a' : ''}` : '';
  return { type: hasTime ? 'dateTime' : 'date', pattern: datePart + timePart, ambiguous: !firstIsDay && !secondIsDay && !hasMeridiem };
}

/** The narrowest type every non-empty sample value fits. */
export function inferType(values: readonly string[]): InferredType {
  const present = values.map((value) => value.trim()).filter((value) => value !== '');
  if (present.length === 0) return 'string';
  // Codes with leading zeros (DIVIPOLA `05001`) are identifiers, not numbers.
  if (present.some((value) => /^0\d+$/.test(value))) return 'string';
  if (present.every((value) => integer.test(value))) return 'integer';
  if (present.every((value) => decimal.test(value))) return 'decimal';
  const shape = dateShape(present);
  if (shape) return shape.type;
  if (present.every((value) => /^(true|false)$/i.test(value))) return 'boolean';
  return 'string';
}

const socrataTypes: Record<string, InferredType> = { checkbox: 'boolean', calendar_date: 'dateTime', date: 'dateTime' };

interface Table {
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<Readonly<Record<string, string>>>;
  readonly json: boolean;
  readonly delimiter: string;
}

const delimiters = [',', ';', '\t', '|'];

/**
 * The delimiter of a CSV text, from its first records (quotes respected): the candidate that
 * splits the header into the most columns among those that split most records the same way.
 * Exports from spreadsheets in Spanish use `;` (the comma is the decimal mark), some use TAB.
 */
export function sniffDelimiter(text: string): string {
  let best = { delimiter: ',', agreeing: 0, columns: 1 };
  for (const delimiter of delimiters) {
    let records: string[][];
    try {
      records = parseCsv(text, { delimiter, relax_column_count: true, relax_quotes: true, to_line: 20, skip_empty_lines: true }) as string[][];
    } catch {
      continue;
    }
    const columns = records[0]?.length ?? 0;
    if (columns < 2) continue;
    const agreeing = records.filter((record) => record.length === columns).length;
    if (agreeing > best.agreeing || (agreeing === best.agreeing && columns > best.columns)) best = { delimiter, agreeing, columns };
  }
  return best.delimiter;
}

/** The first bytes of a file are enough for a sample; a record cut at the end is dropped. */
const sampleBytes = 16 * 1024 * 1024;

async function readHead(path: string): Promise<string> {
  const file = await open(path);
  try {
    const buffer = Buffer.alloc(sampleBytes);
    const { bytesRead } = await file.read(buffer, 0, sampleBytes, 0);
    const text = await decodeText(buffer.subarray(0, bytesRead));
    return bytesRead < sampleBytes ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  } finally {
    await file.close();
  }
}

async function readSample(path: string, limit: number): Promise<Table> {
  if (extname(path).toLowerCase() === '.json') return readJsonSample(path, limit);
  // UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1252, decided as the mapping engine decides.
  const text = await readHead(path);
  const delimiter = sniffDelimiter(text);
  const records = parseCsv(text, { delimiter, relax_column_count: true, to_line: limit + 1, skip_empty_lines: true }) as string[][];
  const [header = [], ...body] = records;
  const columns = header.map((name) => name.trim());
  const rows = body.map((cells) => Object.fromEntries(columns.map((name, index) => [name, cells[index] ?? ''])));
  return { columns, rows, json: false, delimiter };
}

async function readJsonSample(path: string, limit: number): Promise<Table> {
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new BadRequest(`${path}: a SODA rows export is a JSON array of objects`);
  const records = parsed.slice(0, limit).filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null);
  const columns = [...new Set(records.flatMap((record) => Object.keys(record)))].filter((name) => !name.startsWith(':'));
  const rows = records.map((record) => Object.fromEntries(columns.map((name) => [name, record[name] === undefined || record[name] === null ? '' : String(record[name])])));
  return { columns, rows, json: true, delimiter: ',' };
}

const idLike = (name: string): boolean => /(^|-)(id|codigo|cod|nit|divipola)(-|$)|^id-de|^id$/.test(slug(name));

/** Whether the columns' values, joined, are never empty and never repeat over the sampled rows. */
function uniqueTogether(table: Table, names: readonly string[]): boolean {
  const seen = new Set<string>();
  for (const row of table.rows) {
    const values = names.map((name) => (row[name] ?? '').trim());
    if (values.some((value) => value === '')) return false;
    const key = values.join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
  }
  return table.rows.length > 0;
}

function averageLength(table: Table, name: string): number {
  return table.rows.reduce((sum, row) => sum + (row[name] ?? '').length, 0) / Math.max(1, table.rows.length);
}

/** Every `size`-column combination of `names`, in their order. */
function* combinations(names: readonly string[], size: number, start = 0): Generator<string[]> {
  if (size === 0) {
    yield [];
    return;
  }
  for (let index = start; index <= names.length - size; index++) {
    for (const rest of combinations(names, size - 1, index + 1)) yield [names[index]!, ...rest];
  }
}

/**
 * The smallest set of one to three columns unique together over the sample (a code column
 * first, then the columns with the most distinct values), or `['_row']`, the row number: a
 * non-unique key merges rows into one subject (36,156 rows once became 32 subjects).
 */
function guessKey(table: Table, columns: readonly ScaffoldColumn[]): string[] {
  const distinct = new Map(table.columns.map((name) => [name, new Set(table.rows.map((row) => row[name] ?? '')).size]));
  const single = table.columns.filter((name) => uniqueTogether(table, [name]));
  const preferred = single.find(idLike) ?? single[0];
  if (preferred) return [preferred];
  // Amounts and free text are unique together by accident; codes, years, names and dates identify.
  const identifying = columns.filter(({ name, type }) => idLike(name) || (type !== 'decimal' && averageLength(table, name) <= 40));
  const ranked = identifying.map(({ name }) => name).sort((a, b) => Number(idLike(b)) - Number(idLike(a)) || (distinct.get(b) ?? 0) - (distinct.get(a) ?? 0));
  for (const size of [2, 3]) {
    for (const names of combinations(ranked, size)) if (uniqueTogether(table, names)) return names;
  }
  return ['_row'];
}

function camel(name: string): string {
  const parts = slug(name).split('-').filter((part) => part !== '');
  const joined = parts.map((part, index) => (index === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1))).join('');
  return /^[a-z]/.test(joined) ? joined : `c${joined}`;
}

const q = (text: string): string => JSON.stringify(text);
const epochDay = (seconds: number | undefined): string | undefined => (seconds === undefined ? undefined : new Date(seconds * 1000).toISOString().slice(0, 10));

/** Spanish words of the portal → the metadata block's frequency words. */
function frequencyWord(portal: string | undefined): string | undefined {
  if (portal === undefined) return undefined;
  const known = frequencyOf(portal);
  if (!known) return undefined;
  const code = known.iri.slice(known.iri.lastIndexOf('/') + 1);
  const words: Record<string, string> = { DAILY: 'daily', WEEKLY: 'weekly', BIWEEKLY: 'biweekly', MONTHLY: 'monthly', QUARTERLY: 'quarterly', ANNUAL_2: 'semiannual', ANNUAL: 'annual', BIENNIAL: 'biennial', CONT: 'continuous', IRREG: 'irregular', NEVER: 'never', UNKNOWN: 'unknown' };
  return words[code];
}

function objectLines(column: ScaffoldColumn, reference: string, predicate: string): string[] {
  const value = `$(${reference})`;
  const lines: string[] = [];
  if (column.personal) lines.push('      # REVIEW: this column looks like personal data; publish it, drop it or pseudonymise it');
  if (column.daneSuffix) {
    // `05172000` is municipality 05172 plus DANE's `000`: the concept is kos/divipola/05172.
    lines.push(
      `      - p: ${predicate}`,
      '        o:',
      '          function: vfn:concat',
      '          parameters:',
      '            - [vfn:value, "kos/divipola/"]',
      '            - parameter: vfn:value2',
      '              value:',
      '                function: vfn:divipolaMunicipio',
      '                parameters:',
      `                  - [vfn:value, ${q(value)}]`,
      '          type: iri',
    );
    return lines;
  }
  if (column.divipola) {
    lines.push(`      - p: ${predicate}`, '        o:', `          - value: ${q(`kos/divipola/${value}`)}`, '            type: iri');
    lines.push('      # REVIEW: DIVIPOLA codes; vfn:zeroPad (width 5, or 2 for departments) restores lost leading zeros');
    return lines;
  }
  const call = (fn: string, datatype: string, extra: string[] = []) => [
    `      - p: ${predicate}`,
    '        o:',
    `          function: ${fn}`,
    '          parameters:',
    `            - [vfn:value, ${q(value)}]`,
    ...extra,
    `          datatype: ${datatype}`,
  ];
  switch (column.type) {
    case 'integer':
      return [...lines, ...call('vfn:toInteger', 'xsd:integer')];
    case 'decimal':
      return [...lines, ...call('vfn:toDecimal', 'xsd:decimal')];
    case 'date':
    case 'dateTime': {
      const datatype = `xsd:${column.type}`;
      if (!column.datePattern) return [...lines, ...call(column.type === 'date' ? 'vfn:toDate' : 'vfn:toDateTime', datatype)];
      if (column.datePatternGuessed) lines.push('      # REVIEW: no sampled day was above 12; day-first (dd/MM) is a guess');
      return [...lines, ...call('vfn:parseDate', datatype, [`            - [vfn:pattern, ${q(column.datePattern)}]`])];
    }
    case 'boolean':
      return [...lines, `      - [${predicate}, ${q(value)}, xsd:boolean]`];
    default:
      return [...lines, `      - [${predicate}, ${q(value)}, es~lang]`];
  }
}

/** The `sources:` entry: the short form for a comma-separated file, the long one to name another delimiter. */
function sourceLines(table: Table, reference: string): string[] {
  if (table.json) return [`      - [${q(`${reference}~jsonpath`)}, "$[*]"]`];
  if (table.delimiter === ',') return [`      - [${q(`${reference}~csv`)}]`];
  return [`      - access: ${q(reference)}`, '        referenceFormulation: csv', `        delimiter: ${q(table.delimiter)}`];
}

function keyComment(key: readonly string[]): string {
  if (key[0] === '_row') return 'no column or combination of up to 3 was unique in the sample: the row number is the key; choose a real one if the data has it';
  return key.length === 1 ? 'key guessed from the sample (unique, never empty)' : 'no single column was unique in the sample; these columns are, together';
}

/**
 * Drafts a mapping from a sample of the rows and, when given, the Socrata view metadata:
 * DCAT fields from the view (name, description, category, tags, attribution, licence, the
 * "Información de la Entidad" / "Información de Datos" custom fields), datatypes from Socrata's
 * `dataTypeName` or inferred from the values (date patterns too), the delimiter sniffed, DANE's
 * 8-digit codes linked by their 5-digit municipality, and a key unique over the sample (one to
 * three columns, else the row number) for the subject IRIs.
 * @throws BadRequest for a rows file that is neither CSV nor a JSON array; the file system's errors.
 */
export async function scaffoldMapping(input: ScaffoldInput): Promise<Scaffold> {
  const table = await readSample(input.rowsPath, input.sampleRows ?? 2000);
  if (table.columns.length === 0) throw new BadRequest(`${input.rowsPath}: no columns found`);
  const view = input.view;
  // CSV exports head their columns with `name`, JSON rows key them by `fieldName`: match either.
  const viewColumns = new Map((view?.columns ?? []).flatMap((column) => [column.fieldName, column.name].filter((key): key is string => key !== undefined).map((key) => [key, column] as const)));
  const columns: ScaffoldColumn[] = table.columns.map((name) => {
    const declared = viewColumns.get(name);
    const values = table.rows.map((row) => row[name] ?? '');
    const sampled = inferType(values);
    const socrata = declared?.dataTypeName === undefined ? undefined : socrataTypes[declared.dataTypeName];
    // Socrata says "number" for codes with leading zeros too; the values decide between integer and decimal.
    const declaredType = socrata ?? (declared?.dataTypeName === 'text' ? 'string' : sampled);
    // A Socrata date column's CSV export writes `01/31/2020 12:00:00 AM`: the values give the pattern.
    const shape = declaredType === 'date' || declaredType === 'dateTime' ? dateShape(values) : undefined;
    const type = shape?.type ?? declaredType;
    const divipola = looksLikeDivipola(name);
    const present = values.map((value) => value.trim()).filter((value) => value !== '');
    const daneSuffix = divipola && present.length > 0 && present.every((value) => /^\d{7,8}$/.test(value) && value.endsWith('000'));
    return { name, type, datePattern: shape?.pattern, datePatternGuessed: shape?.ambiguous, divipola, daneSuffix, personal: looksPersonal(name), description: declared?.description };
  });
  const key = guessKey(table, columns);
  const datasetId = (view?.id ?? slug(basename(input.rowsPath, extname(input.rowsPath)))).slice(0, 60).replace(/-$/, '') || 'dataset';
  const entity = view?.metadata?.custom_fields?.['Información de la Entidad'] ?? {};
  const data = view?.metadata?.custom_fields?.['Información de Datos'] ?? {};
  const publisherName = view?.attribution ?? entity['Nombre de la Entidad'] ?? view?.owner?.displayName;
  const frequency = frequencyWord(data['Frecuencia de Actualización']);
  const divipolaMunicipio = entity['DIVIPOLA Municipio'];
  const coverage = data['Cobertura Geográfica'];
  const spatial = [coverage && slug(coverage) === 'nacional' ? 'Colombia' : undefined, divipolaMunicipio].filter((item): item is string => item !== undefined && item !== '');
  const license = view?.license?.termsLink;
  const title = view?.name ?? basename(input.rowsPath, extname(input.rowsPath));

  const lines: string[] = [
    `# Draft mapping written by \`vinculo scaffold\` from ${basename(input.rowsPath)}${view ? ` and the Socrata view ${view.id ?? ''}` : ''}.`,
    '# Lines marked REVIEW need a person: check them, then delete the marks.',
    'dataset:',
    `  id: ${datasetId}`,
    `  title: ${q(title)}${view?.name ? '' : '  # REVIEW: a real title'}`,
    `  description: ${q(view?.description?.trim() || `Datos de ${title}.`)}${view?.description ? '' : '  # REVIEW: describe the data'}`,
    '  publisher:',
    `    name: ${q(publisherName ?? 'Entidad publicadora')}${publisherName ? '' : '  # REVIEW'}`,
    '    nit: "000000000"  # REVIEW: the NIT of the publishing entity (the view does not carry it)',
  ];
  if (entity.Orden) lines.push(`    order: ${q(entity.Orden.toLowerCase())}`);
  if (entity.Departamento) lines.push(`    department: ${q(entity.Departamento)}`);
  if (entity.Municipio) lines.push(`    municipality: ${q(entity.Municipio)}`);
  lines.push('  # contactPoint: { email: datos@entidad.gov.co }  # REVIEW: a contact e-mail');
  if (view?.tags && view.tags.length > 0) lines.push(`  keywords: [${view.tags.map(q).join(', ')}]`);
  lines.push(view?.category ? `  themes: [${q(view.category)}]` : '  themes: []  # REVIEW: a portal category (the national profile requires one)');
  if (spatial.length > 0) lines.push(`  spatial: [${spatial.map(q).join(', ')}]`);
  lines.push(frequency ? `  accrualPeriodicity: ${frequency}` : '  # accrualPeriodicity: annual  # REVIEW: required by the national profile');
  const language = data.Idioma && slug(data.Idioma) === 'ingles' ? 'en' : 'es';
  lines.push(`  language: [${language}]`);
  lines.push(`  license: ${license ?? 'https://creativecommons.org/licenses/by-sa/4.0/'}${license ? '' : '  # REVIEW: the default licence, CC BY-SA 4.0'}`);
  const issued = epochDay(view?.publicationDate);
  const modified = epochDay(view?.rowsUpdatedAt);
  if (issued) lines.push(`  issued: ${issued}`);
  if (modified) lines.push(`  modified: ${modified}`);
  if (view?.id && /^[a-z0-9]{4}-[a-z0-9]{4}$/.test(view.id)) lines.push(`  identifier: ${view.id}`);
  lines.push(
    '',
    'prefixes:',
    '  xsd: http://www.w3.org/2001/XMLSchema#',
    '  vfn: https://w3id.org/vinculo/fn#',
    '',
    'mappings:',
    `  ${camel(datasetId)}:`,
    '    sources:',
    ...sourceLines(table, input.rowsReference),
    `    s: ${q(`id/${datasetId}/${key.map((name) => `$(${name})`).join('-')}`)}  # REVIEW: ${keyComment(key)}`,
    '    po:',
    `      - [a, def/${datasetId}#Registro~iri]  # REVIEW: a class from a shared vocabulary if there is one`,
  );
  for (const column of columns) {
    if (column.description) lines.push(`      # ${column.name}: ${column.description.replace(/\s+/g, ' ')}`);
    lines.push(...objectLines(column, column.name, `def/${datasetId}#${camel(column.name)}`));
  }
  return { datasetId, columns, key, delimiter: table.delimiter, yaml: `${lines.join('\n')}\n` };
}

/** Reads a view metadata file (`/api/views/{4x4}.json`). @throws BadRequest when it is not a JSON object. */
export async function readSocrataView(path: string): Promise<SocrataView> {
  const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new BadRequest(`${path}: not a Socrata view metadata object`);
  return parsed as SocrataView;
}
