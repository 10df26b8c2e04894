/**
 * The remote backend: the store contract over SPARQL 1.1 Query and Update against an external
 * store (Virtuoso, Fuseki, Oxigraph server, GraphDB). Vínculo keeps no data of its own: dataset
 * records, the store version and the list of graphs live in a small metadata graph in the remote
 * store, so several stateless instances can share it.
 *
 * Imports stream into a fresh staging graph in batches; the switch is one update request
 * (MOVE staging → dataset graph, catalog changes and metadata), which the store runs as one
 * transaction, so readers see the old version or the new one. Queries the engine can send whole
 * go through `sparqlEndpoint`; `match` serves dereferencing and the rest.
 */
import type { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import { Forbidden, StorageError } from '../errors/index.js';
import { DataFactory, emitterOf, parseRdfToArray } from '../rdf/index.js';
import { catalogGraph, datasetGraph, datasetIdOfGraph, internalGraphIri, normalizeBaseIRI } from './graph-iris.js';
import { RemoteClient, type RemoteEndpoints, type RequestOptions } from './remote-client.js';
import { type JsonTerm, RemoteTerms } from './remote-terms.js';
import {
  type CatalogChanges,
  type DatasetInfo,
  isQuadBatch,
  type QuadSource,
  type RemoteQueryOptions,
  type RemoteQueryResult,
  type SparqlEndpoint,
  type StagedDataset,
  type VinculoStore,
} from './types.js';

export interface SparqlStoreOptions extends Omit<RemoteEndpoints, 'timeoutMs'> {
  readonly baseIRI: string;
  /** Limit of one request to the remote store; default 60 s. */
  readonly timeoutMs?: number;
  /**
   * Quads per request while importing: default 20 000 by Graph Store POST when `graphStoreUrl` is
   * given, else 1000 per INSERT DATA (Virtuoso's SPARQL parser runs out of stack near 5000).
   */
  readonly batchSize?: number;
  /** How often the metadata is re-read to notice other instances' writes; default 5 s, 0 never. */
  readonly pollMs?: number;
  readonly warn?: (message: string) => void;
}

interface DatasetRecord {
  readonly id: string;
  readonly graph: RDF.NamedNode;
  readonly version: number;
  readonly modified: Date;
  readonly quads: number;
}

const noCatalogChanges: CatalogChanges = { remove: [], add: [] };

const relabel = (term: RDF.Term, prefix: string) => (term.termType === 'BlankNode' ? DataFactory.blankNode(`${prefix}${term.value}`) : term);

/** A quad moved to graph `target`, its blank nodes relabelled with `prefix` (so separate imports' labels never merge). */
function inGraph(quad: RDF.Quad, target: RDF.NamedNode, prefix: string): RDF.Quad {
  return DataFactory.quad(relabel(quad.subject, prefix) as RDF.Quad_Subject, quad.predicate, relabel(quad.object, prefix) as RDF.Quad_Object, target);
}

const meta = 'urn:x-vinculo:store#';
/** Rows per request when reading quads; Virtuoso's default ResultSetMaxRows is 10 000, so keep at or below it. */
const pageSize = 10_000;
const maxCachedCounts = 10_000;
/** Below Virtuoso's default ResultSetMaxRows (10 000), so one answer holds the whole graph. */
const smallGraphLimit = 5000;
/** Quads per INSERT DATA / DELETE DATA / VALUES request: Virtuoso's SPARQL parser runs out of stack near 5000 lines. */
const updateBatchSize = 1000;

function literalOf(row: Readonly<Record<string, JsonTerm>>, name: string): string | undefined {
  return row[name]?.value;
}

async function collect(stream: RDF.Stream<RDF.Quad>): Promise<RDF.Quad[]> {
  const quads: RDF.Quad[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (quad: RDF.Quad) => quads.push(quad));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  return quads;
}

export class SparqlStore implements VinculoStore {
  readonly baseIRI: string;
  readonly sparqlEndpoint: SparqlEndpoint;
  readonly #client: RemoteClient;
  readonly #terms: RemoteTerms;
  readonly #metaGraph: string;
  readonly #batchSize: number;
  #version = 0;
  #datasets = new Map<string, DatasetRecord>();
  /** Versions staged and not yet committed or discarded → their staging graph. */
  readonly #staged = new Map<StagedDataset, string>();
  /** Every graph Vínculo has written (IRIs as the remote store names them). */
  #graphs = new Set<string>();
  #counts = new Map<string, number>();
  /** Whole small graphs, for counting single quads locally; emptied with `#counts`. */
  #snapshots = new Map<string, readonly RDF.Quad[]>();
  #queue: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(options: SparqlStoreOptions) {
    this.baseIRI = normalizeBaseIRI(options.baseIRI);
    this.#client = new RemoteClient({ ...options, timeoutMs: options.timeoutMs ?? 60_000 });
    this.#terms = new RemoteTerms(this.baseIRI);
    this.#metaGraph = internalGraphIri(this.baseIRI, 'store');
    this.#batchSize = options.batchSize ?? (options.graphStoreUrl === undefined ? 1000 : 20_000);
    this.sparqlEndpoint = { query: (text, queryOptions) => this.#passThrough(text, queryOptions) };
  }

  /**
   * Connects to the remote store and reads its metadata graph.
   * @throws StorageError when the store is unreachable or answers with errors.
   */
  static async open(options: SparqlStoreOptions): Promise<SparqlStore> {
    const store = new SparqlStore(options);
    await store.refresh();
    if (store.#version === 0) {
      // Idempotent: instances starting together insert the same triple.
      await store.#client.update(`INSERT DATA { GRAPH <${store.#metaGraph}> { <${store.#metaGraph}> <${meta}version> 0 } }`);
    }
    const pollMs = options.pollMs ?? 5000;
    if (pollMs > 0) {
      store.#timer = setInterval(() => {
        store.refresh().catch((error: unknown) => (options.warn ?? console.warn)(`store metadata not refreshed: ${(error as Error).message}`));
      }, pollMs);
      store.#timer.unref();
    }
    return store;
  }

  get version(): number {
    return this.#version;
  }

  /** The graphs queries see, as the remote store names them (the default graph's stand-in included). */
  #visibleGraphs(): string[] {
    return [...this.#graphs].sort();
  }

  /**
   * Re-reads the metadata graph (versions, datasets, graphs); called after every write and by the poll.
   * @throws StorageError when the remote store cannot be read.
   */
  async refresh(): Promise<void> {
    const answer = await this.#client.select(`SELECT ?s ?p ?o WHERE { GRAPH <${this.#metaGraph}> { ?s ?p ?o } }`);
    let version = 0;
    const graphs = new Set<string>();
    const fields = new Map<string, Map<string, string>>();
    for (const row of answer.rows) {
      const [s, p, o] = [literalOf(row, 's'), literalOf(row, 'p'), literalOf(row, 'o')];
      if (s === undefined || p === undefined || o === undefined) continue;
      if (p === `${meta}version` && s === this.#metaGraph) version = Number(o);
      else if (p === `${meta}graph`) graphs.add(o);
      else {
        const record = fields.get(s) ?? new Map<string, string>();
        record.set(p.slice(meta.length), o);
        fields.set(s, record);
      }
    }
    const datasets = new Map<string, DatasetRecord>();
    for (const [graph, record] of fields) {
      const id = datasetIdOfGraph(this.baseIRI, graph);
      if (id === undefined || record.get('dataset') !== id) continue;
      datasets.set(id, {
        id,
        graph: DataFactory.namedNode(graph),
        version: Number(record.get('datasetVersion') ?? 0),
        modified: new Date(record.get('modified') ?? 0),
        quads: Number(record.get('quads') ?? 0),
      });
    }
    if (version !== this.#version) this.#forgetCounts();
    this.#version = version;
    this.#datasets = datasets;
    this.#graphs = graphs;
  }

  // --- reading ---------------------------------------------------------------------------

  /** An IRI in SPARQL text, escaped (graph names can come from clients through the Graph Store Protocol). */
  #iri(iri: string): string {
    return this.#terms.text(DataFactory.namedNode(iri));
  }

  /** The WHERE clause matching a quad pattern over Vínculo's graphs, or undefined when nothing can match. */
  #patternClause(subject?: RDF.Term | null, predicate?: RDF.Term | null, object?: RDF.Term | null, graph?: RDF.Term | null): string | undefined {
    const position = (term: RDF.Term | null | undefined, name: string) =>
      term && term.termType !== 'Variable' ? this.#terms.text(term) : `?${name}`;
    if (subject?.termType === 'Literal') return undefined;
    const pattern = `${position(subject, 's')} ${position(predicate, 'p')} ${position(object, 'o')}`;
    if (graph && graph.termType !== 'Variable') {
      const name = this.#terms.skolem(graph).value;
      if (!this.#graphs.has(name)) return undefined;
      return `GRAPH ${this.#iri(name)} { ${pattern} }`;
    }
    const graphs = this.#visibleGraphs();
    if (graphs.length === 0) return undefined;
    return `VALUES ?g { ${graphs.map((name) => this.#iri(name)).join(' ')} } GRAPH ?g { ${pattern} }`;
  }

  async *#quads(subject?: RDF.Term | null, predicate?: RDF.Term | null, object?: RDF.Term | null, graph?: RDF.Term | null): AsyncGenerator<RDF.Quad> {
    const clause = this.#patternClause(subject, predicate, object, graph);
    if (clause === undefined) return;
    const fixed = (term: RDF.Term | null | undefined) => (term && term.termType !== 'Variable' ? term : undefined);
    const graphTerm = fixed(graph);
    // Pages by OFFSET without ORDER BY. SPARQL promises no stable order for that, but Virtuoso
    // refuses sorted pages past 10 000 rows (MaxSortedTopRows), and its unsorted scans come back
    // in index order; graphs only change by whole-graph MOVE, so a page boundary rarely meets one.
    for (let offset = 0; ; offset += pageSize) {
      const answer = await this.#client.select(`SELECT * WHERE { ${clause} } LIMIT ${pageSize} OFFSET ${offset}`);
      for (const row of answer.rows) {
        const term = (name: string, given: RDF.Term | undefined) => {
          if (given) return given;
          const json = row[name];
          if (!json) throw new StorageError(`the remote store left ?${name} unbound in a quad pattern`);
          return this.#terms.fromJson(json);
        };
        yield DataFactory.quad(
          term('s', fixed(subject)) as RDF.Quad_Subject,
          term('p', fixed(predicate)) as RDF.Quad_Predicate,
          term('o', fixed(object)) as RDF.Quad_Object,
          term('g', graphTerm) as RDF.Quad_Graph,
        );
      }
      if (answer.rows.length < pageSize) return;
    }
  }

  match(subject?: RDF.Term | null, predicate?: RDF.Term | null, object?: RDF.Term | null, graph?: RDF.Term | null): RDF.Stream<RDF.Quad> {
    return Readable.from(this.#quads(subject, predicate, object, graph)) as unknown as RDF.Stream<RDF.Quad>;
  }

  /**
   * Counts synchronously (the contract's signature) with one blocking round trip per new
   * pattern; answers are cached until the store version changes.
   * @throws StorageError or QueryTimeout when the remote store cannot answer.
   */
  countQuads(subject?: RDF.Term | null, predicate?: RDF.Term | null, object?: RDF.Term | null, graph?: RDF.Term | null): number {
    const clause = this.#patternClause(subject, predicate, object, graph);
    if (clause === undefined) return 0;
    const cached = this.#counts.get(clause);
    if (cached !== undefined) return cached;
    // Callers ask about many single quads of one small graph (is this vocabulary triple stored?):
    // such a graph is fetched once per version and counted locally, not one round trip per quad.
    if (graph && graph.termType !== 'Variable' && (subject || predicate || object)) {
      const quads = this.#smallGraph(graph);
      if (quads) {
        const fits = (term: RDF.Term, pattern: RDF.Term | null | undefined) => !pattern || pattern.termType === 'Variable' || pattern.equals(term);
        return quads.filter((quad) => fits(quad.subject, subject) && fits(quad.predicate, predicate) && fits(quad.object, object)).length;
      }
    }
    return this.#remember(clause, Number(this.#client.selectSync(`SELECT (COUNT(*) AS ?n) WHERE { ${clause} }`).rows[0]?.n?.value ?? 0));
  }

  #forgetCounts(): void {
    this.#counts.clear();
    this.#snapshots.clear();
  }

  #remember(clause: string, count: number): number {
    if (this.#counts.size >= maxCachedCounts) this.#forgetCounts();
    this.#counts.set(clause, count);
    return count;
  }

  /** All quads of `graph` when it holds at most `smallGraphLimit` of them (cached per version), else undefined. */
  #smallGraph(graph: RDF.Term): readonly RDF.Quad[] | undefined {
    const name = this.#terms.skolem(graph).value;
    const cached = this.#snapshots.get(name);
    if (cached) return cached;
    if (this.countQuads(null, null, null, graph) > smallGraphLimit) return undefined;
    const answer = this.#client.selectSync(`SELECT ?s ?p ?o WHERE { GRAPH ${this.#iri(name)} { ?s ?p ?o } }`);
    const term = (json: JsonTerm | undefined) => {
      if (!json) throw new StorageError('the remote store left a variable unbound in a quad pattern');
      return this.#terms.fromJson(json);
    };
    const quads = answer.rows.map((row) =>
      DataFactory.quad(term(row.s) as RDF.Quad_Subject, term(row.p) as RDF.Quad_Predicate, term(row.o) as RDF.Quad_Object, graph as RDF.Quad_Graph),
    );
    this.#snapshots.set(name, quads);
    return quads;
  }

  async *exportQuads(graph?: RDF.Quad_Graph): AsyncIterable<RDF.Quad> {
    yield* this.#quads(null, null, null, graph ?? null);
  }

  listDatasets(): readonly DatasetInfo[] {
    return [...this.#datasets.keys()].sort().map((id) => this.dataset(id) as DatasetInfo);
  }

  dataset(id: string): DatasetInfo | undefined {
    const record = this.#datasets.get(id);
    if (!record) return undefined;
    return { id, graph: record.graph, version: record.version, modified: record.modified, quads: record.quads };
  }

  // --- SPARQL pass-through ---------------------------------------------------------------

  async #passThrough(text: string, options: RemoteQueryOptions): Promise<RemoteQueryResult> {
    const params: Array<[string, string]> = [];
    const named = options.namedGraphUris ?? [];
    const defaults = options.defaultGraphUris ?? [];
    if (defaults.length > 0 || named.length > 0) {
      for (const iri of defaults) params.push(['default-graph-uri', iri]);
      for (const iri of named) params.push(['named-graph-uri', iri]);
    } else if (!options.namesDataset) {
      // Without a dataset in the request, the query sees Vínculo's graphs only (never the remote
      // store's own system graphs), with the default graph the engine is configured for.
      const graphs = this.#visibleGraphs().filter((iri) => iri !== this.#terms.defaultGraphIri);
      const defaultGraphs = options.defaultGraph === 'union' ? this.#visibleGraphs() : [this.#terms.defaultGraphIri];
      for (const iri of defaultGraphs) params.push(['default-graph-uri', iri]);
      for (const iri of graphs) params.push(['named-graph-uri', iri]);
      if (graphs.length === 0) params.push(['named-graph-uri', internalGraphIri(this.baseIRI, 'none')]);
    }
    const request: RequestOptions = { params, signal: options.signal, timeoutMs: options.timeoutMs };
    const query = options.baseIRI ? `BASE <${options.baseIRI}>\n${text}` : text;
    if (options.form === 'construct' || options.form === 'describe') {
      const triples = await this.#client.graph(query, { ...request, clientText: true });
      const quads = await parseRdfToArray(triples, { format: 'ntriples' });
      return { type: 'quads', quads: quads.map((quad) => this.#unskolemQuad(quad)) };
    }
    const answer = await this.#client.query(query, { ...request, clientText: true });
    if ('boolean' in answer) return { type: 'boolean', value: answer.boolean };
    const rows = answer.rows.map((row) => {
      const terms = new Map<string, RDF.Term>();
      for (const [name, json] of Object.entries(row)) terms.set(name, this.#terms.fromJson(json));
      return terms;
    });
    return { type: 'bindings', variables: answer.variables.map((name) => DataFactory.variable?.(name) as RDF.Variable), rows };
  }

  #unskolemQuad(quad: RDF.Quad): RDF.Quad {
    const t = (term: RDF.Term) => this.#terms.unskolem(term);
    return DataFactory.quad(t(quad.subject) as RDF.Quad_Subject, t(quad.predicate) as RDF.Quad_Predicate, t(quad.object) as RDF.Quad_Object);
  }

  // --- writing ---------------------------------------------------------------------------

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #assertOpen(): void {
    if (this.#closed) throw new StorageError('the store is closed');
  }

  /** The update that bumps the store version by one (part of every commit request). */
  #bumpVersion(): string {
    const m = `<${this.#metaGraph}>`;
    // The counter triple exists from `open()` on: Virtuoso yields no row for OPTIONAL + BIND alone.
    return `DELETE { GRAPH ${m} { ${m} <${meta}version> ?v } } INSERT { GRAPH ${m} { ${m} <${meta}version> ?n } }
WHERE { GRAPH ${m} { ${m} <${meta}version> ?v } BIND(?v + 1 AS ?n) }`;
  }

  #registerGraphs(graphs: Iterable<string>): string {
    const lines = [...graphs].map((iri) => `<${this.#metaGraph}> <${meta}graph> ${this.#iri(iri)} .`);
    return lines.length === 0 ? '' : `INSERT DATA { GRAPH <${this.#metaGraph}> { ${lines.join('\n')} } }`;
  }

  #datasetRecord(record: Omit<DatasetRecord, 'graph' | 'version'> & { graph: string }, version: string): string {
    const g = `<${record.graph}>`;
    const lit = (value: string) => this.#terms.text(DataFactory.literal(value));
    return `DELETE WHERE { GRAPH <${this.#metaGraph}> { ${g} ?p ?o } };
INSERT { GRAPH <${this.#metaGraph}> { ${g} <${meta}dataset> ${lit(record.id)} ; <${meta}datasetVersion> ?n ;
  <${meta}modified> ${lit(record.modified.toISOString())} ; <${meta}quads> ${lit(String(record.quads))} } }
WHERE { ${version} }`;
  }

  /** A WHERE clause binding ?n to the version the commit request gives (after its bump). */
  #newVersion(): string {
    return `GRAPH <${this.#metaGraph}> { <${this.#metaGraph}> <${meta}version> ?n }`;
  }

  /**
   * For each quad, whether the remote store holds it. Rows are matched back by index, not by
   * term, because the store may answer a literal in another lexical form ("1.50" → "1.5").
   * @throws StorageError or QueryTimeout when the store cannot answer.
   */
  async #present(quads: readonly RDF.Quad[]): Promise<boolean[]> {
    const present = quads.map(() => false);
    for (let start = 0; start < quads.length; start += updateBatchSize) {
      const rows = quads
        .slice(start, start + updateBatchSize)
        .map((quad, offset) => {
          const graph = quad.graph.termType === 'DefaultGraph' ? DataFactory.defaultGraph() : quad.graph;
          const terms = [quad.subject, quad.predicate, quad.object, graph].map((term) => this.#terms.text(term)).join(' ');
          return `(${start + offset} ${terms})`;
        })
        .join('\n');
      const answer = await this.#client.select(`SELECT ?i WHERE { VALUES (?i ?s ?p ?o ?g) { ${rows} } GRAPH ?g { ?s ?p ?o } }`);
      for (const row of answer.rows) present[Number(row.i?.value)] = true;
    }
    return present;
  }

  /**
   * Streams dataset `id`'s next version in batches into a fresh staging graph. Blank nodes are
   * stored as skolem IRIs `{base}.well-known/genid/{id}_…` and read back as blank nodes.
   * @throws BadRequest for an invalid id; StorageError or QueryTimeout when the remote store
   *   fails; whatever `quads` throws. In every case the staging graph is dropped and nothing changes.
   */
  async stage(id: string, quads: QuadSource): Promise<StagedDataset> {
    this.#assertOpen();
    const graph = datasetGraph(this.baseIRI, id);
    const staging = internalGraphIri(this.baseIRI, `staging/${id}-${randomBytes(6).toString('hex')}`);
    const stagingNode = DataFactory.namedNode(staging);
    const drop = () => this.#client.update(`DROP SILENT GRAPH <${staging}>`).catch(() => undefined);
    try {
      let batch: RDF.Quad[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        const quads = batch;
        batch = [];
        if (this.#client.canPostTriples) {
          // Skolemised terms make SPARQL's triple syntax valid N-Triples.
          await this.#client.postTriples(staging, `${quads.map((quad) => this.#terms.triple(quad)).join('\n')}\n`);
        } else {
          await this.#client.update(`INSERT DATA { ${this.#terms.dataBlock(quads)} }`);
        }
      };
      for await (const item of quads) {
        for (const quad of isQuadBatch(item) ? item : [item]) {
          batch.push(inGraph(quad, stagingNode, `${id}_`));
          if (batch.length >= this.#batchSize) await flush();
        }
      }
      await flush();
      const counted = await this.#client.select(`SELECT (COUNT(*) AS ?n) WHERE { GRAPH <${staging}> { ?s ?p ?o } }`);
      const staged: StagedDataset = {
        id,
        graph,
        quads: Number(counted.rows[0]?.n?.value ?? 0),
        discard: async () => {
          if (this.#staged.delete(staged)) await drop();
        },
      };
      this.#staged.set(staged, staging);
      return staged;
    } catch (error) {
      await drop();
      throw error;
    }
  }

  /**
   * Publishes a staged version in one update request, which the remote store runs as one
   * transaction: MOVE staging → `{base}graph/{id}`, the catalog changes, the dataset record.
   * @throws StorageError when `staged` is not pending here, or the remote store fails (then the
   *   staging graph is dropped and the previous version stays).
   */
  async commit(staged: StagedDataset, catalogChanges: CatalogChanges = noCatalogChanges): Promise<DatasetInfo> {
    const staging = this.#staged.get(staged);
    if (staging === undefined) throw new StorageError(`dataset ${staged.id}: this version was not staged by this store, or is already committed or discarded`);
    this.#staged.delete(staged);
    try {
      this.#assertOpen();
      const catalog = catalogGraph(this.baseIRI);
      return await this.#exclusive(async () => {
        this.#assertOpen();
        const updates = [
          `MOVE SILENT <${staging}> TO <${staged.graph.value}>`,
          ...this.#catalogUpdates(catalog, catalogChanges),
          this.#registerGraphs([staged.graph.value, ...(catalogChanges.add.length > 0 ? [catalog.value] : [])]),
          this.#bumpVersion(),
          this.#datasetRecord({ id: staged.id, graph: staged.graph.value, modified: new Date(), quads: staged.quads }, this.#newVersion()),
        ].filter((update) => update !== '');
        await this.#client.update(updates.join(';\n'));
        await this.refresh();
        const info = this.dataset(staged.id);
        if (!info) throw new StorageError(`dataset ${staged.id} was committed but its record is missing from the remote store`);
        return info;
      });
    } catch (error) {
      await this.#client.update(`DROP SILENT GRAPH <${staging}>`).catch(() => undefined);
      throw error;
    }
  }

  /** Replaces dataset `id` with `quads` and no catalog change: `stage` then `commit`. */
  async putDataset(id: string, quads: QuadSource): Promise<DatasetInfo> {
    return this.commit(await this.stage(id, quads));
  }

  /** The DELETE DATA / INSERT DATA requests of catalog changes (their blank nodes are skolem IRIs, as stored). */
  #catalogUpdates(catalog: RDF.NamedNode, changes: CatalogChanges): string[] {
    const inCatalog = (quads: readonly RDF.Quad[]) => quads.map((quad) => DataFactory.quad(quad.subject, quad.predicate, quad.object, catalog));
    return [
      changes.remove.length > 0 ? `DELETE DATA { ${this.#terms.dataBlock(inCatalog(changes.remove))} }` : '',
      changes.add.length > 0 ? `INSERT DATA { ${this.#terms.dataBlock(inCatalog(changes.add))} }` : '',
    ];
  }

  /**
   * Removes dataset `id` and its graph, with `catalogChanges`, in one update request.
   * @throws BadRequest for an invalid id; StorageError when the remote store fails (nothing changes).
   */
  async dropDataset(id: string, catalogChanges: CatalogChanges = noCatalogChanges): Promise<boolean> {
    this.#assertOpen();
    const graph = datasetGraph(this.baseIRI, id);
    return this.#exclusive(async () => {
      await this.refresh();
      const previous = this.#datasets.get(id);
      if (!previous) return false;
      const updates = [
        `DROP SILENT GRAPH <${graph.value}>`,
        ...this.#catalogUpdates(catalogGraph(this.baseIRI), catalogChanges),
        `DELETE WHERE { GRAPH <${this.#metaGraph}> { <${graph.value}> ?p ?o } }`,
        `DELETE DATA { GRAPH <${this.#metaGraph}> { <${this.#metaGraph}> <${meta}graph> <${graph.value}> } }`,
        this.#bumpVersion(),
      ].filter((update) => update !== '');
      await this.#client.update(updates.join(';\n'));
      await this.refresh();
      return true;
    });
  }

  /**
   * Runs `work` alone; each change it makes through the target is one update request, applied
   * at once (later reads in `work` see it). If `work` throws, the recorded changes are reverted
   * with inverse requests. At the end the store version and touched datasets' records move on.
   * Not one remote transaction: another reader may see the intermediate states.
   * @throws whatever `work` throws; StorageError when the remote store fails.
   */
  async write<T>(work: (target: RDF.Store<RDF.Quad>) => Promise<T>): Promise<T> {
    this.#assertOpen();
    return this.#exclusive(async () => {
      this.#assertOpen();
      const changes: Array<{ op: 'insert' | 'delete'; quads: RDF.Quad[] }> = [];
      const touched = new Set<string>();
      const graphName = (quad: RDF.Quad) => this.#terms.skolem(quad.graph).value;
      const apply = async (op: 'insert' | 'delete', given: RDF.Quad[], known = false) => {
        // Only real changes are made and recorded, so that undoing them restores exactly the old state.
        const present = known ? given.map(() => true) : await this.#present(given);
        const quads = given.filter((_quad, index) => present[index] === (op === 'delete'));
        if (quads.length === 0) return;
        for (let start = 0; start < quads.length; start += updateBatchSize) {
          const slice = quads.slice(start, start + updateBatchSize);
          await this.#client.update(`${op === 'insert' ? 'INSERT' : 'DELETE'} DATA { ${this.#terms.dataBlock(slice)} }`);
          changes.push({ op, quads: slice });
        }
        for (const quad of quads) touched.add(graphName(quad));
        if (op === 'insert') {
          const fresh = [...new Set(quads.map(graphName))].filter((name) => !this.#graphs.has(name));
          if (fresh.length > 0) {
            await this.#client.update(this.#registerGraphs(fresh));
            for (const name of fresh) this.#graphs.add(name);
          }
        }
        this.#forgetCounts();
      };
      const removeMatching = async (s?: RDF.Term | null, p?: RDF.Term | null, o?: RDF.Term | null, g?: RDF.Term | null) => {
        const found: RDF.Quad[] = [];
        for await (const quad of this.#quads(s, p, o, g)) found.push(quad);
        await apply('delete', found, true);
      };
      const target: RDF.Store<RDF.Quad> = {
        match: (s, p, o, g) => this.match(s, p, o, g),
        import: (stream) => emitterOf(async () => apply('insert', await collect(stream))),
        remove: (stream) => emitterOf(async () => apply('delete', await collect(stream))),
        removeMatches: (s, p, o, g) => emitterOf(() => removeMatching(s, p, o, g)),
        deleteGraph: (graph) =>
          emitterOf(() => removeMatching(null, null, null, typeof graph === 'string' ? DataFactory.namedNode(graph) : graph)),
      };
      let result: T;
      try {
        result = await work(target);
      } catch (error) {
        for (const change of changes.reverse()) {
          await this.#client
            .update(`${change.op === 'insert' ? 'DELETE' : 'INSERT'} DATA { ${this.#terms.dataBlock(change.quads)} }`)
            .catch(() => undefined);
        }
        this.#forgetCounts();
        throw error;
      }
      if (changes.length === 0) return result;
      await this.#client.update(this.#bumpVersion());
      await this.refresh();
      for (const name of touched) {
        const id = datasetIdOfGraph(this.baseIRI, name);
        const record = id === undefined ? undefined : this.#datasets.get(id);
        if (!record) continue;
        const counted = await this.#client.select(`SELECT (COUNT(*) AS ?n) WHERE { GRAPH ${this.#iri(name)} { ?s ?p ?o } }`);
        await this.#client.update(
          this.#datasetRecord(
            { ...record, graph: name, modified: new Date(), quads: Number(counted.rows[0]?.n?.value ?? 0) },
            this.#newVersion(),
          ),
        );
      }
      await this.refresh();
      return result;
    });
  }

  // --- RDF/JS Sink: refused outside write() ------------------------------------------------

  import(_stream: RDF.Stream<RDF.Quad>): EventEmitter {
    return emitterOf(async () => {
      throw new Forbidden('the store is written only inside write()');
    });
  }

  remove(_stream: RDF.Stream<RDF.Quad>): EventEmitter {
    return this.import(_stream);
  }

  removeMatches(): EventEmitter {
    return this.import(Readable.from([]) as unknown as RDF.Stream<RDF.Quad>);
  }

  deleteGraph(_graph: RDF.Quad_Graph | string): EventEmitter {
    return this.removeMatches();
  }

  /** Stops polling and the helper thread; the remote store keeps everything. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#exclusive(async () => {
      this.#closed = true;
      clearInterval(this.#timer);
      await this.#client.close();
    });
  }
}

/**
 * Opens the remote SPARQL store, ready to use (metadata read).
 * @throws StorageError when the remote store is unreachable or refuses the requests.
 */
export async function openSparqlStore(options: SparqlStoreOptions): Promise<SparqlStore> {
  return SparqlStore.open(options);
}
