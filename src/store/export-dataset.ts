/** Dumps of the store (one graph or all) as N-Quads, Turtle or TriG, optionally gzipped. */
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type * as RDF from '@rdfjs/types';
import { BadRequest } from '../errors/index.js';
import { DataFactory, serializeRdf } from '../rdf/index.js';
import type { VinculoStore } from './types.js';

export interface ExportOptions {
  /** One graph; all graphs when omitted. */
  readonly graph?: RDF.Quad_Graph;
  readonly format: 'nquads' | 'turtle' | 'trig';
  readonly gzip?: boolean;
  /** Prefixes to declare in Turtle and TriG, on top of the well-known ones. */
  readonly prefixes?: Readonly<Record<string, string>>;
}

/** Turtle has no graphs: the one exported graph's quads are written as triples. */
async function* asTriples(quads: AsyncIterable<RDF.Quad>): AsyncGenerator<RDF.Quad> {
  for await (const quad of quads) yield DataFactory.quad(quad.subject, quad.predicate, quad.object);
}

/**
 * Streams a dump: text chunks, or gzip-compressed Buffers with `gzip: true`.
 * @throws BadRequest for Turtle without a `graph` (Turtle cannot carry several graphs).
 */
export function exportDataset(store: VinculoStore, options: ExportOptions): AsyncIterable<Buffer | string> {
  if (options.format === 'turtle' && options.graph === undefined) {
    throw new BadRequest('Turtle carries one graph: name the graph, or export TriG or N-Quads');
  }
  const quads = store.exportQuads(options.graph);
  const text = serializeRdf(options.format === 'turtle' ? asTriples(quads) : quads, {
    format: options.format,
    prefixes: options.prefixes,
  });
  if (!options.gzip) return text;
  const source = Readable.from(text);
  const gzip = createGzip();
  // pipe() does not forward errors: without this a failing dump would leave its reader waiting.
  source.on('error', (error) => gzip.destroy(error));
  return source.pipe(gzip) as AsyncIterable<Buffer>;
}
