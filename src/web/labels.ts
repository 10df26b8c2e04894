/** Human names for IRIs from the labels a document carries, in the reader's language when there is a choice. */
import type * as RDF from '@rdfjs/types';
import { labelPredicates } from '../rdf/index.js';
import type { UiLanguage } from './language.js';

/** Lower is better: the reader's language, then untagged, then any other language. */
function rank(literal: RDF.Literal, predicateIndex: number, language: UiLanguage): number {
  const tag = literal.language.toLowerCase();
  const languageRank = tag === language || tag.startsWith(`${language}-`) ? 0 : tag === '' ? 1 : 2;
  return languageRank * 10 + predicateIndex;
}

/** A lookup from IRI to its best label among `quads`, or undefined when it has none. */
export function labelIndex(quads: readonly RDF.Quad[], language: UiLanguage): (iri: string) => string | undefined {
  const best = new Map<string, { label: string; rank: number }>();
  for (const quad of quads) {
    const predicateIndex = labelPredicates.indexOf(quad.predicate.value);
    if (predicateIndex < 0 || quad.object.termType !== 'Literal' || quad.subject.termType !== 'NamedNode') continue;
    const candidate = { label: quad.object.value, rank: rank(quad.object, predicateIndex, language) };
    const current = best.get(quad.subject.value);
    if (!current || candidate.rank < current.rank || (candidate.rank === current.rank && candidate.label < current.label)) {
      best.set(quad.subject.value, candidate);
    }
  }
  return (iri) => best.get(iri)?.label;
}
