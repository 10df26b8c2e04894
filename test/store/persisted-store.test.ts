/** The store contract against the persisted store, each case ending with a reopen that must find the same state. */
import * as assert from 'uvu/assert';
import { base, assertSameGraph, storeContract } from './store-contract.ts';
import { allQuads, open, removeDir, temporaryDir } from './persisted-helpers.ts';

storeContract('embedded, persisted and reopened', async () => {
  const dataDir = await temporaryDir();
  const store = await open(dataDir);
  return {
    store,
    async cleanup() {
      try {
        const quads = await allQuads(store);
        const datasets = store.listDatasets();
        const version = store.version;
        await store.close();
        const reopened = await open(dataDir, { warn: (message) => assert.unreachable(`unexpected warning: ${message}`) });
        try {
          assert.is(reopened.baseIRI, base);
          assertSameGraph(await allQuads(reopened), quads, 'reopened store holds the same quads');
          assert.equal(reopened.listDatasets(), datasets, 'same datasets, versions and dates');
          assert.is(reopened.version, version);
        } finally {
          await reopened.close();
        }
      } finally {
        await removeDir(dataDir);
      }
    },
  };
});
