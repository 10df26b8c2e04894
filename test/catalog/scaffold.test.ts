/** `scaffoldMapping`: drafts that the mapping loader accepts, from a bare CSV, a SODA JSON export and a Socrata view. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { inferType, readSocrataView, scaffoldMapping } from '../../src/catalog/index.ts';
import { loadMapping } from '../../src/mapping/index.ts';
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
  assert.is(draft.key, 'DPMP');
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
  assert.is(draft.key, 'id');
  const file = join(dir, 'hoja-ruta.yml');
  await writeFile(file, draft.yaml);
  const plan = await loadMapping(file, { baseIRI: 'http://example.org/', allowedDirs: [colombia] });
  assert.equal(plan.sources, [rowsPath]);
});

test.run();
