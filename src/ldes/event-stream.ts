/**
 * A dataset's event stream: which members exist (the member log) and when they became visible
 * (the commit marker in the store). A batch of members is appended and fsync'd first; the store
 * version that makes it visible writes the marker (on the stream's IRI, in the catalog graph — the
 * reserved graph of Vínculo's bookkeeping, so no extra graph shows in `GRAPH ?g`) in the same commit as the
 * change it publishes, so after a crash anywhere the stream shows a batch iff its version committed.
 */
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import type { VinculoConfig } from '../config/index.js';
import { NotFound, StorageError } from '../errors/index.js';
import { catalogGraph, collectQuads, DataFactory, ns, streamIri, whenDone } from '../rdf/index.js';
import type { VinculoStore } from '../store/index.js';
import { type LoggedMember, MemberLog } from './member-log.js';
import { changedResources, resourceStates } from './members.js';
import type { RetentionPolicy } from './retention.js';
import { markerTerms } from './stream-terms.js';

export interface StreamPlace {
  readonly store: VinculoStore;
  readonly baseIRI: string;
  /** The member logs of a remote store live in `{dataDir}/ldes/{id}.jsonl` (see `logFolder`). */
  readonly dataDir: string;
  /** What the view promises to keep (`ldes.retention`); compaction after each batch removes what lies outside. */
  readonly retention: RetentionPolicy;
}

/** The place of a dataset's stream as the configuration sets it (`dataDir`, `ldes.retention`). */
export function streamPlace(config: VinculoConfig, store: VinculoStore): StreamPlace {
  return { store, baseIRI: config.baseIRI, dataDir: config.dataDir, retention: config.ldes.retention };
}

interface Marker {
  readonly batch: number;
  readonly members: number;
  /** The dataset version the stream's members bring a replica to; another version means changes not yet published. */
  readonly datasetVersion: number;
}

/** Members a sync publishes: write `marker` into the store in the sync's own `store.write`. */
export interface PendingMembers {
  readonly count: number;
  writeMarker(target: RDF.Store<RDF.Quad>): Promise<void>;
}

/** One chain per stream: batches are computed, logged and committed one at a time. */
class Queue {
  #tail: Promise<unknown> = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

export class DatasetEventStream {
  readonly datasetId: string;
  readonly #place: StreamPlace;
  readonly #log: MemberLog;
  readonly #queue = new Queue();
  /** The last batch the store's marker names: batch numbers come from the store, never from the log (whose tail may be uncommitted). */
  #batch: number;

  private constructor(place: StreamPlace, datasetId: string, log: MemberLog, batch: number) {
    this.#place = place;
    this.datasetId = datasetId;
    this.#log = log;
    this.#batch = batch;
  }

  /** @throws StorageError when the log lacks members the store committed. */
  static async open(place: StreamPlace, datasetId: string): Promise<DatasetEventStream> {
    const marker = await readMarker(place, datasetId);
    const folder = await logFolder(place);
    const log = await MemberLog.open(join(folder, 'ldes', `${datasetId}.jsonl`), { batch: marker?.batch ?? 0, members: marker?.members ?? 0 }, place.retention);
    return new DatasetEventStream(place, datasetId, log, marker?.batch ?? 0);
  }

  /** What readers may see: committed members only. */
  get log(): Pick<MemberLog, 'count' | 'pageCount' | 'firstTimeOf' | 'page' | 'lastTime' | 'pageState' | 'pageWithMembersFrom'> {
    return this.#log;
  }

  /**
   * Publishes whatever changed in the dataset's graph since the stream last caught up with it
   * (a full harvest, a plain import, a SPARQL update): a version of each changed resource, a
   * tombstone for each one gone, stamped with the dataset's modification time. A first import
   * publishes every resource.
   * @throws NotFound when the dataset does not exist.
   */
  catchUp(): Promise<number> {
    return this.#queue.run(() => this.#catchUp());
  }

  /**
   * Removes the pages the retention policy no longer covers at `now` (after every batch this runs
   * on its own; `now` lets a caller ask what a later day would remove).
   * @returns the pages removed.
   * @throws StorageError when the log cannot be rewritten (it then stays as it was).
   */
  compact(now: Date): Promise<number> {
    return this.#queue.run(() => this.#log.compact(now));
  }

  /**
   * Runs a sync's `write` (its `store.write`) with the members it publishes: the versions of
   * the resources whose triples `removed`/`inserted` change, tombstones for those left with none.
   * They are logged before `write` and visible once it resolves; if it fails they are cut.
   */
  publishChange<T>(change: { readonly graph: RDF.Quad_Graph; readonly removed: readonly RDF.Quad[]; readonly inserted: readonly RDF.Quad[] }, write: (members: PendingMembers) => Promise<T>): Promise<T> {
    return this.#queue.run(async () => {
      await this.#catchUp();
      const { store } = this.#place;
      const touched = new Set([...change.removed, ...change.inserted].filter((item) => item.subject.termType === 'NamedNode').map((item) => item.subject.value));
      const before: RDF.Quad[] = [];
      for (const subject of touched) before.push(...(await collectQuads(store, [DataFactory.namedNode(subject), null, null, change.graph])));
      const removedKeys = new Set(change.removed.map(tripleKey));
      const after = [...before.filter((item) => !removedKeys.has(tripleKey(item))), ...change.inserted];
      const members = this.#members(changedResources(resourceStates(before), resourceStates(after)), new Date());
      if (members.length === 0) return write({ count: 0, writeMarker: async () => undefined });
      await this.#log.append(members);
      let marked = false;
      let result: T;
      try {
        result = await write({
          count: members.length,
          writeMarker: async (target) => {
            // Inside the sync's write the store is held: its next version is this one's, and the dataset's graph changes in it.
            await writeMarker(this.#place, this.datasetId, target, { batch: this.#batch + 1, members: this.#log.count + members.length, datasetVersion: store.version + 1 });
            marked = true;
          },
        });
        if (!marked) throw new StorageError(`the change of "${this.datasetId}" committed without its event stream marker`);
      } catch (error) {
        await this.#log.abandon();
        throw error;
      }
      await this.#committed();
      return result;
    });
  }

  /** The batch is in the store's committed version: readable, and what it superseded may be compacted away. */
  async #committed(): Promise<void> {
    this.#log.commit();
    this.#batch += 1;
    // The batch is published either way: a failed compaction only leaves a longer log, retried after the next batch.
    await this.#log.compact(new Date()).catch((error: unknown) => process.emitWarning(`${this.datasetId}: event stream compaction failed: ${(error as Error).message}`, 'VinculoLdes'));
  }

  /** Numbered members of one batch; its time never precedes the stream's last (LDES: no member earlier than the latest published). */
  #members(changes: ReadonlyArray<{ readonly of: string; readonly triples: string | null }>, time: Date): LoggedMember[] {
    const stamp = new Date(Math.max(time.getTime(), Date.parse(this.#log.lastTime) || 0)).toISOString();
    const batch = this.#batch + 1;
    return changes.map((change, index) => ({
      ordinal: this.#log.count + index,
      batch,
      time: stamp,
      of: change.of,
      ...(change.triples === null ? { deleted: true as const, triples: '' } : { triples: change.triples }),
    }));
  }

  async #catchUp(): Promise<number> {
    const { store } = this.#place;
    const marker = await readMarker(this.#place, this.datasetId);
    const info = store.dataset(this.datasetId);
    if (!info) throw new NotFound(`no dataset "${this.datasetId}"`);
    if (marker?.datasetVersion === info.version) return 0;
    // In the store's write: nothing changes the graph between reading it and committing the marker.
    return store.write(async (target) => {
      const current = store.dataset(this.datasetId);
      if (!current) throw new NotFound(`no dataset "${this.datasetId}"`);
      const quads: RDF.Quad[] = [];
      for await (const item of store.exportQuads(current.graph)) quads.push(item);
      const members = this.#members(changedResources(await this.#log.latestStates(), resourceStates(quads)), current.modified);
      if (members.length > 0) await this.#log.append(members);
      await writeMarker(this.#place, this.datasetId, target, { batch: this.#batch + 1, members: this.#log.count + members.length, datasetVersion: current.version });
      return members.length;
    }).then(
      async (count) => {
        await this.#committed();
        return count;
      },
      async (error: unknown) => {
        await this.#log.abandon();
        throw error;
      },
    );
  }
}

const tripleKey = (item: RDF.Quad): string => `${item.subject.value}\u0000${item.predicate.value}\u0000${item.object.termType}\u0000${item.object.value}\u0000${item.object.termType === 'Literal' ? `${item.object.language}\u0000${item.object.datatype.value}` : ''}`;

async function readMarker({ store, baseIRI }: StreamPlace, datasetId: string): Promise<Marker | undefined> {
  const terms = markerTerms(baseIRI);
  const quads = await collectQuads(store, [streamIri(baseIRI, datasetId), null, null, catalogGraph(baseIRI)]);
  const number = (predicate: RDF.NamedNode) => Number(quads.find((item) => item.predicate.equals(predicate))?.object.value);
  const marker = { batch: number(terms.batch), members: number(terms.members), datasetVersion: number(terms.datasetVersion) };
  return Number.isInteger(marker.batch) ? marker : undefined;
}

async function writeMarker({ baseIRI }: StreamPlace, datasetId: string, target: RDF.Store<RDF.Quad>, marker: Marker): Promise<void> {
  const terms = markerTerms(baseIRI);
  const stream = streamIri(baseIRI, datasetId);
  const graph = catalogGraph(baseIRI);
  await whenDone(target.removeMatches(stream, null, null, graph));
  const integer = (value: number) => DataFactory.literal(String(value), ns.xsd('integer'));
  const quads = [
    DataFactory.quad(stream, ns.rdf('type'), DataFactory.namedNode('https://w3id.org/ldes#EventStream'), graph),
    DataFactory.quad(stream, terms.batch, integer(marker.batch), graph),
    DataFactory.quad(stream, terms.members, integer(marker.members), graph),
    DataFactory.quad(stream, terms.datasetVersion, integer(marker.datasetVersion), graph),
  ];
  await whenDone(target.import(Readable.from(quads)));
}

/** Temporary folders of the logs of memory-only stores, removed when the process exits. */
const memoryFolders = new WeakMap<VinculoStore, Promise<string>>();
const foldersToRemove: string[] = [];

/**
 * Where a store's member logs live: beside the store's own files when it persists in a folder, so
 * that a log never meets another store's marker (a memory-only store pointed at the configured
 * `dataDir` would cut the real store's log); a remote store's in `dataDir`; a memory-only store's
 * in a temporary folder that lives as long as the process.
 */
async function logFolder(place: StreamPlace): Promise<string> {
  const { store } = place;
  if (store.dataDir !== undefined) return store.dataDir;
  if (store.sparqlEndpoint) return place.dataDir;
  let folder = memoryFolders.get(store);
  if (!folder) {
    folder = mkdtemp(join(tmpdir(), 'vinculo-ldes-'));
    memoryFolders.set(store, folder);
    if (foldersToRemove.length === 0) {
      process.once('exit', () => {
        for (const path of foldersToRemove) rmSync(path, { recursive: true, force: true });
      });
    }
    foldersToRemove.push(await folder);
  }
  return folder;
}

/** The open streams of each store: the harvester and the HTTP routes share one, so a commit is seen at once. */
const openStreams = new WeakMap<VinculoStore, Map<string, Promise<DatasetEventStream>>>();

/**
 * The event stream of dataset `datasetId` (opened once per store).
 * @throws StorageError when its log lacks committed members.
 */
export function datasetEventStream(place: StreamPlace, datasetId: string): Promise<DatasetEventStream> {
  let streams = openStreams.get(place.store);
  if (!streams) {
    streams = new Map();
    openStreams.set(place.store, streams);
  }
  let stream = streams.get(datasetId);
  if (!stream) {
    stream = DatasetEventStream.open(place, datasetId);
    // A failed open is retried by the next caller rather than remembered.
    stream.catch(() => streams?.delete(datasetId));
    streams.set(datasetId, stream);
  }
  return stream;
}

/**
 * Publishes what changed in a dataset since its stream last caught up: call it after the dataset
 * was replaced (a full harvest, an import). Returns the number of new members.
 * @throws NotFound for an unknown dataset; StorageError for a damaged log.
 */
export async function publishDatasetChanges(place: StreamPlace, datasetId: string): Promise<number> {
  return (await datasetEventStream(place, datasetId)).catchUp();
}

/**
 * Runs a sync's `store.write` (`write`, which must call `members.writeMarker(target)` inside it)
 * with the members its removed and inserted triples make: visible iff that write commits.
 * @throws whatever `write` throws (the members are then cut); StorageError when `write` committed without the marker.
 */
export async function publishSyncChanges<T>(
  place: StreamPlace,
  datasetId: string,
  change: { readonly graph: RDF.Quad_Graph; readonly removed: readonly RDF.Quad[]; readonly inserted: readonly RDF.Quad[] },
  write: (members: PendingMembers) => Promise<T>,
): Promise<T> {
  return (await datasetEventStream(place, datasetId)).publishChange(change, write);
}
