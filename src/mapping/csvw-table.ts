/** Reading a tabular data file under a CSVW dialect (Tabular Data Model §8): rows, comments, header titles. */
import type { CsvwDialect } from './csvw-metadata.js';
import { readText, type TextEncoding } from './read-text.js';

export interface CsvwRow {
  /** 1-based row number among data rows. */
  readonly number: number;
  /** 1-based row number in the file, skipped and header rows included. */
  readonly sourceNumber: number;
  readonly cells: readonly string[];
}

/** What reading a table yields, in file order: comments, the header titles (once, before any row), rows. */
export type CsvwEvent =
  | { readonly kind: 'comment'; readonly text: string }
  | { readonly kind: 'titles'; readonly titles: ReadonlyArray<readonly string[]> }
  | { readonly kind: 'row'; readonly row: CsvwRow };

function textEncoding(name: string): TextEncoding | undefined {
  const lower = name.toLowerCase();
  if (lower === 'utf-8' || lower === 'utf8') return 'utf-8';
  if (lower === 'utf-16le' || lower === 'utf-16') return 'utf-16le';
  if (lower === 'utf-16be') return 'utf-16be';
  if (['iso-8859-1', 'latin1', 'windows-1252', 'cp1252', 'us-ascii', 'ascii'].includes(lower)) return 'windows-1252';
  return undefined;
}

interface RawRow {
  readonly cells: string[];
  readonly raw: string;
}

/**
 * Splits text into rows of cells, honouring quotes, the escape character and the line terminators.
 * Unless `final`, a row not yet ended by a terminator is left unconsumed for the next chunk.
 */
function splitRows(text: string, dialect: CsvwDialect, final: boolean): { rows: RawRow[]; consumed: number } {
  const rows: RawRow[] = [];
  const quote = dialect.quoteChar;
  const escapeChar = dialect.doubleQuote ? quote : '\\';
  const terminators = [...dialect.lineTerminators].sort((a, b) => b.length - a.length);
  const longest = terminators[0]?.length ?? 1;
  let index = 0;
  let consumed = 0;
  const length = text.length;
  while (index < length) {
    const start = index;
    const cells: string[] = [];
    let cell = '';
    let inQuotes = false;
    let ended = false;
    while (index < length) {
      const char = text[index]!;
      if (inQuotes) {
        if (escapeChar !== null && char === escapeChar && escapeChar !== quote) {
          cell += text[index + 1] ?? '';
          index += 2;
          continue;
        }
        if (char === quote) {
          if (dialect.doubleQuote && text[index + 1] === quote) {
            cell += quote;
            index += 2;
            continue;
          }
          inQuotes = false;
          index++;
          continue;
        }
        cell += char;
        index++;
        continue;
      }
      if (quote !== null && char === quote) {
        inQuotes = true;
        index++;
        continue;
      }
      if (text.startsWith(dialect.delimiter, index)) {
        cells.push(cell);
        cell = '';
        index += dialect.delimiter.length;
        continue;
      }
      // Near the end of a chunk a longer terminator (`\r\n`) may still be arriving.
      if (!final && index + longest > length) break;
      const terminator = terminators.find((candidate) => text.startsWith(candidate, index));
      if (terminator !== undefined) {
        cells.push(cell);
        rows.push({ cells, raw: text.slice(start, index) });
        index += terminator.length;
        consumed = index;
        ended = true;
        break;
      }
      cell += char;
      index++;
    }
    if (!ended) {
      if (!final) break;
      cells.push(cell);
      rows.push({ cells, raw: text.slice(start, index) });
      consumed = index;
    }
  }
  return { rows, consumed };
}

function trimCell(cell: string, dialect: CsvwDialect): string {
  let value = dialect.skipInitialSpace ? cell.replace(/^ +/, '') : cell;
  if (dialect.trim === 'true' || dialect.trim === 'start') value = value.replace(/^\s+/, '');
  if (dialect.trim === 'true' || dialect.trim === 'end') value = value.replace(/\s+$/, '');
  return value;
}

/**
 * Reads a table file under the dialect, streamed chunk by chunk: skipped rows and comment lines
 * become comments, header rows give titles, the rest are data rows. One batch of events per chunk.
 * @throws the file system's error for a missing file.
 */
export async function* readCsvwTable(path: string, dialect: CsvwDialect): AsyncGenerator<CsvwEvent[]> {
  const prefix = dialect.commentPrefix;
  const titles: string[][] = [];
  let source = 0;
  let number = 0;
  let headerRows = 0;
  let titlesSent = false;
  let buffer = '';
  let first = true;
  const handle = (rows: readonly RawRow[]): CsvwEvent[] => {
    const events: CsvwEvent[] = [];
    for (const row of rows) {
      source++;
      const isComment = prefix !== null && prefix !== '' && row.raw.startsWith(prefix);
      if (source <= dialect.skipRows) {
        const content = isComment ? row.raw.slice(prefix.length).trim() : row.raw;
        if (content !== '') events.push({ kind: 'comment', text: content });
        continue;
      }
      if (isComment) {
        events.push({ kind: 'comment', text: row.raw.slice(prefix.length).trim() });
        continue;
      }
      const cells = row.cells.slice(dialect.skipColumns).map((cell) => trimCell(cell, dialect));
      if (headerRows < dialect.headerRowCount) {
        headerRows++;
        cells.forEach((cell, position) => {
          titles[position] ??= [];
          if (cell !== '') titles[position]!.push(cell);
        });
        continue;
      }
      if (!titlesSent) {
        events.push({ kind: 'titles', titles });
        titlesSent = true;
      }
      if (dialect.skipBlankRows && cells.every((cell) => cell === '')) continue;
      number++;
      events.push({ kind: 'row', row: { number, sourceNumber: source, cells } });
    }
    return events;
  };
  for await (const chunk of readText(path, { encoding: textEncoding(dialect.encoding) })) {
    buffer += first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
    first = false;
    const { rows, consumed } = splitRows(buffer, dialect, false);
    buffer = buffer.slice(consumed);
    const events = handle(rows);
    if (events.length > 0) yield events;
  }
  const events = handle(splitRows(buffer, dialect, true).rows);
  if (!titlesSent) events.push({ kind: 'titles', titles });
  if (events.length > 0) yield events;
}

/**
 * The header titles per column and the width of the first data row, reading no further.
 * @throws the file system's error for a missing file.
 */
export async function readCsvwHead(path: string, dialect: CsvwDialect): Promise<{ titles: ReadonlyArray<readonly string[]>; width: number }> {
  let titles: ReadonlyArray<readonly string[]> = [];
  for await (const batch of readCsvwTable(path, dialect)) {
    for (const event of batch) {
      if (event.kind === 'titles') titles = event.titles;
      if (event.kind === 'row') return { titles, width: Math.max(titles.length, event.row.cells.length) };
    }
  }
  return { titles, width: titles.length };
}
