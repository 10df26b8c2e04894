/**
 * SPARQL Update on the fast path: INSERT DATA, DELETE DATA and DELETE/INSERT … WHERE (Update §3.1)
 * whose WHERE clause the fast path answers, and graph management (§3.2, native-graph-update.ts),
 * written through the update's write target. LOAD never gets here (engine.ts refuses or skips it).
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import { DataFactory, whenDone } from '../rdf/index.js';
import type { QuadIndex } from '../store/index.js';
import { runFastPath } from './fast-path.js';
import { type GraphUpdateOptions, isGraphUpdate, runGraphUpdate } from './native-graph-update.js';
import type { AlgebraNode } from './parse-sparql.js';

export interface NativeUpdateOptions extends GraphUpdateOptions {
  /** Rejects when the update's time is up. */
  readonly expired: () => Promise<never>;
}

const templateOf = (operation: AlgebraNode, name: 'delete' | 'insert'): readonly RDF.Quad[] => (operation[name] as RDF.Quad[] | undefined) ?? [];

const positions = (quad: RDF.Quad): RDF.Term[] => [quad.subject, quad.predicate, quad.object, quad.graph];

/**
 * Whether the fast path may run this operation: every one a SPARQL 1.1 parser gives but LOAD
 * (quoted triples do not parse, so templates hold only terms the store can take).
 */
export function nativeUpdateCandidate(operation: AlgebraNode): boolean {
  return operation.type === 'deleteinsert' || isGraphUpdate(operation);
}

/**
 * Runs one update operation. A DELETE/INSERT evaluates its WHERE clause first, then makes every
 * deletion, then every insertion (Update §3.1.3). Nothing is written when the WHERE clause needs Comunica.
 * @returns false when the operation is left to Comunica (nothing was changed then).
 * @throws QueryTimeout from `expired`; the destination's refusals (Forbidden); BadRequest from CREATE.
 */
export async function runNativeUpdate(operation: AlgebraNode, options: NativeUpdateOptions): Promise<boolean> {
  if (isGraphUpdate(operation)) {
    await runGraphUpdate(operation, options);
    return true;
  }
  if (operation.type !== 'deleteinsert') return false;
  const deletions = templateOf(operation, 'delete');
  const insertions = templateOf(operation, 'insert');
  const where = operation.where as AlgebraNode | undefined;
  // INSERT DATA and DELETE DATA: one solution that binds nothing.
  let solutions: readonly Solution[] = [() => undefined];
  if (where) {
    const variables = new Map<string, RDF.Variable>();
    for (const quad of [...deletions, ...insertions]) for (const term of positions(quad)) if (term.termType === 'Variable') variables.set(term.value, term);
    const project = (input: AlgebraNode): AlgebraNode => ({ type: 'project', input, variables: [...variables.values()] });
    // FROM (USING, WITH) stays outermost, where the fast path reads the dataset.
    const query = where.type === 'from' ? { ...where, input: project(where.input as AlgebraNode) } : project(where);
    const result = await runFastPath(query, 'select', { index: options.index, defaultGraph: options.defaultGraph, cap: Number.MAX_SAFE_INTEGER, expired: options.expired });
    if (result?.type !== 'bindings') return false;
    solutions = result.rows.map((row) => (variable: RDF.Variable) => row.get(variable));
  }
  const mint = blankNodeMinter(options.index);
  const instances = (template: readonly RDF.Quad[]): RDF.Quad[] => solutions.flatMap((solution) => instantiate(template, solution, mint));
  const removed = instances(deletions);
  const added = instances(insertions);
  if (removed.length > 0) await whenDone(options.destination.remove(Readable.from(removed)));
  if (added.length > 0) await whenDone(options.destination.import(Readable.from(added)));
  return true;
}

/** One solution of a WHERE clause: the term a variable is bound to. */
type Solution = (variable: RDF.Variable) => RDF.Term | undefined;

/** Labels of minted blank nodes: a prefix of this process, so two processes' nodes never meet in a journal. */
const mintedPrefix = `u${randomUUID().slice(0, 8)}n`;
let minted = 0;

/** New blank nodes whose labels no graph has held (the store's dictionary has never seen them). */
function blankNodeMinter(index: QuadIndex): () => RDF.BlankNode {
  return () => {
    let label: string;
    do label = `${mintedPrefix}${minted++}`;
    while (index.idOfKey(`_:${label}`) !== undefined);
    return DataFactory.blankNode(label);
  };
}

/**
 * A template's triples under one solution (Update §3.1.3): each blank node label becomes one new
 * blank node for this solution; triples with an unbound variable or a term out of place are left out.
 */
function instantiate(template: readonly RDF.Quad[], solution: Solution, mint: () => RDF.BlankNode): RDF.Quad[] {
  const fresh = new Map<string, RDF.BlankNode>();
  const value = (term: RDF.Term): RDF.Term | undefined => {
    if (term.termType === 'Variable') return solution(term);
    if (term.termType !== 'BlankNode') return term;
    let node = fresh.get(term.value);
    if (!node) {
      node = mint();
      fresh.set(term.value, node);
    }
    return node;
  };
  const quads: RDF.Quad[] = [];
  for (const quad of template) {
    const [subject, predicate, object, graph] = positions(quad).map(value);
    if (!subject || !predicate || !object || !graph) continue;
    if ((subject.termType !== 'NamedNode' && subject.termType !== 'BlankNode') || predicate.termType !== 'NamedNode') continue;
    if (graph.termType !== 'NamedNode' && graph.termType !== 'DefaultGraph') continue;
    quads.push(DataFactory.quad(subject, predicate, object as RDF.Quad_Object, graph));
  }
  return quads;
}
