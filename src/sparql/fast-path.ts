/**
 * The fast path: answers queries directly on the embedded store's id indexes (see fast-plan.ts for
 * what it covers) and hands the rest to Comunica. Evaluation runs in slices of a few
 * milliseconds, so a long aggregate never holds the event loop, and finishes before the first
 * result is sent: a query found mid-way to need Comunica can still be handed over.
 */
import type * as RDF from '@rdfjs/types';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { DataFactory } from '../rdf/index.js';
import { type IdGraph, IdTriples, type QuadIndex, termOfKey } from '../store/index.js';
import { FastBindings } from './fast-bindings.js';
import { type EvaluationContext, evaluate, type NamedGraphs, pause } from './fast-eval.js';
import { ComputedTerms } from './computed-terms.js';
import type { Position, Row } from './fast-operators.js';
import { type CompiledQuery, compileQuery, type Dataset, type TemplatePosition } from './fast-plan.js';
import { FastPathFallback, iriOfKey } from './fast-values.js';
import type { AlgebraNode } from './parse-sparql.js';

/** How long evaluation may hold the event loop before it lets other work run. */
const sliceMs = 3;

/**
 * Compiled queries kept for their next run, by algebra: the engine keeps parsed queries (bounded),
 * so a repeated query brings the same algebra, and its plan goes when the parsed query does.
 * Compiling and planning BGPs are most of a cheap query's fast-path time.
 */
const keptPlans = new WeakMap<AlgebraNode, KeptPlan>();

interface KeptPlan {
  readonly index: QuadIndex;
  readonly defaultGraph: 'union' | 'store';
  readonly compiled: CompiledQuery;
  /** The ids the plan's constants and computed values were given (its closures hold them). */
  readonly terms: ComputedTerms;
  /** Its BGPs' join orders, chosen from counts of the store as `graphs` describes it. */
  readonly plans: EvaluationContext['plans'];
  readonly graphs: readonly number[];
  /** A run is evaluating it (evaluation pauses between slices): a concurrent run compiles its own. */
  running: boolean;
}

/** A kept plan whose runs have computed this many values is dropped rather than kept with them all. */
const maxKeptComputedTerms = 10_000;

/** A number per graph object, so a replaced graph (a re-imported dataset) of the same size is told apart. */
const graphGenerations = new WeakMap<IdGraph, number>();
let lastGeneration = 0;

/**
 * The store's state as BGP plans depend on it: each graph (its generation) and its size. The
 * store's version is not visible here; a write that keeps every graph's size leaves a plan's join
 * orders in place, which can only make it slower, never wrong (see `stillValid` for what can).
 */
function storeState(index: QuadIndex): number[] {
  const state: number[] = [];
  for (const graph of index.defaultGraphs('union')) {
    let generation = graphGenerations.get(graph);
    if (generation === undefined) {
      generation = ++lastGeneration;
      graphGenerations.set(graph, generation);
    }
    state.push(generation, graph.count(0, 0, 0));
  }
  return state;
}

/**
 * Whether a kept plan still answers right: same store and default graph, the same graphs of the
 * same sizes, and no constant it compiled as absent (matching nothing, or a computed id) has
 * since been written.
 */
function stillValid(kept: KeptPlan, options: FastPathOptions, state: readonly number[]): boolean {
  if (kept.index !== options.index || kept.defaultGraph !== options.defaultGraph || kept.graphs.length !== state.length) return false;
  if (kept.graphs.some((figure, at) => figure !== state[at])) return false;
  const { absentTerms, absentKeys } = kept.compiled.dependencies;
  return absentTerms.every((term) => options.index.idOf(term) === undefined) && absentKeys.every((key) => options.index.idOfKey(key) === undefined);
}

/**
 * The kept plan for `algebra` when it is still valid and idle, else a new one (kept unless it
 * reads the clock or chance, or another run holds the kept one).
 * @throws FastPathFallback when the algebra is outside the fast path.
 */
function planOf(algebra: AlgebraNode, options: FastPathOptions): KeptPlan {
  const state = storeState(options.index);
  const kept = keptPlans.get(algebra);
  if (kept && !kept.running && stillValid(kept, options, state)) return kept;
  const terms = new ComputedTerms(options.index);
  const compiled = compileQuery(algebra, terms);
  const plan: KeptPlan = { index: options.index, defaultGraph: options.defaultGraph, compiled, terms, plans: new Map(), graphs: state, running: false };
  if (!compiled.dependencies.volatile && !kept?.running) keptPlans.set(algebra, plan);
  return plan;
}

export interface FastPathOptions {
  readonly index: QuadIndex;
  readonly defaultGraph: 'union' | 'store';
  /** Rows (or triples) beyond this are not returned; one more is computed to know the result was cut. */
  readonly cap: number;
  /** A promise that rejects when the query's time is up or its client went away (asked for at the first pause). */
  readonly expired: () => Promise<never>;
  /** Told why a query is handed over (the `FastPathFallback` message). */
  readonly onFallback?: (reason: string) => void;
}

export type FastPathResult =
  | { readonly type: 'bindings'; readonly variables: readonly RDF.Variable[]; readonly rows: readonly RDF.Bindings[]; readonly truncated: boolean }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'quads'; readonly quads: readonly RDF.Quad[]; readonly truncated: boolean };

/**
 * Evaluates a query on the fast path; undefined when it needs the general engine.
 * @throws QueryTimeout (from `expired`) when the deadline passes during evaluation.
 */
export async function runFastPath(
  algebra: AlgebraNode,
  form: 'select' | 'ask' | 'describe' | 'construct',
  options: FastPathOptions,
): Promise<FastPathResult | undefined> {
  let plan: KeptPlan | undefined;
  try {
    plan = planOf(algebra, options);
    plan.running = true;
    const { compiled, terms } = plan;
    const { graphs, named } = datasetOf(options.index, terms, options.defaultGraph, compiled.dataset);
    // Path walkers remember what they walked in the graphs: unlike join orders, they are per run.
    const context: EvaluationContext = { graphs, named, terms, width: compiled.width, work: 0, plans: plan.plans, walkers: new Map() };
    compiled.runtime.context = context;
    if (compiled.describe) {
      const rows = await drain(evaluate(context, compiled.root), Number.POSITIVE_INFINITY, options.expired);
      return describe(compiled.describe, rows, graphs, terms, options.cap);
    }
    const limit = form === 'ask' ? 1 : compiled.template ? Number.POSITIVE_INFINITY : options.cap + 1;
    const rows = await drain(evaluate(context, compiled.root), limit, options.expired);
    if (form === 'ask') return { type: 'boolean', value: rows.length > 0 };
    if (compiled.template) return construct(compiled.template, rows, terms, options.cap);
    return { type: 'bindings', variables: compiled.variables.map(({ variable }) => variable), rows: materialise(compiled, rows.slice(0, options.cap), terms), truncated: rows.length > options.cap };
  } catch (error) {
    if (error instanceof FastPathFallback) {
      options.onFallback?.(error.message);
      return undefined;
    }
    throw error;
  } finally {
    if (plan) {
      plan.running = false;
      // The run's context holds the graphs it read: a kept plan must not keep a replaced graph alive.
      plan.compiled.runtime.context = undefined;
      // Computed ids are -1, -2, … in the order they are made (computed-terms.ts).
      if (keptPlans.get(algebra) === plan && plan.terms.keyOf(-maxKeptComputedTerms) !== '') keptPlans.delete(algebra);
    }
  }
}

/**
 * The graphs of the query's dataset (Query §13.2): without FROM, the configured default graph
 * and every named graph of the store; with FROM / FROM NAMED, exactly the graphs they name.
 */
function datasetOf(index: QuadIndex, terms: ComputedTerms, mode: 'union' | 'store', dataset: Dataset | undefined): { graphs: readonly IdGraph[]; named: NamedGraphs } {
  const lookup = (name: string) => index.namedGraph(name);
  // Asked for at every step of a pattern in GRAPH: each graph as this run first found it, by id.
  const byId = new Map<number, IdGraph | undefined>();
  const remembered = (id: number, find: (name: string) => IdGraph | undefined): IdGraph | undefined => {
    if (!byId.has(id)) byId.set(id, find(iriOfKey(terms.keyOf(id))));
    return byId.get(id);
  };
  if (!dataset) {
    let ids: number[] | undefined;
    return {
      graphs: index.defaultGraphs(mode),
      named: {
        get ids() {
          ids ??= index.namedGraphs().map((name) => terms.intern(name));
          return ids;
        },
        graph: (id) => remembered(id, lookup),
      },
    };
  }
  const allowed = new Set(dataset.named);
  return {
    graphs: [...new Set(dataset.default)].flatMap((name) => lookup(name) ?? []),
    named: {
      ids: [...allowed].map((name) => terms.intern(name)),
      graph: (id) => remembered(id, (name) => (allowed.has(name) ? lookup(name) : undefined)),
    },
  };
}

/** Pulls rows until `limit`, yielding to the event loop every `sliceMs`. */
async function drain(steps: Generator<Row | typeof pause>, limit: number, expired: () => Promise<never>): Promise<Row[]> {
  const rows: Row[] = [];
  let sliceStart = performance.now();
  try {
    for (let next = steps.next(); !next.done; next = steps.next()) {
      if (next.value === pause) {
        if (performance.now() - sliceStart > sliceMs) {
          await Promise.race([nextTurn(), expired()]);
          sliceStart = performance.now();
        }
        continue;
      }
      rows.push(next.value);
      if (rows.length >= limit) break;
    }
  } finally {
    steps.return(undefined);
  }
  return rows;
}

function materialise(compiled: CompiledQuery, rows: readonly Row[], terms: ComputedTerms): RDF.Bindings[] {
  const cache = new Map<number, RDF.Term>();
  const termOf = (id: number): RDF.Term => {
    let term = cache.get(id);
    if (!term) {
      term = termOfKey(terms.keyOf(id));
      cache.set(id, term);
    }
    return term;
  };
  return rows.map((row) => {
    const entries: [RDF.Variable, RDF.Term][] = [];
    for (const { variable, slot } of compiled.variables) {
      const id = row[slot] ?? 0;
      if (id !== 0) entries.push([variable, termOf(id)]);
    }
    return new FastBindings(entries);
  });
}

/** DESCRIBE: the triples whose subject is a described term, in the default graph (as Comunica answers). */
function describe(
  described: readonly Position[],
  rows: readonly Row[],
  graphs: readonly IdGraph[],
  terms: ComputedTerms,
  cap: number,
): FastPathResult {
  const ids = new Set<number>();
  for (const position of described) {
    if ('id' in position) ids.add(position.id);
    else for (const row of rows) ids.add(row[position.slot] ?? 0);
  }
  const quads: RDF.Quad[] = [];
  const triples = new IdTriples();
  const termOf = (id: number) => termOfKey(terms.keyOf(id));
  for (const id of ids) {
    if (id <= 0) continue;
    triples.length = 0;
    for (const graph of graphs) graph.match(id, 0, 0, triples);
    const subject = termOf(id) as RDF.Quad_Subject;
    for (let at = 0; at < triples.length; at += 3) {
      quads.push(DataFactory.quad(subject, termOf(triples.data[at + 1] as number) as RDF.Quad_Predicate, termOf(triples.data[at + 2] as number) as RDF.Quad_Object));
    }
  }
  return { type: 'quads', quads: quads.slice(0, cap), truncated: quads.length > cap };
}

/** A template position with its constant as an id. */
type ConstructPosition = Exclude<TemplatePosition, { readonly key: string }> | { readonly id: number };

/**
 * CONSTRUCT (Query §16.2): the template instantiated with each solution, blank nodes fresh per
 * solution; a triple with an unbound or ill-placed term (a literal subject, …) is left out; the
 * result is a set.
 */
function construct(template: NonNullable<CompiledQuery['template']>, rows: readonly Row[], terms: ComputedTerms, cap: number): FastPathResult {
  const quads: RDF.Quad[] = [];
  const seen = new Set<string>();
  // Terms by id, made once however many solutions repeat them; constants get ids too.
  const termById = new Map<number, RDF.Term>();
  const termOf = (id: number): RDF.Term => {
    let term = termById.get(id);
    if (!term) {
      term = termOfKey(terms.keyOf(id));
      termById.set(id, term);
    }
    return term;
  };
  const positions = template.map((triple) => triple.map((position): ConstructPosition => ('key' in position ? { id: terms.intern(position.key) } : position)));
  rows.forEach((row, solution) => {
    /** The position's id, or a blank node's key (fresh per solution); undefined when unbound. */
    const valueAt = (position: ConstructPosition | undefined): number | string | undefined => {
      if (!position) return undefined;
      if ('id' in position) return position.id;
      if ('blank' in position) return `_:c${solution}_${position.blank}`;
      const id = row[position.slot] ?? 0;
      return id === 0 ? undefined : id;
    };
    for (const [subjectPosition, predicatePosition, objectPosition] of positions) {
      const subject = valueAt(subjectPosition);
      const predicate = valueAt(predicatePosition);
      const object = valueAt(objectPosition);
      if (subject === undefined || predicate === undefined || object === undefined) continue;
      const subjectTerm = typeof subject === 'string' ? termOfKey(subject) : termOf(subject);
      const predicateTerm = typeof predicate === 'string' ? termOfKey(predicate) : termOf(predicate);
      if (subjectTerm.termType === 'Literal' || predicateTerm.termType !== 'NamedNode') continue;
      // One id is one term, so ids (and fresh blank keys, which no id can look like) identify a triple.
      const key = `${subject} ${predicate} ${object}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const objectTerm = typeof object === 'string' ? termOfKey(object) : termOf(object);
      quads.push(DataFactory.quad(subjectTerm as RDF.Quad_Subject, predicateTerm as RDF.Quad_Predicate, objectTerm as RDF.Quad_Object));
    }
  });
  return { type: 'quads', quads: quads.slice(0, cap), truncated: quads.length > cap };
}
