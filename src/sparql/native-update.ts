/**
 * SPARQL Update on the fast path (Update §3.1): INSERT DATA, DELETE DATA and DELETE/INSERT …
 * WHERE whose WHERE clause the fast path answers, written through the update's write target.
 * Templates with blank nodes (fresh per solution, and scoped per request) stay with Comunica.
 */
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import { DataFactory, whenDone } from '../rdf/index.js';
import type { QuadIndex } from '../store/index.js';
import { runFastPath } from './fast-path.js';
import type { AlgebraNode } from './parse-sparql.js';

export interface NativeUpdateOptions {
  /** Where the changes go (the scoped write target). */
  readonly destination: RDF.Store<RDF.Quad>;
  /** The store's live indexes: they show the update's own earlier operations. */
  readonly index: QuadIndex;
  readonly defaultGraph: 'union' | 'store';
  /** Rejects when the update's time is up. */
  readonly expired: () => Promise<never>;
}

const templateOf = (operation: AlgebraNode, name: 'delete' | 'insert'): readonly RDF.Quad[] => (operation[name] as RDF.Quad[] | undefined) ?? [];

const positions = (quad: RDF.Quad): RDF.Term[] => [quad.subject, quad.predicate, quad.object, quad.graph];

/** Whether the fast path may run this operation: a DELETE/INSERT whose templates hold no blank node or quoted triple. */
export function nativeUpdateCandidate(operation: AlgebraNode): boolean {
  if (operation.type !== 'deleteinsert') return false;
  return [...templateOf(operation, 'delete'), ...templateOf(operation, 'insert')].every((quad) =>
    positions(quad).every((term) => term.termType !== 'BlankNode' && term.termType !== 'Quad'),
  );
}

/**
 * Runs one DELETE/INSERT operation: the WHERE clause is evaluated first, then every deletion is
 * made, then every insertion (Update §3.1.3). Nothing is written when the WHERE clause needs Comunica.
 * @returns false when the operation is left to Comunica (nothing was changed then).
 * @throws QueryTimeout from `expired`; the destination's refusals (Forbidden).
 */
export async function runNativeUpdate(operation: AlgebraNode, options: NativeUpdateOptions): Promise<boolean> {
  if (!nativeUpdateCandidate(operation)) return false;
  const deletions = templateOf(operation, 'delete');
  const insertions = templateOf(operation, 'insert');
  const where = operation.where as AlgebraNode | undefined;
  let solutions: readonly RDF.Bindings[] = [];
  if (where) {
    const variables = new Map<string, RDF.Variable>();
    for (const quad of [...deletions, ...insertions]) for (const term of positions(quad)) if (term.termType === 'Variable') variables.set(term.value, term);
    const project = (input: AlgebraNode): AlgebraNode => ({ type: 'project', input, variables: [...variables.values()] });
    // FROM (USING, WITH) stays outermost, where the fast path reads the dataset.
    const query = where.type === 'from' ? { ...where, input: project(where.input as AlgebraNode) } : project(where);
    const result = await runFastPath(query, 'select', { index: options.index, defaultGraph: options.defaultGraph, cap: Number.MAX_SAFE_INTEGER, expired: options.expired });
    if (result?.type !== 'bindings') return false;
    solutions = result.rows;
  }
  const instances = (template: readonly RDF.Quad[]): RDF.Quad[] => (where ? solutions.flatMap((row) => instantiate(template, row)) : [...template]);
  const removed = instances(deletions);
  const added = instances(insertions);
  if (removed.length > 0) await whenDone(options.destination.remove(Readable.from(removed)));
  if (added.length > 0) await whenDone(options.destination.import(Readable.from(added)));
  return true;
}

/** A template's triples under one solution; those with an unbound variable or a term out of place are left out (Update §3.1.3). */
function instantiate(template: readonly RDF.Quad[], row: RDF.Bindings): RDF.Quad[] {
  const value = (term: RDF.Term): RDF.Term | undefined => (term.termType === 'Variable' ? row.get(term) : term);
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
