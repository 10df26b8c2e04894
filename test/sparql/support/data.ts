/** Test data: a few quads in two named graphs and the default graph. */
import type * as RDF from '@rdfjs/types';
import { DataFactory } from '../../../src/rdf/index.ts';

const { namedNode, literal, quad } = DataFactory;
export const ex = (local: string) => namedNode(`http://example.org/${local}`);

/** `count` people in g1, each with a name; one fact in g2 and one in the default graph. */
export function people(count: number): RDF.Quad[] {
  const quads: RDF.Quad[] = [];
  for (let index = 0; index < count; index++) {
    quads.push(quad(ex(`person/${index}`), ex('name'), literal(`Person ${index}`), ex('g1')));
  }
  quads.push(quad(ex('bogota'), ex('label'), literal('Bogotá', 'es'), ex('g2')));
  quads.push(quad(ex('store'), ex('label'), literal('default graph fact')));
  return quads;
}
