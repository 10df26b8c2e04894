/** CSV logical sources (RFC 4180), streamed record by record with the line each record starts on. */
import { CsvParser, CsvSyntaxError, type ParsedRecord } from './csv-parser.js';
import type { LogicalSource } from './plan.js';
import { type InvalidSequence, type ReplacementListener, readText } from './read-text.js';
import { type RecordProblem, rowNumberReference, type SourceRecord, type Value } from './source-record.js';

export { CsvSyntaxError } from './csv-parser.js';

async function* records(source: LogicalSource, onReplacement?: ReplacementListener): AsyncGenerator<ParsedRecord[]> {
  const parser = new CsvParser({ delimiter: source.delimiter, quote: source.quote });
  for await (const chunk of readText(source.path, { encoding: source.encoding, compression: source.compression, onReplacement })) {
    const parsed = parser.push(chunk);
    if (parsed.length > 0) yield parsed;
  }
  const last = parser.end();
  if (last.length > 0) yield last;
}

/**
 * The U+FFFD characters the decoder announced, matched in order against the cells the parser
 * returns (cells hold the text in the same order), so each invalid sequence lands in its cell.
 */
class Replacements {
  private readonly queue: Array<InvalidSequence | undefined> = [];
  private next = 0;
  readonly listener: ReplacementListener = (sequence) => {
    this.queue.push(sequence);
  };

  /** Some announced U+FFFD has not been met in a cell yet: cells must be looked at. */
  get pending(): boolean {
    return this.next < this.queue.length;
  }

  /** The invalid sequences behind the U+FFFD characters of `cell`. */
  take(cell: string): InvalidSequence[] {
    const found: InvalidSequence[] = [];
    for (let at = cell.indexOf('\uFFFD'); at !== -1 && this.pending; at = cell.indexOf('\uFFFD', at + 1)) {
      const sequence = this.queue[this.next++];
      if (sequence) found.push(sequence);
    }
    if (!this.pending) {
      this.queue.length = 0;
      this.next = 0;
    }
    return found;
  }
}

function describeSequence(sequence: InvalidSequence): string {
  return `bytes ${sequence.bytes} at byte ${sequence.byteOffset} are not UTF-8`;
}

/** A record the end of the file cut: a quote never closed, or fewer cells than the header with no newline after them. */
function cutRecordProblem(record: ParsedRecord, names: readonly string[]): RecordProblem | undefined {
  const { cells, cutBy } = record;
  const column = names[Math.min(cells.length, names.length) - 1];
  if (cutBy === 'unclosed-quote') {
    const lines = (cells.at(-1)?.split('\n').length ?? 1) - 1;
    return { kind: 'truncated-row', message: `a quoted cell is never closed: the end of the file cut the row (the cell runs over ${lines + 1} lines)`, column, dropsRow: true };
  }
  if (cutBy === 'end-of-file' && cells.length < names.length) {
    return { kind: 'truncated-row', message: `the end of the file cut the row: ${cells.length} of the header's ${names.length} cells`, column, dropsRow: true };
  }
  return undefined;
}

/**
 * Reads a CSV file: the first record is the header (unless `header` is false, then columns are
 * named `1`, `2`, ...). A row with more or fewer cells than the header carries a `ragged-row`
 * problem; the last row, cut by the end of the file, a `truncated-row` one; a cell with bytes
 * that are not UTF-8 an `invalid-encoding` one per invalid sequence, and no value.
 * @throws CsvSyntaxError for malformed CSV (and a header that is cut or not UTF-8); the file
 *   system's error for a missing file; EncodingMismatchError.
 */
export async function* readCsv(source: LogicalSource): AsyncGenerator<SourceRecord> {
  const nulls = new Set(source.nullValues);
  const replacements = new Replacements();
  let columns: Map<string, number> | undefined;
  let names: string[] = [];
  let dataRows = 0;
  for await (const batch of records(source, replacements.listener)) {
    for (const record of batch) {
      const { cells, line } = record;
      let invalidCells: Set<number> | undefined;
      const problems: RecordProblem[] = [];
      if (replacements.pending) {
        cells.forEach((cell, position) => {
          for (const sequence of replacements.take(cell)) {
            invalidCells ??= new Set();
            invalidCells.add(position);
            problems.push({ kind: 'invalid-encoding', message: describeSequence(sequence), column: names[position] ?? String(position + 1) });
          }
        });
      }
      if (!columns) {
        if (source.header && (invalidCells || record.cutBy === 'unclosed-quote')) {
          throw new CsvSyntaxError(problems[0]?.message ?? 'a quoted cell of the header is never closed', line);
        }
        names = source.header ? cells.map((name) => name.trim()) : cells.map((_, index) => String(index + 1));
        columns = new Map(names.map((name, index) => [name, index]));
        if (source.header) continue;
      }
      const cut = cutRecordProblem(record, names);
      if (cut) problems.push(cut);
      else if (cells.length !== names.length) {
        problems.push({
          kind: 'ragged-row',
          message: `row has ${cells.length} cells, the header has ${names.length}`,
          column: names[Math.min(cells.length, names.length - 1)],
        });
      }
      const index = columns;
      const invalid = invalidCells;
      const rowNumber = ++dataRows;
      yield {
        line,
        problems,
        lookup(reference: string): readonly Value[] | undefined {
          const position = index.get(reference);
          if (position === undefined) return reference === rowNumberReference ? [{ text: String(rowNumber) }] : undefined;
          const cell = cells[position];
          // A short row is reported once as `ragged-row`, a cell with bad bytes as `invalid-encoding`: no value.
          if (cell === undefined || invalid?.has(position)) return [];
          return nulls.has(cell) ? [] : [{ text: cell }];
        },
      };
    }
  }
}

/** The header of a CSV source, to check references before mapping starts. */
export async function readCsvHeader(source: LogicalSource): Promise<readonly string[] | undefined> {
  if (!source.header) return undefined;
  const iterator = records(source);
  try {
    const first = await iterator.next();
    return first.done ? [] : (first.value[0]?.cells.map((name) => name.trim()) ?? []);
  } finally {
    await iterator.return(undefined);
  }
}
