/** The typed error of the mapping engine: an invalid mapping or, under `fail`, a bad cell. */
import { VinculoError } from '../errors/index.js';

export interface MappingErrorDetails {
  readonly file: string;
  readonly triplesMap?: string;
  readonly line?: number;
  readonly column?: string;
  readonly kind?: string;
}

/** Names the file (and line and column for data problems) and the triples map at fault. */
export class MappingError extends VinculoError {
  override readonly code = 'mapping';
  override readonly status = 400;
  readonly details: MappingErrorDetails;
  constructor(problem: string, details: MappingErrorDetails, options?: { cause?: unknown }) {
    super(describe(problem, details), options);
    this.details = details;
  }
}

function describe(problem: string, { file, line, column, triplesMap }: MappingErrorDetails): string {
  const where = line === undefined ? file : `${file}:${line}${column === undefined ? '' : `:${column}`}`;
  const map = triplesMap === undefined ? '' : ` (triples map ${triplesMap})`;
  return `${where}${map}: ${problem}`;
}
