/** Quality measurements: counted on crafted tables, and on a real export imported through a scaffolded-then-reviewed mapping. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  formatQualityReport,
  isDivipolaCode,
  looksPersonal,
  startQualityMeasurement,
  readSocrataView,
  scaffoldMapping,
  storeCatalog,
  qualityMetrics,
  timelinessOf,
} from '../../src/catalog/index.ts';
import { publishMapping } from '../../src/publish/index.ts';
import { executeMapping, loadMapping, type MappingPlan } from '../../src/mapping/index.ts';
import { ns, parseRdfToArray } from '../../src/rdf/index.ts';
import { colombia, freshDirectory, freshProject, measurements, projectRoot } from './support.ts';

const say = () => {};

/** The mapping run once, measuring as it reads (the import's single pass), with `problems` standing for the run's. */
async function measuredRun(plan: MappingPlan, problems: Record<string, number>, now: Date) {
  const measurement = await startQualityMeasurement(plan);
  const { quads } = executeMapping(plan, { onRecord: measurement.onRecord });
  for await (const _ of quads);
  return measurement.report(problems, now);
}

test('crafted table: empty cells per column, duplicate rows and keys, invalid DIVIPOLA codes, personal data', async () => {
  const dir = await freshDirectory();
  const csv = [
    'codigo_municipio,nombre_contacto,valor',
    '05001,Ana,1',
    '05001,Ana,1',
    '5002,,2',
    '99999,Luis,',
    ',Eva,  ',
    '11001,,3',
  ].join('\n');
  await writeFile(join(dir, 'tabla.csv'), csv);
  await writeFile(
    join(dir, 'tabla.yml'),
    [
      'dataset:',
      '  id: tabla',
      '  title: Tabla',
      '  description: Una tabla de prueba',
      '  publisher: { name: Prueba, nit: 900000000-1 }',
      '  accrualPeriodicity: monthly',
      '  modified: 2024-01-01',
      'mappings:',
      '  fila:',
      "    sources: [['tabla.csv~csv']]",
      '    s: id/fila/$(codigo_municipio)',
      '    po:',
      '      - [def/x#valor, $(valor)]',
    ].join('\n'),
  );
  const plan = await loadMapping(join(dir, 'tabla.yml'), { baseIRI: 'http://example.org/', allowedDirs: [dir] });
  const report = await measuredRun(plan, { 'invalid-value': 2 }, new Date('2024-03-01T00:00:00Z'));
  assert.ok(report);
  const [table] = report.tables;
  assert.ok(table);
  assert.is(table.rows, 6);
  assert.equal(table.columns, [
    { column: 'codigo_municipio', empty: 1 },
    { column: 'nombre_contacto', empty: 2 },
    { column: 'valor', empty: 2 },
  ]);
  assert.is(table.duplicateRows, 1);
  assert.equal(table.keys, ['codigo_municipio']);
  assert.is(table.duplicateKeys, 1);
  // 5002 lost its leading zero; 99999 has a real department prefix (99, Vichada), so only 5002 fails.
  assert.equal(table.divipolaColumns, ['codigo_municipio']);
  assert.is(table.invalidDivipola, 1);
  assert.equal(table.personalDataColumns, ['nombre_contacto']);
  assert.is(report.timeliness.ageDays, 60);
  assert.is(report.timeliness.timely, false);
  assert.match(formatQualityReport(report), /nombre_contacto \(2\)/);

  // Once the mapping records a decision about the column, the warning goes away.
  const reviewed = (await readFile(join(dir, 'tabla.yml'), 'utf8')).replace(
    '  modified: 2024-01-01',
    '  modified: 2024-01-01\n  personalData:\n    nombre_contacto: contacto institucional publicado con autorización',
  );
  await writeFile(join(dir, 'tabla.yml'), reviewed);
  const reviewedPlan = await loadMapping(join(dir, 'tabla.yml'), { baseIRI: 'http://example.org/', allowedDirs: [dir] });
  const reviewedReport = await measuredRun(reviewedPlan, {}, new Date('2024-03-01T00:00:00Z'));
  assert.equal(reviewedReport?.tables[0]?.personalDataColumns, []);
});

test('DIVIPOLA codes, personal-data names and timeliness rules', () => {
  assert.ok(isDivipolaCode('05001'));
  assert.ok(isDivipolaCode('11'));
  assert.not.ok(isDivipolaCode('5001'));
  assert.not.ok(isDivipolaCode('02001'), 'there is no department 02');
  assert.ok(looksPersonal('Número de Cédula'));
  assert.ok(looksPersonal('CORREO_ELECTRONICO'));
  assert.not.ok(looksPersonal('poblacion_2018'));
  assert.is(timelinessOf('2024-01-01', 'annual', new Date('2024-06-01')).timely, true);
  assert.is(timelinessOf('2024-01-01', 'irregular', new Date('2024-06-01')).timely, undefined);
  assert.is(timelinessOf(undefined, 'annual', new Date()).ageDays, undefined);
});

test('a real export imported through a scaffolded-then-reviewed mapping: measurements match independent counts', async () => {
  const folder = join(colombia, 'departamentos-municipios');
  const rowsPath = join(folder, 'Departamentos_y_municipios_de_Colombia.csv');
  const { config, store, dir } = await freshProject([folder]);
  try {
    const view = await readSocrataView(join(projectRoot, 'test', 'catalog', 'fixtures', 'socrata-view-xdk5-pm3f.json'));
    const draft = await scaffoldMapping({ rowsPath, rowsReference: rowsPath, view });
    assert.equal(draft.key, ['CÓDIGO DANE DEL MUNICIPIO']);
    // The review a person would do: the publisher's NIT, a contact, and the REVIEW marks gone.
    const reviewed = draft.yaml
      .replace('nit: "000000000"', 'nit: "899999027-8"')
      .replace('  # contactPoint: { email: datos@entidad.gov.co }', '  contactPoint: { email: contacto@dane.gov.co }')
      .replace(/ {2}# REVIEW.*$/gm, '');
    const mapping = join(dir, 'departamentos.yml');
    await writeFile(mapping, reviewed);
    const result = await publishMapping(mapping, { config, store, say });
    assert.is(result.datasetId, 'xdk5-pm3f');

    // Independent counts, straight from the CSV with another parser.
    const [header, ...rows] = parse(await readFile(rowsPath, 'utf8'), { bom: true, relax_column_count: true }) as string[][];
    assert.ok(header);
    const found = measurements(await storeCatalog(store, config.baseIRI), `${config.baseIRI}dataset/xdk5-pm3f`);
    assert.is(found.get('filas'), String(rows.length));
    assert.is(result.rowsRead, rows.length);
    let emptyTotal = 0;
    header.forEach((name, index) => {
      const empty = rows.filter((row) => (row[index] ?? '').trim() === '').length;
      emptyTotal += empty;
      assert.is(found.get(`celdasVacias:${name.trim()}`), String(empty), name);
    });
    assert.is(found.get('celdasVacias'), String(emptyTotal));
    const keyIndex = header.indexOf('CÓDIGO DANE DEL MUNICIPIO');
    const keys = rows.map((row) => row[keyIndex] ?? '');
    assert.is(found.get('clavesDuplicadas'), String(keys.length - new Set(keys).size));
    assert.is(found.get('filasDuplicadas'), String(rows.length - new Set(rows.map((row) => row.join('\u0000'))).size));
    // This export lost the leading zeros: "5" for Antioquia, "5002" for Abejorral. Count them by length.
    const departmentIndex = header.indexOf('CÓDIGO DANE DEL DEPARTAMENTO');
    const shortCodes = rows.filter((row) => (row[departmentIndex] ?? '').length !== 2).length + rows.filter((row) => (row[keyIndex] ?? '').length !== 5).length;
    assert.ok(shortCodes > 0, 'the fixture has codes without their leading zero');
    assert.is(found.get('codigosDivipolaInvalidos'), String(shortCodes));
    assert.is(found.get('valoresRechazados'), String(Object.values(result.problems).reduce((a, b) => a + b, 0)));
  } finally {
    await store.close();
  }
});

test('every metric an import measures is defined in vocabularies/calidad.ttl, with the same datatype', async () => {
  const base = 'http://example.org/';
  const file = join(projectRoot, 'vocabularies', 'calidad.ttl');
  const quads = await parseRdfToArray(await readFile(file, 'utf8'), { format: 'turtle', baseIRI: base });
  const defined = new Map(
    quads.filter((q) => q.predicate.equals(ns.dqv('expectedDataType'))).map((q) => [q.subject.value.slice(`${base}def/calidad#`.length), q.object.value]),
  );
  assert.equal(
    [...defined.entries()].sort(),
    Object.entries(qualityMetrics)
      .map(([name, type]) => [name, ns.xsd(type).value])
      .sort(),
  );
  for (const name of defined.keys()) {
    const labels = quads.filter((q) => q.subject.value === `${base}def/calidad#${name}` && q.predicate.equals(ns.skos('prefLabel')));
    assert.is(labels.length, 2, `${name} has es and en labels`);
  }
});

test.run();
