/** Subject keys that merge rows: counted over the whole source, an error (exit 1) in `vinculo validate`. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkSubjectKeys } from '../../src/mapping/index.ts';
import { runCli } from '../cli/run-cli.ts';
import { workspace } from '../mapping/helpers.ts';

/** 1,203 rows of 3 departments, each row its own contract: a key on the department merges them. */
const departments = ['05', '11', '76'];
const contracts = ['departamento,contrato,valor', ...Array.from({ length: 1203 }, (_, index) => `${departments[index % 3]},C-${index + 1},${index * 10}`)].join('\n');

const mapping = (subject: string, objects: string[]) =>
  ['prefixes:', '  ex: http://example.org/', 'mappings:', '  contrato:', "    sources: [['contratos.csv~csv']]", `    s: ${subject}`, '    po:', ...objects.map((line) => `      - ${line}`), ''].join('\n');

test('a key that is not unique is counted: distinct subjects, rows, rows merged with other values', async () => {
  const space = await workspace({
    'contratos.csv': `${contracts}\n`,
    'por-departamento.yml': mapping('id/contrato/$(departamento)', ['[ex:valor, $(valor)]']),
    'por-contrato.yml': mapping('id/contrato/$(contrato)', ['[ex:valor, $(valor)]']),
    // One department per row, repeating the same values: one entity, not merged data.
    'departamento.yml': mapping('id/departamento/$(departamento)', ['[ex:codigo, $(departamento)]']),
    'por-fila.yml': mapping('id/contrato/$(_row)', ['[ex:valor, $(valor)]']),
  });
  try {
    const [problem, ...others] = await checkSubjectKeys(await space.load('por-departamento.yml'));
    assert.equal(others, []);
    assert.is(problem?.triplesMap, 'contrato');
    assert.is(problem?.rows, 1203);
    assert.is(problem?.subjects, 3);
    assert.is(problem?.mergedRows, 1203 - 3);
    assert.ok(problem?.wholeSource);
    assert.match(problem!.message, 'subject template "id/contrato/{departamento}" gives 3 distinct subjects for 1,203 rows');
    assert.match(problem!.message, '1,200 rows would be merged');
    for (const good of ['por-contrato.yml', 'departamento.yml', 'por-fila.yml']) assert.equal(await checkSubjectKeys(await space.load(good)), [], good);
    // Stopping early says so: the counts are of the rows read.
    const [capped] = await checkSubjectKeys(await space.load('por-departamento.yml'), { maxRows: 100 });
    assert.is(capped?.rows, 100);
    assert.not.ok(capped?.wholeSource);
    assert.match(capped!.message, '(the first 100 rows checked)');
  } finally {
    await space.close();
  }
});

test('vinculo validate reports a merging key as an error and exits 1', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vinculo-subject-keys-'));
  try {
    await writeFile(join(dir, 'contratos.csv'), `${contracts}\n`);
    const file = join(dir, 'contratos.yml');
    await writeFile(file, mapping('id/contrato/$(departamento)', ['[ex:valor, $(valor)]']));
    const config = join(dir, 'vinculo.config.json');
    await writeFile(config, JSON.stringify({ sourceDirs: [dir], vocabularies: dir }));
    const result = await runCli(['validate', '--config', config, file]);
    assert.is(result.status, 1, result.stdout + result.stderr);
    assert.match(result.stdout, `error ${file} [contrato]: subject template "id/contrato/{departamento}" gives 3 distinct subjects for 1,203 rows`);
    assert.match(result.stdout, `invalid ${file}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
