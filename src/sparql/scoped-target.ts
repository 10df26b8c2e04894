/** A write target that refuses changes outside a token's graphs, so a scoped token cannot reach other datasets. */
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import { Forbidden, QueryTimeout } from '../errors/index.js';
import { emitterOf, whenDone } from '../rdf/index.js';
import { reservedGraphWrite } from '../store/index.js';

export interface WriteScope {
  /** The graph IRIs the token may change; undefined: every graph but the reserved ones. */
  readonly scope: readonly string[] | undefined;
  /** Graphs no token may change: Vínculo writes them itself (the catalog, the vocabularies). */
  readonly reserved: readonly string[];
  /** False once the update was cut by its deadline: it must not write after its transaction was undone. */
  readonly isOpen: () => boolean;
}

/**
 * Wraps a store so every write names one of `scope`'s graphs, none of the reserved graphs, and
 * happens while `isOpen()` holds. Reads pass through.
 * @throws Forbidden (through the returned emitters) when a write touches another graph, a
 *   reserved one, or every graph at once (CLEAR ALL would reach the reserved graphs).
 */
export function scopedTarget(target: RDF.Store<RDF.Quad>, { scope, reserved, isOpen }: WriteScope): RDF.Store<RDF.Quad> {
  const allowed = scope === undefined ? undefined : new Set(scope);
  const reservedGraphs = new Set(reserved);
  const check = (graph: RDF.Term | null | undefined) => {
    if (!isOpen()) throw new QueryTimeout('the update was stopped; its changes were undone');
    if (graph?.termType === 'NamedNode' && reservedGraphs.has(graph.value)) {
      throw reservedGraphWrite(graph.value);
    }
    if (!graph && reservedGraphs.size > 0) {
      throw new Forbidden('a change of every graph at once would reach the reserved catalog and vocabulary graphs: name the graphs to change');
    }
    if (allowed === undefined) return;
    if (graph?.termType !== 'NamedNode' || !allowed.has(graph.value)) {
      const name = !graph ? 'every graph' : graph.termType === 'DefaultGraph' ? 'the default graph' : `<${graph.value}>`;
      throw new Forbidden(`this token may not change ${name}`);
    }
  };
  const collect = async (stream: RDF.Stream<RDF.Quad>): Promise<RDF.Quad[]> => {
    const quads: RDF.Quad[] = [];
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (quad: RDF.Quad) => quads.push(quad));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    for (const quad of quads) check(quad.graph);
    return quads;
  };
  return {
    match: (subject, predicate, object, graph) => target.match(subject, predicate, object, graph),
    import: (stream) =>
      emitterOf(async () => {
        const quads = await collect(stream);
        if (quads.length === 0) return;
        await whenDone(target.import(Readable.from(quads)));
      }),
    remove: (stream) =>
      emitterOf(async () => {
        const quads = await collect(stream);
        await whenDone(target.remove(Readable.from(quads)));
      }),
    removeMatches: (subject, predicate, object, graph) =>
      emitterOf(async () => {
        check(graph);
        await whenDone(target.removeMatches(subject, predicate, object, graph));
      }),
    deleteGraph: (graph) =>
      emitterOf(async () => {
        check(typeof graph === 'string' ? { termType: 'NamedNode', value: graph, equals: () => false } : graph);
        await whenDone(target.deleteGraph(graph));
      }),
  };
}
