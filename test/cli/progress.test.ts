/** The progress bar: drawn from the bytes the mapping engine reads, only on a terminal. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startProgressBar } from '../../src/cli/progress.ts';
import { executeMapping, loadMapping } from '../../src/mapping/index.ts';

/** A stream that records what is written to it, posing as a terminal or not. */
function capture(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY });
  return { stream, text: () => chunks.join('') };
}

async function mapLargeCsv(folder: string): Promise<number> {
  const rows = ['codigo,nombre', ...Array.from({ length: 60_000 }, (_, index) => `${index},Municipio número ${index}`)];
  await writeFile(join(folder, 'grande.csv'), `${rows.join('\n')}\n`);
  const mapping = join(folder, 'grande.yml');
  await writeFile(
    mapping,
    ['prefixes:', '  rdfs: http://www.w3.org/2000/01/rdf-schema#', 'mappings:', '  m:', "    sources: [['grande.csv~csv']]", '    s: id/m/$(codigo)', '    po:', '      - [rdfs:label, $(nombre)]', ''].join('\n'),
  );
  const plan = await loadMapping(mapping, { baseIRI: 'http://example.org/', allowedDirs: [folder] });
  let count = 0;
  for await (const _quad of executeMapping(plan, { errorPolicy: 'fail' }).quads) count++;
  return count;
}

test('on a terminal: a bar that reaches 100% and gets out of the way of other lines', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'vinculo-progress-'));
  const { stream, text } = capture(true);
  const bar = startProgressBar(stream);
  try {
    assert.is(await mapLargeCsv(folder), 60_000);
    bar.line('grande.csv:3:2: a problem');
  } finally {
    bar.stop();
    await rm(folder, { recursive: true, force: true });
  }
  const output = text();
  assert.match(output, /grande\.csv \[#+\.*\] \d+% [\d.]+\/[\d.]+ MB/);
  assert.match(output, /grande\.csv \[#{30}\] 100%/);
  assert.ok(output.includes('\r\x1b[Kgrande.csv:3:2: a problem\n'), 'a problem line clears the bar first');
  assert.ok(output.endsWith('\r\x1b[K'), 'the bar is cleared when it stops');
});

test('not a terminal (a log file, CI): no bar, lines as they are', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'vinculo-progress-'));
  const { stream, text } = capture(false);
  const bar = startProgressBar(stream);
  try {
    await mapLargeCsv(folder);
    bar.line('done');
  } finally {
    bar.stop();
    await rm(folder, { recursive: true, force: true });
  }
  assert.is(text(), 'done\n');
});

test.run();
