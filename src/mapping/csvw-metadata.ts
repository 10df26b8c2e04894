/**
 * CSVW metadata (W3C "Metadata Vocabulary for Tabular Data"): reading a metadata document into
 * normalized, typed table groups, with inherited properties resolved per column. Invalid values
 * are warnings (the property is ignored, §5); structural faults are `MappingError`s.
 */
import { admitsLength, admitsRange, builtinDatatypes, type CsvwDatatype, type NumericFormat, parseBound } from './csvw-datatypes.js';
import { MappingError } from './mapping-error.js';
import { isLanguageTag } from './literal-check.js';

/** JSON as parsed. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };
type JsonObject = { readonly [key: string]: Json };

export interface CsvwDialect {
  readonly encoding: string;
  readonly lineTerminators: readonly string[];
  readonly quoteChar: string | null;
  readonly doubleQuote: boolean;
  readonly skipRows: number;
  readonly commentPrefix: string | null;
  readonly header: boolean;
  readonly headerRowCount: number;
  readonly delimiter: string;
  readonly skipColumns: number;
  readonly skipBlankRows: boolean;
  readonly skipInitialSpace: boolean;
  readonly trim: 'true' | 'false' | 'start' | 'end';
}

export interface Title {
  readonly value: string;
  readonly lang: string;
}

/** Properties every level may set and columns inherit (§5.7). */
export interface Inherited {
  readonly aboutUrl?: string;
  readonly propertyUrl?: string;
  readonly valueUrl?: string;
  readonly datatype?: CsvwDatatype;
  readonly default?: string;
  readonly lang?: string;
  readonly null?: readonly string[];
  readonly ordered?: boolean;
  readonly required?: boolean;
  readonly separator?: string | null;
}

export interface CsvwColumn {
  readonly name: string;
  /** Whether the name came from the metadata rather than a title or `_col.N`. */
  readonly explicitName: boolean;
  readonly titles: readonly Title[];
  readonly virtual: boolean;
  readonly suppressOutput: boolean;
  readonly aboutUrl?: string;
  readonly propertyUrl?: string;
  readonly valueUrl?: string;
  readonly datatype: CsvwDatatype;
  readonly default: string;
  readonly lang: string;
  readonly null: readonly string[];
  readonly ordered: boolean;
  readonly required: boolean;
  readonly separator: string | null;
}

export interface CsvwTable {
  readonly url: string;
  readonly id?: string;
  readonly suppressOutput: boolean;
  readonly dialect: CsvwDialect;
  /** Columns as the metadata describes them; empty when it has no schema (then the CSV header defines them). */
  readonly columns: readonly CsvwColumn[];
  /** What columns built from the CSV header inherit. */
  readonly inherited: Inherited;
  readonly rowTitles: readonly string[];
  readonly notes: readonly Json[];
  readonly common: ReadonlyArray<readonly [string, Json]>;
  readonly foreignKeys: readonly Json[];
  /** Whether the metadata gave a schema: then extra CSV columns are `_col.N`, not named after titles. */
  readonly schemaPresent: boolean;
  /** The default language of the metadata (`@language`), `und` if none. */
  readonly language: string;
}

export interface CsvwTableGroup {
  readonly id?: string;
  readonly tables: readonly CsvwTable[];
  readonly notes: readonly Json[];
  readonly common: ReadonlyArray<readonly [string, Json]>;
  /** `@base` (resolved) or the document's URL: what `@id`s in common properties resolve against. */
  readonly base: string;
  readonly language?: string;
}

const csvwContext = 'http://www.w3.org/ns/csvw';

/** Prefixes of the CSVW context (the RDFa initial context), for prefixed names in metadata. */
export const csvwPrefixes: Readonly<Record<string, string>> = {
  as: 'https://www.w3.org/ns/activitystreams#',
  cc: 'http://creativecommons.org/ns#',
  csvw: 'http://www.w3.org/ns/csvw#',
  ctag: 'http://commontag.org/ns#',
  dc: 'http://purl.org/dc/terms/',
  dc11: 'http://purl.org/dc/elements/1.1/',
  dcat: 'http://www.w3.org/ns/dcat#',
  dcterms: 'http://purl.org/dc/terms/',
  dqv: 'http://www.w3.org/ns/dqv#',
  duv: 'https://www.w3.org/ns/duv#',
  foaf: 'http://xmlns.com/foaf/0.1/',
  gr: 'http://purl.org/goodrelations/v1#',
  grddl: 'http://www.w3.org/2003/g/data-view#',
  ical: 'http://www.w3.org/2002/12/cal/icaltzd#',
  jsonld: 'http://www.w3.org/ns/json-ld#',
  ldp: 'http://www.w3.org/ns/ldp#',
  ma: 'http://www.w3.org/ns/ma-ont#',
  oa: 'http://www.w3.org/ns/oa#',
  odrl: 'http://www.w3.org/ns/odrl/2/',
  og: 'http://ogp.me/ns#',
  org: 'http://www.w3.org/ns/org#',
  owl: 'http://www.w3.org/2002/07/owl#',
  prov: 'http://www.w3.org/ns/prov#',
  qb: 'http://purl.org/linked-data/cube#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfa: 'http://www.w3.org/ns/rdfa#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  rev: 'http://purl.org/stuff/rev#',
  rif: 'http://www.w3.org/2007/rif#',
  rr: 'http://www.w3.org/ns/r2rml#',
  schema: 'http://schema.org/',
  sd: 'http://www.w3.org/ns/sparql-service-description#',
  sioc: 'http://rdfs.org/sioc/ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  skosxl: 'http://www.w3.org/2008/05/skos-xl#',
  sosa: 'http://www.w3.org/ns/sosa/',
  ssn: 'http://www.w3.org/ns/ssn/',
  time: 'http://www.w3.org/2006/time#',
  v: 'http://rdf.data-vocabulary.org/#',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  void: 'http://rdfs.org/ns/void#',
  wdr: 'http://www.w3.org/2007/05/powder#',
  wdrs: 'http://www.w3.org/2007/05/powder-s#',
  xhv: 'http://www.w3.org/1999/xhtml/vocab#',
  xml: 'http://www.w3.org/XML/1998/namespace',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
};

/**
 * Expands `prefix:local` with the CSVW prefixes; anything else is returned as is.
 * @throws never.
 */
export function expandPrefixed(value: string): string {
  const match = /^([A-Za-z][\w.-]*):(.*)$/.exec(value);
  if (!match || match[2]!.startsWith('//')) return value;
  const namespace = csvwPrefixes[match[1]!];
  return namespace ? namespace + match[2] : value;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether a string starts with a URL scheme.
 * @throws never.
 */
export function isAbsoluteUrl(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value);
}

/**
 * Resolves a URL reference against a base (RFC 3986).
 * @throws never.
 */
export function resolveUrl(reference: string, base: string): string {
  // An absolute URL is kept as written (`http://example.org` stays without a trailing slash).
  if (isAbsoluteUrl(reference) && !/^[A-Za-z][\w+.-]*:(?:\/\/[^/]*)?(?:.*\/\.{1,2}(?:\/|$))/.test(reference)) return reference;
  try {
    return new URL(reference, base).href;
  } catch {
    return reference;
  }
}

const defaultDialect: CsvwDialect = {
  encoding: 'utf-8',
  lineTerminators: ['\r\n', '\n'],
  quoteChar: '"',
  doubleQuote: true,
  skipRows: 0,
  commentPrefix: null,
  header: true,
  headerRowCount: 1,
  delimiter: ',',
  skipColumns: 0,
  skipBlankRows: false,
  skipInitialSpace: false,
  trim: 'true',
};

/**
 * The default dialect (§5.9), optionally for headerless files.
 * @throws never.
 */
export function dialectWith(overrides: Partial<CsvwDialect> = {}): CsvwDialect {
  return { ...defaultDialect, ...overrides };
}

const tableGroupKeys = new Set(['@context', '@id', '@type', 'tables', 'dialect', 'notes', 'tableDirection', 'tableSchema', 'transformations']);
const tableKeys = new Set(['@context', '@id', '@type', 'url', 'dialect', 'notes', 'suppressOutput', 'tableDirection', 'tableSchema', 'transformations']);
const schemaKeys = new Set(['@context', '@id', '@type', 'columns', 'foreignKeys', 'primaryKey', 'rowTitles']);
const columnKeys = new Set(['@id', '@type', 'name', 'suppressOutput', 'titles', 'virtual']);
const inheritedKeys = new Set(['aboutUrl', 'datatype', 'default', 'lang', 'null', 'ordered', 'propertyUrl', 'required', 'separator', 'textDirection', 'valueUrl']);
const dialectKeys = new Set([
  '@id', '@type', 'commentPrefix', 'delimiter', 'doubleQuote', 'encoding', 'header', 'headerRowCount', 'lineTerminators', 'quoteChar',
  'skipBlankRows', 'skipColumns', 'skipInitialSpace', 'skipRows', 'trim',
]);
const datatypeKeys = new Set(['@id', '@type', 'base', 'format', 'length', 'minLength', 'maxLength', 'minimum', 'maximum', 'minInclusive', 'maxInclusive', 'minExclusive', 'maxExclusive']);

class Reader {
  readonly warnings: string[] = [];
  constructor(
    readonly file: string,
    readonly base: string,
    readonly language: string | undefined,
  ) {}

  error(message: string): never {
    throw new MappingError(message, { file: this.file, kind: 'csvw-metadata' });
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  /** `@id` and `@type` of a description object (§5.1.4): a blank-node `@id` or wrong `@type` is an error. */
  checkNode(object: JsonObject, type: string, where: string): string | undefined {
    const typeValue = object['@type'];
    if (typeValue !== undefined && typeValue !== type) this.error(`${where}: @type must be "${type}", not ${JSON.stringify(typeValue)}`);
    const id = object['@id'];
    if (id === undefined) return undefined;
    if (typeof id !== 'string') {
      // A link property that is not a string acts as the empty string: the base URL (§5.1.2).
      this.warn(`${where}: @id must be a string`);
      return this.base;
    }
    if (id.startsWith('_:')) this.error(`${where}: @id must not be a blank node ("${id}")`);
    return resolveUrl(id, this.base);
  }

  /** Common properties (prefixed names or absolute IRIs) and notes of a description object, validated. */
  common(object: JsonObject, known: ReadonlySet<string>, where: string): Array<readonly [string, Json]> {
    const out: Array<readonly [string, Json]> = [];
    for (const [key, value] of Object.entries(object)) {
      if (known.has(key) || inheritedKeys.has(key)) continue;
      if (key.startsWith('@')) {
        this.error(`${where}: "${key}" is not allowed here`);
      }
      if (key.includes(':')) {
        this.checkCommon(value, `${where} ${key}`);
        out.push([expandPrefixed(key), value]);
      } else this.warn(`${where}: unknown property "${key}" ignored`);
    }
    return out;
  }

  /** §5.8 (common properties): the JSON-LD subset allowed in metadata. */
  checkCommon(value: Json, where: string): void {
    if (Array.isArray(value)) {
      for (const item of value as readonly Json[]) this.checkCommon(item, where);
      return;
    }
    if (!isObject(value)) return;
    if ('@value' in value) {
      const keys = Object.keys(value).filter((key) => key !== '@value');
      if (keys.some((key) => key !== '@type' && key !== '@language')) this.error(`${where}: @value objects may only have @type or @language`);
      if ('@type' in value && '@language' in value) this.error(`${where}: @value with both @type and @language`);
      const type = value['@type'];
      if (type !== undefined) this.checkType(type, where);
      return;
    }
    if ('@language' in value) this.error(`${where}: @language outside an @value object`);
    for (const [key, inner] of Object.entries(value)) {
      if (key === '@id') {
        if (typeof inner !== 'string' || inner.startsWith('_:')) this.error(`${where}: @id must be an IRI, not ${JSON.stringify(inner)}`);
      } else if (key === '@type') {
        for (const type of Array.isArray(inner) ? (inner as readonly Json[]) : [inner]) this.checkType(type, where);
      } else if (key.startsWith('@')) this.error(`${where}: "${key}" is not allowed in a common property`);
      else this.checkCommon(inner, `${where} ${key}`);
    }
  }

  checkType(type: Json, where: string): void {
    if (typeof type !== 'string' || type.startsWith('_:')) this.error(`${where}: @type ${JSON.stringify(type)} is out of range`);
    const expanded = expandPrefixed(type);
    if (expanded === type && !isAbsoluteUrl(type) && !/^[A-Za-z]+$/.test(type)) this.error(`${where}: @type "${type}" is not a term, prefixed name or absolute IRI`);
  }

  /** An array property: anything else is a warning and acts as the empty array (§5.1.6). */
  array(object: JsonObject, key: string, where: string): readonly Json[] {
    const value = object[key];
    if (value === undefined) return [];
    if (Array.isArray(value)) return value as readonly Json[];
    this.warn(`${where}: ${key} must be an array`);
    return [];
  }

  string(object: JsonObject, key: string, where: string): string | undefined {
    const value = object[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      this.warn(`${where}: ${key} must be a string`);
      return undefined;
    }
    return value;
  }

  boolean(object: JsonObject, key: string, where: string): boolean | undefined {
    const value = object[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') {
      this.warn(`${where}: ${key} must be a boolean`);
      return undefined;
    }
    return value;
  }

  natural(object: JsonObject, key: string, where: string, lang: string): Title[] {
    const value = object[key];
    if (value === undefined) return [];
    if (typeof value === 'string') return [{ value, lang }];
    if (Array.isArray(value)) {
      const strings = (value as readonly Json[]).filter((item): item is string => typeof item === 'string');
      if (strings.length !== value.length) this.warn(`${where}: ${key} has non-string entries`);
      return strings.map((item) => ({ value: item, lang }));
    }
    if (isObject(value)) {
      const out: Title[] = [];
      for (const [tag, entry] of Object.entries(value)) {
        for (const item of Array.isArray(entry) ? (entry as readonly Json[]) : [entry]) if (typeof item === 'string') out.push({ value: item, lang: tag });
      }
      return out;
    }
    this.warn(`${where}: ${key} must be a string, array or object`);
    return [];
  }

  inherited(object: JsonObject, where: string): Inherited {
    const result: { -readonly [K in keyof Inherited]: Inherited[K] } = {};
    for (const key of ['aboutUrl', 'propertyUrl', 'valueUrl'] as const) {
      // A URI template property that is not a string acts as the empty string (§5.1.3).
      const value = object[key];
      if (value === undefined) continue;
      if (typeof value === 'string') result[key] = value;
      else {
        this.warn(`${where}: ${key} must be a string`);
        result[key] = '';
      }
    }
    const defaultValue = this.string(object, 'default', where);
    if (defaultValue !== undefined) result.default = defaultValue;
    const lang = this.string(object, 'lang', where);
    if (lang !== undefined) {
      if (isLanguageTag(lang)) result.lang = lang;
      else this.warn(`${where}: "${lang}" is not a language tag`);
    }
    const nulls = object.null;
    if (nulls !== undefined) {
      if (typeof nulls === 'string') result.null = [nulls];
      else if (Array.isArray(nulls)) {
        const strings = (nulls as readonly Json[]).filter((item): item is string => typeof item === 'string');
        if (strings.length !== nulls.length) this.warn(`${where}: null values must be strings`);
        result.null = strings;
      } else this.warn(`${where}: null must be a string or an array`);
    }
    const ordered = this.boolean(object, 'ordered', where);
    if (ordered !== undefined) result.ordered = ordered;
    const required = this.boolean(object, 'required', where);
    if (required !== undefined) result.required = required;
    if (object.separator !== undefined) {
      if (object.separator === null || typeof object.separator === 'string') result.separator = object.separator;
      else this.warn(`${where}: separator must be a string or null`);
    }
    if (object.datatype !== undefined) {
      const datatype = this.datatype(object.datatype, where);
      if (datatype) result.datatype = datatype;
    }
    return result;
  }

  datatype(value: Json, where: string): CsvwDatatype | undefined {
    if (typeof value === 'string') {
      const iri = builtinDatatypes.get(value);
      if (!iri) {
        this.warn(`${where}: unknown datatype "${value}", string used`);
        return undefined;
      }
      return { base: value, iri };
    }
    if (!isObject(value)) {
      this.warn(`${where}: datatype must be a string or an object`);
      return undefined;
    }
    const type = value['@type'];
    if (type !== undefined && type !== 'Datatype') this.error(`${where}: datatype @type must be "Datatype"`);
    let base = 'string';
    if (value.base !== undefined) {
      if (typeof value.base === 'string' && builtinDatatypes.has(value.base)) base = value.base;
      else this.warn(`${where}: datatype base ${JSON.stringify(value.base)} is not a built-in datatype, string used`);
    }
    let iri = builtinDatatypes.get(base)!;
    const id = value['@id'];
    if (id !== undefined) {
      if (typeof id !== 'string' || id.startsWith('_:')) this.error(`${where}: datatype @id must be an absolute IRI`);
      const expanded = expandPrefixed(id);
      if ([...builtinDatatypes.values()].includes(expanded)) this.error(`${where}: datatype @id <${expanded}> must not be a built-in datatype`);
      if (!isAbsoluteUrl(expanded)) this.error(`${where}: datatype @id "${id}" is not an absolute IRI`);
      iri = expanded;
    }
    for (const key of Object.keys(value)) {
      if (!datatypeKeys.has(key) && !key.includes(':')) this.warn(`${where}: unknown datatype property "${key}"`);
    }
    let format: string | NumericFormat | undefined;
    if (typeof value.format === 'string') format = value.format;
    else if (isObject(value.format)) {
      const f = value.format;
      format = {
        ...(typeof f.pattern === 'string' ? { pattern: f.pattern } : {}),
        ...(typeof f.decimalChar === 'string' ? { decimalChar: f.decimalChar } : {}),
        ...(typeof f.groupChar === 'string' ? { groupChar: f.groupChar } : {}),
      };
    } else if (value.format !== undefined) this.warn(`${where}: format must be a string or an object`);
    const result: { -readonly [K in keyof CsvwDatatype]: CsvwDatatype[K] } = { base, iri };
    if (format !== undefined) result.format = format;
    for (const key of ['length', 'minLength', 'maxLength'] as const) {
      const bound = value[key];
      if (bound === undefined) continue;
      if (typeof bound !== 'number' || !Number.isInteger(bound) || bound < 0) {
        this.warn(`${where}: ${key} must be a non-negative integer`);
        continue;
      }
      if (!admitsLength(base)) this.error(`${where}: ${key} is not allowed on ${base}`);
      result[key] = bound;
    }
    if (result.length !== undefined && ((result.minLength !== undefined && result.length < result.minLength) || (result.maxLength !== undefined && result.length > result.maxLength))) {
      this.error(`${where}: length conflicts with minLength/maxLength`);
    }
    if (result.minLength !== undefined && result.maxLength !== undefined && result.minLength > result.maxLength) this.error(`${where}: minLength is greater than maxLength`);
    const bounds: Array<[string, 'minimum' | 'maximum' | 'minExclusive' | 'maxExclusive']> = [
      ['minimum', 'minimum'],
      ['minInclusive', 'minimum'],
      ['maximum', 'maximum'],
      ['maxInclusive', 'maximum'],
      ['minExclusive', 'minExclusive'],
      ['maxExclusive', 'maxExclusive'],
    ];
    for (const [key, target] of bounds) {
      const bound = value[key];
      if (bound === undefined) continue;
      if (!admitsRange(base)) this.error(`${where}: ${key} is not allowed on ${base}`);
      const text = typeof bound === 'number' ? String(bound) : typeof bound === 'string' ? bound : undefined;
      const parsed = text === undefined ? undefined : parseBound(text, result);
      if (parsed === undefined) {
        this.warn(`${where}: ${key} ${JSON.stringify(bound)} is not a valid ${base}`);
        continue;
      }
      result[target] = parsed;
    }
    const num = (text: string | undefined) => (text === undefined ? undefined : Number.isNaN(Number(text)) ? Date.parse(text) : Number(text));
    const [min, max, minEx, maxEx] = [num(result.minimum), num(result.maximum), num(result.minExclusive), num(result.maxExclusive)];
    if (min !== undefined && minEx !== undefined) this.error(`${where}: both minimum and minExclusive`);
    if (max !== undefined && maxEx !== undefined) this.error(`${where}: both maximum and maxExclusive`);
    if (min !== undefined && max !== undefined && min > max) this.error(`${where}: minimum is greater than maximum`);
    if (min !== undefined && maxEx !== undefined && min >= maxEx) this.error(`${where}: minimum is not less than maxExclusive`);
    if (minEx !== undefined && max !== undefined && minEx >= max) this.error(`${where}: minExclusive is not less than maximum`);
    if (minEx !== undefined && maxEx !== undefined && minEx > maxEx) this.error(`${where}: minExclusive is greater than maxExclusive`);
    return result;
  }

  dialect(value: Json | undefined, inheritedDialect: Partial<CsvwDialect>, where: string): Partial<CsvwDialect> {
    if (value === undefined) return inheritedDialect;
    if (!isObject(value)) {
      this.warn(`${where}: dialect must be an object`);
      return inheritedDialect;
    }
    this.checkNode(value, 'Dialect', `${where} dialect`);
    const out: { -readonly [K in keyof CsvwDialect]?: CsvwDialect[K] } = {};
    for (const [key, item] of Object.entries(value)) {
      if (!dialectKeys.has(key)) {
        this.warn(`${where}: unknown dialect property "${key}"`);
        continue;
      }
      switch (key) {
        case 'encoding':
        case 'delimiter':
          if (typeof item === 'string') out[key] = item;
          else this.warn(`${where}: dialect ${key} must be a string`);
          break;
        case 'quoteChar':
        case 'commentPrefix':
          if (typeof item === 'string' || item === null) out[key] = item;
          else this.warn(`${where}: dialect ${key} must be a string`);
          break;
        case 'lineTerminators':
          if (typeof item === 'string') out.lineTerminators = [item];
          else if (Array.isArray(item) && item.every((entry) => typeof entry === 'string')) out.lineTerminators = item as string[];
          else this.warn(`${where}: dialect lineTerminators must be strings`);
          break;
        case 'doubleQuote':
        case 'header':
        case 'skipBlankRows':
        case 'skipInitialSpace':
          if (typeof item === 'boolean') out[key] = item;
          else this.warn(`${where}: dialect ${key} must be a boolean`);
          break;
        case 'skipRows':
        case 'skipColumns':
        case 'headerRowCount':
          if (typeof item === 'number' && Number.isInteger(item) && item >= 0) out[key] = item;
          else this.warn(`${where}: dialect ${key} must be a non-negative integer`);
          break;
        case 'trim':
          if (item === true || item === false) out.trim = item ? 'true' : 'false';
          else if (item === 'true' || item === 'false' || item === 'start' || item === 'end') out.trim = item;
          else this.warn(`${where}: dialect trim must be true, false, start or end`);
          break;
      }
    }
    // `header: false` means no header rows unless headerRowCount says otherwise (§5.9).
    if (out.header === false && out.headerRowCount === undefined) out.headerRowCount = 0;
    return out;
  }
}

function merged(...levels: Inherited[]): Inherited {
  return Object.assign({}, ...levels) as Inherited;
}

const columnNamePattern = /^(?:[A-Za-z0-9]|%[0-9A-Fa-f]{2})(?:[A-Za-z0-9._]|%[0-9A-Fa-f]{2})*$/;

/**
 * Builds a column from its inherited properties (§5.6–5.7).
 * @throws never.
 */
export function makeColumn(
  name: string,
  explicitName: boolean,
  titles: readonly Title[],
  props: Inherited,
  flags: { virtual: boolean; suppressOutput: boolean },
): CsvwColumn {
  return {
    name,
    explicitName,
    titles,
    virtual: flags.virtual,
    suppressOutput: flags.suppressOutput,
    ...(props.aboutUrl !== undefined ? { aboutUrl: props.aboutUrl } : {}),
    ...(props.propertyUrl !== undefined ? { propertyUrl: props.propertyUrl } : {}),
    ...(props.valueUrl !== undefined ? { valueUrl: props.valueUrl } : {}),
    datatype: props.datatype ?? { base: 'string', iri: builtinDatatypes.get('string')! },
    default: props.default ?? '',
    lang: props.lang ?? 'und',
    null: props.null ?? [''],
    ordered: props.ordered ?? false,
    required: props.required ?? false,
    separator: props.separator ?? null,
  };
}

/**
 * The default column name from a title (§5.6 `name`): the title, percent-encoded as a URI template variable.
 * @throws never.
 */
export function nameFromTitle(title: string): string {
  return encodeURIComponent(title).replace(/[!'()*~-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%2E/gi, '.');
}

function readTable(reader: Reader, value: JsonObject, group: Inherited, groupDialect: Partial<CsvwDialect>, index: number, lang: string): CsvwTable {
  const where = `table ${index + 1}`;
  const id = reader.checkNode(value, 'Table', where);
  const rawUrl = value.url;
  if (typeof rawUrl !== 'string') reader.error(`${where}: url is required and must be a string`);
  const url = resolveUrl(rawUrl, reader.base);
  const tableInherited = reader.inherited(value, where);
  const dialect = reader.dialect(value.dialect, groupDialect, where);
  const notes = reader.array(value, 'notes', where);
  for (const note of notes) reader.checkCommon(note, `${where} notes`);
  checkTransformations(reader, value.transformations, where);
  const common = reader.common(value, tableKeys, where);
  let schemaValue = value.tableSchema;
  // Linked schemas are inlined by the caller (which reads files through the allow-list).
  if (typeof schemaValue === 'string') {
    reader.warn(`${where}: linked tableSchema ${schemaValue} was not loaded`);
    schemaValue = {};
  }
  const columns: CsvwColumn[] = [];
  let rowTitles: string[] = [];
  let foreignKeys: readonly Json[] = [];
  let schemaInherited: Inherited = {};
  if (schemaValue !== undefined && !isObject(schemaValue)) reader.warn(`${where}: tableSchema must be an object`);
  if (isObject(schemaValue)) {
    const schemaWhere = `${where} tableSchema`;
    reader.checkNode(schemaValue, 'Schema', schemaWhere);
    reader.common(schemaValue, schemaKeys, schemaWhere);
    schemaInherited = reader.inherited(schemaValue, schemaWhere);
    const list = reader.array(schemaValue, 'columns', schemaWhere);
    let sawVirtual = false;
    const names = new Set<string>();
    list.forEach((raw, position) => {
      const columnWhere = `${schemaWhere} column ${position + 1}`;
      if (!isObject(raw)) {
        reader.warn(`${columnWhere}: a column must be an object`);
        return;
      }
      reader.checkNode(raw, 'Column', columnWhere);
      reader.common(raw, columnKeys, columnWhere);
      const props = merged(group, tableInherited, schemaInherited, reader.inherited(raw, columnWhere));
      const titles = reader.natural(raw, 'titles', columnWhere, lang);
      let name = reader.string(raw, 'name', columnWhere);
      if (name !== undefined && (!columnNamePattern.test(name) || name.startsWith('_'))) {
        reader.warn(`${columnWhere}: "${name}" is not a valid column name`);
        name = undefined;
      }
      const explicitName = name !== undefined;
      const titled = titles.find((title) => title.lang === lang);
      name ??= titled ? nameFromTitle(titled.value) : `_col.${position + 1}`;
      if (names.has(name)) reader.error(`${columnWhere}: duplicate column name "${name}"`);
      names.add(name);
      const virtual = reader.boolean(raw, 'virtual', columnWhere) ?? false;
      if (virtual) sawVirtual = true;
      else if (sawVirtual) reader.error(`${columnWhere}: a non-virtual column follows a virtual one`);
      columns.push(makeColumn(name, explicitName, titles, props, { virtual, suppressOutput: reader.boolean(raw, 'suppressOutput', columnWhere) ?? false }));
    });
    const references = (key: string): string[] => {
      const raw = (schemaValue as JsonObject)[key];
      if (raw === undefined) return [];
      const list = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? (raw as readonly Json[]) : [];
      const out = list.filter((item): item is string => typeof item === 'string');
      if (out.some((item) => !names.has(item))) {
        reader.warn(`${schemaWhere}: ${key} names a column that does not exist`);
        return [];
      }
      return out;
    };
    references('primaryKey');
    rowTitles = references('rowTitles');
    if (schemaValue.foreignKeys !== undefined) {
      if (Array.isArray(schemaValue.foreignKeys)) foreignKeys = schemaValue.foreignKeys as readonly Json[];
      else reader.warn(`${schemaWhere}: foreignKeys must be an array`);
    }
  }
  const suppressOutput = reader.boolean(value, 'suppressOutput', where) ?? false;
  return {
    url,
    ...(id !== undefined ? { id } : {}),
    suppressOutput,
    dialect: dialectWith(dialect),
    columns,
    inherited: merged(group, tableInherited, schemaInherited),
    rowTitles,
    notes,
    common,
    foreignKeys,
    schemaPresent: schemaValue !== undefined,
    language: lang,
  };
}

function checkTransformations(reader: Reader, value: Json | undefined, where: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    reader.warn(`${where}: transformations must be an array`);
    return;
  }
  for (const item of value as readonly Json[]) {
    if (isObject(item)) reader.checkNode(item, 'Template', `${where} transformation`);
  }
}

function checkForeignKeys(reader: Reader, tables: readonly CsvwTable[]): void {
  for (const table of tables) {
    // Columns a foreign key names must have an explicit `name` (§5.5).
    const names = new Set(table.columns.filter((column) => column.explicitName).map((column) => column.name));
    for (const key of table.foreignKeys) {
      if (!isObject(key)) {
        reader.warn(`${table.url}: a foreign key must be an object; ignored`);
        continue;
      }
      for (const property of Object.keys(key)) if (property !== 'columnReference' && property !== 'reference') reader.error(`${table.url}: foreign key property "${property}" is not allowed`);
      const own = typeof key.columnReference === 'string' ? [key.columnReference] : Array.isArray(key.columnReference) ? (key.columnReference as readonly Json[]) : [];
      if (own.length === 0 || own.some((name) => typeof name !== 'string' || !names.has(name))) reader.error(`${table.url}: foreign key columnReference names a missing column`);
      const reference = key.reference;
      if (!isObject(reference)) reader.error(`${table.url}: foreign key reference must be an object`);
      for (const property of Object.keys(reference)) {
        if (!['resource', 'schemaReference', 'columnReference'].includes(property)) reader.error(`${table.url}: foreign key reference property "${property}" is not allowed`);
      }
      // A schemaReference names a schema document; its columns are not checked here.
      if (typeof reference.resource !== 'string') {
        if (typeof reference.schemaReference !== 'string') reader.error(`${table.url}: foreign key reference needs a resource or schemaReference`);
        continue;
      }
      const target = tables.find((candidate) => candidate.url === resolveUrl(reference.resource as string, reader.base));
      if (!target) reader.error(`${table.url}: foreign key reference names no table of the group`);
      const theirs = typeof reference.columnReference === 'string' ? [reference.columnReference] : Array.isArray(reference.columnReference) ? (reference.columnReference as readonly Json[]) : [];
      const targetNames = new Set(target.columns.filter((column) => column.explicitName).map((column) => column.name));
      if (theirs.length === 0 || theirs.some((name) => typeof name !== 'string' || !targetNames.has(name))) reader.error(`${table.url}: foreign key reference columnReference names a missing column`);
    }
  }
}

/**
 * Reads a CSVW metadata document (a table group or a single table) into a normalized table group.
 * @param url the document's URL: relative URLs in it resolve against it (or its `@base`).
 * @throws MappingError for a malformed document (bad `@context`, blank-node `@id`, wrong `@type`,
 * no tables, duplicate column names, invalid common properties, contradictory datatype constraints, ...).
 */
export function readCsvwMetadata(
  document: Json,
  url: string,
  file: string,
): { group: CsvwTableGroup; warnings: readonly string[] } {
  const probe: Reader = new Reader(file, url, undefined);
  if (!isObject(document)) probe.error('a CSVW metadata document must be a JSON object');
  const context = document['@context'];
  let base = url;
  let language: string | undefined;
  if (Array.isArray(context)) {
    const [first, second, ...rest] = context as readonly Json[];
    if (first !== csvwContext || rest.length > 0 || !isObject(second)) probe.error(`@context must be "${csvwContext}" or ["${csvwContext}", {...}]`);
    for (const [key, value] of Object.entries(second)) {
      if (key === '@base' && typeof value === 'string') base = resolveUrl(value, url);
      else if (key === '@language') {
        if (typeof value === 'string' && isLanguageTag(value)) language = value;
        else probe.warn(`@language ${JSON.stringify(value)} is not a language tag`);
      }
      else probe.error(`@context may only set @base and @language, not ${key}`);
    }
  } else if (context !== csvwContext) probe.error(`@context must be "${csvwContext}"`);
  const reader: Reader = new Reader(file, base, language);
  const lang = language ?? 'und';
  let group: CsvwTableGroup;
  if (document.tables !== undefined || document.url === undefined) {
    const id = reader.checkNode(document, 'TableGroup', 'table group');
    const groupInherited = reader.inherited(document, 'table group');
    const groupDialect = reader.dialect(document.dialect, {}, 'table group');
    checkTransformations(reader, document.transformations, 'table group');
    const rawTables = reader.array(document, 'tables', 'table group');
    const tables = rawTables.filter(isObject).map((table, index) => readTable(reader, table, groupInherited, groupDialect, index, lang));
    if (tables.length === 0) reader.error('a table group must describe at least one table');
    const notes = Array.isArray(document.notes) ? (document.notes as readonly Json[]) : [];
    for (const note of notes) reader.checkCommon(note, 'table group notes');
    group = { ...(id !== undefined ? { id } : {}), tables, notes, common: reader.common(document, tableGroupKeys, 'table group'), base, ...(language ? { language } : {}) };
  } else {
    const table = readTable(reader, document, {}, {}, 0, lang);
    group = { tables: [table], notes: [], common: [], base, ...(language ? { language } : {}) };
  }
  checkForeignKeys(reader, group.tables);
  return { group, warnings: reader.warnings };
}
