/**
 * The catalog description of a CSVW mapping: Dublin Core / DCAT common properties of the table
 * group (or table) read into the same `DatasetMetadata` a YARRRML `dataset:` block gives.
 */
import { basename } from 'node:path';
import { type CsvwTableGroup, expandPrefixed, type Json } from './csvw-metadata.js';
import { type DatasetMetadata, parseDatasetMetadata } from './dataset-metadata.js';

const dc = 'http://purl.org/dc/terms/';
const dcat = 'http://www.w3.org/ns/dcat#';
const schema = 'http://schema.org/';

type JsonObject = { readonly [key: string]: Json };

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function items(value: Json | undefined): readonly Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? (value as readonly Json[]) : [value];
}

/** The plain text of a value (`"x"`, `{"@value": "x"}`, `{"@id": "x"}`). */
function textOf(value: Json): string | undefined {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (isObject(value)) {
    const inner = value['@value'] ?? value['@id'];
    return typeof inner === 'string' || typeof inner === 'number' ? String(inner) : undefined;
  }
  return undefined;
}

/** Texts by language: untagged text (and `und`) counts as Spanish, the catalog's language. */
function localized(values: readonly Json[], language: string | undefined): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const value of values) {
    const text = textOf(value);
    if (text === undefined) continue;
    const tag = isObject(value) && typeof value['@language'] === 'string' ? value['@language'] : isObject(value) ? undefined : language;
    const key = tag === undefined || tag === 'und' ? 'es' : tag.toLowerCase().slice(0, 2);
    out[key] ??= text;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function property(object: JsonObject, iri: string): Json | undefined {
  for (const [key, value] of Object.entries(object)) if (expandPrefixed(key) === iri) return value;
  return undefined;
}

function texts(values: readonly Json[]): string[] {
  return values.map(textOf).filter((text): text is string => text !== undefined);
}

/**
 * Reads the dataset description of a CSVW metadata document. A document whose `dc:publisher`
 * gives no `schema:taxID` (the NIT) does not describe a Vínculo dataset: `undefined`.
 * @throws MappingError naming the key when the description is incomplete or invalid (as for YARRRML).
 */
export function csvwDatasetMetadata(group: CsvwTableGroup, file: string): DatasetMetadata | undefined {
  const common: Record<string, Json> = {};
  for (const [key, value] of [...group.common, ...(group.tables[0]?.common ?? [])]) common[key] ??= value;
  const publisher = items(common[`${dc}publisher`]).find(isObject);
  const nit = publisher ? property(publisher, `${schema}taxID`) : undefined;
  if (!publisher || nit === undefined) return undefined;
  const language = group.language;
  const get = (iri: string) => items(common[iri]);
  const contact = get(`${dcat}contactPoint`).find(isObject);
  const email = contact ? textOf(property(contact, 'http://www.w3.org/2006/vcard/ns#hasEmail') ?? property(contact, `${schema}email`) ?? null) : undefined;
  const temporal = get(`${dc}temporal`).find(isObject);
  // The id comes from the (first) table's file name: `municipios.csv` → `municipios`.
  const tableFile = group.tables[0]?.url.replace(/[?#].*$/, '').split('/').pop() ?? basename(file);
  const name = decodeURIComponent(tableFile).toLowerCase().replace(/(-metadata)?\.json$/, '').replace(/\.(csv|tsv)$/, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const block: Record<string, unknown> = {
    id: name,
    title: localized(get(`${dc}title`), language),
    description: localized(get(`${dc}description`), language),
    publisher: { name: textOf(property(publisher, `${schema}name`) ?? property(publisher, 'http://xmlns.com/foaf/0.1/name') ?? null), nit: textOf(nit) },
    ...(email !== undefined ? { contactPoint: { email: email.replace(/^mailto:/, '') } } : {}),
    keywords: texts(get(`${dcat}keyword`)),
    themes: texts(get(`${dcat}theme`)),
    spatial: texts(get(`${dc}spatial`)),
    ...(temporal ? { temporal: { start: textOf(property(temporal, `${dcat}startDate`) ?? null), end: textOf(property(temporal, `${dcat}endDate`) ?? null) } } : {}),
    accrualPeriodicity: texts(get(`${dc}accrualPeriodicity`))[0],
    language: texts(get(`${dc}language`)),
    license: texts(get(`${dc}license`))[0],
    issued: texts(get(`${dc}issued`))[0],
    modified: texts(get(`${dc}modified`))[0],
    identifier: texts(get(`${dc}identifier`))[0],
  };
  return parseDatasetMetadata(block, file);
}
