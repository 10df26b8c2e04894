/** Harvesting Socrata portals (datos.gov.co): a guarded SODA client, the local mirror of each dataset, full and incremental syncs. */
export { type HarvestOptions, type HarvestResult, harvestDataset } from './harvest-dataset.js';
export { harvestFiles } from './mirror.js';
export { type DatasetLocation, datasetLocation, HarvestFailed, SocrataClient, type SocrataClientOptions, type SodaRow } from './socrata-client.js';
