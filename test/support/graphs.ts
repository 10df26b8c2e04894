/** Graph comparison for tests: isomorphism (blank nodes renamed), never string equality. */
import type * as RDF from '@rdfjs/types';
import { isomorphic } from 'rdf-isomorphic';

export function sameGraph(actual: readonly RDF.Quad[], expected: readonly RDF.Quad[]): boolean {
  return isomorphic([...actual], [...expected]);
}

/** A readable difference for failure messages: quads only on one side (blank nodes aside). */
export function describeDifference(actual: readonly RDF.Quad[], expected: readonly RDF.Quad[]): string {
  const key = (quad: RDF.Quad) =>
    [quad.subject, quad.predicate, quad.object, quad.graph]
      .map((term) => (term.termType === 'BlankNode' ? '_:b' : `${term.termType}:${term.value}${term.termType === 'Literal' ? `@${term.language}^^${term.datatype.value}` : ''}`))
      .join(' ');
  const actualKeys = new Set(actual.map(key));
  const expectedKeys = new Set(expected.map(key));
  const missing = [...expectedKeys].filter((item) => !actualKeys.has(item)).slice(0, 3);
  const extra = [...actualKeys].filter((item) => !expectedKeys.has(item)).slice(0, 3);
  return `${actual.length} quads vs ${expected.length} expected; missing: ${missing.join(' | ') || 'none'}; extra: ${extra.join(' | ') || 'none'}`;
}
