/** The quad store: the contract every backend implements, the embedded N3 store, the remote SPARQL store, graph IRIs, dumps. */
export type {
  CatalogChanges,
  DatasetInfo,
  QuadSource,
  RemoteQueryOptions,
  RemoteQueryResult,
  SparqlEndpoint,
  StagedDataset,
  VinculoStore,
} from './types.js';
export { EmbeddedStore, openStore, type OpenStoreOptions } from './embedded-store.js';
export { lockHolder, syncDirectory, writeFileAtomic } from './durable-files.js';
export { exportDataset, type ExportOptions } from './export-dataset.js';
export { type IdGraph, IdTriples, type QuadIndex, termOfKey } from './id-index.js';
export { catalogGraph, datasetGraph, isValidDatasetId, reservedGraphWrite, reservedGraphs, vocabularyGraph } from './graph-iris.js';
export { openSparqlStore, SparqlStore, type SparqlStoreOptions } from './sparql-store.js';
