/** The internal plan every dialect (RML-Core, legacy RML/R2RML, YARRRML; CSVW through its `csvw` part) compiles to. */
import type * as RDF from '@rdfjs/types';
import type { CsvwPlan } from './csvw.js';

/** `URI` percent-encodes non-ASCII template values too (RML-Core); `IRI` keeps them (R2RML's IRI-safe). */
export type TermType = 'IRI' | 'URI' | 'UnsafeIRI' | 'BlankNode' | 'Literal';

export type TemplatePart = { readonly text: string } | { readonly reference: string };

/** One call of a mapping function; each parameter is itself an expression. */
export interface FunctionCall {
  readonly function: string;
  readonly parameters: ReadonlyMap<string, Expression>;
}

/** How a term map finds its lexical value(s) in a record. */
export type Expression =
  | { readonly kind: 'constant'; readonly term: RDF.Term }
  | { readonly kind: 'reference'; readonly reference: string }
  | { readonly kind: 'template'; readonly parts: readonly TemplatePart[] }
  | { readonly kind: 'function'; readonly call: FunctionCall }
  /** A blank node subject map without a value: a new blank node per record. */
  | { readonly kind: 'fresh' };

export interface TermMap {
  /** The mapping node (IRI or blank node label), for messages. */
  readonly node: string;
  readonly expression: Expression;
  readonly termType: TermType;
  readonly language?: TermMap;
  readonly datatype?: TermMap;
  /** Logical targets (RML-IO) this term map sends its triples to. */
  readonly targets: readonly string[];
}

export interface LogicalSource {
  readonly key: string;
  readonly path: string;
  readonly formulation: 'CSV' | 'JSONPath';
  readonly iterator?: string;
  readonly delimiter: string;
  readonly quote: string;
  readonly header: boolean;
  /** `undefined`: detect (BOM, else UTF-8 if valid, else Windows-1252). */
  readonly encoding?: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
  readonly compression?: 'gzip' | 'zip' | 'targz';
  readonly nullValues: readonly string[];
}

export interface JoinCondition {
  readonly child: TermMap;
  readonly parent: TermMap;
}

export interface ReferencingObjectMap {
  readonly node: string;
  readonly parent: string;
  readonly joinConditions: readonly JoinCondition[];
  readonly targets: readonly string[];
}

export interface PredicateObjectMap {
  readonly predicates: readonly TermMap[];
  readonly objects: readonly TermMap[];
  readonly refObjects: readonly ReferencingObjectMap[];
  readonly graphs: readonly TermMap[];
}

export interface TriplesMap {
  readonly id: string;
  /** A readable name: `rdfs:label` (YARRRML's mapping key) or the IRI. */
  readonly name: string;
  /** `rml:baseIRI` of the triples map, else the configured base IRI. */
  readonly baseIRI: string;
  readonly source: LogicalSource;
  readonly subject: TermMap;
  readonly classes: readonly RDF.NamedNode[];
  readonly subjectGraphs: readonly TermMap[];
  readonly predicateObjectMaps: readonly PredicateObjectMap[];
}

export interface LogicalTarget {
  readonly id: string;
  readonly path: string;
  readonly serialization: string | undefined;
  readonly compression: string | undefined;
  readonly encoding: string | undefined;
}

export interface CompiledMapping {
  readonly triplesMaps: readonly TriplesMap[];
  readonly targets: ReadonlyMap<string, LogicalTarget>;
  readonly baseIRI: string;
  /** RML-Core gives JSON numbers and booleans their natural datatype; legacy RML does not. */
  readonly naturalDatatypes: boolean;
  readonly errorPolicy?: 'skip-term' | 'skip-row' | 'fail';
  /** A CSVW mapping: its tables run through csv2rdf instead of triples maps (then `triplesMaps` is empty). */
  readonly csvw?: CsvwPlan;
}
