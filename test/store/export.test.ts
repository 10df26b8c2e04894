/** Dumps report a failing source to their reader, also through gzip, instead of leaving it waiting. */
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exportDataset, type VinculoStore } from '../../src/store/index.ts';
import { sampleQuads } from './store-contract.ts';

/** Only what exportDataset reads: a store whose dump fails after a few quads (an I/O error, say). */
const failing = {
  async *exportQuads(): AsyncIterable<RDF.Quad> {
    yield* sampleQuads('a', 3);
    throw new Error('read failed');
  },
} as unknown as VinculoStore;

for (const gzip of [false, true]) {
  test(`a failing source rejects the dump (gzip: ${gzip})`, async () => {
    let message = '';
    try {
      for await (const _chunk of exportDataset(failing, { format: 'nquads', gzip })) {
        // consume
      }
    } catch (error) {
      message = (error as Error).message;
    }
    assert.is(message, 'read failed');
  });
}

test.run();
