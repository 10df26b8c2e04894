/** What an import adds to the catalog graph besides provenance: the DCAT-AP description and the DQV measurements. */
import type * as RDF from '@rdfjs/types';
import { columnDictionary, type LogicalSource, type MappingPlan, type SourceRecord, sourceTables } from '../mapping/index.js';
import { columnDictionaryQuads } from './column-dictionary.js';
import { catalogDescription, datasetDescription, rangeTypes } from './dcat.js';
import { qualityMeasurements } from './dqv.js';
import { type QualityReport, TableMeasurer, timelinessOf } from './quality.js';
import { type CatalogValidationReport, type ValidateCatalogOptions, validateCatalog } from './validate-catalog.js';

/** The quality of an import, measured on the records the mapping reads as it runs: the sources are read once. */
export interface QualityMeasurement {
  /** Give it as the mapping's `onRecord`. */
  readonly onRecord: (source: LogicalSource, record: SourceRecord) => void;
  /** The report, once the mapping has run, with its problem counts; `undefined` for a mapping without dataset metadata. */
  report(problems: Readonly<Record<string, number>>, now?: Date): QualityReport | undefined;
}

/**
 * Prepares the quality measurement of a mapping's sources: one measurer per source file (its
 * columns are the CSV header, read now; JSON ones the references the mapping makes). A file
 * several logical sources read is measured through the first of them only, as the mapping
 * reads each logical source once.
 * @throws the file system's error, or CsvSyntaxError, when a CSV header cannot be read.
 */
export async function startQualityMeasurement(plan: MappingPlan): Promise<QualityMeasurement> {
  const tables = plan.dataset ? await sourceTables(plan) : [];
  const measurers = new Map(tables.map((table) => [table.path, new TableMeasurer(table)]));
  const measuredSource = new Map<string, string>();
  return {
    onRecord(source, record) {
      const measurer = measurers.get(source.path);
      if (!measurer) return;
      const key = measuredSource.get(source.path) ?? source.key;
      measuredSource.set(source.path, key);
      if (key === source.key) measurer.add(record);
    },
    report(problems, now = new Date()) {
      if (!plan.dataset) return undefined;
      const decided = plan.dataset.personalData;
      return {
        datasetId: plan.dataset.id,
        measuredAt: now,
        tables: [...measurers.values()].map((measurer) => {
          const table = measurer.result();
          return { ...table, personalDataColumns: table.personalDataColumns.filter((column) => decided[column] === undefined) };
        }),
        problems,
        timeliness: timelinessOf(plan.dataset.modified, plan.dataset.accrualPeriodicity, now),
      };
    },
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
