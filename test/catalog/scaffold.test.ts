/** `scaffoldMapping`: drafts that the mapping loader accepts, from bare CSVs (any delimiter, Latin-1, BOM), a SODA JSON export and a Socrata view. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { inferType, readSocrataView, scaffoldMapping } from '../../src/catalog/index.ts';
import { dateShape, sniffDelimiter } from '../../src/catalog/scaffold.ts';
import { checkSubjectKeys, executeMapping, loadMapping } from '../../src/mapping/index.ts';
import { colombia, freshDirectory, projectRoot } from './support.ts';

test('datatypes are inferred from values; codes with leading zeros stay strings', () => {
  assert.is(inferType(['1', '2.427.129', '']), 'integer');
  assert.is(inferType(['1,5', '2']), 'decimal');
  assert.is(inferType(['05001', '05002']), 'string');
  assert.is(inferType(['06/03/2020', '2020-03-07']), 'date');
  assert.is(inferType(['2020-03-02T10:00:00.000']), 'dateTime');
  assert.is(inferType(['true', 'FALSE']), 'boolean');
  assert.is(inferType(['Bogotá', '1']), 'string');
});

test('a bare CSV gives a loadable draft with a guessed key and typed columns', async () => {
  const dir = await freshDirectory();
  const rowsPath = join(colombia, 'dane-poblacion-municipal-2018', '2018.csv');
  const draft = await scaffoldMapping({ rowsPath, rowsReference: rowsPath });
  assert.is(draft.datasetId, '2018');
  assert.equal(draft.key, ['DPMP']);
  const types = Object.fromEntries(draft.columns.map((column) => [column.name, column.type]));
  assert.is(types.Total, 'integer');
  assert.is(types.DPMP, 'string');
  assert.ok(draft.columns.find((column) => column.name === 'DPMP')?.divipola);
  assert.match(draft.yaml, /# REVIEW/);
  const file = join(dir, 'draft.yml');
  await writeFile(file, draft.yaml);
  const plan = await loadMapping(file, { baseIRI: 'http://example.org/', allowedDirs: [colombia] });
  assert.is(plan.dataset?.id, '2018');
  assert.equal(plan.sources, [rowsPath]);
});

test('a Socrata view fills the DCAT block from its fields and custom fieldsets', async () => {
  const view = await readSocrataView(join(projectRoot, 'test', 'catalog', 'fixtures', 'socrata-view-xdk5-pm3f.json'));
  const rowsPath = join(colombia, 'departamentos-municipios', 'Departamentos_y_municipios_de_Colombia.csv');
  const draft = await scaffoldMapping({ rowsPath, rowsReference: rowsPath, view });
  const block = (parse(draft.yaml) as { dataset: Record<string, unknown> }).dataset;
  assert.is(block.id, 'xdk5-pm3f');
  assert.is(block.identifier, 'xdk5-pm3f');
  assert.is(block.title, view.name);
  assert.equal(block.themes, ['Mapas Nacionales']);
  assert.equal(block.keywords, view.tags);
  assert.is(block.accrualPeriodicity, 'annual', 'from "Frecuencia de Actualización: Anual"');
  assert.equal(block.spatial, ['Colombia', '11001']);
  assert.equal(block.publisher, { name: view.attribution, nit: '000000000', order: 'nacional', department: 'Bogotá D.C.', municipality: 'Bogotá D.C.' });
  assert.is(block.license, view.license?.termsLink);
  assert.is(block.modified, new Date((view.rowsUpdatedAt ?? 0) * 1000).toISOString().slice(0, 10));
  // Socrata's column descriptions are carried over as comments for the reviewer.
  assert.match(draft.yaml, /# REGION: Región a la que pertenece el departamento/);
});

test('a SODA JSON rows export (system fields dropped, sparse fields kept) gives a loadable JSON mapping', async () => {
  const dir = await freshDirectory();
  const rowsPath = join(colombia, 'datos-gov-co-catalogo', 'hoja-ruta-datos-estrategicos-2021.soda.json');
  const draft = await scaffoldMapping({ rowsPath, rowsReference: rowsPath });
  const names = draft.columns.map((column) => column.name);
  assert.ok(names.includes('fecha_de_ultima_actualizaci'), 'a field present in only some records');
  assert.not.ok(names.some((name) => name.startsWith(':')));
  assert.equal(draft.key, ['id']);
  const file = join(dir, 'hoja-ruta.yml');
  await writeFile(file, draft.yaml);
  const plan = await loadMapping(file, { baseIRI: 'http://example.org/', allowedDirs: [colombia] });
  assert.equal(plan.sources, [rowsPath]);
});

const fixtures = join(projectRoot, 'test', 'catalog', 'fixtures');

/** Writes the draft in a fresh folder, loads it, maps it whole: rows, distinct subjects, objects by predicate (language tags dropped). */
async function mapDraft(yaml: string, allowedDir: string): Promise<{ subjects: Set<string>; objects: Map<string, string[]>; rows: number; problems: number }> {
  const dir = await freshDirectory();
  const file = join(dir, 'draft.yml');
  await writeFile(file, yaml);
  const plan = await loadMapping(file, { baseIRI: 'http://example.org/', allowedDirs: [allowedDir] });
  assert.equal(await checkSubjectKeys(plan), [], 'the drafted key merges no rows');
  const execution = executeMapping(plan, { errorPolicy: 'skip-term' });
  const subjects = new Set<string>();
  const objects = new Map<string, string[]>();
  for await (const quad of execution.quads) {
    subjects.add(quad.subject.value);
    const local = quad.predicate.value.replace(/.*[#/]/, '');
    objects.set(local, [...(objects.get(local) ?? []), quad.object.termType !== 'Literal' ? quad.object.value : quad.object.language ? quad.object.value : `${quad.object.value}^^${quad.object.datatype.value.replace(/.*#/, '')}`]);
  }
  const report = await execution.report;
  return { subjects, objects, rows: report.rowsRead, problems: Object.values(report.problems).reduce((sum, count) => sum + count, 0) };
}

test('the delimiter is sniffed over the first records, quotes respected', () => {
  assert.is(sniffDelimiter('a;b;c\n1;2,5;3\n4;5;6\n'), ';', 'a decimal comma is not a delimiter');
  assert.is(sniffDelimiter('a\tb\n"x; y"\t2\n'), '\t');
  assert.is(sniffDelimiter('a|b|c\n1|2|3\n'), '|');
  assert.is(sniffDelimiter('nombre,nota\n"Pérez; Ana",3\n"Ruiz; Luis",4\n'), ',', 'semicolons inside quotes do not count');
  assert.is(sniffDelimiter('solo\n1\n2\n'), ',', 'one column: the default');
});

test('date columns get the pattern their values show: day-first, month-first with AM/PM, with time or not', () => {
  assert.equal(dateShape(['6/03/2020', '13/03/2020']), { type: 'date', pattern: 'd/MM/yyyy', ambiguous: false });
  assert.equal(dateShape(['06/03/2020', '13/03/2020']), { type: 'date', pattern: 'dd/MM/yyyy', ambiguous: false });
  assert.equal(dateShape(['1/01/1996 0:00', '13/01/1996 8:30']), { type: 'dateTime', pattern: 'd/MM/yyyy H:mm', ambiguous: false });
  assert.equal(dateShape(['01/31/2020 12:00:00 AM', '02/01/2020 01:30:00 PM']), { type: 'dateTime', pattern: 'MM/dd/yyyy hh:mm:ss a', ambiguous: false });
  assert.equal(dateShape(['08/29/2013 20:00']), { type: 'dateTime', pattern: 'MM/dd/yyyy HH:mm', ambiguous: false });
  assert.equal(dateShape(['31-12-2015', '']), { type: 'date', pattern: 'dd-MM-yyyy', ambiguous: false });
  assert.equal(dateShape(['05/03/2020']), { type: 'date', pattern: 'dd/MM/yyyy', ambiguous: true });
  assert.equal(dateShape(['2020-03-05', '2020-03-06T00:00:00.000']), { type: 'date' });
  for (const mixed of [['13/01/2020', '01/13/2020'], ['08/29/2013 20:00', '41283'], ['1/01/1996', '1/01/1996 0:00']]) assert.is(dateShape(mixed), undefined, mixed.join(' '));
});

test('a ";" Latin-1 export: delimiter written, 8-digit DANE codes linked by 5 digits, dates parsed, a composite key', async () => {
  const rowsPath = join(fixtures, 'matriculas-latin1-punto-y-coma.csv');
  const draft = await scaffoldMapping({ rowsPath, rowsReference: rowsPath });
  assert.is(draft.delimiter, ';');
  assert.ok(draft.columns.some((column) => column.name === 'AÑO'), 'Latin-1 headers decoded');
  // No column is unique; code + date repeats (Chigorodó on 1/01/1996 twice): only year + code is a key.
  assert.equal([...draft.key].sort(), ['AÑO', 'CODIGO DANE']);
  const dane = draft.columns.find((column) => column.name === 'CODIGO DANE');
  assert.ok(dane?.daneSuffix);
  assert.not.match(draft.yaml, /zeroPad/, 'zero-padding is the wrong fix for 05172000');
  assert.match(draft.yaml, /delimiter: ";"/);
  const mapped = await mapDraft(draft.yaml, fixtures);
  assert.is(mapped.rows, 6);
  assert.is(mapped.problems, 0);
  assert.is(mapped.subjects.size, 6, 'one subject per row');
  assert.equal([...new Set(mapped.objects.get('codigoDane'))].sort(), ['http://example.org/kos/divipola/05001', 'http://example.org/kos/divipola/05172']);
  assert.ok(mapped.objects.get('fechaCorte')?.includes('1996-01-13T08:30:00^^dateTime'));
  assert.ok(mapped.objects.get('municipio')?.includes('Chigorodó'));
});

test('a TAB export with a BOM and US dates, without any unique columns, is keyed by the row number', async () => {
  const rowsPath = join(fixtures, 'casos-tab-bom.tsv.csv');
  const draft = await scaffoldMapping({ rowsPath, rowsReference: rowsPath });
  assert.is(draft.delimiter, '\t');
  assert.equal(draft.columns.map((column) => column.name), ['fecha_reporte', 'departamento', 'casos', 'nota']);
  assert.equal(draft.key, ['_row']);
  assert.match(draft.yaml, /\$\(_row\)/);
  assert.is(draft.columns[0]?.datePattern, 'MM/dd/yyyy hh:mm:ss a');
  const mapped = await mapDraft(draft.yaml, fixtures);
  assert.is(mapped.subjects.size, 4, 'the two identical rows stay two subjects');
  assert.equal(mapped.objects.get('fechaReporte'), ['2020-01-31T00:00:00^^dateTime', '2020-01-31T00:00:00^^dateTime', '2020-02-01T12:00:00^^dateTime', '2020-02-13T13:30:00^^dateTime']);
  assert.ok(mapped.objects.get('nota')?.includes('uno, dos'));
});

test.run();
