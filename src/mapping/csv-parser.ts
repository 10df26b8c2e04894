/**
 * An incremental RFC 4180 parser: text chunks in, records out, each with the line it starts
 * on (quoted cells may span lines). Written for the mapping engine because line numbers are
 * part of every problem it reports, and tracking them in csv-parse's `info` mode cost more
 * than parsing itself.
 */

export interface ParsedRecord {
  readonly cells: string[];
  /** 1-based line where the record starts. */
  readonly line: number;
  /** How the end of the input ended the record, when no newline did: its last cell may be cut. */
  readonly cutBy?: 'end-of-file' | 'unclosed-quote';
}

export interface CsvDialect {
  readonly delimiter: string;
  readonly quote: string;
}

/** Malformed CSV: text after a closing quote. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const LF = 10;
const CR = 13;

export class CsvParser {
  private readonly delimiter: number;
  private readonly quote: number;
  private cells: string[] = [];
  private cell = '';
  private quoted = false;
  /** Inside a quoted cell. */
  private inQuotes = false;
  /** Just read a quote inside a quoted cell: either `""` or the closing quote. */
  private quotePending = false;
  private afterCR = false;
  private line = 1;
  private recordLine = 1;
  private started = false;

  constructor(dialect: CsvDialect) {
    if (dialect.delimiter.length !== 1 || dialect.quote.length !== 1) throw new Error('the CSV delimiter and quote must be one character each');
    this.delimiter = dialect.delimiter.charCodeAt(0);
    this.quote = dialect.quote.charCodeAt(0);
  }

  /**
   * Parses a chunk and returns the records it completes.
   * @throws CsvSyntaxError for text after a closing quote.
   */
  push(text: string): ParsedRecord[] {
    const records: ParsedRecord[] = [];
    const length = text.length;
    let start = 0;
    let i = 0;
    while (i < length) {
      const code = text.charCodeAt(i);
      if (this.afterCR) {
        this.afterCR = false;
        if (code === LF) {
          i++;
          start = i;
          continue;
        }
      }
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (code === this.quote) {
            // `""`: an escaped quote; it starts the next slice of the cell.
            start = i++;
            continue;
          }
          this.inQuotes = false;
          // Fall through: the character after the closing quote must end the cell.
        } else {
          if (code === this.quote) {
            this.cell += text.slice(start, i);
            this.quotePending = true;
            start = ++i;
            continue;
          }
          if (code === LF || (code === CR && text.charCodeAt(i + 1) !== LF)) this.line++;
          i++;
          continue;
        }
      }
      if (code === this.delimiter) {
        this.cells.push(this.cell + text.slice(start, i));
        this.cell = '';
        this.quoted = false;
        this.started = true;
        start = ++i;
      } else if (code === LF || code === CR) {
        const last = this.cell + text.slice(start, i);
        if (this.started || last !== '' || this.quoted) {
          this.cells.push(last);
          records.push({ cells: this.cells, line: this.recordLine });
        }
        this.cells = [];
        this.cell = '';
        this.quoted = false;
        this.started = false;
        this.line++;
        this.recordLine = this.line;
        this.afterCR = code === CR;
        start = ++i;
      } else if (code === this.quote && start === i && this.cell === '' && !this.quoted) {
        this.inQuotes = true;
        this.quoted = true;
        this.started = true;
        start = ++i;
      } else if (this.quoted) {
        throw new CsvSyntaxError(`unexpected "${text[i]}" after a closing quote`, this.line);
      } else {
        this.started = true;
        i++;
      }
    }
    if (start < length) this.cell += text.slice(start, length);
    return records;
  }

  /**
   * Ends the input and returns the last record, if the text did not end with a newline. A
   * quoted cell never closed ends there too: whether that loses data is the reader's call.
   */
  end(): ParsedRecord[] {
    if (!this.started && this.cell === '' && !this.quoted) return [];
    this.cells.push(this.cell);
    const cutBy = this.inQuotes && !this.quotePending ? 'unclosed-quote' : 'end-of-file';
    const record: ParsedRecord = { cells: this.cells, line: this.recordLine, cutBy };
    this.cells = [];
    this.cell = '';
    this.started = false;
    this.quoted = false;
    this.inQuotes = false;
    this.quotePending = false;
    return [record];
  }
}
