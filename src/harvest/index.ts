/** Harvesting Socrata portals (datos.gov.co): a guarded SODA client, the local mirror of each dataset, full and incremental syncs, the schedule `serve` runs them on, and a portal's DCAT-US listing. */
export { type HarvestOptions, type HarvestResult, harvestDataset } from './harvest-dataset.js';
export { harvestFiles } from './mirror.js';
export { type DatasetLocation, datasetLocation, HarvestFailed, SocrataClient, type SocrataClientOptions, type SodaRow } from './socrata-client.js';
export { type CatalogFilter, type CatalogListing, type ListedDataset, listPortalDatasets, selectDatasets } from './catalog-listing.js';
export { harvestClient, type HarvestNowOptions, nextDelay, HarvestScheduler, type HarvestSchedulerOptions, HarvestsStopped } from './schedule.js';
export { type HarvestDatasetStatus, type HarvestObserver, type HarvestRecord, type HarvestRun, intervalText, publicMessage, type SyncFailure, type SyncSummary } from './status.js';
