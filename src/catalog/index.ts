/** Catalog descriptions: DCAT-AP (datasets, distributions, services, records), DQV quality, PROV-O provenance, SHACL validation, Socrata scaffolding. */
export { euThemeOf, frequencyOf, languageOf, slug, spatialOf } from './authority-tables.js';
export { catalogDescription, datasetDescription, type DatasetDescriptionOptions, rangeTypes } from './dcat.js';
export { type DcatUsCatalog, dcatUsCatalog } from './dcat-us.js';
export { importDescription, type QualityMeasurement, startQualityMeasurement, validateMappingMetadata } from './describe-import.js';
export { metricIri, type QualityMetric, qualityMeasurements, qualityMetrics } from './dqv.js';
export { importProvenance, recordedInputs, type HashedFile, type ImportRun } from './provenance.js';
export {
  type ColumnQuality,
  formatQualityReport,
  isDivipolaCode,
  looksLikeDivipola,
  looksPersonal,
  type QualityReport,
  type TableQuality,
  type Timeliness,
  timelinessOf,
} from './quality.js';
export { inferType, readSocrataView, type Scaffold, type ScaffoldColumn, type ScaffoldInput, scaffoldMapping, type SocrataView } from './scaffold.js';
export { ldesCatalogQuads, ldesSpecification } from './ldes-distribution.js';
export { storeCatalog } from './store-catalog.js';
export {
  type CatalogValidationReport,
  compactIri,
  defaultDcatApShapesDir,
  formatValidationReport,
  type ValidateCatalogOptions,
  type ValidationFinding,
  validateCatalog,
} from './validate-catalog.js';
