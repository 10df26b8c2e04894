/** The contract every store backend (embedded N3, remote SPARQL) implements for the layers above. */
import type * as RDF from '@rdfjs/types';
import type { QuadIndex } from './id-index.js';

/** A published dataset: one named graph with a version that changes on every write. */
export interface DatasetInfo {
  readonly id: string;
  readonly graph: RDF.NamedNode;
  /** Monotonic; feeds ETags and dump regeneration. */
  readonly version: number;
  readonly modified: Date;
  readonly quads: number;
}

/**
 * A dataset's next version, built aside: readers see none of it until `commit`. Holds the
 * store's resources (memory, a staging graph) until it is committed or discarded.
 */
export interface StagedDataset {
  readonly id: string;
  readonly graph: RDF.NamedNode;
  /** Distinct quads staged. */
  readonly quads: number;
  /** Gives the staged version up; nothing was published. Idempotent. */
  discard(): Promise<void>;
}

/**
 * Edits of the catalog graph (`{base}graph/catalog`) made in the same atomic step as a dataset's
 * commit or drop. Plain quads: what they say is the publish layer's business, not the store's.
 * `remove` names quads as the store holds them (read back from it); blank nodes in `add` keep their labels.
 */
export interface CatalogChanges {
  readonly remove: readonly RDF.Quad[];
  readonly add: readonly RDF.Quad[];
}

/**
 * Quads to stage: an array, or a stream of quads one at a time or in arrays of them. A source that
 * has its quads in batches (a page of rows mapped) hands each batch over whole: a store then waits
 * once a batch instead of once a quad.
 */
export type QuadSource = readonly RDF.Quad[] | AsyncIterable<RDF.Quad | readonly RDF.Quad[]>;

/** Whether an item of a `QuadSource` stream is a batch of quads. */
export function isQuadBatch(item: RDF.Quad | readonly RDF.Quad[]): item is readonly RDF.Quad[] {
  return Array.isArray(item);
}

/**
 * What SPARQL, HTTP and the CLI use. It is an RDF/JS `Store` (so Comunica takes it as a
 * source directly) plus dataset operations. Writes through the RDF/JS methods are only allowed
 * inside `write()`, which journals them durably as one record.
 */
export interface VinculoStore extends RDF.Store<RDF.Quad> {
  readonly baseIRI: string;
  /** The folder the store persists in (an embedded store with a data directory); what keeps state beside it (event stream logs) belongs there. */
  readonly dataDir?: string;
  /** Increases on every committed change; use for ETags of store-wide resources. */
  readonly version: number;

  /**
   * The graphs changed by commits after `version` (the default graph as `DefaultGraph`). Present
   * when the store keeps per-graph versions; without it a change anywhere must count as a change everywhere.
   */
  changedGraphs?(since: number): readonly RDF.Quad_Graph[];

  countQuads(
    subject?: RDF.Term | null,
    predicate?: RDF.Term | null,
    object?: RDF.Term | null,
    graph?: RDF.Term | null,
  ): number;

  /**
   * Builds dataset `id`'s next version aside (streamed in; nothing visible yet).
   * @throws BadRequest for an invalid id or a quad the store cannot hold; TooLarge past the
   *   store's memory budget; StorageError; whatever `quads` throws. Nothing changes then.
   */
  stage(id: string, quads: QuadSource): Promise<StagedDataset>;
  /**
   * Publishes a staged version with `catalogChanges`, atomically: readers see the old version
   * (and catalog) or the new ones, never a mix; a crash at any point leaves one or the other.
   * @throws StorageError when `staged` is not pending in this store or persisting fails (nothing changes).
   */
  commit(staged: StagedDataset, catalogChanges?: CatalogChanges): Promise<DatasetInfo>;
  /** `stage` then `commit` with no catalog change: a dataset's graph replaced atomically. */
  putDataset(id: string, quads: QuadSource): Promise<DatasetInfo>;
  /** Removes a dataset and applies `catalogChanges`, atomically; false (no change) when there is no such dataset. */
  dropDataset(id: string, catalogChanges?: CatalogChanges): Promise<boolean>;
  listDatasets(): readonly DatasetInfo[];
  dataset(id: string): DatasetInfo | undefined;

  /**
   * Runs `work` with exclusive write access. Every change it makes through `target`'s RDF/JS
   * methods is appended to the journal as one record and fsync'd before the promise resolves;
   * if `work` throws, its changes are undone and nothing is journaled.
   */
  write<T>(work: (target: RDF.Store<RDF.Quad>) => Promise<T>): Promise<T>;

  /** All quads of one graph (or all graphs), streamed. */
  exportQuads(graph?: RDF.Quad_Graph): AsyncIterable<RDF.Quad>;

  /** Finishes pending writes and releases files. */
  close(): Promise<void>;

  /** Present when the store exposes its id-encoded indexes; the SPARQL engine's fast path reads them. */
  readonly quadIndex?: QuadIndex;

  /** Present when the store answers SPARQL itself; the engine then passes queries through. */
  readonly sparqlEndpoint?: SparqlEndpoint;
}

/** What the SPARQL engine hands a store that answers SPARQL itself (after parsing and checking the query). */
export interface RemoteQueryOptions {
  readonly form: 'select' | 'ask' | 'construct' | 'describe';
  /** Protocol `default-graph-uri` / `named-graph-uri` (empty: the query's own, else the store's graphs). */
  readonly defaultGraphUris?: readonly string[];
  readonly namedGraphUris?: readonly string[];
  /** The query has FROM or FROM NAMED of its own. */
  readonly namesDataset: boolean;
  readonly defaultGraph: 'union' | 'store';
  readonly baseIRI?: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export type RemoteQueryResult =
  | { readonly type: 'bindings'; readonly variables: readonly RDF.Variable[]; readonly rows: ReadonlyArray<ReadonlyMap<string, RDF.Term>> }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'quads'; readonly quads: readonly RDF.Quad[] };

/**
 * A store that can evaluate whole SPARQL queries (a remote SPARQL store): the engine sends
 * queries there instead of evaluating them over `match`.
 */
export interface SparqlEndpoint {
  /** @throws QueryTimeout, BadRequest (the store refused the query), StorageError. */
  query(text: string, options: RemoteQueryOptions): Promise<RemoteQueryResult>;
}
