/** The linked-open-data guide's linter: checks a mapping plan and a sample of its output, and warns. */
import type * as RDF from '@rdfjs/types';
import { prefixes } from '../rdf/index.js';
import { runMapping } from './execute.js';
import type { MappingPlan } from './load-mapping.js';
import { coreNamespaces, inNamespaces, type LintVocabulary, standardNamespaces } from './lint-vocabulary.js';
import { type UriProblem, type UriProblemKind, uriPatternProblems, uriProblemAdvice } from './lint-uri.js';
import type { Expression, MappingReport, TermMap, TriplesMap } from './plan.js';
import { hasScheme } from './template.js';

export type LintRule = 'uri-pattern' | 'duplicate-standard-term' | 'undefined-term' | 'untyped-literal';

export interface LintWarning {
  readonly rule: LintRule;
  readonly message: string;
  /** The mapping file. */
  readonly file: string;
  /** The triples map that caused it (its YARRRML key, or its IRI). */
  readonly triplesMap: string;
  readonly suggestion?: string;
}

export interface LintOptions {
  /** The configured base IRI: subject IRIs under it must follow the URI scheme. */
  readonly baseIRI: string;
  /** The terms the vocabularies folder defines (`readLintVocabulary`). */
  readonly vocabulary: LintVocabulary;
  /** Records sampled per triples map (about; 200 by default). */
  readonly sampleSize?: number;
}

const rdfType = `${prefixes.rdf}type`;
const xsdString = `${prefixes.xsd}string`;

/**
 * Ad-hoc names that duplicate a standard term, keyed by the normalised local name (lowercase,
 * accents, `_` and `-` removed), with what to use instead.
 */
const standardDuplicates: ReadonlyMap<string, string> = new Map(
  Object.entries({
    'nombre name titulo label etiqueta': 'rdfs:label, foaf:name or dcterms:title',
    'descripcion description': 'dcterms:description',
    'fecha fechacreacion': 'dcterms:created or dcterms:issued',
    latitud: 'geo:lat',
    longitud: 'geo:long',
    'correo correoelectronico email': 'vcard:hasEmail or foaf:mbox',
    telefono: 'vcard:hasTelephone',
    'codigo identificador': 'dcterms:identifier or skos:notation',
    'pagina paginaweb url sitioweb': 'foaf:homepage',
    direccion: 'vcard:hasAddress or schema:address',
    tipo: 'rdf:type',
  }).flatMap(([names, standard]) => names.split(' ').map((name): [string, string] => [name, standard])),
);

/** Identifiers are strings even when they are all digits (DIVIPOLA `05001`, NIT). */
const identifierPredicates = new Set([`${prefixes.skos}notation`, `${prefixes.dct}identifier`]);

function normalisedLocalName(iri: string): string {
  const local = iri.slice(Math.max(iri.lastIndexOf('#'), iri.lastIndexOf('/')) + 1);
  return local
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[_\-\s]/g, '');
}

const datePatterns = [/^\d{4}-\d{2}-\d{2}$/, /^\d{1,2}\/\d{1,2}\/\d{4}$/, /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/];
const numberPatterns = [/^-?\d+$/, /^-?\d+[.,]\d+$/, /^-?\d{1,3}(\.\d{3})+(,\d+)?$/, /^-?\d{1,3}(,\d{3})+(\.\d+)?$/];

/** `date`, `number` or `undefined` for a plain string; a leading zero (`05001`) marks a code, not a number. */
export function literalShape(value: string): 'date' | 'number' | undefined {
  const text = value.trim();
  if (datePatterns.some((pattern) => pattern.test(text))) return 'date';
  if (/^-?0\d/.test(text)) return undefined;
  return numberPatterns.some((pattern) => pattern.test(text)) ? 'number' : undefined;
}

/** A plain-string share at or above this makes a predicate's values "dates" or "numbers". */
const untypedShare = 0.8;

/** A constant IRI as the engine resolves it: without a scheme it is relative to the triples map's base. */
function constantIri(map: TermMap, baseIRI: string): string | undefined {
  const { expression } = map;
  if (expression.kind !== 'constant' || expression.term.termType !== 'NamedNode') return undefined;
  return hasScheme(expression.term.value) ? expression.term.value : baseIRI + expression.term.value;
}

/** The template or constant text of a subject map, references as `{name}`; undefined when it cannot be read statically. */
export function subjectText(expression: Expression): { text: string; rendered: string } | undefined {
  if (expression.kind === 'constant') return { text: expression.term.value, rendered: expression.term.value };
  if (expression.kind !== 'template') return undefined;
  const text = expression.parts.map((part) => ('text' in part ? part.text : `{${part.reference}}`)).join('');
  // A stand-in value that passes every rule, so only the template's own text is judged.
  const rendered = expression.parts.map((part) => ('text' in part ? part.text : 'x')).join('');
  return { text, rendered };
}

/** The terms one triples map uses, read from the plan (constants) and from its sampled output. */
interface MapTerms {
  readonly predicates: Set<string>;
  readonly classes: Set<string>;
}

function staticTerms(map: TriplesMap): MapTerms {
  const predicates = new Set<string>();
  const classes = new Set(map.classes.map((type) => (hasScheme(type.value) ? type.value : map.baseIRI + type.value)));
  for (const pom of map.predicateObjectMaps) {
    for (const predicateMap of pom.predicates) {
      const predicate = constantIri(predicateMap, map.baseIRI);
      if (predicate === undefined) continue;
      predicates.add(predicate);
      if (predicate !== rdfType) continue;
      for (const objectMap of pom.objects) {
        const type = constantIri(objectMap, map.baseIRI);
        if (type !== undefined) classes.add(type);
      }
    }
  }
  return { predicates, classes };
}

/**
 * Runs one triples map alone, one batch of quads per record that gives any. Referencing object
 * maps are left out: their objects are the parents' subjects, checked when the parent map runs.
 */
export async function* triplesMapAlone(plan: MappingPlan, map: TriplesMap): AsyncGenerator<RDF.Quad[]> {
  const alone: TriplesMap = { ...map, predicateObjectMaps: map.predicateObjectMaps.map((pom) => ({ ...pom, refObjects: [] })) };
  const report: MappingReport = { rowsRead: 0, rowsDropped: 0, triplesWritten: 0, problems: {}, sources: plan.sources };
  // Bad cells are the import's business (error policy, quality report), not the linter's.
  for await (const batch of runMapping({ ...plan.compiled, triplesMaps: [alone] }, plan.file, { errorPolicy: 'skip-term', onProblem: () => {} }, report)) {
    yield batch.map((item) => item.quad);
  }
}

/** The quads of one triples map's first `size` records (the engine yields one batch per record). */
async function sampleQuads(plan: MappingPlan, map: TriplesMap, size: number): Promise<RDF.Quad[]> {
  const quads: RDF.Quad[] = [];
  let records = 0;
  for await (const batch of triplesMapAlone(plan, map)) {
    quads.push(...batch);
    if (++records >= size) break;
  }
  return quads;
}

function uriPatternWarning(map: TriplesMap, quads: readonly RDF.Quad[], baseIRI: string, warn: (warning: Omit<LintWarning, 'file' | 'triplesMap'>) => void): void {
  const found = new Map<UriProblemKind, string>();
  const note = (problems: readonly UriProblem[], where: string) => {
    for (const problem of problems) if (!found.has(problem.kind)) found.set(problem.kind, `${problem.message} (${where})`);
  };
  const template = map.subject.termType === 'BlankNode' ? undefined : subjectText(map.subject.expression);
  if (template) {
    const resolved = hasScheme(template.rendered) ? template.rendered : map.baseIRI + template.rendered;
    if (resolved.startsWith(baseIRI)) note(uriPatternProblems(resolved.slice(baseIRI.length)), `template "${template.text}"`);
  }
  const seen = new Set<string>();
  let breaking = 0;
  for (const quad of quads) {
    if (quad.subject.termType !== 'NamedNode' || seen.has(quad.subject.value) || !quad.subject.value.startsWith(baseIRI)) continue;
    seen.add(quad.subject.value);
    const problems = uriPatternProblems(quad.subject.value.slice(baseIRI.length));
    if (problems.length > 0) breaking++;
    note(problems, `e.g. <${quad.subject.value}>`);
  }
  if (found.size === 0) return;
  const sampled = breaking > 0 ? `; ${breaking} of ${seen.size} sampled subjects` : '';
  warn({
    rule: 'uri-pattern',
    message: `subject IRIs break the URI rules ({base}id/{concept}/{ref}): ${[...found.values()].join('; ')}${sampled}`,
    suggestion: [...found.keys()].map((kind) => uriProblemAdvice[kind]).join('; '),
  });
}

function untypedLiteralWarnings(quads: readonly RDF.Quad[], warn: (warning: Omit<LintWarning, 'file' | 'triplesMap'>) => void): void {
  const counts = new Map<string, { total: number; date: number; number: number; example: string }>();
  for (const { predicate, object } of quads) {
    if (object.termType !== 'Literal' || object.language !== '' || object.datatype.value !== xsdString) continue;
    if (identifierPredicates.has(predicate.value) || object.value.trim() === '') continue;
    const count = counts.get(predicate.value) ?? { total: 0, date: 0, number: 0, example: object.value };
    count.total++;
    const shape = literalShape(object.value);
    if (shape) count[shape]++;
    counts.set(predicate.value, count);
  }
  for (const [predicate, count] of counts) {
    const shape = count.date >= count.number ? 'date' : 'number';
    if (count[shape] / count.total < untypedShare) continue;
    warn({
      rule: 'untyped-literal',
      message: `<${predicate}> values look like ${shape}s (${count[shape]} of ${count.total} sampled, e.g. "${count.example}") but are plain strings`,
      suggestion:
        shape === 'date'
          ? 'give the object map a datatype (xsd:date or xsd:dateTime); convert dd/mm/yyyy with vfn:toDate'
          : 'give the object map a datatype (xsd:integer or xsd:decimal); convert 1.234.567 or 12,5 with vfn:toInteger / vfn:toDecimal and vfn:decimalSeparator',
    });
  }
}

/**
 * Lints a mapping with the guide's rules, as warnings: `uri-pattern` (subject templates and the
 * sampled subject IRIs under the base follow `{base}id/{concept}/{ref}` or the `def/`, `kos/`,
 * `dataset/`, `graph/` patterns), `duplicate-standard-term` (an ad-hoc predicate named like a
 * standard one), `undefined-term` (classes and predicates no vocabulary file defines, each listed
 * once; an ad-hoc predicate already reported as a duplicate is not repeated) and `untyped-literal`
 * (plain strings that are mostly dates or numbers). Each triples map runs alone over about
 * `sampleSize` records; nothing is written anywhere. CSVW plans have no triples maps and get no warnings.
 * @throws MappingError when a source cannot be read while sampling.
 */
export async function lintMapping(plan: MappingPlan, options: LintOptions): Promise<LintWarning[]> {
  const { baseIRI, vocabulary } = options;
  const size = options.sampleSize ?? 200;
  const warnings: LintWarning[] = [];
  const reported = new Set<string>();
  for (const map of plan.compiled.triplesMaps) {
    const warn = (warning: Omit<LintWarning, 'file' | 'triplesMap'>) => warnings.push({ ...warning, file: plan.file, triplesMap: map.name });
    const quads = await sampleQuads(plan, map, size);
    uriPatternWarning(map, quads, baseIRI, warn);

    const { predicates, classes } = staticTerms(map);
    for (const quad of quads) {
      predicates.add(quad.predicate.value);
      if (quad.predicate.value === rdfType && quad.object.termType === 'NamedNode') classes.add(quad.object.value);
    }
    const isDefined = (iri: string) => inNamespaces(iri, coreNamespaces) || vocabulary.defined.has(iri);
    for (const predicate of predicates) {
      const standard = standardDuplicates.get(normalisedLocalName(predicate));
      if (reported.has(predicate) || standard === undefined) continue;
      if (inNamespaces(predicate, standardNamespaces) || vocabulary.specialised.has(predicate)) continue;
      reported.add(predicate);
      const where = isDefined(predicate) ? '' : ', defined in no vocabulary,';
      warn({ rule: 'duplicate-standard-term', message: `the ad-hoc predicate <${predicate}>${where} duplicates a standard term`, suggestion: `use ${standard}` });
    }
    for (const [kind, terms] of [['class', classes], ['predicate', predicates]] as const) {
      for (const term of terms) {
        if (reported.has(term) || isDefined(term)) continue;
        reported.add(term);
        warn({
          rule: 'undefined-term',
          message: `the ${kind} <${term}> is defined in no vocabulary file`,
          suggestion: 'reuse a standard term, or define it in a vocabularies/ file with labels, comments and domain/range',
        });
      }
    }
    untypedLiteralWarnings(quads, warn);
  }
  return warnings;
}
