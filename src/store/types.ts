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

export interface PutDatasetOptions {
  /**
   * Quads describing this version (PROV-O activity), kept in the catalog graph. Called once the
   * dataset's quads have been consumed and before the new version is committed, because an
   * import's figures (rows read, triples written) are only known then.
   */
  readonly provenance?: () => Promise<readonly RDF.Quad[]>;
}

/**
 * What SPARQL, HTTP and the CLI use. It is an RDF/JS `Store` (so Comunica takes it as a
 * source directly) plus dataset operations. Writes through the RDF/JS methods are only allowed
 * inside `write()`, which journals them durably as one record.
 */
export interface VinculoStore extends RDF.Store<RDF.Quad> {
  readonly baseIRI: string;
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

  /** Replaces a dataset's graph atomically: readers see the old or the new version, never a mix. */
  putDataset(id: string, quads: AsyncIterable<RDF.Quad> | readonly RDF.Quad[], options?: PutDatasetOptions): Promise<DatasetInfo>;
  dropDataset(id: string): Promise<boolean>;
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
