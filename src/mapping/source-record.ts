/** What a logical source yields: records whose references give zero or more values. */

/** A value with its natural datatype, if the source has one (JSON numbers and booleans). */
export interface Value {
  readonly text: string;
  readonly datatype?: string;
}

/** A problem found while reading the source itself (a ragged CSV row, bytes that are not UTF-8). */
export interface RecordProblem {
  readonly kind: string;
  readonly message: string;
  readonly column?: string;
  /** The record cannot be trusted at all (a row cut by the end of the file): none of it is published, whatever the policy. */
  readonly dropsRow?: boolean;
}

/** Thrown by `lookup` for a value that cannot be used: not a scalar (a JSON array or object), or not decodable. */
export class ReferenceValueError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid-value' | 'invalid-encoding' = 'invalid-value',
  ) {
    super(message);
  }
}

/**
 * The reference every source answers with the record's 1-based number (CSV: among data rows,
 * header excluded; JSON: among the iterator's matches), so a table without a key column can
 * still mint one subject per row. A column or key of that name wins.
 */
export const rowNumberReference = '_row';

export interface SourceRecord {
  /** 1-based line where the record starts (CSV), when the syntax has lines. */
  readonly line: number | undefined;
  /** The values of a reference: `[]` for null, `undefined` when the reference cannot exist (no such column). */
  lookup(reference: string): readonly Value[] | undefined;
  readonly problems: readonly RecordProblem[];
}
