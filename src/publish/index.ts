/** The dataset lifecycle between mapping/catalog/store and cli/http: import, change detection, quality and provenance in one pass, the catalog graph's bookkeeping, VoID statistics, the ledger of dropped datasets. */
export type { AdminStreamLine, ImportOutcome } from './admin-protocol.js';
export { catalogChanges, catalogQuads, describedBy } from './catalog-changes.js';
export { type DatasetLedger, type DatasetLedgerOptions, datasetLedger } from './dataset-ledger.js';
export { type DatasetStatistics, datasetStatistics, type Linkset, type StatisticsOptions } from './dataset-statistics.js';
export {
  configuredMappings,
  describeValidation,
  dropPublishedDataset,
  type PublishObserver,
  type PublishOptions,
  type PublishResult,
  publishMapping,
} from './import-mapping.js';
export { publishVocabularies } from './vocabularies.js';
export { datasetFacts, voidDescription } from './void-description.js';
