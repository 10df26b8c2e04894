/** Reading tables under CSVW dialects: streaming across chunk boundaries, comments, header rows, trimming. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dialectWith } from '../../src/mapping/csvw-metadata.ts';
import { type CsvwEvent, readCsvwHead, readCsvwTable } from '../../src/mapping/csvw-table.ts';

async function events(text: string, dialect = dialectWith()): Promise<CsvwEvent[]> {
  const dir = await mkdtemp(join(tmpdir(), 'vinculo-csvw-table-'));
  try {
    await writeFile(join(dir, 't.csv'), text);
    const out: CsvwEvent[] = [];
    for await (const batch of readCsvwTable(join(dir, 't.csv'), dialect)) out.push(...batch);
    return out;
  } finally {
    await rm(dir, { recursive: true });
  }
}

test('rows spanning chunk boundaries: quoted CRLFs and "" escapes survive, numbering stays exact', async () => {
  // About 3 MiB: past the first MiB the reader yields 256 KiB chunks, which end inside rows.
  const rows = 60_000;
  let text = 'id,note,tail\r\n';
  for (let i = 1; i <= rows; i++) text += `${i},"first ${i}\r\nsecond ""${i}""",x${'y'.repeat(i % 7)}\r\n`;
  const read = (await events(text)).filter((event) => event.kind === 'row');
  assert.is(read.length, rows);
  read.forEach((event, index) => {
    if (event.kind !== 'row') return;
    const i = index + 1;
    assert.is(event.row.number, i);
    assert.is(event.row.sourceNumber, i + 1);
    assert.equal(event.row.cells, [String(i), `first ${i}\r\nsecond "${i}"`, `x${'y'.repeat(i % 7)}`]);
  });
});

test('skipped rows and comment lines are comments; header rows give titles; skipColumns, trim and blank rows', async () => {
  const dialect = dialectWith({ skipRows: 1, commentPrefix: '#', headerRowCount: 2, skipColumns: 1, skipBlankRows: true, delimiter: '\t' });
  const read = await events('preamble\nx\t A \tB\nx\tAlpha\t\n# a note\nx\t 1 \t2\nx\t\t\nx\t3\t4\n', dialect);
  assert.equal(
    read.filter((event) => event.kind === 'comment').map((event) => (event.kind === 'comment' ? event.text : '')),
    ['preamble', 'a note'],
  );
  const titles = read.find((event) => event.kind === 'titles');
  assert.equal(titles?.kind === 'titles' ? titles.titles : undefined, [['A', 'Alpha'], ['B']]);
  assert.equal(
    read.flatMap((event) => (event.kind === 'row' ? [[event.row.number, event.row.sourceNumber, ...event.row.cells]] : [])),
    [
      [1, 5, '1', '2'],
      [2, 7, '3', '4'],
    ],
  );
});

test('a backslash escape when doubleQuote is false; readCsvwHead stops at the first row', async () => {
  const read = await events('a,b\n"x\\"y",2\n', dialectWith({ doubleQuote: false }));
  const row = read.find((event) => event.kind === 'row');
  assert.equal(row?.kind === 'row' ? row.row.cells : undefined, ['x"y', '2']);
  const dir = await mkdtemp(join(tmpdir(), 'vinculo-csvw-head-'));
  try {
    await writeFile(join(dir, 'h.csv'), 'a,b\n1,2,3\n');
    assert.equal(await readCsvwHead(join(dir, 'h.csv'), dialectWith()), { titles: [['a'], ['b']], width: 3 });
  } finally {
    await rm(dir, { recursive: true });
  }
});

test.run();
