/** The incremental RFC 4180 parser: chunk boundaries anywhere, line numbers, errors. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CsvParser, CsvSyntaxError, type ParsedRecord } from '../../src/mapping/csv-parser.ts';
import { random } from '../support/random.ts';

function parseInChunks(text: string, size: number, delimiter = ','): ParsedRecord[] {
  const parser = new CsvParser({ delimiter, quote: '"' });
  const records: ParsedRecord[] = [];
  for (let i = 0; i < text.length; i += size) records.push(...parser.push(text.slice(i, i + size)));
  records.push(...parser.end());
  return records;
}

const sample = 'a,b\r\n1,"x ""y"" z"\r\n\r\n2,"multi\nline",\n"",last';

test('the same records and lines whatever the chunk size (CRLF, LF, "" escapes, blank lines)', () => {
  const expected = [
    { cells: ['a', 'b'], line: 1 },
    { cells: ['1', 'x "y" z'], line: 2 },
    { cells: ['2', 'multi\nline', ''], line: 4 },
    // No newline after it: the parser says so, the reader decides whether the row is whole.
    { cells: ['', 'last'], line: 6, cutBy: 'end-of-file' },
  ];
  for (const size of [1, 2, 3, 5, 7, 1000]) assert.equal(parseInChunks(sample, size), expected, `chunk size ${size}`);
});

test('other delimiters', () => {
  assert.equal(parseInChunks('a;b\n"1;2";3\n', 4, ';').map((record) => record.cells), [['a', 'b'], ['1;2', '3']]);
});

test('a quote never closed ends with the input, marked; text after a closing quote is a syntax error with a line', () => {
  assert.equal(parseInChunks('a\n"open\nmore\n', 3).at(-1), { cells: ['open\nmore\n'], line: 2, cutBy: 'unclosed-quote' });
  assert.throws(() => parseInChunks('a\n"x"y\n', 3), (error: Error) => error instanceof CsvSyntaxError && error.line === 2);
});


test('property: any table written with RFC 4180 quoting parses back, in any chunking', () => {
  const alphabet = ['a', 'ñ', ' ', ',', '"', '\n', '\r\n', '1', 'é', ';'];
  for (let seed = 1; seed <= 200; seed++) {
    const next = random(seed);
    const columns = 1 + Math.floor(next() * 4);
    const rows = 1 + Math.floor(next() * 5);
    const table = Array.from({ length: rows }, () =>
      Array.from({ length: columns }, () => Array.from({ length: Math.floor(next() * 6) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('')),
    );
    // A row of one empty cell would be a blank line, which RFC 4180 readers skip: quote it.
    const text = table
      .map((row) => row.map((cell) => (/[",\r\n]/.test(cell) || (row.length === 1 && cell === '') || next() < 0.2 ? `"${cell.replaceAll('"', '""')}"` : cell)).join(','))
      .join('\r\n');
    const parsed = parseInChunks(text, 1 + Math.floor(next() * 8)).map((record) => record.cells);
    assert.equal(parsed, table, `seed ${seed}: ${JSON.stringify(text)}`);
  }
});

test.run();
