/** Reading an RDF/JS `Store`'s `match` the same way whatever stream it returns (N3's is also iterable). */
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
