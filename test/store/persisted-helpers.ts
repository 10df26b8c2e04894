/** Helpers for tests of the persisted store: temporary data directories and crash-like copies. */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as RDF from '@rdfjs/types';
import { type EmbeddedStore, openStore, type OpenStoreOptions } from '../../src/store/index.ts';
import { base } from './store-contract.ts';

export async function temporaryDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'vinculo-store-'));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export function open(dataDir: string, options: Partial<OpenStoreOptions> = {}): Promise<EmbeddedStore> {
  return openStore({ baseIRI: base, dataDir, ...options });
}

/**
 * What a restart after a crash would find: a copy of the data directory taken while the store
 * is open (everything acknowledged is fsync'd), without the lock our live process holds.
 */
export async function crashCopy(dataDir: string): Promise<string> {
  const copy = await temporaryDir();
  await cp(dataDir, copy, { recursive: true, filter: (source) => !source.endsWith(`${dataDir}/lock`) });
  return copy;
}

export async function allQuads(store: EmbeddedStore): Promise<RDF.Quad[]> {
  const quads: RDF.Quad[] = [];
  for await (const quad of store.exportQuads()) quads.push(quad);
  return quads;
}
