/**
 * The fast path: answers the common queries directly on the embedded store's id indexes (see
 * fast-plan.ts for what it covers) and hands everything else to Comunica. Evaluation runs in
 * slices of a few milliseconds, so a long aggregate never holds the event loop, and finishes before the
 * first result is sent: a query found mid-way to need Comunica can still be handed over.
 */
import type * as RDF from '@rdfjs/types';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { DataFactory } from '../rdf/index.js';
import { IdTriples, type QuadIndex, termOfKey } from '../store/index.js';
import { FastBindings } from './fast-bindings.js';
import { type EvaluationContext, evaluate, pause } from './fast-eval.js';
import { type CompiledQuery, ComputedTerms, compileQuery, type Row } from './fast-plan.js';
import { FastPathFallback } from './fast-values.js';
import type { AlgebraNode } from './parse-sparql.js';

/** How long evaluation may hold the event loop before it lets other work run. */
const sliceMs = 3;

export interface FastPathOptions {
  readonly index: QuadIndex;
  readonly defaultGraph: 'union' | 'store';
  /** Rows (or triples) beyond this are not returned; one more is computed to know the result was cut. */
  readonly cap: number;
  /** A promise that rejects when the query's time is up or its client went away (asked for at the first pause). */
  readonly expired: () => Promise<never>;
}

export type FastPathResult =
  | { readonly type: 'bindings'; readonly variables: readonly RDF.Variable[]; readonly rows: readonly RDF.Bindings[]; readonly truncated: boolean }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'quads'; readonly quads: readonly RDF.Quad[]; readonly truncated: boolean };

/**
 * Evaluates a query on the fast path; undefined when it needs the general engine.
 * @throws QueryTimeout (from `expired`) when the deadline passes during evaluation.
 */
export async function runFastPath(algebra: AlgebraNode, form: 'select' | 'ask' | 'describe', options: FastPathOptions): Promise<FastPathResult | undefined> {
  const terms = new ComputedTerms(options.index);
  try {
    const compiled = compileQuery(algebra, terms);
    const graphs = options.index.defaultGraphs(options.defaultGraph);
    if (compiled.describe) return describe(compiled.describe, graphs, terms, options.cap);
    const context: EvaluationContext = { graphs, terms, width: compiled.width, work: 0, plans: new Map() };
    const limit = form === 'ask' ? 1 : options.cap + 1;
    const rows = await drain(evaluate(context, compiled.root), limit, options.expired);
    if (form === 'ask') return { type: 'boolean', value: rows.length > 0 };
    return { type: 'bindings', variables: compiled.variables.map(({ variable }) => variable), rows: materialise(compiled, rows.slice(0, options.cap), terms), truncated: rows.length > options.cap };
  } catch (error) {
    if (error instanceof FastPathFallback) return undefined;
    throw error;
  }
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

/** DESCRIBE of IRIs: the triples whose subject they are, in the default graph (as Comunica answers). */
function describe(ids: readonly number[], graphs: ReturnType<QuadIndex['defaultGraphs']>, terms: ComputedTerms, cap: number): FastPathResult {
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
