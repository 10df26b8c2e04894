/** Builds what the configuration names: the store (embedded in `dataDir`, or a remote SPARQL store) and the SPARQL engine over it. */
import type { VinculoConfig } from '../config/index.js';
import { createSparqlEngine, type SparqlEngine } from '../sparql/index.js';
import { openSparqlStore, openStore, type VinculoStore } from '../store/index.js';

/**
 * The configured store, ready to use (`config.store.type`: `embedded` in `config.dataDir`, or `sparql`).
 * @throws StorageError when the data directory is damaged or in use, or the remote store is unreachable.
 */
export async function openConfiguredStore(config: VinculoConfig, warn: (message: string) => void): Promise<VinculoStore> {
  const store = config.store;
  if (store.type === 'sparql') {
    return openSparqlStore({
      baseIRI: config.baseIRI,
      queryUrl: store.queryUrl,
      updateUrl: store.updateUrl,
      graphStoreUrl: store.graphStoreUrl,
      user: store.user,
      password: store.password,
      timeoutMs: store.timeoutMs,
      batchSize: store.batchSize,
      pollMs: store.pollMs,
      warn,
    });
  }
  return openStore({ baseIRI: config.baseIRI, dataDir: config.dataDir, warn, maxMemoryBytes: store.maxMemoryBytes });
}

/** The SPARQL engine over `store` with the configured default graph, limits and SERVICE allowlist. */
export function createConfiguredEngine(store: VinculoStore, config: VinculoConfig): SparqlEngine {
  return createSparqlEngine({
    store,
    defaultGraph: config.sparql.defaultGraph,
    fastPath: config.sparql.fastPath,
    limits: {
      timeoutMs: config.limits.queryTimeoutMs,
      maxResultRows: config.limits.maxResultRows,
      maxQueryLength: config.limits.maxQueryLength,
      serviceAllowlist: config.sparql.serviceAllowlist,
    },
  });
}
