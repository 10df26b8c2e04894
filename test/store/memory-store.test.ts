/** The store contract against the in-memory embedded store (no data directory). */
import { openStore } from '../../src/store/index.ts';
import { base, storeContract } from './store-contract.ts';

storeContract('embedded, in memory', async () => {
  const store = await openStore({ baseIRI: base });
  return { store, cleanup: () => store.close() };
});
