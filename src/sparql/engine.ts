/** The one adapter around Comunica: runs parsed SPARQL over the store with deadlines, row caps and write scopes. */
import type * as RDF from '@rdfjs/types';
import { QueryEngine } from '@comunica/query-sparql-rdfjs';
import { BindingsFactory } from '@comunica/utils-bindings-factory';
import { Readable } from 'node:stream';
import { BadRequest, Forbidden, NotImplemented, QueryTimeout, TooLarge, VinculoError } from '../errors/index.js';
import { DataFactory } from '../rdf/index.js';
import { reservedGraphs, reservedGraphWrite } from '../store/index.js';
import type { RemoteQueryResult, SparqlEndpoint, VinculoStore } from '../store/index.js';
import { type AlgebraNode, type ParsedSparql, parseSparql, walkAlgebra, withGraphNames } from './parse-sparql.js';
import { type FastPathResult, runFastPath } from './fast-path.js';
import { nativeUpdateCandidate, runNativeUpdate } from './native-update.js';
import { checkRegexes } from './regex-guard.js';
import { offThreadParseChars, parseOffThread } from './parse-off-thread.js';
import { scopedTarget } from './scoped-target.js';

export interface SparqlLimits {
  /** Wall-clock limit of one query or update, from parsing to the last result. */
  readonly timeoutMs: number;
  /** Results beyond this many rows (or triples) are not sent; the result says it was cut. */
  readonly maxResultRows: number;
  /** Longest query or update text accepted, in characters. */
  readonly maxQueryLength: number;
  /** SERVICE endpoints a query may name; any other SERVICE is refused. */
  readonly serviceAllowlist: readonly string[];
}

export interface SparqlEngineOptions {
  readonly store: VinculoStore;
  readonly limits: SparqlLimits;
  /** 'union': the default graph is the union of every graph; 'store': the store's own default graph. */
  readonly defaultGraph: 'union' | 'store';
  /** Answer the queries it covers on the store's id indexes (default true); false: Comunica only. */
  readonly fastPath?: boolean;
  /** Told, for each query the fast path was tried on, whether it answered or why it handed the query to Comunica. */
  readonly onFastPath?: (outcome: FastPathOutcome) => void;
}

export type FastPathOutcome = { readonly answered: true } | { readonly answered: false; readonly reason: string };

export interface QueryOptions {
  /** Protocol `default-graph-uri`: replaces the query's FROM (SPARQL 1.1 Protocol §2.1.4). */
  readonly defaultGraphUris?: readonly string[];
  /** Protocol `named-graph-uri`: replaces the query's FROM NAMED. */
  readonly namedGraphUris?: readonly string[];
  /** Aborts the work (client went away). */
  readonly signal?: AbortSignal;
  readonly baseIRI?: string;
}

export interface UpdateOptions {
  /** Protocol `using-graph-uri` (SPARQL 1.1 Protocol §2.2.3). */
  readonly usingGraphUris?: readonly string[];
  readonly usingNamedGraphUris?: readonly string[];
  /** Graphs the caller may change; undefined means every graph (the all-graphs token). */
  readonly scope?: readonly string[];
  readonly signal?: AbortSignal;
  readonly baseIRI?: string;
}

/** A row cap was reached: the consumer stopped receiving results although more existed. */
export interface Truncation {
  truncated(): boolean;
}

export interface BindingsResult extends Truncation {
  readonly type: 'bindings';
  readonly variables: readonly RDF.Variable[];
  /** Throws QueryTimeout when the deadline passes while reading; breaking out stops the work. */
  readonly bindings: AsyncIterable<RDF.Bindings>;
}

export interface BooleanResult {
  readonly type: 'boolean';
  readonly value: boolean;
}

export interface QuadsResult extends Truncation {
  readonly type: 'quads';
  readonly quads: AsyncIterable<RDF.Quad>;
}

export type QueryResult = BindingsResult | BooleanResult | QuadsResult;

export interface SparqlEngine {
  readonly limits: SparqlLimits;
  readonly defaultGraph: 'union' | 'store';
  /**
   * @throws SyntaxProblem (400) with line and column, TooLarge (413) for over-long text,
   *   Forbidden (403) for a SERVICE not on the allowlist, QueryTimeout (503), BadRequest (400)
   *   when evaluation fails on the query's own terms.
   */
  query(text: string, options?: QueryOptions): Promise<QueryResult>;
  /**
   * Runs an update inside one `store.write()` (one journal record; all or nothing).
   * @throws as `query`, plus Forbidden when it touches a graph outside `scope`.
   */
  update(text: string, options?: UpdateOptions): Promise<void>;
}

/** What Comunica's result streams offer besides async iteration: stopping them. */
interface Destroyable<T> extends AsyncIterable<T> {
  destroy(cause?: Error): void;
}

/** A deadline (timeout or client abort) as a promise that only ever rejects. */
interface Deadline {
  readonly expired: Promise<never>;
  dispose(): void;
}

/** `elapsedMs`: time the query already spent (the limit counts from its start). */
function startDeadline(timeoutMs: number, signal: AbortSignal | undefined, onExpire: () => void, elapsedMs = 0): Deadline {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      onExpire();
      reject(new QueryTimeout(`query exceeded the time limit of ${timeoutMs} ms`));
    }, Math.max(0, timeoutMs - elapsedMs));
    if (signal) {
      onAbort = () => {
        onExpire();
        reject(new QueryTimeout('query cancelled: the client went away'));
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  // Nobody may be awaiting the deadline when it fires; that must not crash the process.
  expired.catch(() => undefined);
  return {
    expired,
    dispose: () => {
      clearTimeout(timer);
      if (signal && onAbort) signal.removeEventListener('abort', onAbort);
    },
  };
}

/** Comunica's metadata lists `{ variable, canBeUndef }` at run time where its typings say plain variables. */
function variableOf(entry: RDF.Variable | { variable: RDF.Variable }): RDF.Variable {
  return 'variable' in entry ? entry.variable : entry;
}

/**
 * The store as one query's source, which can be shut: Comunica's operators (aggregates, hash
 * joins) keep pulling from their inputs after their output stream is destroyed, so once the query
 * is over, open store streams are destroyed and every further `match` answers nothing.
 */
type CountingSource = RDF.Source<RDF.Quad> & { countQuads?: VinculoStore['countQuads'] };

function shutableSource(store: CountingSource): { source: CountingSource; shut(): void } {
  let open = true;
  const streams = new Set<RDF.Stream<RDF.Quad> & { destroy?: () => void }>();
  const source = {
    match: (subject?: RDF.Term | null, predicate?: RDF.Term | null, object?: RDF.Term | null, graph?: RDF.Term | null) => {
      if (!open) return Readable.from([]) as unknown as RDF.Stream<RDF.Quad>;
      const stream: RDF.Stream<RDF.Quad> & { destroy?: () => void } = store.match(subject, predicate, object, graph);
      streams.add(stream);
      stream.on('end', () => streams.delete(stream));
      return stream;
    },
    ...(store.countQuads
      ? {
          countQuads: (subject?: RDF.Term | null, predicate?: RDF.Term | null, object?: RDF.Term | null, graph?: RDF.Term | null) =>
            open ? (store.countQuads?.(subject, predicate, object, graph) ?? 0) : 0,
        }
      : {}),
  };
  const shut = () => {
    open = false;
    // Streams still being read are stopped too: a join may be draining one into memory.
    for (const stream of streams) stream.destroy?.();
    streams.clear();
  };
  return { source, shut };
}

/**
 * Comunica reports problems of the query itself (unknown function, bad regular expression) as
 * plain Errors: those are the client's (400). Programming errors stay internal (500).
 */
function evaluationError(error: unknown): Error {
  if (error instanceof VinculoError) return error;
  if (error instanceof TypeError || error instanceof ReferenceError || error instanceof RangeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new BadRequest(`the query could not be evaluated: ${message}`, { cause: error });
}

/**
 * Reads a Comunica stream under the deadline and the row cap. Whatever way the reading ends
 * (all read, cap reached, deadline, consumer stops), the stream is destroyed, so the operators
 * below it stop pulling from the store.
 */
function guarded<T>(
  stream: Destroyable<T>,
  deadline: Deadline,
  cap: number,
  shut: () => void,
): { items: AsyncIterable<T>; truncated: () => boolean } {
  let truncated = false;
  async function* read(): AsyncGenerator<T> {
    const iterator = stream[Symbol.asyncIterator]();
    let count = 0;
    try {
      while (true) {
        let next: IteratorResult<T>;
        try {
          next = await Promise.race([iterator.next(), deadline.expired]);
        } catch (error) {
          throw evaluationError(error);
        }
        if (next.done) return;
        if (count >= cap) {
          truncated = true;
          return;
        }
        count++;
        yield next.value;
      }
    } finally {
      shut();
      stream.destroy();
      deadline.dispose();
    }
  }
  return { items: read(), truncated: () => truncated };
}

/** Replaces the dataset of a query (its FROM / FROM NAMED) as the protocol's graph parameters ask. */
function withDataset(algebra: AlgebraNode, defaults: readonly string[], named: readonly string[]): AlgebraNode {
  const inner = algebra.type === 'from' ? (algebra.input as AlgebraNode) : algebra;
  const toNodes = (iris: readonly string[]) => iris.map((iri) => DataFactory.namedNode(iri));
  return { type: 'from', input: inner, default: toNodes(defaults), named: toNodes(named) };
}

/** ASK as "is there a first solution": a bindings stream can be stopped at the deadline, a boolean promise cannot. */
function askAsSlice(algebra: AlgebraNode): AlgebraNode {
  if (algebra.type === 'ask') return { type: 'slice', input: algebra.input, start: 0, length: 1 };
  if (algebra.type === 'from') return { ...algebra, input: askAsSlice(algebra.input as AlgebraNode) };
  return algebra;
}

function withUsing(algebra: AlgebraNode, defaults: readonly string[], named: readonly string[]): AlgebraNode {
  if (algebra.type === 'compositeupdate') {
    return { ...algebra, updates: (algebra.updates as AlgebraNode[]).map((update) => withUsing(update, defaults, named)) };
  }
  if (algebra.type === 'deleteinsert' && algebra.where) {
    return { ...algebra, where: withDataset(algebra.where as AlgebraNode, defaults, named) };
  }
  return algebra;
}

/**
 * Refuses, before anything is read, an update whose text names a reserved graph as a target (a
 * template's graph, CLEAR/DROP/CREATE, MOVE's source or destination, COPY/ADD's destination).
 * Targets only known while it runs (a variable graph, CLEAR ALL) are refused by the write target.
 * @throws Forbidden naming the graph.
 */
function checkReservedTargets(algebra: AlgebraNode, reserved: readonly string[]): void {
  const refuse = (term: unknown) => {
    const named = term as RDF.Term | undefined;
    if (named?.termType === 'NamedNode' && reserved.includes(named.value)) {
      throw reservedGraphWrite(named.value);
    }
  };
  for (const node of walkAlgebra(algebra)) {
    if (node.type === 'deleteinsert') for (const quad of [...((node.delete as RDF.Quad[] | undefined) ?? []), ...((node.insert as RDF.Quad[] | undefined) ?? [])]) refuse(quad.graph);
    if (node.type === 'clear' || node.type === 'drop' || node.type === 'create' || node.type === 'move') refuse(node.source);
    if (node.type === 'move' || node.type === 'copy' || node.type === 'add') refuse(node.destination);
  }
}

/**
 * LOAD fetches documents from the web, which this server does not do on a client's behalf
 * (SSRF). LOAD SILENT succeeds doing nothing, as Update §3.1.4 allows when loading fails.
 * @throws Forbidden for LOAD without SILENT.
 */
function withoutLoads(algebra: AlgebraNode): AlgebraNode | undefined {
  if (algebra.type === 'load') {
    if (algebra.silent === true) return undefined;
    throw new Forbidden('LOAD is not allowed: the server does not fetch remote documents; upload with the Graph Store Protocol');
  }
  if (algebra.type === 'compositeupdate') {
    const updates = (algebra.updates as AlgebraNode[]).map(withoutLoads).filter((update) => update !== undefined);
    return updates.length === 0 ? undefined : { ...algebra, updates };
  }
  return algebra;
}

function checkServices(algebra: AlgebraNode, allowlist: readonly string[]): void {
  for (const node of walkAlgebra(algebra)) {
    if (node.type !== 'service') continue;
    const name = node.name as RDF.Term;
    if (name.termType !== 'NamedNode' || !allowlist.includes(name.value)) {
      throw new Forbidden(`SERVICE ${name.termType === 'NamedNode' ? `<${name.value}>` : `?${name.value}`} is not allowed here`);
    }
    // The in-process engine has no HTTP client for federation; allowlisted or not, it cannot run.
    throw new NotImplemented(`SERVICE <${name.value}> is allowed but federated queries are not supported yet`);
  }
}

/** True when the query has FROM or FROM NAMED of its own (under its solution modifiers). */
function namesDataset(algebra: AlgebraNode): boolean {
  for (const node of walkAlgebra(algebra)) if (node.type === 'from') return true;
  return false;
}

/**
 * A query answered by a store that evaluates SPARQL itself: the text goes there whole (already
 * parsed and checked here), under the same time limit and row cap as local evaluation.
 * @throws QueryTimeout, BadRequest when the store refuses the query, StorageError when it fails.
 */
async function passThrough(
  endpoint: SparqlEndpoint,
  text: string,
  parsed: ReturnType<typeof parseSparql>,
  limits: SparqlLimits,
  defaultGraph: 'union' | 'store',
  options: QueryOptions,
): Promise<QueryResult> {
  const form = parsed.form === 'update' ? 'select' : parsed.form;
  const answer: RemoteQueryResult = await endpoint.query(text, {
    form,
    defaultGraphUris: options.defaultGraphUris,
    namedGraphUris: options.namedGraphUris,
    namesDataset: namesDataset(parsed.algebra),
    defaultGraph,
    baseIRI: options.baseIRI,
    timeoutMs: limits.timeoutMs,
    signal: options.signal,
  });
  const cap = limits.maxResultRows;
  if (answer.type === 'boolean') return answer;
  if (answer.type === 'quads') {
    const quads = answer.quads.slice(0, cap);
    return { type: 'quads', quads: (async function* () { yield* quads; })(), truncated: () => answer.quads.length > cap };
  }
  const rows = answer.rows.slice(0, cap).map((row) =>
    bindingsFactory.bindings([...row].map(([name, term]) => [DataFactory.variable?.(name) as RDF.Variable, term])),
  );
  return {
    type: 'bindings',
    variables: answer.variables,
    bindings: (async function* () { yield* rows; })(),
    truncated: () => answer.rows.length > cap,
  };
}

const bindingsFactory = new BindingsFactory(DataFactory as never);
const parseCacheSize = 256;

/** A fast-path answer in the engine's result shapes (already evaluated, so only the reading is lazy). */
function fastResult(fast: FastPathResult): QueryResult {
  if (fast.type === 'boolean') return fast;
  const truncated = () => fast.truncated;
  if (fast.type === 'quads') return { type: 'quads', quads: (async function* () { yield* fast.quads; })(), truncated };
  return { type: 'bindings', variables: fast.variables, bindings: (async function* () { yield* fast.rows; })(), truncated };
}

/**
 * Creates the SPARQL engine over a store (SPARQL 1.1 Query and Update, evaluated by Comunica).
 * @throws nothing; errors surface from `query` and `update`.
 */
export function createSparqlEngine(options: SparqlEngineOptions): SparqlEngine {
  const { store, limits } = options;
  const comunica = new QueryEngine();
  const union = options.defaultGraph === 'union';
  const fastPath = options.fastPath ?? true;
  // Clients repeat queries (dashboards, crawlers, example links): their parse and checks are kept, as plans are elsewhere.
  const parsedQueries = new Map<string, ParsedSparql>();

  /** Parses within what is left of the time limit; long texts on the parser thread, so the event loop stays free. */
  function parseWithin(text: string, options: { expect: 'query' | 'update'; baseIRI: string | undefined }, startedAt: number): ParsedSparql | Promise<ParsedSparql> {
    if (text.length < offThreadParseChars) return parseSparql(text, options);
    return parseOffThread(text, options, limits.timeoutMs - (performance.now() - startedAt));
  }

  async function parseQuery(text: string, baseIRI: string | undefined, startedAt: number): Promise<ParsedSparql> {
    const key = `${baseIRI ?? ''}\n${text}`;
    let parsed = parsedQueries.get(key);
    if (parsed) {
      parsedQueries.delete(key);
    } else {
      parsed = await parseWithin(text, { expect: 'query', baseIRI }, startedAt);
      // Only queries that pass the checks are kept, so a kept query needs no second check.
      checkServices(parsed.algebra, limits.serviceAllowlist);
      checkRegexes(parsed.algebra);
      if (parsedQueries.size >= parseCacheSize) parsedQueries.delete(parsedQueries.keys().next().value as string);
    }
    parsedQueries.set(key, parsed);
    return parsed;
  }

  function checkLength(text: string): void {
    if (text.length > limits.maxQueryLength) {
      throw new TooLarge(`the request text has ${text.length} characters; the limit is ${limits.maxQueryLength}`);
    }
  }

  async function query(text: string, queryOptions: QueryOptions = {}): Promise<QueryResult> {
    // The time limit covers parsing and planning too: a long query must not get a fresh limit after them.
    const startedAt = performance.now();
    checkLength(text);
    const parsed = await parseQuery(text, queryOptions.baseIRI, startedAt);
    if (store.sparqlEndpoint) return passThrough(store.sparqlEndpoint, text, parsed, limits, options.defaultGraph, queryOptions);
    let algebra = parsed.algebra;
    const defaults = queryOptions.defaultGraphUris ?? [];
    const named = queryOptions.namedGraphUris ?? [];
    if (defaults.length > 0 || named.length > 0) algebra = withDataset(algebra, defaults, named);
    else if (parsed.listsGraphs && store.quadIndex && ![...walkAlgebra(algebra)].some((node) => node.type === 'from')) {
      algebra = withGraphNames(algebra, store.quadIndex.namedGraphs());
    }
    if (parsed.form === 'ask') algebra = askAsSlice(algebra);

    if (store.quadIndex && fastPath && parsed.form !== 'update') {
      // The timer starts only if evaluation pauses: most fast-path answers take less than a slice.
      let fastDeadline: Deadline | undefined;
      const expired = () => {
        if (!fastDeadline) fastDeadline = startDeadline(limits.timeoutMs, queryOptions.signal, () => undefined, performance.now() - startedAt);
        return fastDeadline.expired;
      };
      let fast: Awaited<ReturnType<typeof runFastPath>>;
      try {
        const onFallback = (reason: string) => options.onFastPath?.({ answered: false, reason });
        fast = await runFastPath(algebra, parsed.form, { index: store.quadIndex, defaultGraph: options.defaultGraph, cap: limits.maxResultRows, expired, onFallback });
      } catch (error) {
        throw evaluationError(error);
      } finally {
        fastDeadline?.dispose();
      }
      if (fast) {
        options.onFastPath?.({ answered: true });
        return fastResult(fast);
      }
    }
    const { source, shut } = shutableSource(store);
    const deadline = startDeadline(limits.timeoutMs, queryOptions.signal, shut, performance.now() - startedAt);
    const context = { sources: [source], unionDefaultGraph: union, baseIRI: parsed.baseIRI };
    const started = comunica.query(algebra as never, context as never);
    let result: Awaited<typeof started>;
    try {
      result = await Promise.race([started, deadline.expired]);
    } catch (error) {
      deadline.dispose();
      // Planning may still finish after the deadline: its stream must not run unobserved.
      started
        .then(async (late) => {
          if (late.resultType === 'bindings' || late.resultType === 'quads') (await late.execute()).destroy();
        })
        .catch(() => undefined);
      throw evaluationError(error);
    }
    try {
      if (result.resultType === 'bindings') {
        const stream = (await Promise.race([result.execute(), deadline.expired])) as unknown as Destroyable<RDF.Bindings>;
        if (parsed.form === 'ask') {
          const { items } = guarded(stream, deadline, 1, shut);
          for await (const _ of items) return { type: 'boolean', value: true };
          return { type: 'boolean', value: false };
        }
        const metadata = await Promise.race([result.metadata(), deadline.expired]);
        const variables = (metadata.variables as ReadonlyArray<RDF.Variable | { variable: RDF.Variable }>).map(variableOf);
        const { items, truncated } = guarded(stream, deadline, limits.maxResultRows, shut);
        return { type: 'bindings', variables, bindings: items, truncated };
      }
      if (result.resultType === 'quads') {
        const stream = (await Promise.race([result.execute(), deadline.expired])) as unknown as Destroyable<RDF.Quad>;
        const { items, truncated } = guarded(stream, deadline, limits.maxResultRows, shut);
        return { type: 'quads', quads: items, truncated };
      }
      deadline.dispose();
      shut();
      if (result.resultType === 'boolean') return { type: 'boolean', value: await result.execute() };
      throw new BadRequest('not a query');
    } catch (error) {
      shut();
      deadline.dispose();
      throw evaluationError(error);
    }
  }

  async function update(text: string, updateOptions: UpdateOptions = {}): Promise<void> {
    const startedAt = performance.now();
    checkLength(text);
    const parsed = await parseWithin(text, { expect: 'update', baseIRI: updateOptions.baseIRI }, startedAt);
    checkServices(parsed.algebra, limits.serviceAllowlist);
    checkRegexes(parsed.algebra);
    checkReservedTargets(parsed.algebra, reservedGraphs(store.baseIRI));
    let algebra = withoutLoads(parsed.algebra);
    if (algebra === undefined) return;
    const defaults = updateOptions.usingGraphUris ?? [];
    const named = updateOptions.usingNamedGraphUris ?? [];
    if (defaults.length > 0 || named.length > 0) {
      // Protocol §2.2.3: parameters and USING/WITH together are an error, not an override.
      if (parsed.namesDataset) {
        throw new BadRequest('using-graph-uri / using-named-graph-uri cannot be combined with USING or WITH in the update');
      }
      algebra = withUsing(algebra, defaults, named);
    }
    let open = true;
    let shutReads = () => {};
    const deadline = startDeadline(
      limits.timeoutMs,
      updateOptions.signal,
      () => {
        open = false;
        shutReads();
      },
      performance.now() - startedAt,
    );
    try {
      await store.write(async (target) => {
        const destination = scopedTarget(target, { scope: updateOptions.scope, reserved: reservedGraphs(store.baseIRI), isOpen: () => open });
        const reads = shutableSource(target);
        shutReads = reads.shut;
        const context = { sources: [reads.source], destination, unionDefaultGraph: union, baseIRI: parsed.baseIRI };
        // A timed-out update throws inside write(), so the store undoes whatever it had done; the
        // target closes first so that Comunica, which cannot be stopped, writes nothing more.
        try {
          const operations = algebra.type === 'compositeupdate' ? (algebra.updates as AlgebraNode[]) : [algebra];
          const index = store.quadIndex;
          if (index && fastPath && operations.every(nativeUpdateCandidate)) {
            // In order, each seeing the ones before; a WHERE the fast path declines goes to Comunica alone.
            const native = { destination, index, defaultGraph: options.defaultGraph, expired: () => deadline.expired };
            for (const operation of operations) {
              if (await runNativeUpdate(operation, native)) continue;
              await Promise.race([comunica.queryVoid(operation as never, context as never), deadline.expired]);
            }
          } else await Promise.race([comunica.queryVoid(algebra as never, context as never), deadline.expired]);
        } finally {
          open = false;
          reads.shut();
        }
      });
    } catch (error) {
      throw evaluationError(error);
    } finally {
      deadline.dispose();
    }
  }

  return { limits, defaultGraph: options.defaultGraph, query, update };
}
