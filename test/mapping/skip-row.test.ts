/** skip-row says how many rows it dropped: in the report, and in `vinculo map`'s summary on stderr. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../cli/run-cli.ts';
import { objectsOf, run, workspace, yarrrml } from './helpers.ts';

// Rows 2 and 4 have an age that is not an integer.
const csv = 'id,age,name\n1,33,Ana\n2,treinta,Luis\n3,40,Eva\n4,?,Rosa\n5,51,Juan\n';
const m = yarrrml('data.csv~csv', 'ex:$(id)', ['[ex:age, $(age), xsd:integer]', '[ex:name, $(name)]']);
const badRows = 2;

test('the report counts the rows skip-row dropped (none under skip-term)', async () => {
  const space = await workspace({ 'data.csv': csv, 'm.yml': m });
  try {
    const plan = await space.load('m.yml');
    const skipRow = await run(plan, { errorPolicy: 'skip-row' });
    assert.is(skipRow.report.rowsDropped, badRows);
    assert.is(objectsOf(skipRow.quads, 'http://example.org/name').length, 5 - badRows);
    const skipTerm = await run(plan, { errorPolicy: 'skip-term' });
    assert.is(skipTerm.report.rowsDropped, 0);
  } finally {
    await space.close();
  }
});

test('a row two triples maps drop is one dropped row', async () => {
  const twoMaps = `prefixes:
  ex: http://example.org/
mappings:
  persona:
    sources: [['data.csv~csv']]
    s: ex:persona/$(id)
    po:
      - [ex:age, $(age), xsd:integer]
  edad:
    sources: [['data.csv~csv']]
    s: ex:edad/$(id)
    po:
      - [ex:years, $(age), xsd:integer]
`;
  const space = await workspace({ 'data.csv': csv, 'm.yml': twoMaps });
  try {
    const { report } = await run(await space.load('m.yml'), { errorPolicy: 'skip-row' });
    assert.is(report.problems['invalid-datatype-value'], 2 * badRows);
    assert.is(report.rowsDropped, badRows);
  } finally {
    await space.close();
  }
});

test('vinculo map --on-error skip-row prints the dropped rows in its summary', async () => {
  const space = await workspace({ 'data.csv': csv, 'm.yml': m });
  try {
    const config = join(space.dir, 'vinculo.config.json');
    await writeFile(config, JSON.stringify({ sourceDirs: ['.'] }));
    const result = await runCli(['map', join(space.dir, 'm.yml'), '--config', config, '--on-error', 'skip-row']);
    assert.is(result.status, 0, result.stderr);
    assert.match(result.stderr, `5 rows read, ${badRows} rows dropped,`);
  } finally {
    await space.close();
  }
});

test.run();
