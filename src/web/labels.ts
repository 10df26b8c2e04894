/** Human names for IRIs from the labels a document carries, in the reader's language when there is a choice. */
import type * as RDF from '@rdfjs/types';
import { labelPredicates } from '../rdf/index.js';
import { type UiLanguage, uiLanguages } from './language.js';

/**
 * Lower is better. The fallback order: the reader's language (or a regional variant of it), an
 * untagged literal, the UI's other language (Spanish and English labels are the ones our
 * vocabularies promise), then any other language.
 */
function languageRank(literal: RDF.Literal, language: UiLanguage): number {
  const tag = literal.language.toLowerCase();
  const speaks = (candidate: string) => tag === candidate || tag.startsWith(`${candidate}-`);
  if (speaks(language)) return 0;
  if (tag === '') return 1;
  return uiLanguages.some(speaks) ? 2 : 3;
}

/** The literal object among `quads` in the reader's language, by the order of `languageRank`; ties go alphabetically. */
export function pickLiteral(quads: readonly RDF.Quad[], language: UiLanguage): string | undefined {
  const literals = quads.map((quad) => quad.object).filter((term): term is RDF.Literal => term.termType === 'Literal');
  return literals.sort((a, b) => languageRank(a, language) - languageRank(b, language) || a.value.localeCompare(b.value))[0]?.value;
}

interface RankedLabel {
  readonly label: string;
  readonly rank: number;
}

/**
 * `quad` as a label candidate (lower rank is better), or undefined when it is no label. Language
 * comes before the kind of label: an English `rdfs:label` beats a Spanish `skos:prefLabel` on an
 * English page.
 */
function rankedLabel(quad: RDF.Quad, language: UiLanguage): RankedLabel | undefined {
  const predicateIndex = labelPredicates.indexOf(quad.predicate.value);
  if (predicateIndex < 0 || quad.object.termType !== 'Literal') return undefined;
  return { label: quad.object.value, rank: languageRank(quad.object, language) * labelPredicates.length + predicateIndex };
}

const better = (candidate: RankedLabel, current: RankedLabel | undefined) =>
  !current || candidate.rank < current.rank || (candidate.rank === current.rank && candidate.label < current.label);

/** The best label among `quads`, all about one thing; undefined when none is a label. */
export function pickLabel(quads: readonly RDF.Quad[], language: UiLanguage): string | undefined {
  let best: RankedLabel | undefined;
  for (const quad of quads) {
    const candidate = rankedLabel(quad, language);
    if (candidate && better(candidate, best)) best = candidate;
  }
  return best?.label;
}

/** A lookup from IRI to its best label among `quads`, or undefined when it has none. */
export function labelIndex(quads: readonly RDF.Quad[], language: UiLanguage): (iri: string) => string | undefined {
  const best = new Map<string, RankedLabel>();
  for (const quad of quads) {
    const candidate = quad.subject.termType === 'NamedNode' ? rankedLabel(quad, language) : undefined;
    if (candidate && better(candidate, best.get(quad.subject.value))) best.set(quad.subject.value, candidate);
  }
  return (iri) => best.get(iri)?.label;
}
