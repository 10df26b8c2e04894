/** `vinculo scaffold` and `vinculo catalog --validate` from the command line, as users run them. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { parseRdfToArray } from '../../src/rdf/index.ts';
import { runCli } from '../cli/run-cli.ts';
import { colombia, projectRoot } from './support.ts';

test('scaffold writes a draft next to --out, with the source path relative to it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vinculo-scaffold-'));
  const out = join(dir, 'borrador.yml');
  const view = join(projectRoot, 'test', 'catalog', 'fixtures', 'socrata-view-xdk5-pm3f.json');
  const rows = join(colombia, 'departamentos-municipios', 'Departamentos_y_municipios_de_Colombia.csv');
  const result = await runCli(['scaffold', view, '--rows', rows, '--out', out]);
  assert.is(result.status, 0, result.stderr);
  assert.match(result.stderr, /5 columns, key CÓDIGO DANE DEL MUNICIPIO/);
  const draft = parse(await readFile(out, 'utf8')) as { dataset: { id: string }; mappings: Record<string, { sources: string[][] }> };
  assert.is(draft.dataset.id, 'xdk5-pm3f');
  const source = Object.values(draft.mappings)[0]?.sources[0]?.[0] ?? '';
  assert.ok(!source.startsWith('/'), 'relative to the mapping file');
  assert.is(join(dir, source.replace(/~csv$/, '')), rows);

  const viewOnly = await runCli(['scaffold', view]);
  assert.is(viewOnly.status, 2, 'view metadata without rows is a usage error');
  assert.match(viewOnly.stderr, /--rows/);
});

test('catalog prints Turtle and, with --validate, reports zero violations for the sample project', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'vinculo-catalog-cli-'));
  const imported = await runCli(['import', 'mappings/municipios.yml', '--data-dir', dataDir]);
  assert.is(imported.status, 0, imported.stderr);
  assert.match(imported.stderr, /completeness: no empty cells/);
  const catalog = await runCli(['catalog', '--validate', '--data-dir', dataDir]);
  assert.is(catalog.status, 0, catalog.stderr);
  assert.match(catalog.stderr, /catalog conforms: 0 violations/);
  const quads = await parseRdfToArray(catalog.stdout, { format: 'turtle', baseIRI: 'http://localhost:3030/' });
  assert.ok(quads.some((q) => q.subject.value === 'http://localhost:3030/dataset/municipios' && q.object.value === 'http://www.w3.org/ns/dcat#Dataset'));
});

test.run();
