/**
 * A small record of withdrawn datasets, so their URLs answer `410 Gone` instead of 404. The store
 * keeps no such record, so the ledger watches `listDatasets()` (once per store version, on the next
 * request) and remembers, per dataset, the `{base}id/{concept}/` URI spaces its subjects use. A
 * dataset created and dropped with no request in between is never seen, and stays a 404.
 */
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type * as RDF from '@rdfjs/types';
import type { VinculoStore } from '../store/index.js';
import { collectQuads } from '../rdf/index.js';

interface LedgerEntry {
  /** The dataset version the URI spaces were sampled from. */
  readonly version: number;
  readonly uriSpaces: readonly string[];
  readonly dropped?: string;
}

export interface DatasetLedger {
  /** Brings the record up to date with the store; cheap when the store's version has not moved. */
  observe(): Promise<void>;
  /** True when dataset `id` existed once and has since been dropped (and not re-created). */
  isDropped(id: string): Promise<boolean>;
  /** True when `iri` lies in a URI space only dropped datasets used. */
  isGone(iri: string): Promise<boolean>;
}

export interface DatasetLedgerOptions {
  readonly store: VinculoStore;
  readonly baseIRI: string;
  /** Where the record persists (`{dataDir}/linked-data/ledger.json`); in memory only without it. */
  readonly dataDir?: string;
  /** How many quads of a new dataset are sampled for its URI spaces. */
  readonly sample?: number;
}

/**
 * Opens (or starts) the ledger. Reads its file synchronously: it is small and read once at startup.
 * @throws SyntaxError when the ledger file exists but is not JSON.
 */
export function datasetLedger({ store, baseIRI, dataDir, sample = 1000 }: DatasetLedgerOptions): DatasetLedger {
  const file = dataDir === undefined ? undefined : join(dataDir, 'linked-data', 'ledger.json');
  const entries = new Map<string, LedgerEntry>();
  if (file) {
    try {
      for (const [id, entry] of Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, LedgerEntry>)) entries.set(id, entry);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const idRoot = `${baseIRI}id/`;

  const save = async () => {
    if (!file) return;
    await mkdir(dirname(file), { recursive: true });
    await writeFile(`${file}.tmp`, JSON.stringify(Object.fromEntries(entries), null, 1));
    await rename(`${file}.tmp`, file);
  };

  /** The `{base}id/{concept}/` prefixes among the first subjects of a dataset. */
  const uriSpacesOf = async (graph: RDF.NamedNode): Promise<string[]> => {
    const spaces = new Set<string>();
    for (const quad of await collectQuads(store, [null, null, null, graph], sample)) {
      const iri = quad.subject.value;
      if (!iri.startsWith(idRoot)) continue;
      const slash = iri.indexOf('/', idRoot.length);
      if (slash > 0) spaces.add(iri.slice(0, slash + 1));
    }
    return [...spaces];
  };

  const update = async () => {
    let changed = false;
    const live = new Set<string>();
    for (const info of store.listDatasets()) {
      live.add(info.id);
      const entry = entries.get(info.id);
      if (!entry || entry.dropped !== undefined || entry.version !== info.version) {
        entries.set(info.id, { version: info.version, uriSpaces: await uriSpacesOf(info.graph) });
        changed = true;
      }
    }
    for (const [id, entry] of entries) {
      if (!live.has(id) && entry.dropped === undefined) {
        entries.set(id, { ...entry, dropped: new Date().toISOString() });
        changed = true;
      }
    }
    if (changed) await save();
  };

  // One update per store version, shared by the requests that arrive while it runs.
  let current: { readonly version: number; readonly done: Promise<void> } | undefined;
  const refresh = (): Promise<void> => {
    if (current?.version !== store.version) {
      const done = update().catch((error: unknown) => {
        // A failed update is retried by the next request rather than remembered.
        current = undefined;
        throw error;
      });
      current = { version: store.version, done };
    }
    return current.done;
  };

  return {
    observe: refresh,
    async isDropped(id) {
      await refresh();
      return entries.get(id)?.dropped !== undefined;
    },
    async isGone(iri) {
      await refresh();
      let dropped = false;
      for (const entry of entries.values()) {
        if (!entry.uriSpaces.some((space) => iri.startsWith(space))) continue;
        if (entry.dropped === undefined) return false;
        dropped = true;
      }
      return dropped;
    },
  };
}
