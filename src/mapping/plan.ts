/**
 * The internal plan every dialect (RML-Core, legacy RML/R2RML, YARRRML; CSVW through its `csvw`
 * part) compiles to, and the contract of running it (options, problems, report). The runners
 * (`execute.ts`, `csvw.ts`) depend on this file and never on each other's types.
 */
import type * as RDF from '@rdfjs/types';
import type { CsvwColumn, CsvwTable, CsvwTableGroup } from './csvw-metadata.js';
import type { DatasetMetadata } from './dataset-metadata.js';
import type { SourceRecord } from './source-record.js';

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
  readonly errorPolicy?: ErrorPolicy;
  /** A CSVW mapping: its tables run through csv2rdf instead of triples maps (then `triplesMaps` is empty). */
  readonly csvw?: CsvwPlan;
}

// --- running a plan ----------------------------------------------------------------------------

/** What a data error costs: the term, the row, or the run. */
export const errorPolicies = ['skip-term', 'skip-row', 'fail'] as const;
export type ErrorPolicy = (typeof errorPolicies)[number];

export function isErrorPolicy(value: unknown): value is ErrorPolicy {
  return errorPolicies.includes(value as ErrorPolicy);
}

export interface MappingProblem {
  readonly kind: string;
  readonly message: string;
  readonly file: string;
  readonly line?: number;
  readonly column?: string;
  readonly triplesMap?: string;
}

/** `file:line:column: kind (triples map): message`, the form editors and agencies can act on. */
export function problemLine(problem: MappingProblem): string {
  const where = [problem.file, problem.line, problem.column].filter((part) => part !== undefined).join(':');
  const map = problem.triplesMap ? ` (${problem.triplesMap})` : '';
  return `${where}: ${problem.kind}${map}: ${problem.message}`;
}

export interface MappingReport {
  rowsRead: number;
  /** Records none of whose triples were published: their problems under `skip-row`, or cut by the end of the file. */
  rowsDropped: number;
  triplesWritten: number;
  problems: Record<string, number>;
  readonly sources: readonly string[];
}

/** A generated quad and the logical targets (RML-IO) its term maps name. */
export interface TargetedQuad {
  readonly quad: RDF.Quad;
  readonly targets: readonly string[];
}

export type CsvwMode = 'standard' | 'minimal';

export interface RunOptions {
  readonly errorPolicy: ErrorPolicy;
  readonly onProblem?: (problem: MappingProblem) => void;
  /**
   * Called once for each record of each logical source, as the run reads it (whatever its
   * problems), so that other measurements ride on the mapping's own pass over the sources.
   */
  readonly onRecord?: (source: LogicalSource, record: SourceRecord) => void;
  /** csv2rdf mode for CSVW mappings; the mapping's own when absent. */
  readonly csvwMode?: CsvwMode;
}

// --- the CSVW part ------------------------------------------------------------------------------

/** One table ready to run: its final columns and the file it reads. */
export interface CsvwPlannedTable {
  readonly table: CsvwTable;
  readonly path: string;
  readonly columns: readonly CsvwColumn[];
}

/** The CSVW part of a compiled mapping. */
export interface CsvwPlan {
  readonly group: CsvwTableGroup;
  readonly tables: readonly CsvwPlannedTable[];
  readonly mode: CsvwMode;
  readonly warnings: readonly string[];
  /** The catalog description from the metadata's DC/DCAT properties, when it names a publisher NIT. */
  readonly dataset: DatasetMetadata | undefined;
}
