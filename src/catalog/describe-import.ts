/** What an import adds to the catalog graph besides provenance: the DCAT-AP description and the DQV measurements. */
import type * as RDF from '@rdfjs/types';
import type { MappingPlan } from '../mapping/index.js';
import { columnDictionary, sourceTables } from '../mapping/index.js';
import { columnDictionaryQuads } from './column-dictionary.js';
import { catalogDescription, datasetDescription, rangeTypes } from './dcat.js';
import { qualityMeasurements } from './dqv.js';
import { measureTables, type QualityReport, timelinessOf } from './quality.js';
import { type CatalogValidationReport, type ValidateCatalogOptions, validateCatalog } from './validate-catalog.js';

/**
 * Measures the quality of a mapping's sources (one streaming pass over each) with the mapping's
 * problem counts; `undefined` for a mapping without a `dataset:` block.
 * @throws the source readers' errors.
 */
export async function measureQuality(plan: MappingPlan, problems: Readonly<Record<string, number>>, now = new Date()): Promise<QualityReport | undefined> {
  if (!plan.dataset) return undefined;
  const decided = plan.dataset.personalData;
  const tables = (await measureTables(await sourceTables(plan))).map((table) => ({
    ...table,
    personalDataColumns: table.personalDataColumns.filter((column) => decided[column] === undefined),
  }));
  return {
    datasetId: plan.dataset.id,
    measuredAt: now,
    tables,
    problems,
    timeliness: timelinessOf(plan.dataset.modified, plan.dataset.accrualPeriodicity, now),
  };
}

/** The catalog quads of one import: the DCAT-AP description, the CSVW column dictionary and, when measured, the quality measurements. */
export function importDescription(plan: MappingPlan, baseIRI: string, quality: QualityReport | undefined, recorded: Date): RDF.Quad[] {
  if (!plan.dataset) return [];
  return [
    ...datasetDescription(plan.dataset, { baseIRI, recorded }),
    ...columnDictionaryQuads(baseIRI, plan.dataset.id, columnDictionary(plan)),
    ...(quality ? qualityMeasurements(baseIRI, quality) : []),
  ];
}

/**
 * Validates what a mapping's `dataset:` block will publish, in the context it is served in (the
 * catalog and its data services); `undefined` for a mapping without a block. With
 * `nationalProfileOnly`, only what an import must satisfy.
 * @throws VinculoError when the DCAT-AP shapes are missing (unless `nationalProfileOnly`).
 */
export async function validateMappingMetadata(plan: MappingPlan, baseIRI: string, options: ValidateCatalogOptions = {}): Promise<CatalogValidationReport | undefined> {
  if (!plan.dataset) return undefined;
  const described = [...importDescription(plan, baseIRI, undefined, new Date()), ...catalogDescription(baseIRI, [plan.dataset.id])];
  return validateCatalog([...described, ...rangeTypes(described)], options);
}
