/** The last row cut by the end of the file: a row error under every policy (fail aborts), its cut value never published. */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MappingError } from '../../src/mapping/index.ts';
import { objectsOf, run, workspace, yarrrml } from './helpers.ts';

const mapping = yarrrml('data.csv~csv', 'ex:$(id)', ['[ex:nombre, $(nombre)]', '[ex:empresa, $(empresa)]', '[ex:valor, $(valor)]']);
const empresa = 'http://example.org/empresa';
// The export stopped inside row 3, after "SIN EMP" of its third of four cells.
const cut = 'id,nombre,empresa,valor\n1,Ana,ACME,10\n2,Luis,SIN EMPLEO,20\n3,Eva,SIN EMP';

for (const errorPolicy of ['skip-term', 'skip-row'] as const) {
  test(`${errorPolicy}: a last row with fewer cells and no newline is a truncated-row error at its line and cut column; none of it is published`, async () => {
    const space = await workspace({ 'data.csv': cut, 'm.yml': mapping });
    try {
      const { quads, problems, report } = await run(await space.load('m.yml'), { errorPolicy });
      assert.equal(
        problems.map((problem) => [problem.file, problem.kind, problem.line, problem.column]),
        [[join(space.dir, 'data.csv'), 'truncated-row', 4, 'empresa']],
      );
      assert.equal(objectsOf(quads, empresa), ['ACME', 'SIN EMPLEO']);
      assert.not.ok(quads.some((quad) => quad.subject.value === 'http://example.org/3'), 'no triple of the cut row');
      assert.is(report.rowsRead, 3);
      assert.is(report.rowsDropped, 1);
    } finally {
      await space.close();
    }
  });
}

test('fail: the cut row stops the run with file:line:column', async () => {
  const space = await workspace({ 'data.csv': cut, 'm.yml': mapping });
  try {
    await run(await space.load('m.yml'), { errorPolicy: 'fail' }).then(
      () => assert.unreachable('fail must stop'),
      (error: Error) => {
        assert.instance(error, MappingError);
        assert.ok(error.message.startsWith(`${join(space.dir, 'data.csv')}:4:empresa`), error.message);
      },
    );
  } finally {
    await space.close();
  }
});

test('a whole last row without a final newline is published; a short row ended by a newline keeps the ragged-row policy', async () => {
  const space = await workspace({ 'data.csv': 'id,nombre,empresa,valor\n1,Ana,ACME\n2,Luis,SIN EMPLEO,20', 'm.yml': mapping });
  try {
    const { quads, problems, report } = await run(await space.load('m.yml'));
    assert.equal(problems.map((problem) => [problem.kind, problem.line]), [['ragged-row', 2]]);
    assert.equal(objectsOf(quads, empresa), ['ACME', 'SIN EMPLEO']);
    assert.is(report.rowsDropped, 0);
  } finally {
    await space.close();
  }
});

test('a cut row is no parent of a join either', async () => {
  const m = `prefixes:
  ex: http://example.org/
mappings:
  contrato:
    sources: [['contratos.csv~csv']]
    s: ex:contrato/$(id)
    po:
      - p: ex:empresa
        o: { mapping: empresa, condition: { function: equal, parameters: [[str1, $(empresa)], [str2, $(nombre)]] } }
  empresa:
    sources: [['empresas.csv~csv']]
    s: ex:empresa/$(id)
`;
  const space = await workspace({ 'contratos.csv': 'id,empresa\n1,ACME\n2,SIN EMP\n', 'empresas.csv': 'id,nombre,nit\n1,ACME,900\n2,SIN EMP', 'm.yml': m });
  try {
    const { quads } = await run(await space.load('m.yml'));
    const objects = quads.filter((quad) => quad.predicate.value === empresa).map((quad) => `${quad.subject.value} ${quad.object.value}`);
    assert.equal(objects, ['http://example.org/contrato/1 http://example.org/empresa/1']);
  } finally {
    await space.close();
  }
});

test.run();
