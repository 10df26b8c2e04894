/** Reading and validating `vinculo.config.json`, `VINCULO_*` variables and CLI flags into one typed object. */
export { loadConfig, type ConfigSources } from './load-config.js';
export type { HarvestConfig, HarvestDatasetConfig, HarvestSchedule, LdesConfig, LdesRetention, Limits, ScopedToken, StoreConfig, VinculoConfig } from './schema.js';
