/** The vocabulary graph: Vínculo's own vocabularies and the standard copies it serves, loaded from the vocabularies folder. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import { Store } from 'n3';
import { DataFactory, parseRdfToArray, type RdfFormat, rdfFormatOfPath, vocabularyGraph, whenDone } from '../rdf/index.js';
import type { VinculoStore } from '../store/index.js';
import type { PublishOptions } from './import-mapping.js';

function isStored(store: VinculoStore, quad: RDF.Quad): boolean {
  const hasBlankNode = quad.subject.termType === 'BlankNode' || quad.object.termType === 'BlankNode';
  return hasBlankNode || store.countQuads(quad.subject, quad.predicate, quad.object, quad.graph) > 0;
}

/**
 * Loads the RDF files of the vocabularies folder (Turtle for ours, the publishers' own syntax for
 * the standard copies) into the vocabulary graph, resolving their
 * relative IRIs against the base IRI; rewrites the graph only when its content changed.
 * @throws SyntaxProblem naming the vocabulary file and line.
 */
export async function publishVocabularies(options: Pick<PublishOptions, 'config' | 'store' | 'say'>): Promise<number> {
  const { config, store, say } = options;
  const graph = vocabularyGraph(config.baseIRI);
  const files = (await readdir(config.vocabularies)).filter((name) => rdfFormatOfPath(name) !== undefined).sort();
  const quads: RDF.Quad[] = [];
  for (const name of files) {
    const path = join(config.vocabularies, name);
    const format = (rdfFormatOfPath(name) as RdfFormat).name;
    const parsed = await parseRdfToArray(await readFile(path, 'utf8'), { format, baseIRI: config.baseIRI, source: path });
    for (const item of parsed) quads.push(DataFactory.quad(item.subject, item.predicate, item.object, graph));
  }
  // The files may state a triple twice (several vocabularies restate a shared term); the graph holds it once.
  const distinct = new Store(quads).size;
  const current = store.countQuads(null, null, null, graph);
  if (current === distinct && quads.every((item) => isStored(store, item))) return quads.length;
  await store.write(async (target) => {
    await whenDone(target.deleteGraph(graph));
    await whenDone(target.import(Readable.from(quads)));
  });
  say(`vocabularies: ${quads.length} triples from ${files.length} files`);
  return quads.length;
}
