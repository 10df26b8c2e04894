/** The real embedded store, in memory, preloaded with quads: what the SPARQL tests run against. */
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import { openStore, type VinculoStore } from '../../../src/store/index.ts';

/** Opens an in-memory store (no data directory) and loads `quads` in one write. */
export async function memoryStore(quads: readonly RDF.Quad[] = [], baseIRI = 'http://example.org/'): Promise<VinculoStore> {
  const store = await openStore({ baseIRI });
  if (quads.length > 0) {
    await store.write(
      (target) =>
        new Promise<void>((resolve, reject) => {
          const emitter = target.import(Readable.from(quads));
          emitter.once('end', () => resolve());
          emitter.once('error', reject);
        }),
    );
  }
  return store;
}
