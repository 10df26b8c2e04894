/** The `dataset:` block of a YARRRML mapping: typed, validated DCAT metadata for the catalog. */
import { basename, extname } from 'node:path';
import { slug } from './functions.js';
import { MappingError } from './mapping-error.js';

export interface LocalizedText {
  readonly es: string;
  readonly en?: string;
}

export interface Publisher {
  readonly name: string;
  /** Colombian tax id (NIT), digits with an optional check digit: `899999061-9`. */
  readonly nit: string;
  readonly sector?: string;
  /** `nacional`, `departamental`, `municipal`, ... */
  readonly order?: string;
  readonly department?: string;
  readonly municipality?: string;
}

export interface DatasetMetadata {
  /** Lowercase ASCII letters, digits and `-`; the mapping file's base name by default. */
  readonly id: string;
  readonly title: LocalizedText;
  readonly description: LocalizedText;
  readonly publisher: Publisher;
  readonly contactPoint?: { readonly email: string };
  readonly keywords: readonly string[];
  readonly themes: readonly string[];
  readonly spatial: readonly string[];
  readonly temporal?: { readonly start?: string; readonly end?: string };
  readonly accrualPeriodicity?: string;
  /** ISO 639-1 codes; `['es']` by default. */
  readonly language: readonly string[];
  readonly license: string;
  readonly issued?: string;
  readonly modified?: string;
  /** The Socrata id (`xxxx-xxxx`) of the source table on datos.gov.co. */
  readonly identifier?: string;
  /**
   * Decisions about columns that look like personal data (column → what was decided and why,
   * e.g. "nombre de la entidad, no de una persona"); a decided column raises no warning.
   */
  readonly personalData: Readonly<Record<string, string>>;
}

export const defaultLicense = 'https://creativecommons.org/licenses/by-sa/4.0/';

const knownKeys = new Set([
  'id',
  'title',
  'description',
  'publisher',
  'contactPoint',
  'keywords',
  'themes',
  'spatial',
  'temporal',
  'accrualPeriodicity',
  'language',
  'license',
  'issued',
  'modified',
  'identifier',
  'personalData',
]);

/** The dataset id a mapping file gives when nothing names one: its base name, slugged (`Municipios 2024.ttl` → `municipios-2024`). */
export function defaultDatasetId(file: string): string {
  return slug(basename(file, extname(file)));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates the metadata block.
 * @throws MappingError naming the file and the offending key (`dataset.publisher.nit`).
 */
export function parseDatasetMetadata(block: unknown, file: string): DatasetMetadata {
  const fail = (key: string, problem: string): never => {
    throw new MappingError(`dataset.${key}: ${problem}`, { file, kind: 'dataset-metadata' });
  };
  if (!isRecord(block)) return fail('', 'must be a mapping of keys');
  for (const key of Object.keys(block)) if (!knownKeys.has(key)) fail(key, `unknown key (known: ${[...knownKeys].join(', ')})`);

  const text = (value: unknown, key: string): string => {
    if (typeof value === 'number') return String(value);
    if (typeof value !== 'string' || value.trim() === '') return fail(key, 'must be a non-empty string');
    return value.trim();
  };
  const optionalText = (value: unknown, key: string): string | undefined => (value === undefined || value === null ? undefined : text(value, key));
  const localized = (value: unknown, key: string): LocalizedText => {
    if (typeof value === 'string') return { es: text(value, key) };
    if (!isRecord(value)) return fail(key, 'must be a string or { es, en }');
    for (const language of Object.keys(value)) if (language !== 'es' && language !== 'en') fail(`${key}.${language}`, 'only es and en are supported');
    return { es: text(value.es, `${key}.es`), ...(value.en === undefined ? {} : { en: text(value.en, `${key}.en`) }) };
  };
  const list = (value: unknown, key: string): string[] => {
    if (value === undefined || value === null) return [];
    const items = Array.isArray(value) ? value : [value];
    return items.map((item, index) => text(item, `${key}[${index}]`));
  };
  const day = (value: unknown, key: string): string | undefined => {
    const result = optionalText(value, key);
    if (result !== undefined && !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?$/.test(result)) {
      fail(key, `"${result}" is not a date (yyyy-mm-dd)`);
    }
    return result;
  };

  const id = optionalText(block.id, 'id') ?? defaultDatasetId(file);
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) fail('id', `"${id}" must be lowercase ASCII letters, digits and "-"`);

  if (!isRecord(block.publisher)) return fail('publisher', 'is required: { name, nit, sector?, order?, department?, municipality? }');
  const publisherBlock = block.publisher;
  for (const key of Object.keys(publisherBlock)) {
    if (!['name', 'nit', 'sector', 'order', 'department', 'municipality'].includes(key)) fail(`publisher.${key}`, 'unknown key');
  }
  const nit = text(publisherBlock.nit, 'publisher.nit');
  if (!/^\d{6,10}(-\d)?$/.test(nit)) fail('publisher.nit', `"${nit}" is not a NIT (6 to 10 digits, optional "-" check digit)`);
  const publisher: Publisher = {
    name: text(publisherBlock.name, 'publisher.name'),
    nit,
    sector: optionalText(publisherBlock.sector, 'publisher.sector'),
    order: optionalText(publisherBlock.order, 'publisher.order'),
    department: optionalText(publisherBlock.department, 'publisher.department'),
    municipality: optionalText(publisherBlock.municipality, 'publisher.municipality'),
  };

  let contactPoint: DatasetMetadata['contactPoint'];
  if (block.contactPoint !== undefined) {
    const email = isRecord(block.contactPoint) ? text(block.contactPoint.email, 'contactPoint.email') : fail('contactPoint', 'must be { email }');
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) fail('contactPoint.email', `"${email}" is not an e-mail address`);
    contactPoint = { email };
  }

  let temporal: DatasetMetadata['temporal'];
  if (block.temporal !== undefined) {
    if (!isRecord(block.temporal)) fail('temporal', 'must be { start, end }');
    const range = block.temporal as Record<string, unknown>;
    temporal = { start: day(range.start, 'temporal.start'), end: day(range.end, 'temporal.end') };
    if (temporal.start && temporal.end && temporal.start > temporal.end) fail('temporal', 'start is after end');
  }

  const language = list(block.language, 'language');
  for (const [index, code] of language.entries()) if (!/^[a-z]{2}$/.test(code)) fail(`language[${index}]`, `"${code}" is not an ISO 639-1 code`);

  const license = optionalText(block.license, 'license') ?? defaultLicense;
  if (!/^https?:\/\/\S+$/.test(license)) fail('license', `"${license}" must be an http(s) IRI`);

  const identifier = optionalText(block.identifier, 'identifier');
  if (identifier !== undefined && !/^[a-z0-9]{4}-[a-z0-9]{4}$/.test(identifier)) fail('identifier', `"${identifier}" is not a Socrata id (xxxx-xxxx)`);

  const personalData: Record<string, string> = {};
  if (block.personalData !== undefined) {
    if (!isRecord(block.personalData)) fail('personalData', 'must map column names to the decision taken about them');
    for (const [column, decision] of Object.entries(block.personalData as Record<string, unknown>)) {
      personalData[column] = text(decision, `personalData.${column}`);
    }
  }

  return {
    id,
    personalData,
    title: localized(block.title, 'title'),
    description: localized(block.description, 'description'),
    publisher,
    contactPoint,
    keywords: list(block.keywords, 'keywords'),
    themes: list(block.themes, 'themes'),
    spatial: list(block.spatial, 'spatial'),
    temporal,
    accrualPeriodicity: optionalText(block.accrualPeriodicity, 'accrualPeriodicity'),
    language: language.length > 0 ? language : ['es'],
    license,
    issued: day(block.issued, 'issued'),
    modified: day(block.modified, 'modified'),
    identifier,
  };
}
