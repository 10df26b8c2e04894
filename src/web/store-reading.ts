/** Reading an RDF/JS store from the views: the quads of a pattern, whether `match` answers with an iterable (N3's) or an event stream. */
import type * as RDF from '@rdfjs/types';

type Pattern = RDF.Term | null | undefined;

/**
 * Every quad matching the pattern, up to `limit`.
 * @throws whatever error the store's stream emits.
 */
export async function quadsOf(
  store: RDF.Source<RDF.Quad>,
  pattern: readonly [Pattern, Pattern, Pattern, Pattern],
  limit = Number.POSITIVE_INFINITY,
): Promise<RDF.Quad[]> {
  const found: RDF.Quad[] = [];
  if (limit <= 0) return found;
  const stream = store.match(...pattern) as RDF.Stream<RDF.Quad> & Partial<Iterable<RDF.Quad>>;
  if (typeof stream[Symbol.iterator] === 'function') {
    for (const quad of stream as Iterable<RDF.Quad>) {
      found.push(quad);
      if (found.length >= limit) break;
    }
    return found;
  }
  return new Promise<RDF.Quad[]>((resolve, reject) => {
    const done = () => resolve(found);
    stream.on('data', (quad: RDF.Quad) => {
      if (found.length < limit) found.push(quad);
      // Stop listening once enough arrived; the rest of the stream is left to be collected.
      if (found.length >= limit) {
        stream.removeAllListeners('data');
        done();
      }
    });
    stream.on('error', reject);
    stream.on('end', done);
  });
}
