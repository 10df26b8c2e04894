/** Drafting a YARRRML mapping, with its `dataset:` block, from a Socrata export (view metadata + rows) or a bare CSV. */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { BadRequest } from '../errors/index.js';
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
  readonly divipola: boolean;
  readonly personal: boolean;
  readonly description?: string;
}

export interface Scaffold {
  readonly datasetId: string;
  readonly columns: readonly ScaffoldColumn[];
  /** The column guessed as the row key (unique and never empty in the sample), if any. */
  readonly key: string | undefined;
  /** The YARRRML text, with `# REVIEW` comments where a person must decide. */
  readonly yaml: string;
}

const integer = /^-?\d{1,3}(\.\d{3})+$|^-?\d+$/;
const decimal = /^-?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?$|^-?\d+(\.\d+)?$/;
const date = /^(\d{4}-\d{2}-\d{2}|\d{2}\/\d{2}\/\d{4})(T00:00:00(\.000)?)?$/;
const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$|^\d{2}\/\d{2}\/\d{4} \d{1,2}:\d{2}/;

/** The narrowest type every non-empty sample value fits. */
export function inferType(values: readonly string[]): InferredType {
  const present = values.map((value) => value.trim()).filter((value) => value !== '');
  if (present.length === 0) return 'string';
  // Codes with leading zeros (DIVIPOLA `05001`) are identifiers, not numbers.
  if (present.some((value) => /^0\d+$/.test(value))) return 'string';
  if (present.every((value) => integer.test(value))) return 'integer';
  if (present.every((value) => decimal.test(value))) return 'decimal';
  if (present.every((value) => date.test(value))) return 'date';
  if (present.every((value) => dateTime.test(value) || date.test(value))) return 'dateTime';
  if (present.every((value) => /^(true|false)$/i.test(value))) return 'boolean';
  return 'string';
}

const socrataTypes: Record<string, InferredType> = { checkbox: 'boolean', calendar_date: 'dateTime', date: 'dateTime' };

interface Table {
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<Readonly<Record<string, string>>>;
  readonly json: boolean;
}

async function readSample(path: string, limit: number): Promise<Table> {
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  if (extname(path).toLowerCase() === '.json') {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) throw new BadRequest(`${path}: a SODA rows export is a JSON array of objects`);
    const records = parsed.slice(0, limit).filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null);
    const columns = [...new Set(records.flatMap((record) => Object.keys(record)))].filter((name) => !name.startsWith(':'));
    const rows = records.map((record) => Object.fromEntries(columns.map((name) => [name, record[name] === undefined || record[name] === null ? '' : String(record[name])])));
    return { columns, rows, json: true };
  }
  // Only the sample is parsed; a record cut at the end of the window is dropped.
  const records = parseCsv(text, { relax_column_count: true, to_line: limit + 1, skip_empty_lines: true }) as string[][];
  const [header = [], ...body] = records;
  const columns = header.map((name) => name.trim());
  const rows = body.map((cells) => Object.fromEntries(columns.map((name, index) => [name, cells[index] ?? ''])));
  return { columns, rows, json: false };
}

function guessKey(table: Table, columns: readonly ScaffoldColumn[]): string | undefined {
  const unique = columns.filter((column) => {
    const values = table.rows.map((row) => (row[column.name] ?? '').trim());
    return values.length > 0 && values.every((value) => value !== '') && new Set(values).size === values.length;
  });
  const preferred = unique.find((column) => /(^|-)(id|codigo|cod|nit|divipola)(-|$)|^id-de|^id$/.test(slug(column.name)));
  return (preferred ?? unique[0])?.name;
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
      return [...lines, ...call('vfn:toDate', 'xsd:date')];
    case 'dateTime':
      return [...lines, ...call('vfn:toDateTime', 'xsd:dateTime')];
    case 'boolean':
      return [...lines, `      - [${predicate}, ${q(value)}, xsd:boolean]`];
    default:
      return [...lines, `      - [${predicate}, ${q(value)}, es~lang]`];
  }
}

/**
 * Drafts a mapping from a sample of the rows and, when given, the Socrata view metadata:
 * DCAT fields from the view (name, description, category, tags, attribution, licence, the
 * "Información de la Entidad" / "Información de Datos" custom fields), datatypes from Socrata's
 * `dataTypeName` or inferred from the values, and a guessed key for the subject IRIs.
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
    const sampled = inferType(table.rows.map((row) => row[name] ?? ''));
    const socrata = declared?.dataTypeName === undefined ? undefined : socrataTypes[declared.dataTypeName];
    // Socrata says "number" for codes with leading zeros too; the values decide between integer and decimal.
    const type = socrata ?? (declared?.dataTypeName === 'text' ? 'string' : sampled);
    return { name, type, divipola: looksLikeDivipola(name), personal: looksPersonal(name), description: declared?.description };
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
    table.json ? `      - [${q(`${input.rowsReference}~jsonpath`)}, "$[*]"]` : `      - [${q(`${input.rowsReference}~csv`)}]`,
    key
      ? `    s: ${q(`id/${datasetId}/$(${key})`)}  # REVIEW: key guessed from the sample (unique, never empty)`
      : `    s: ${q(`id/${datasetId}/$(${table.columns[0] ?? ''})`)}  # REVIEW: no column was unique in the sample; choose a key`,
    '    po:',
    `      - [a, def/${datasetId}#Registro~iri]  # REVIEW: a class from a shared vocabulary if there is one`,
  );
  for (const column of columns) {
    if (column.description) lines.push(`      # ${column.name}: ${column.description.replace(/\s+/g, ' ')}`);
    lines.push(...objectLines(column, column.name, `def/${datasetId}#${camel(column.name)}`));
  }
  return { datasetId, columns, key, yaml: `${lines.join('\n')}\n` };
}

/** Reads a view metadata file (`/api/views/{4x4}.json`). @throws BadRequest when it is not a JSON object. */
export async function readSocrataView(path: string): Promise<SocrataView> {
  const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new BadRequest(`${path}: not a Socrata view metadata object`);
  return parsed as SocrataView;
}
