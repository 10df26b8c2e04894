/**
 * SPARQL Update's graph management (Update §3.2) on the fast path: CLEAR, DROP, CREATE, ADD, COPY
 * and MOVE, written through the update's write target with the outcome Comunica gave them, which
 * rewrites COPY as DROP SILENT of the target then ADD, MOVE as that then DROP of the source, and
 * a COPY or MOVE onto its own source as nothing.
 */
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import { BadRequest } from '../errors/index.js';
import { DataFactory, matchQuads, whenDone } from '../rdf/index.js';
import type { QuadIndex } from '../store/index.js';
import type { AlgebraNode } from './parse-sparql.js';

export interface GraphUpdateOptions {
  /** Where the changes go (the scoped write target): it refuses graphs the token may not change. */
  readonly destination: RDF.Store<RDF.Quad>;
  /** The store's live indexes: they show the update's own earlier operations. */
  readonly index: QuadIndex;
  readonly defaultGraph: 'union' | 'store';
}

/** A graph as the parser names it in graph management: an IRI or the default graph. */
type GraphRef = RDF.NamedNode | 'DEFAULT';

const graphOperations = new Set(['clear', 'drop', 'create', 'add', 'copy', 'move']);

export function isGraphUpdate(operation: AlgebraNode): boolean {
  return graphOperations.has(operation.type);
}

const sameGraph = (a: GraphRef, b: GraphRef): boolean => (a === 'DEFAULT' || b === 'DEFAULT' ? a === b : a.equals(b));

/**
 * Runs one graph management operation. Graphs exist while they hold quads (as in every RDF/JS
 * store), so DROP is CLEAR, CREATE writes nothing, and SILENT only matters to CREATE.
 * @throws Forbidden from the destination (a graph outside the token's scope, a reserved graph);
 *   BadRequest for CREATE (not SILENT) of a graph that holds quads.
 */
export async function runGraphUpdate(operation: AlgebraNode, options: GraphUpdateOptions): Promise<void> {
  const source = operation.source as GraphRef | 'NAMED' | 'ALL';
  const destination = operation.destination as GraphRef;
  switch (operation.type) {
    case 'clear':
    case 'drop':
      return clear(source, options);
    case 'create':
      return create(source as RDF.NamedNode, operation.silent === true, options.index);
    case 'add':
      return add(source as GraphRef, destination, options);
    case 'copy':
    case 'move':
      if (sameGraph(source as GraphRef, destination)) return;
      await clear(destination, options);
      await add(source as GraphRef, destination, options);
      if (operation.type === 'move') await clear(source, options);
      return;
    default:
      throw new TypeError(`not a graph management operation: ${operation.type}`);
  }
}

/**
 * Empties graphs one at a time through `deleteGraph`, in the order Comunica deleted them (the
 * default graph first for ALL, then the named graphs as the store lists them), so a refusal names
 * the same graph. The store's default graph is a real graph in both modes: CLEAR DEFAULT never
 * reaches the named graphs, also when queries see their union as the default graph.
 * Graphs named by blank nodes are not listed: no write path (this one, the Graph Store Protocol,
 * imports) makes them.
 */
async function clear(target: GraphRef | 'NAMED' | 'ALL', { destination, index }: GraphUpdateOptions): Promise<void> {
  const graphs: RDF.Quad_Graph[] =
    target === 'DEFAULT' || target === 'ALL' ? [DataFactory.defaultGraph()] : target === 'NAMED' ? [] : [target];
  if (target === 'NAMED' || target === 'ALL') graphs.push(...index.namedGraphs().map((iri) => DataFactory.namedNode(iri)));
  for (const graph of graphs) await whenDone(destination.deleteGraph(graph));
}

function create(graph: RDF.NamedNode, silent: boolean, index: QuadIndex): void {
  if (silent || (index.namedGraph(graph.value)?.count(0, 0, 0) ?? 0) === 0) return;
  throw new BadRequest(`the query could not be evaluated: Unable to create graph ${graph.value} as it already exists`);
}

/**
 * Inserts the source's triples into the target. Comunica reads DEFAULT as the query default graph,
 * so in 'union' mode ADD DEFAULT copies every graph's triples (the target's own included).
 */
async function add(source: GraphRef, target: GraphRef, { destination, defaultGraph }: GraphUpdateOptions): Promise<void> {
  const from = source !== 'DEFAULT' ? source : defaultGraph === 'union' ? null : DataFactory.defaultGraph();
  const into = target === 'DEFAULT' ? DataFactory.defaultGraph() : target;
  const copies: RDF.Quad[] = [];
  for await (const quad of matchQuads(destination, null, null, null, from)) copies.push(DataFactory.quad(quad.subject, quad.predicate, quad.object, into));
  // An empty source writes nothing: Comunica then never asked the target, so no scope refusal either.
  if (copies.length > 0) await whenDone(destination.import(Readable.from(copies)));
}
