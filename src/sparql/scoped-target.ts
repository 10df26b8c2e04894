/** A write target that refuses changes outside a token's graphs, so a scoped token cannot reach other datasets. */
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import { Forbidden, QueryTimeout } from '../errors/index.js';

function finished(emitter: EventEmitter): Promise<void> {
  return new Promise((resolve, reject) => {
    emitter.once('end', resolve);
    emitter.once('error', reject);
  });
}

function asEmitter(work: () => Promise<void>): EventEmitter {
  const emitter = new EventEmitter();
  // Deferred so the caller can attach its listeners before the outcome is emitted.
  setImmediate(() => {
    work().then(
      () => emitter.emit('end'),
      (error: unknown) => emitter.emit('error', error),
    );
  });
  return emitter;
}

/**
 * Wraps a store so every write names one of `scope`'s graphs (IRIs; undefined: any graph) and
 * happens while `isOpen()` holds (an update cut by its deadline must not write after its
 * transaction was undone). Reads pass through.
 * @throws Forbidden (through the returned emitters) when a write touches another graph.
 */
export function scopedTarget(
  target: RDF.Store<RDF.Quad>,
  scope: readonly string[] | undefined,
  isOpen: () => boolean,
): RDF.Store<RDF.Quad> {
  const allowed = scope === undefined ? undefined : new Set(scope);
  const check = (graph: RDF.Term | null | undefined) => {
    if (!isOpen()) throw new QueryTimeout('the update was stopped; its changes were undone');
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
      asEmitter(async () => {
        const quads = await collect(stream);
        if (quads.length === 0) return;
        await finished(target.import(Readable.from(quads)));
      }),
    remove: (stream) =>
      asEmitter(async () => {
        const quads = await collect(stream);
        await finished(target.remove(Readable.from(quads)));
      }),
    removeMatches: (subject, predicate, object, graph) =>
      asEmitter(async () => {
        check(graph);
        await finished(target.removeMatches(subject, predicate, object, graph));
      }),
    deleteGraph: (graph) =>
      asEmitter(async () => {
        check(typeof graph === 'string' ? { termType: 'NamedNode', value: graph, equals: () => false } : graph);
        await finished(target.deleteGraph(graph));
      }),
  };
}
