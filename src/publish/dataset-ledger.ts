/**
 * A small record of withdrawn datasets, so their URLs answer `410 Gone` instead of 404. The store
 * keeps no such record, so the ledger watches `listDatasets()` (once per store version, on the next
 * request) and remembers, per dataset, the `{base}id/{concept}/` URI spaces its subjects use and a
 * Bloom filter of its IRI subjects: a resource of a dropped dataset is gone even where a live
 * dataset shares its URI space. A dataset created and dropped with no request in between is never
 * seen, and stays a 404.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { basePrefixes } from '../rdf/index.js';
import { type DatasetInfo, type VinculoStore, writeFileAtomic } from '../store/index.js';

interface LedgerEntry {
  /** The dataset version the URI spaces and subjects were read from. */
  readonly version: number;
  readonly uriSpaces: readonly string[];
  /** A Bloom filter of the IRI subjects (base64 bits); absent in ledgers written before it was kept. */
  readonly subjects?: string;
  readonly dropped?: string;
}

/** Hash functions of the subject filter: with 10 bits per quad, about 1% false positives at worst. */
const filterHashes = 7;
const bitsPerQuad = 10;

/** Two 32-bit FNV-1a variants of `text`, combined as in Kirsch–Mitzenmacher double hashing. */
function filterPositions(text: string, bits: number): number[] {
  let first = 0x811c9dc5;
  let second = 0x01000193;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    first = Math.imul(first ^ code, 0x01000193);
    second = Math.imul(second ^ code, 0x811c9dc5) ^ (second >>> 13);
  }
  return Array.from({ length: filterHashes }, (_, i) => ((first >>> 0) + i * ((second | 1) >>> 0)) % bits);
}

function filterHas(filter: Buffer, text: string): boolean {
  return filterPositions(text, filter.length * 8).every((bit) => ((filter[bit >> 3] ?? 0) & (1 << (bit & 7))) !== 0);
}

export interface DatasetLedger {
  /** Brings the record up to date with the store; cheap when the store's version has not moved. */
  observe(): Promise<void>;
  /** True when dataset `id` existed once and has since been dropped (and not re-created). */
  isDropped(id: string): Promise<boolean>;
  /** True when a dropped dataset held `iri` as a subject, or `iri` lies in a URI space only dropped datasets used. */
  isGone(iri: string): Promise<boolean>;
}

export interface DatasetLedgerOptions {
  readonly store: VinculoStore;
  readonly baseIRI: string;
  /** Where the record persists (`{dataDir}/linked-data/ledger.json`); in memory only without it. */
  readonly dataDir?: string;
}

/**
 * Opens (or starts) the ledger. Reads its file synchronously: it is small and read once at startup.
 * @throws SyntaxError when the ledger file exists but is not JSON.
 */
export function datasetLedger({ store, baseIRI, dataDir }: DatasetLedgerOptions): DatasetLedger {
  const file = dataDir === undefined ? undefined : join(dataDir, 'linked-data', 'ledger.json');
  const entries = new Map<string, LedgerEntry>();
  if (file) {
    try {
      for (const [id, entry] of Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, LedgerEntry>)) entries.set(id, entry);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const idRoot = basePrefixes(baseIRI).id;
  // Filters are kept in base64 for the file; decoded once each, not on every 404.
  const decoded = new Map<string, Buffer>();
  const decodedFilter = (base64: string): Buffer => {
    let filter = decoded.get(base64);
    if (!filter) {
      filter = Buffer.from(base64, 'base64');
      decoded.set(base64, filter);
    }
    return filter;
  };

  const save = async () => {
    if (!file) return;
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(dirname(file), basename(file), JSON.stringify(Object.fromEntries(entries), null, 1));
  };

  /** The `{base}id/{concept}/` prefixes of a dataset's subjects, and the filter of its IRI subjects. */
  const describe = async (info: DatasetInfo): Promise<LedgerEntry> => {
    const spaces = new Set<string>();
    const filter = Buffer.alloc(Math.max(8, Math.ceil((store.countQuads(null, null, null, info.graph) * bitsPerQuad) / 8)));
    let previous: string | undefined;
    for await (const quad of store.exportQuads(info.graph)) {
      const iri = quad.subject.value;
      // Quads come grouped by subject, so most repeats are skipped here; a late repeat sets set bits again.
      if (quad.subject.termType !== 'NamedNode' || iri === previous) continue;
      previous = iri;
      for (const bit of filterPositions(iri, filter.length * 8)) filter[bit >> 3] = (filter[bit >> 3] ?? 0) | (1 << (bit & 7));
      if (!iri.startsWith(idRoot)) continue;
      const slash = iri.indexOf('/', idRoot.length);
      if (slash > 0) spaces.add(iri.slice(0, slash + 1));
    }
    return { version: info.version, uriSpaces: [...spaces], subjects: filter.toString('base64') };
  };

  const update = async () => {
    let changed = false;
    const live = new Set<string>();
    for (const info of store.listDatasets()) {
      live.add(info.id);
      const entry = entries.get(info.id);
      if (!entry || entry.dropped !== undefined || entry.version !== info.version) {
        entries.set(info.id, await describe(info));
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
      const dropped = [...entries.values()].filter((entry) => entry.dropped !== undefined);
      if (dropped.some((entry) => entry.subjects !== undefined && filterHas(decodedFilter(entry.subjects), iri))) return true;
      // A URI space only dropped datasets used is gone as a whole, even for IRIs they never held.
      const users = [...entries.values()].filter((entry) => entry.uriSpaces.some((space) => iri.startsWith(space)));
      return users.length > 0 && users.every((entry) => entry.dropped !== undefined);
    },
  };
}
