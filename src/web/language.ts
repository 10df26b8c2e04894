/** The UI's two languages, chosen by `Accept-Language` (RFC 9110 §12.5.4), and the words pages use. */

export type UiLanguage = 'es' | 'en';

export const uiLanguages: readonly UiLanguage[] = ['es', 'en'];

/**
 * The best of Spanish and English for an `Accept-Language` header; Spanish, the portal's
 * language, when the header is missing or names neither.
 */
export function pickLanguage(acceptLanguage: string | undefined): UiLanguage {
  if (!acceptLanguage) return 'es';
  let best: UiLanguage = 'es';
  let bestQ = 0;
  for (const part of acceptLanguage.split(',')) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    const q = qParam === undefined ? 1 : Number.parseFloat(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0) continue;
    const primary = range.trim().split('-')[0];
    const language = uiLanguages.find((candidate) => candidate === primary);
    if (language && q > bestQ) {
      best = language;
      bestQ = q;
    }
  }
  return best;
}

export interface Messages {
  readonly skipToContent: string;
  readonly types: string;
  readonly property: string;
  readonly value: string;
  readonly description: string;
  readonly incomingLinks: (count: number) => string;
  readonly seeAllIncoming: string;
  readonly noIncoming: string;
  readonly otherFormats: string;
  readonly identifier: string;
  readonly notFoundTitle: string;
  readonly notFoundBody: string;
  readonly terms: string;
  readonly fragmentTitle: string;
  readonly matches: (count: number) => string;
  readonly subject: string;
  readonly predicate: string;
  readonly object: string;
  readonly search: string;
  readonly next: string;
  readonly previous: string;
}

const spanish: Messages = {
  skipToContent: 'Saltar al contenido',
  types: 'Tipos',
  property: 'Propiedad',
  value: 'Valor',
  description: 'Descripción',
  incomingLinks: (count) => (count === 1 ? '1 enlace entrante' : `${count} enlaces entrantes`),
  seeAllIncoming: 'Ver todos los enlaces entrantes',
  noIncoming: 'Ningún recurso enlaza a este.',
  otherFormats: 'Otros formatos',
  identifier: 'Identificador',
  notFoundTitle: 'No encontrado',
  notFoundBody: 'No hay ninguna descripción de este recurso.',
  terms: 'Términos',
  fragmentTitle: 'Fragmento de patrón de tripletas',
  matches: (count) => `Unas ${count} tripletas coinciden con el patrón.`,
  subject: 'Sujeto',
  predicate: 'Predicado',
  object: 'Objeto',
  search: 'Buscar',
  next: 'Siguiente',
  previous: 'Anterior',
};

const english: Messages = {
  skipToContent: 'Skip to content',
  types: 'Types',
  property: 'Property',
  value: 'Value',
  description: 'Description',
  incomingLinks: (count) => (count === 1 ? '1 incoming link' : `${count} incoming links`),
  seeAllIncoming: 'See all incoming links',
  noIncoming: 'No resource links to this one.',
  otherFormats: 'Other formats',
  identifier: 'Identifier',
  notFoundTitle: 'Not found',
  notFoundBody: 'There is no description of this resource.',
  terms: 'Terms',
  fragmentTitle: 'Triple pattern fragment',
  matches: (count) => `About ${count} triples match the pattern.`,
  subject: 'Subject',
  predicate: 'Predicate',
  object: 'Object',
  search: 'Search',
  next: 'Next',
  previous: 'Previous',
};

export function messagesFor(language: UiLanguage): Messages {
  return language === 'en' ? english : spanish;
}
