/** Reading and writing any RDF/JS store the same way: `match` results whatever their shape, and the write methods' event emitters. */
import { EventEmitter } from 'node:events';
import type * as RDF from '@rdfjs/types';

type Pattern = RDF.Term | null | undefined;

/**
 * The quads matching a pattern, as an async iterable. N3's store answers `match` with an object that
 * is synchronously iterable; any other RDF/JS store gives an event stream, which is read as one.
 * @throws whatever error the store's stream emits.
 */
export async function* matchQuads(
  store: RDF.Source<RDF.Quad>,
  subject?: Pattern,
  predicate?: Pattern,
  object?: Pattern,
  graph?: Pattern,
): AsyncGenerator<RDF.Quad> {
  const stream = store.match(subject, predicate, object, graph) as RDF.Stream<RDF.Quad> & Partial<Iterable<RDF.Quad>> & Partial<AsyncIterable<RDF.Quad>>;
  if (typeof stream[Symbol.iterator] === 'function') {
    yield* stream as Iterable<RDF.Quad>;
    return;
  }
  if (typeof stream[Symbol.asyncIterator] === 'function') {
    yield* stream as AsyncIterable<RDF.Quad>;
    return;
  }
  const quads = await new Promise<RDF.Quad[]>((resolve, reject) => {
    const all: RDF.Quad[] = [];
    stream.on('data', (quad: RDF.Quad) => all.push(quad));
    stream.on('error', reject);
    stream.on('end', () => resolve(all));
  });
  yield* quads;
}

/**
 * At most `limit` matching quads (all of them without a limit), collected.
 * @throws whatever error the store's stream emits.
 */
export async function collectQuads(
  store: RDF.Source<RDF.Quad>,
  pattern: readonly [Pattern, Pattern, Pattern, Pattern],
  limit = Number.POSITIVE_INFINITY,
): Promise<RDF.Quad[]> {
  const quads: RDF.Quad[] = [];
  if (limit <= 0) return quads;
  for await (const quad of matchQuads(store, ...pattern)) {
    quads.push(quad);
    if (quads.length >= limit) break;
  }
  return quads;
}

/**
 * Settles when an RDF/JS write (`import`, `remove`, `removeMatches`, `deleteGraph`) has finished.
 * @throws the error the emitter reports.
 */
export function whenDone(events: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve, reject) => {
    events.once('end', resolve);
    events.once('error', reject);
  });
}

/** An RDF/JS write's emitter for asynchronous work: 'end' when it succeeds, 'error' when it fails. */
export function emitterOf(work: () => Promise<void>): EventEmitter {
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
