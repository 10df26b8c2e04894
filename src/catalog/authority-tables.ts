/** Small tables from the metadata's plain words to authority IRIs: EU data themes, frequencies, languages, countries. */
import { divipolaIri } from '../rdf/index.js';

export const euTheme = (code: string): string => `http://publications.europa.eu/resource/authority/data-theme/${code}`;
export const euFrequency = (code: string): string => `http://publications.europa.eu/resource/authority/frequency/${code}`;
export const euLanguage = (code: string): string => `http://publications.europa.eu/resource/authority/language/${code}`;
export const euCountry = (code: string): string => `http://publications.europa.eu/resource/authority/country/${code}`;
export const euFileType = (code: string): string => `http://publications.europa.eu/resource/authority/file-type/${code}`;
export const ianaMediaType = (type: string): string => `https://www.iana.org/assignments/media-types/${type}`;

/** Lowercase ASCII, accents stripped, runs of anything else as `-`: the `{ref}` rule of the URI scheme. */
export function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * datos.gov.co categories (by slug) → EU data-theme codes. The portal has no "statistics"
 * theme in the EU list; national statistics are public-sector information, hence GOVE.
 */
const themeTable: Record<string, string> = {
  'agricultura-y-desarrollo-rural': 'AGRI',
  agricultura: 'AGRI',
  'ambiente-y-desarrollo-sostenible': 'ENVI',
  ambiente: 'ENVI',
  'ciencia-tecnologia-e-innovacion': 'TECH',
  'comercio-industria-y-turismo': 'ECON',
  cultura: 'EDUC',
  'deporte-y-recreacion': 'EDUC',
  'economia-y-finanzas': 'ECON',
  'hacienda-y-credito-publico': 'ECON',
  educacion: 'EDUC',
  estadistica: 'GOVE',
  'estadisticas-nacionales': 'GOVE',
  'funcion-publica': 'GOVE',
  'gastos-gubernamentales': 'GOVE',
  'organismos-de-control': 'GOVE',
  'participacion-ciudadana': 'GOVE',
  'inclusion-social-y-reconciliacion': 'SOCI',
  trabajo: 'SOCI',
  'justicia-y-derecho': 'JUST',
  'seguridad-y-defensa': 'JUST',
  'mapas-nacionales': 'REGI',
  'ordenamiento-territorial': 'REGI',
  'vivienda-ciudad-y-territorio': 'REGI',
  'minas-y-energia': 'ENER',
  'relaciones-exteriores': 'INTR',
  salud: 'HEAL',
  'salud-y-proteccion-social': 'HEAL',
  transporte: 'TRAN',
};

export const euThemeScheme = 'http://publications.europa.eu/resource/authority/data-theme';

/** The English labels of the EU data themes (the authority's own). */
const euThemeLabels: Record<string, string> = {
  AGRI: 'Agriculture, fisheries, forestry and food',
  ECON: 'Economy and finance',
  EDUC: 'Education, culture and sport',
  ENER: 'Energy',
  ENVI: 'Environment',
  GOVE: 'Government and public sector',
  HEAL: 'Health',
  INTR: 'International issues',
  JUST: 'Justice, legal system and public safety',
  REGI: 'Regions and cities',
  SOCI: 'Population and society',
  TECH: 'Science and technology',
  TRAN: 'Transport',
};

/** The EU data theme of a portal category (IRI and label), if the table knows it. */
export function euThemeOf(category: string): { iri: string; label: string } | undefined {
  const code = themeTable[slug(category)];
  return code === undefined ? undefined : { iri: euTheme(code), label: euThemeLabels[code] ?? code };
}

/** Frequency words (English keys of the metadata block, or the portal's Spanish) → EU code and its period in days. */
const frequencyTable: Record<string, { code: string; days: number | undefined }> = {
  daily: { code: 'DAILY', days: 1 },
  diaria: { code: 'DAILY', days: 1 },
  weekly: { code: 'WEEKLY', days: 7 },
  semanal: { code: 'WEEKLY', days: 7 },
  biweekly: { code: 'BIWEEKLY', days: 14 },
  quincenal: { code: 'BIWEEKLY', days: 14 },
  monthly: { code: 'MONTHLY', days: 31 },
  mensual: { code: 'MONTHLY', days: 31 },
  quarterly: { code: 'QUARTERLY', days: 92 },
  trimestral: { code: 'QUARTERLY', days: 92 },
  semiannual: { code: 'ANNUAL_2', days: 184 },
  semestral: { code: 'ANNUAL_2', days: 184 },
  annual: { code: 'ANNUAL', days: 366 },
  anual: { code: 'ANNUAL', days: 366 },
  biennial: { code: 'BIENNIAL', days: 731 },
  bienal: { code: 'BIENNIAL', days: 731 },
  continuous: { code: 'CONT', days: undefined },
  irregular: { code: 'IRREG', days: undefined },
  never: { code: 'NEVER', days: undefined },
  'no-aplica': { code: 'NEVER', days: undefined },
  unknown: { code: 'UNKNOWN', days: undefined },
};

/** The EU frequency IRI and the longest gap (days) it allows between updates; `undefined` for unknown words. */
export function frequencyOf(word: string): { iri: string; days: number | undefined } | undefined {
  const entry = frequencyTable[slug(word)];
  return entry && { iri: euFrequency(entry.code), days: entry.days };
}

/** ISO 639-1 → the EU language authority (ISO 639-3 style codes). */
const languageTable: Record<string, string> = { es: 'SPA', en: 'ENG', pt: 'POR', fr: 'FRA', de: 'DEU' };

export function languageOf(code: string): string | undefined {
  const entry = languageTable[code];
  return entry === undefined ? undefined : euLanguage(entry);
}

/**
 * A spatial word → a location IRI: DIVIPOLA codes (2-digit department, 5-digit municipality)
 * become our own `{base}kos/divipola/{code}`; "Colombia"/"Nacional" the EU country authority's
 * COL, because DCAT-AP validators and EU harvesters know that list (GeoNames they do not).
 */
export function spatialOf(baseIRI: string, word: string): string | undefined {
  if (/^\d{2}(\d{3})?$/.test(word)) return divipolaIri(baseIRI, word).value;
  const key = slug(word);
  if (key === 'colombia' || key === 'nacional') return euCountry('COL');
  return undefined;
}
