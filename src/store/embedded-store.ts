/**
 * The embedded store: compact graphs in memory (one per named graph) made durable by per-graph
 * binary snapshots, segments of the term dictionary, a checksummed append-only journal and an
 * atomically replaced manifest. A data directory of the N-Quads snapshot format (manifest format
 * 1) is read once and rewritten in the binary one on the first start.
 *
 * Commit protocol. Every change has a sequence number (the store `version`). A `write()` is one
 * journal record, fsync'd before it resolves. `commit`, `dropDataset`, compaction and
 * `close()` are checkpoints: they write fresh snapshots of the graphs they replace and of every
 * graph changed since the last checkpoint, then atomically replace `manifest.json` with
 * `seq` = the sequence number they reflect (the commit point), swap memory, then empty the
 * journal. Entity ids are never reused, so a checkpoint adds to the dictionary only the terms
 * new since the last one, and a graph snapshot stays valid beside newer segments. On start-up
 * journal records with `seq` ≤ the manifest's are skipped, so a crash
 * between any two steps loses nothing acknowledged and applies nothing twice.
 */
import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type * as RDF from '@rdfjs/types';
import { Forbidden, StorageError, TooLarge } from '../errors/index.js';
import { DataFactory } from '../rdf/index.js';
import { lockDirectory, syncDirectory, writeFileAtomic, type DirectoryLock } from './durable-files.js';
import { CompactGraph } from './compact-graph.js';
import { GraphSet, graphKey, QuadMatch } from './graph-set.js';
import {
  catalogGraph,
  datasetGraph,
  datasetIdOfGraph,
  isValidDatasetId,
  normalizeBaseIRI,
  vocabularyGraph,
} from './graph-iris.js';
import { decodeRecord, encodeRecord, Journal, quadLine, readJournal } from './journal.js';
import { readSnapshot, type SnapshotInfo } from './snapshot.js';
import {
  type GraphFileInfo,
  readGraphFile,
  readTermFile,
  type TermFileInfo,
  writeGraphFile,
  writeGraphPermutations,
  writeTermFile,
} from './binary-snapshot.js';
import { GraphLoader, sizeCheckEvery, storableQuad } from './storable-quad.js';
import type { QuadIndex } from './id-index.js';
import { type CatalogChanges, type DatasetInfo, isQuadBatch, type QuadSource, type StagedDataset, type VinculoStore } from './types.js';
import { WriteTarget } from './write-target.js';

/** Changes to a bulk-loaded graph, as a share of its size, at which a write rebuilds it at once rather than at the next checkpoint. */
const changedShareToRebuild = 0.25;

export interface OpenStoreOptions {
  /** Base of every minted IRI, e.g. `https://datos.example.gov.co/`. */
  readonly baseIRI: string;
  /** Where snapshots, journal and manifest live; undefined keeps everything in memory only. */
  readonly dataDir?: string;
  /** Receives recoverable problems (a torn journal tail that was cut, a failed compaction). */
  readonly warn?: (message: string) => void;
  /** Journal size (bytes) past which a write triggers a compaction; default 64 MiB. */
  readonly journalLimit?: number;
  /** Memory the store may hold (`store.maxMemoryBytes`); an import that would need more is refused. Default: 3/4 of the machine's (or the container's) memory. */
  readonly maxMemoryBytes?: number;
  /**
   * A re-import of a dataset whose current version holds at least this many quads builds the new
   * version on disk (see `stage`); default 500,000. Below it the old version is too small to matter.
   */
  readonly spillReplacedQuads?: number;
}

const defaultSpillReplacedQuads = 500_000;

/**
 * What building a graph costs per quad at its peak: the loader's three columns with room to
 * grow by half, the sort's order and scratch arrays and the three permutations it fills (a peak
 * RSS of about 105 bytes a quad measured with 10M quads, dictionary included, which the budget
 * counts apart).
 */
const buildBytesPerQuad = 96;

function defaultMemoryBudget(): number {
  const container = process.constrainedMemory?.() ?? 0;
  const machine = totalmem();
  return Math.floor((container > 0 && container < machine ? container : machine) * 0.75);
}

const mib = (bytes: number): string => `${Math.round(bytes / 1024 / 1024).toLocaleString('en')} MiB`;

interface DatasetState {
  readonly id: string;
  readonly graph: RDF.NamedNode;
  readonly version: number;
  readonly modified: Date;
}

interface ManifestDataset {
  readonly version: number;
  readonly modified: string;
  /** Written by stores that kept each dataset's catalog quads themselves; ignored now (the publish layer finds them in the catalog graph). */
  readonly provenance?: string;
}

/** A staged version's graph built on disk: its snapshot-format file, read back at commit. */
interface SpilledGraph {
  readonly directory: string;
  readonly info: GraphFileInfo;
  readonly graphId: number;
  /** Removes the file (and a memory-only store's temporary folder). */
  readonly remove: () => Promise<void>;
}

/** A staged version's graph, built aside (in memory, or on disk), and its hold on the dictionary's terms. */
interface PendingStage {
  readonly built: CompactGraph | SpilledGraph;
  readonly release: () => void;
}

/** Ends a stage's hold on its terms and removes its spill file, if it has one. */
async function releaseStage(pending: PendingStage): Promise<void> {
  pending.release();
  if (!(pending.built instanceof CompactGraph)) await pending.built.remove();
}

/** Spilled stages in a data directory sit among the snapshots: start-up removes any a crash left, as every unreferenced file. */
const spillSuffix = '.spill';

const noCatalogChanges: CatalogChanges = { remove: [], add: [] };

/** What the N-Quads snapshot version wrote; read only to migrate. */
interface LegacyManifest {
  readonly format: 1;
  readonly seq: number;
  /** Graph key (IRI, `''` for the default graph) → its N-Quads snapshot. */
  readonly graphs: Record<string, SnapshotInfo>;
  readonly datasets: Record<string, ManifestDataset>;
}

interface Manifest {
  readonly format: 2;
  readonly seq: number;
  /** The dictionary's segments in id order: together, the key of every id a graph snapshot uses. */
  readonly terms: readonly TermFileInfo[];
  /** Graph key (IRI, `''` for the default graph) → its snapshot. */
  readonly graphs: Record<string, GraphFileInfo>;
  readonly datasets: Record<string, ManifestDataset>;
}

interface Persistence {
  readonly dataDir: string;
  readonly snapshotsDir: string;
  readonly journal: Journal;
  readonly lock: DirectoryLock;
  /** What the current manifest says about each graph's snapshot. */
  snapshots: Map<string, GraphFileInfo>;
  /** The current manifest's dictionary segments. */
  terms: readonly TermFileInfo[];
}

interface Checkpoint {
  readonly seq: number;
  /** Graphs swapped in by this checkpoint; `undefined` removes the graph. */
  readonly replacements: ReadonlyMap<string, CompactGraph | undefined>;
  readonly datasets: ReadonlyMap<string, DatasetState>;
  /** Called once the replacements are in memory (a put's hold on its terms ends there). */
  readonly swapped?: () => void;
  /** Replacements already written as a snapshot in the snapshots folder (a spilled stage): the file is renamed, not written again. */
  readonly prewritten?: ReadonlyMap<string, GraphFileInfo>;
}

const manifestName = 'manifest.json';
const journalName = 'journal.log';
const defaultJournalLimit = 64 * 1024 * 1024;
/** Past this many dictionary segments a checkpoint writes the whole dictionary as one (few files, bounded start-up seeks). */
const maxTermSegments = 16;
/** Id 1 is the default graph's, in every dictionary from the start (N3 stores assume it). */
const firstSavedId = 2;

/** A reserved-name-free, stable file stem for a graph's snapshots. */
function snapshotStem(baseIRI: string, key: string): string {
  if (key === '') return '_default';
  const id = datasetIdOfGraph(baseIRI, key);
  if (id !== undefined) return id;
  if (key === catalogGraph(baseIRI).value) return '_catalog';
  if (key === vocabularyGraph(baseIRI).value) return '_vocabulary';
  return `_g-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

/** The graph term of a map key (inverse of `graphKey`). */
function graphOfKey(key: string): RDF.Quad_Graph {
  if (key === '') return DataFactory.defaultGraph();
  if (key.startsWith('_:')) return DataFactory.blankNode(key.slice(2));
  return DataFactory.namedNode(key);
}

function refusedWrite(): EventEmitter {
  const emitter = new EventEmitter();
  queueMicrotask(() => {
    const error = new Forbidden('the store is written only inside write(), which journals the change');
    if (emitter.listenerCount('error') > 0) emitter.emit('error', error);
  });
  return emitter;
}

function isManifest(value: unknown): value is Manifest | LegacyManifest {
  if (typeof value !== 'object' || value === null) return false;
  const manifest = value as Partial<Manifest> | Partial<LegacyManifest>;
  return (
    (manifest.format === 1 || (manifest.format === 2 && Array.isArray(manifest.terms))) &&
    typeof manifest.seq === 'number' &&
    typeof manifest.graphs === 'object' &&
    manifest.graphs !== null &&
    typeof manifest.datasets === 'object' &&
    manifest.datasets !== null
  );
}

async function readManifest(dataDir: string): Promise<Manifest | LegacyManifest> {
  const path = join(dataDir, manifestName);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { format: 2, seq: 0, terms: [], graphs: {}, datasets: {} };
    throw new StorageError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new StorageError(`corrupt manifest ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (!isManifest(manifest)) throw new StorageError(`corrupt manifest ${path}: unexpected structure`);
  return manifest;
}

export class EmbeddedStore implements VinculoStore {
  readonly baseIRI: string;
  readonly dataDir: string | undefined;
  readonly #graphs = new GraphSet();
  #datasets = new Map<string, DatasetState>();
  /** Versions staged and not yet committed or discarded. */
  readonly #staged = new WeakMap<StagedDataset, PendingStage>();
  /** Graphs changed by write() since the last checkpoint. */
  readonly #dirty = new Set<string>();
  /** Graph key → the version of its last change in this process (representation caches ask which graphs changed). */
  readonly #graphVersions = new Map<string, number>();
  #version = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  #persistence: Persistence | undefined;
  readonly #warn: (message: string) => void;
  readonly #journalLimit: number;
  readonly #maxMemoryBytes: number;
  readonly #spillReplacedQuads: number;

  private constructor(options: OpenStoreOptions) {
    this.baseIRI = normalizeBaseIRI(options.baseIRI);
    this.dataDir = options.dataDir;
    this.#warn = options.warn ?? ((message) => process.emitWarning(message, 'VinculoStore'));
    this.#journalLimit = options.journalLimit ?? defaultJournalLimit;
    this.#maxMemoryBytes = options.maxMemoryBytes ?? defaultMemoryBudget();
    this.#spillReplacedQuads = options.spillReplacedQuads ?? defaultSpillReplacedQuads;
  }

  get version(): number {
    return this.#version;
  }

  /**
   * The store loaded and ready (what `openStore` returns).
   * @throws StorageError when the data directory is damaged (naming the file) or in use.
   */
  static async open(options: OpenStoreOptions): Promise<EmbeddedStore> {
    const store = new EmbeddedStore(options);
    if (options.dataDir !== undefined) await store.#load(options.dataDir);
    return store;
  }

  // --- RDF/JS Source ---------------------------------------------------------------------

  match(
    subject?: RDF.Term | null,
    predicate?: RDF.Term | null,
    object?: RDF.Term | null,
    graph?: RDF.Term | null,
  ): RDF.Stream<RDF.Quad> {
    return new QuadMatch(() => this.#graphs.quads(subject, predicate, object, graph));
  }

  changedGraphs(since: number): RDF.Quad_Graph[] {
    return [...this.#graphVersions].filter(([, version]) => version > since).map(([key]) => graphOfKey(key));
  }

  countQuads(subject?: RDF.Term | null, predicate?: RDF.Term | null, object?: RDF.Term | null, graph?: RDF.Term | null): number {
    return this.#graphs.count(subject, predicate, object, graph);
  }

  /** Id-level reads for the SPARQL fast path. */
  readonly quadIndex: QuadIndex = {
    idOf: (term) => this.#graphs.entities.idOf(term),
    idOfKey: (key) => this.#graphs.entities.idOfKey(key),
    keyOf: (id) => this.#graphs.entities.keyOf(id),
    defaultGraphs: (mode) => this.#graphs.select(mode === 'union' ? null : DataFactory.defaultGraph()),
    namedGraphs: () => [...this.#graphs.keys()].filter((key) => key !== '' && !key.startsWith('_:') && (this.#graphs.get(key)?.size ?? 0) > 0),
    namedGraph: (name) => (name === '' ? undefined : this.#graphs.get(name)),
  };

  // --- RDF/JS Sink: refused outside write() ---------------------------------------------

  import(_stream: RDF.Stream<RDF.Quad>): EventEmitter {
    return refusedWrite();
  }

  remove(_stream: RDF.Stream<RDF.Quad>): EventEmitter {
    return refusedWrite();
  }

  removeMatches(): EventEmitter {
    return refusedWrite();
  }

  deleteGraph(_graph: RDF.Quad_Graph | string): EventEmitter {
    return refusedWrite();
  }

  // --- datasets ----------------------------------------------------------------------------

  listDatasets(): readonly DatasetInfo[] {
    return [...this.#datasets.keys()]
      .sort()
      .map((id) => this.dataset(id))
      .filter((info): info is DatasetInfo => info !== undefined);
  }

  dataset(id: string): DatasetInfo | undefined {
    const state = this.#datasets.get(id);
    if (!state) return undefined;
    const quads = this.#graphs.get(state.graph.value)?.size ?? 0;
    return { id, graph: state.graph, version: state.version, modified: state.modified, quads };
  }

  /**
   * Builds dataset `id`'s next version aside from `quads` (their graph set to `{base}graph/{id}`;
   * blank nodes relabelled `{id}_…`, since RDF datasets share blank nodes across graphs and labels
   * from separate imports must not merge). Readers keep seeing the current version until `commit`.
   * When the current version is large (`spillReplacedQuads`), the new one's permutations are
   * streamed to a file as they are sorted, and read back only at `commit`: memory never holds the
   * old version, the new one and the sort's temporary arrays at once.
   * @throws BadRequest for an invalid id or a quad N-Quads cannot carry; TooLarge past the memory
   *   budget; whatever `quads` throws. In every case nothing changes.
   */
  async stage(id: string, quads: QuadSource): Promise<StagedDataset> {
    this.#assertOpen();
    const graph = datasetGraph(this.baseIRI, id);
    // The new graph's terms are in no graph until it is swapped in: the dictionary must keep them.
    const release = this.#graphs.entities.hold();
    try {
      const replaced = this.#graphs.get(graph.value)?.size ?? 0;
      // A new version is usually about the old one's size: room for a quarter more, reserved once.
      const loader = new GraphLoader(this.#graphs.entities, graph, `${id}_`, {
        checkSize: (count) => this.#checkMemory(id, count),
        expectedQuads: replaced * 1.25,
      });
      // `for await` would spend a microtask on every quad of an array.
      if (Array.isArray(quads)) loader.addAll(quads);
      else {
        for await (const item of quads) {
          if (isQuadBatch(item)) loader.addAll(item);
          else loader.add(item);
        }
      }
      const built = replaced >= this.#spillReplacedQuads ? await this.#spill(id, loader) : loader.finish();
      const size = built instanceof CompactGraph ? built.size : built.info.quads;
      const staged: StagedDataset = { id, graph, quads: size, discard: () => this.#unstage(staged) };
      this.#staged.set(staged, { built, release });
      return staged;
    } catch (error) {
      release();
      throw error;
    }
  }

  /**
   * Publishes a staged version in one checkpoint: its graph replaces the dataset's, and
   * `catalogChanges` edit the catalog graph in the same step (quads removed as given, then added,
   * kept as they are: blank nodes keep their labels). Readers see the old or the new version, never a mix.
   * @throws StorageError when `staged` is not a pending stage of this store, or persisting fails
   *   (then nothing changes and the stage is discarded); BadRequest for a catalog quad N-Quads cannot carry.
   */
  async commit(staged: StagedDataset, catalogChanges: CatalogChanges = noCatalogChanges): Promise<DatasetInfo> {
    const pending = this.#staged.get(staged);
    if (!pending) throw new StorageError(`dataset ${staged.id}: this version was not staged by this store, or is already committed or discarded`);
    this.#staged.delete(staged);
    try {
      this.#assertOpen();
      const catalog = catalogGraph(this.baseIRI);
      const added = catalogChanges.add.map((quad) => storableQuad(quad, catalog));
      return await this.#exclusive(async () => {
        this.#assertOpen();
        const seq = this.#version + 1;
        const spilled = pending.built instanceof CompactGraph ? undefined : pending.built;
        const key = staged.graph.value;
        const replaced = this.#graphs.get(key);
        try {
          // Readers see the old version until the swap (a spilled one is read in beside it, see #readSpilled).
          const built = spilled ? await this.#readSpilled(staged.graph, spilled) : (pending.built as CompactGraph);
          const replacements = new Map<string, CompactGraph | undefined>([[key, built]]);
          this.#editCatalog(replacements, catalogChanges.remove, added);
          const datasets = new Map(this.#datasets);
          datasets.set(staged.id, { id: staged.id, graph: staged.graph, version: seq, modified: new Date() });
          const prewritten = spilled && this.#persistence ? new Map([[key, spilled.info]]) : undefined;
          await this.#checkpoint({ seq, replacements, datasets, swapped: pending.release, prewritten });
        } catch (error) {
          // The old version stays: whole again, if reading the new one had released its object index.
          if (replaced?.objectIndexReleased && this.#graphs.get(key) === replaced) this.#graphs.set(key, replaced.compacted());
          throw error;
        }
        return this.dataset(staged.id) as DatasetInfo;
      });
    } finally {
      await releaseStage(pending);
    }
  }

  /** Replaces dataset `id` with `quads` and no catalog change: `stage` then `commit`. */
  async putDataset(id: string, quads: QuadSource): Promise<DatasetInfo> {
    return this.commit(await this.stage(id, quads));
  }

  async #unstage(staged: StagedDataset): Promise<void> {
    const pending = this.#staged.get(staged);
    this.#staged.delete(staged);
    if (pending) await releaseStage(pending);
  }

  /**
   * Sorts a loader's triples into a snapshot-format file, one permutation at a time, each array
   * computed piece by piece as it is written (none whole in memory), under the snapshots folder
   * (or a temporary folder for a memory-only store).
   * @throws StorageError when the file cannot be written (nothing is left behind).
   */
  async #spill(id: string, loader: GraphLoader): Promise<SpilledGraph> {
    const persistence = this.#persistence;
    const directory = persistence?.snapshotsDir ?? (await mkdtemp(join(tmpdir(), 'vinculo-stage-')));
    const file = `${snapshotStem(this.baseIRI, datasetGraph(this.baseIRI, id).value)}-${randomUUID()}${spillSuffix}`;
    const remove = persistence
      ? () => unlink(join(directory, file)).catch(() => undefined)
      : () => rm(directory, { recursive: true, force: true });
    try {
      const info = await writeGraphPermutations(directory, file, loader.permutations());
      return { directory, info, graphId: loader.graphId, remove };
    } catch (error) {
      await remove();
      throw error;
    }
  }

  /**
   * A spilled stage's graph, read back whole (its sections checked as a snapshot's are). The
   * version it replaces lets go of its object index (the largest permutation) just before the new
   * one's is read: it answers the same (patterns with only the object known by a scan) for the
   * seconds until the swap, and the two versions are never whole in memory together (when the
   * commit then fails, `commit` rebuilds the old version whole).
   */
  async #readSpilled(graph: RDF.NamedNode, spilled: SpilledGraph): Promise<CompactGraph> {
    const replaced = this.#graphs.get(graph.value);
    const rows = await readGraphFile(spilled.directory, spilled.info, { rotation: 'osp', release: () => replaced?.releaseObjectIndex() });
    return CompactGraph.fromRows(this.#graphs.entities, graph, spilled.graphId, rows);
  }

  /**
   * Removes dataset `id` and its graph, with `catalogChanges` in the same step; false (and no
   * change) when there is no such dataset.
   * @throws BadRequest for an invalid id; StorageError when persisting fails (nothing changes).
   */
  async dropDataset(id: string, catalogChanges: CatalogChanges = noCatalogChanges): Promise<boolean> {
    this.#assertOpen();
    const graph = datasetGraph(this.baseIRI, id);
    return this.#exclusive(async () => {
      this.#assertOpen();
      const previous = this.#datasets.get(id);
      if (!previous) return false;
      const replacements = new Map<string, CompactGraph | undefined>([[graph.value, undefined]]);
      const catalog = catalogGraph(this.baseIRI);
      this.#editCatalog(replacements, catalogChanges.remove, catalogChanges.add.map((quad) => storableQuad(quad, catalog)));
      const datasets = new Map(this.#datasets);
      datasets.delete(id);
      await this.#checkpoint({ seq: this.#version + 1, replacements, datasets });
      return true;
    });
  }

  // --- writes ------------------------------------------------------------------------------

  /**
   * Runs `work` alone against a recording target; on success its changes become one fsync'd
   * journal record before this resolves; on failure they are undone and nothing is journaled.
   * Changes are visible to readers while `work` runs (they are applied in place). `work` must not
   * call `write`, `commit` or `dropDataset` itself: they wait for it, so it would never finish.
   * @throws whatever `work` throws; StorageError when the journal cannot be written (changes undone).
   */
  async write<T>(work: (target: RDF.Store<RDF.Quad>) => Promise<T>): Promise<T> {
    this.#assertOpen();
    return this.#exclusive(async () => {
      this.#assertOpen();
      const target = new WriteTarget(this.#graphs);
      let result: T;
      try {
        result = await work(target);
        await target.settled();
      } catch (error) {
        target.undo();
        throw error;
      } finally {
        target.close();
      }
      if (target.changes.length === 0) return result;
      const seq = this.#version + 1;
      const time = new Date();
      if (this.#persistence) {
        try {
          await this.#persistence.journal.append(encodeRecord({ seq, time, changes: target.changes }));
        } catch (error) {
          target.undo();
          throw error;
        }
      }
      this.#applied(seq, time, target.changes.map((change) => change.quad.graph));
      if (this.#persistence && this.#persistence.journal.size > this.#journalLimit) {
        // The write is already durable; a failed compaction only leaves a longer journal.
        await this.#checkpoint({ seq: this.#version, replacements: new Map(), datasets: this.#datasets }).catch(
          (error: unknown) => this.#warn(`compaction failed, journal kept: ${(error as Error).message}`),
        );
      }
      return result;
    });
  }

  async *exportQuads(graph?: RDF.Quad_Graph): AsyncIterable<RDF.Quad> {
    yield* this.#graphs.quads(null, null, null, graph ?? null);
  }

  /**
   * Writes fresh snapshots of changed graphs, empties the journal and releases the data directory.
   * @throws StorageError when the final compaction fails (the journal still holds every change).
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#exclusive(async () => {
      if (this.#closed) return;
      this.#closed = true;
      const persistence = this.#persistence;
      if (!persistence) return;
      try {
        if (this.#dirty.size > 0) {
          await this.#checkpoint({ seq: this.#version, replacements: new Map(), datasets: this.#datasets });
        }
      } finally {
        await persistence.journal.close();
        await persistence.lock.release();
      }
    });
  }

  // --- start-up ------------------------------------------------------------------------------

  /**
   * Loads snapshots named by the manifest, replays newer journal records and cuts a torn tail.
   * @throws StorageError naming the file when a snapshot, the manifest or the journal is damaged,
   *   or when another live process holds the data directory.
   */
  async #load(dataDir: string): Promise<void> {
    const snapshotsDir = join(dataDir, 'snapshots');
    try {
      await mkdir(snapshotsDir, { recursive: true });
    } catch (error) {
      throw new StorageError(`cannot create data directory ${snapshotsDir}: ${(error as Error).message}`, { cause: error });
    }
    const lock = await lockDirectory(dataDir);
    try {
      const manifest = await readManifest(dataDir);
      const snapshots = manifest.format === 2 ? await this.#loadSnapshots(snapshotsDir, manifest) : await this.#loadLegacySnapshots(snapshotsDir, manifest);
      for (const [id, entry] of Object.entries(manifest.datasets)) {
        if (!isValidDatasetId(id)) throw new StorageError(`corrupt manifest ${join(dataDir, manifestName)}: dataset id "${id}"`);
        const graph = datasetGraph(this.baseIRI, id);
        this.#datasets.set(id, { id, graph, version: entry.version, modified: new Date(entry.modified) });
      }
      this.#version = manifest.seq;
      const journalPath = join(dataDir, journalName);
      const scan = await readJournal(journalPath);
      for (const framed of scan.records) {
        const record = decodeRecord(framed, journalPath);
        if (record.seq <= manifest.seq) continue; // already in the snapshots (crash before the journal was emptied)
        for (const change of record.changes) {
          if (change.op === 'I') this.#graphs.add(change.quad);
          else this.#graphs.remove(change.quad);
        }
        this.#applied(record.seq, record.time, record.changes.map((change) => change.quad.graph));
      }
      if (scan.torn !== undefined) {
        this.#warn(`journal ${journalPath}: cut a torn last record (${scan.torn}); it was never acknowledged`);
      }
      const journal = await Journal.open(journalPath, scan.validLength);
      // A journal (or snapshots folder) just created must not vanish with the acknowledged records in it.
      await syncDirectory(dataDir);
      this.#persistence = { dataDir, snapshotsDir, journal, lock, snapshots, terms: manifest.format === 2 ? manifest.terms : [] };
      if (manifest.format === 1) {
        // Migration: every graph written anew in the binary format; the N-Quads files go once the manifest names the new ones.
        for (const key of this.#graphs.keys()) this.#dirty.add(key);
        await this.#checkpoint({ seq: this.#version, replacements: new Map(), datasets: this.#datasets });
      }
      await this.#removeUnreferencedSnapshots();
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /**
   * Refuses a load whose next quads would take the store past its memory budget, before they come in.
   * @throws TooLarge naming the numbers and the way beyond: an external SPARQL store.
   */
  #checkMemory(id: string, quads: number): void {
    const held = this.#graphs.bytes;
    const needed = held + (quads + sizeCheckEvery) * buildBytesPerQuad;
    if (needed <= this.#maxMemoryBytes) return;
    throw new TooLarge(
      `import of dataset "${id}" refused at ${quads.toLocaleString('en')} quads: it would need about ${mib(needed)} ` +
        `(the store holds ${mib(held)}, building takes about ${buildBytesPerQuad} bytes a quad), more than store.maxMemoryBytes = ${mib(this.#maxMemoryBytes)}. ` +
        'Raise store.maxMemoryBytes if the machine has the memory, or keep the data in an external SPARQL store (store.type: sparql)',
    );
  }

  /** The dictionary's segments, then each graph's rows: whole sections read into buffers, no work per quad. */
  async #loadSnapshots(snapshotsDir: string, manifest: Manifest): Promise<Map<string, GraphFileInfo>> {
    const entities = this.#graphs.entities;
    for (const info of manifest.terms) await readTermFile(snapshotsDir, info, entities.dictionary);
    for (const [key, info] of Object.entries(manifest.graphs)) {
      const graph = graphOfKey(key);
      const graphId = entities.idOf(graph);
      if (graphId === undefined) throw new StorageError(`corrupt snapshot ${join(snapshotsDir, info.file)}: its graph <${key}> is in no dictionary segment`);
      this.#graphs.set(key, CompactGraph.fromRows(entities, graph, graphId, await readGraphFile(snapshotsDir, info)));
    }
    return new Map(Object.entries(manifest.graphs));
  }

  /** N-Quads snapshots, parsed quad by quad (a data directory of the previous format, migrated once loaded). */
  async #loadLegacySnapshots(snapshotsDir: string, manifest: LegacyManifest): Promise<Map<string, GraphFileInfo>> {
    for (const [key, info] of Object.entries(manifest.graphs)) {
      const loader = new GraphLoader(this.#graphs.entities, graphOfKey(key), '');
      await readSnapshot(snapshotsDir, info, graphOfKey(key), (quad) => loader.add(quad));
      this.#graphs.set(key, loader.finish());
    }
    return new Map();
  }

  // --- internals -----------------------------------------------------------------------------

  #assertOpen(): void {
    if (this.#closed) throw new StorageError('the store is closed');
  }

  /** Serialises writers: each task starts when the previous one settled. */
  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Bookkeeping after changes to `graphs` became durable at `seq`. */
  #applied(seq: number, time: Date, graphs: Iterable<RDF.Quad_Graph>): void {
    const keys = new Set<string>();
    for (const graph of graphs) {
      const key = graphKey(graph);
      if (key !== undefined) keys.add(key);
    }
    for (const key of keys) {
      this.#dirty.add(key);
      const id = datasetIdOfGraph(this.baseIRI, key);
      const state = id === undefined ? undefined : this.#datasets.get(id);
      if (state) this.#datasets.set(state.id, { ...state, version: seq, modified: time });
    }
    this.#graphs.prune(keys);
    this.#graphs.compact(keys, changedShareToRebuild);
    for (const key of keys) this.#graphVersions.set(key, seq);
    this.#version = Math.max(this.#version, seq);
  }

  /** Adds to `replacements` a new build of the catalog graph with `removed` quads taken out and `added` ones put in. */
  #editCatalog(replacements: Map<string, CompactGraph | undefined>, removedQuads: readonly RDF.Quad[], next: readonly RDF.Quad[]): void {
    if (removedQuads.length === 0 && next.length === 0) return;
    const graph = catalogGraph(this.baseIRI);
    const loader = new GraphLoader(this.#graphs.entities, graph, '');
    const removed = new Set(removedQuads.map((quad) => quadLine(DataFactory.quad(quad.subject, quad.predicate, quad.object, graph))));
    for (const quad of this.#graphs.get(graph.value)?.readQuads(null, null, null) ?? []) if (!removed.has(quadLine(quad))) loader.add(quad);
    loader.addAll(next);
    replacements.set(graph.value, loader.finish());
  }

  /**
   * Persists (snapshots of replaced and dirty graphs, the dictionary's new terms, then the
   * manifest as the commit point), then swaps memory in one synchronous step, then empties the journal.
   * @throws StorageError when persisting fails before the commit point (memory unchanged).
   */
  async #checkpoint({ seq, replacements, datasets, swapped, prewritten }: Checkpoint): Promise<void> {
    const persistence = this.#persistence;
    let superseded: string[] = [];
    let snapshots: Map<string, GraphFileInfo> | undefined;
    let terms: readonly TermFileInfo[] = [];
    /** Dirty graphs built anew with their changes: a snapshot holds a build's rows, and memory gets the same build. */
    const rebuilt = new Map<string, CompactGraph>();
    if (persistence) {
      snapshots = new Map(persistence.snapshots);
      const written: string[] = [];
      try {
        for (const key of new Set([...this.#dirty, ...replacements.keys()])) {
          let store = replacements.has(key) ? replacements.get(key) : this.#graphs.get(key);
          if (store && store.changes.count > 0) {
            store = store.compacted();
            rebuilt.set(key, store);
          }
          const ready = prewritten?.get(key);
          if (store && store.size > 0) {
            const file = `${snapshotStem(this.baseIRI, key)}-${seq}.bin`;
            written.push(file);
            if (ready) {
              await rename(join(persistence.snapshotsDir, ready.file), join(persistence.snapshotsDir, file));
              snapshots.set(key, { ...ready, file });
            } else snapshots.set(key, await writeGraphFile(persistence.snapshotsDir, file, store));
          } else {
            snapshots.delete(key);
          }
        }
        terms = await this.#writeNewTerms(persistence, written);
        await syncDirectory(persistence.snapshotsDir);
        const manifest: Manifest = {
          format: 2,
          seq,
          terms,
          graphs: Object.fromEntries(snapshots),
          datasets: Object.fromEntries(
            [...datasets.values()].map((state) => [
              state.id,
              { version: state.version, modified: state.modified.toISOString() },
            ]),
          ),
        };
        await writeFileAtomic(persistence.dataDir, manifestName, `${JSON.stringify(manifest, null, 1)}\n`);
      } catch (error) {
        await Promise.all(written.map((file) => unlink(join(persistence.snapshotsDir, file)).catch(() => undefined)));
        throw error instanceof StorageError ? error : new StorageError(`checkpoint failed: ${(error as Error).message}`, { cause: error });
      }
      const current = new Set([...snapshots.values(), ...terms].map((info) => info.file));
      superseded = [...persistence.snapshots.values(), ...persistence.terms].map((info) => info.file).filter((file) => !current.has(file));
    }
    // Commit point passed: swap memory in one synchronous step.
    for (const [key, store] of [...replacements, ...rebuilt]) this.#graphs.set(key, store);
    this.#datasets = new Map(datasets);
    this.#version = seq;
    for (const key of replacements.keys()) this.#graphVersions.set(key, seq);
    this.#graphs.compact(this.#dirty);
    this.#dirty.clear();
    swapped?.();
    this.#graphs.forgetUnusedTerms();
    if (persistence && snapshots) {
      persistence.snapshots = snapshots;
      persistence.terms = terms;
      try {
        await persistence.journal.reset();
      } catch (error) {
        // Harmless: the manifest's seq makes replay skip the old records.
        this.#warn((error as Error).message);
      }
      await Promise.all(superseded.map((file) => unlink(join(persistence.snapshotsDir, file)).catch(() => undefined)));
    }
  }

  /**
   * The dictionary segments the next manifest lists: the current ones plus one with the terms
   * given ids since (every id a snapshot written so far can use), or the whole dictionary in
   * one segment once there are many. Adds the new file's name to `written`.
   */
  async #writeNewTerms(persistence: Persistence, written: string[]): Promise<readonly TermFileInfo[]> {
    const dictionary = this.#graphs.entities.dictionary;
    const last = persistence.terms.at(-1);
    const savedThrough = last ? last.firstId + last.count - 1 : firstSavedId - 1;
    if (dictionary.lastId <= savedThrough) return persistence.terms;
    const whole = persistence.terms.length >= maxTermSegments;
    const firstId = whole ? firstSavedId : savedThrough + 1;
    // Named by the ids it covers, never by seq: two checkpoints at one seq may save different terms.
    const lastId = dictionary.lastId;
    const file = `_terms-${firstId}-${lastId}.bin`;
    written.push(file);
    const segment = await writeTermFile(persistence.snapshotsDir, file, dictionary, { firstId, lastId });
    return whole ? [segment] : [...persistence.terms, segment];
  }

  /** Leftovers of interrupted checkpoints (`.tmp` files, superseded snapshots a crash kept from being removed). */
  async #removeUnreferencedSnapshots(): Promise<void> {
    const persistence = this.#persistence;
    if (!persistence) return;
    await unlink(join(persistence.dataDir, `${manifestName}.tmp`)).catch(() => undefined);
    const referenced = new Set([...persistence.snapshots.values(), ...persistence.terms].map((info) => info.file));
    for (const file of await readdir(persistence.snapshotsDir)) {
      if (!referenced.has(file)) await unlink(join(persistence.snapshotsDir, file)).catch(() => undefined);
    }
  }
}

/**
 * Opens the embedded store, ready to use: in memory only without `dataDir`, otherwise loaded
 * from `dataDir` (created if missing) and locked against other processes.
 * @throws StorageError when the data directory is damaged (naming the file) or in use.
 */
export async function openStore(options: OpenStoreOptions): Promise<EmbeddedStore> {
  return EmbeddedStore.open(options);
}
