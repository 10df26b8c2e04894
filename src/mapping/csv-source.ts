/** CSV logical sources (RFC 4180), streamed record by record with the line each record starts on. */
import { CsvParser, type ParsedRecord } from './csv-parser.js';
import type { LogicalSource } from './plan.js';
import { readText } from './read-text.js';
import type { RecordProblem, SourceRecord, Value } from './source-record.js';

export { CsvSyntaxError } from './csv-parser.js';

async function* records(source: LogicalSource): AsyncGenerator<ParsedRecord[]> {
  const parser = new CsvParser({ delimiter: source.delimiter, quote: source.quote });
  for await (const chunk of readText(source.path, { encoding: source.encoding, compression: source.compression })) {
    const parsed = parser.push(chunk);
    if (parsed.length > 0) yield parsed;
  }
  const last = parser.end();
  if (last.length > 0) yield last;
}

/**
 * Reads a CSV file: the first record is the header (unless `header` is false, then columns are
 * named `1`, `2`, ...). A row with more or fewer cells than the header carries a `ragged-row` problem.
 * @throws CsvSyntaxError for malformed CSV; the file system's error for a missing file.
 */
export async function* readCsv(source: LogicalSource): AsyncGenerator<SourceRecord> {
  const nulls = new Set(source.nullValues);
  let columns: Map<string, number> | undefined;
  let names: string[] = [];
  for await (const batch of records(source)) {
    for (const { cells, line } of batch) {
      if (!columns) {
        names = source.header ? cells.map((name) => name.trim()) : cells.map((_, index) => String(index + 1));
        columns = new Map(names.map((name, index) => [name, index]));
        if (source.header) continue;
      }
      const problems: RecordProblem[] = [];
      if (cells.length !== names.length) {
        problems.push({
          kind: 'ragged-row',
          message: `row has ${cells.length} cells, the header has ${names.length}`,
          column: names[Math.min(cells.length, names.length - 1)],
        });
      }
      const index = columns;
      yield {
        line,
        problems,
        lookup(reference: string): readonly Value[] | undefined {
          const position = index.get(reference);
          if (position === undefined) return undefined;
          const cell = cells[position];
          // A short row is reported once as `ragged-row`; its missing cells are null.
          if (cell === undefined) return [];
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
