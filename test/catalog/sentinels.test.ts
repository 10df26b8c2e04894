/** A real-export shape: Excel serial dates and spreadsheet sentinels declared once as `nulls:` — no errors, the sentinels counted as empty cells in DQV. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { storeCatalog } from '../../src/catalog/index.ts';
import { publishMapping } from '../../src/publish/index.ts';
import { executeMapping, loadMapping } from '../../src/mapping/index.ts';
import { freshProject, measurements, projectRoot } from './support.ts';

const fixtures = join(projectRoot, 'test', 'catalog', 'fixtures');
const csvFile = join(fixtures, 'ungrd-emergencias.csv');
const mappingFile = join(fixtures, 'ungrd-emergencias.yml');
const sentinels = ['#N/D', '#N/A', '.', 'NO REPORTA', 'SIN INFORMACIÓN', 'N/A'];
const say = () => {};

/** Excel's 1900 date system, counted here from 1899-12-30 (valid for every serial after 60). */
const excelDay = (serial: string) => new Date(Date.UTC(1899, 11, 30 + Number(serial))).toISOString().slice(0, 10);

test('Excel serials and sentinels: 0 errors, sentinel cells counted as empty in the DQV measurements', async () => {
  const { config, store } = await freshProject([fixtures]);
  try {
    const result = await publishMapping(mappingFile, { config, store, say });
    assert.equal(result.problems, {}, 'no cell is reported as an error');

    // Independent counts, straight from the CSV with another parser.
    const [header, ...rows] = parse(await readFile(csvFile, 'utf8'), { relax_column_count: true }) as string[][];
    assert.ok(header);
    const found = measurements(await storeCatalog(store, config.baseIRI), `${config.baseIRI}dataset/${result.datasetId}`);
    assert.is(found.get('valoresRechazados'), '0');
    let emptyTotal = 0;
    header.forEach((name, index) => {
      const empty = rows.filter((row) => sentinels.includes(row[index] ?? '') || (row[index] ?? '').trim() === '').length;
      emptyTotal += empty;
      assert.is(found.get(`celdasVacias:${name}`), String(empty), name);
    });
    assert.ok(emptyTotal >= sentinels.length, 'every sentinel occurs in the fixture');
    assert.is(found.get('celdasVacias'), String(emptyTotal));

    const dates = await collectObjects(mappingFile, 'http://schema.org/startDate', config);
    const serials = rows.map((row) => row[0] ?? '').filter((cell) => /^\d+$/.test(cell));
    assert.equal(dates.sort(), serials.map(excelDay).sort());
    assert.ok(dates.includes('2009-11-06'), 'serial 40123 is 6 November 2009');
  } finally {
    await store.close();
  }
});

test('without the nulls: list the same export reports the sentinels as rejected values', async () => {
  const { config, store, dir } = await freshProject([fixtures]);
  try {
    const withoutNulls = join(dir, 'ungrd-emergencias.yml');
    const text = (await readFile(mappingFile, 'utf8')).replace(/^nulls:.*$/m, '').replace("'ungrd-emergencias.csv~csv'", `'${csvFile}~csv'`);
    await writeFile(withoutNulls, text);
    const result = await publishMapping(withoutNulls, { config, store, say });
    const rejected = Object.values(result.problems).reduce((total, count) => total + count, 0);
    // A sentinel in a date, code or integer column is not a date, a code or an integer.
    const [header, ...rows] = parse(await readFile(csvFile, 'utf8')) as string[][];
    const typed = ['FECHA', 'COD_DANE', 'FAMILIAS AFECTADAS'].map((name) => header?.indexOf(name) ?? -1);
    const typedSentinels = rows.flatMap((row) => typed.map((index) => row[index] ?? '')).filter((cell) => sentinels.includes(cell)).length;
    assert.ok(typedSentinels > 0);
    assert.is(rejected, typedSentinels);
  } finally {
    await store.close();
  }
});

async function collectObjects(file: string, predicate: string, config: { baseIRI: string; sourceDirs: readonly string[] }): Promise<string[]> {
  const plan = await loadMapping(file, { baseIRI: config.baseIRI, allowedDirs: config.sourceDirs });
  const values: string[] = [];
  for await (const quad of executeMapping(plan).quads) if (quad.predicate.value === predicate) values.push(quad.object.value);
  return values;
}

test.run();
