/** Shared set-up of the catalog tests: a configuration over a fresh store, and reading DQV measurements back. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as RDF from '@rdfjs/types';
import type { VinculoConfig } from '../../src/config/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { ns } from '../../src/rdf/index.ts';
import { openStore, type VinculoStore } from '../../src/store/index.ts';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Real exports, read in place (never copied into the repository). */
export const colombia = join(projectRoot, '..', 'shared', 'data', 'colombia');

/** An empty working folder, for tests that need no store (an unused open store would hold its journal open). */
export function freshDirectory(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'vinculo-catalog-'));
}

/** A configuration whose data folder is in a fresh working folder, and the store opened there (callers close it). */
export async function freshProject(extraSourceDirs: readonly string[] = []): Promise<{ config: VinculoConfig; store: VinculoStore; dir: string }> {
  const dir = await freshDirectory();
  const loaded = await loadConfig({ cwd: projectRoot, env: {}, flags: { dataDir: join(dir, 'var') } });
  const config: VinculoConfig = { ...loaded, sourceDirs: [...loaded.sourceDirs, dir, ...extraSourceDirs] };
  const store = await openStore({ baseIRI: config.baseIRI, dataDir: config.dataDir });
  return { config, store, dir };
}

/** metric local name (`celdasVacias`) + column (or undefined) → value, from DQV quads. */
export function measurements(quads: readonly RDF.Quad[], datasetIri: string): Map<string, string> {
  const bySubject = new Map<string, RDF.Quad[]>();
  for (const item of quads) bySubject.set(item.subject.value, [...(bySubject.get(item.subject.value) ?? []), item]);
  const result = new Map<string, string>();
  for (const link of quads) {
    if (link.subject.value !== datasetIri || !link.predicate.equals(ns.dqv('hasQualityMeasurement'))) continue;
    const own = bySubject.get(link.object.value) ?? [];
    const metric = own.find((q) => q.predicate.equals(ns.dqv('isMeasurementOf')))?.object.value.split('#')[1];
    const value = own.find((q) => q.predicate.equals(ns.dqv('value')))?.object.value;
    const column = own.find((q) => q.predicate.value.endsWith('def/vinculo#columna'))?.object.value;
    if (metric !== undefined && value !== undefined) result.set(column === undefined ? metric : `${metric}:${column}`, value);
  }
  return result;
}
