/** What a logical source yields: records whose references give zero or more values. */

/** A value with its natural datatype, if the source has one (JSON numbers and booleans). */
export interface Value {
  readonly text: string;
  readonly datatype?: string;
}

/** A problem found while reading the source itself (a ragged CSV row). */
export interface RecordProblem {
  readonly kind: string;
  readonly message: string;
  readonly column?: string;
}

/** Thrown by `lookup` for a reference whose value is not a scalar (a JSON array or object). */
export class ReferenceValueError extends Error {}

export interface SourceRecord {
  /** 1-based line where the record starts (CSV), when the syntax has lines. */
  readonly line: number | undefined;
  /** The values of a reference: `[]` for null, `undefined` when the reference cannot exist (no such column). */
  lookup(reference: string): readonly Value[] | undefined;
  readonly problems: readonly RecordProblem[];
}
