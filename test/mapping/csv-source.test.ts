/** CSV sources: BOM, Latin-1, quoted newlines with line numbers, ragged rows, delimiters. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { objectsOf, run, workspace, yarrrml } from './helpers.ts';

const mapping = yarrrml('data.csv~csv', 'ex:$(id)', ['[ex:name, $(name)]']);
const name = 'http://example.org/name';

test('a UTF-8 BOM is stripped: the first header is "id", not "\\uFEFFid"', async () => {
  const space = await workspace({ 'data.csv': '\uFEFFid,name\n1,Medellín\n', 'm.yml': mapping });
  try {
    const { quads } = await run(await space.load('m.yml'));
    assert.equal(objectsOf(quads, name), ['Medellín']);
    assert.is(quads[0]?.subject.value, 'http://example.org/1');
  } finally {
    await space.close();
  }
});

test('Latin-1 / Windows-1252 bytes are detected and decoded', async () => {
  const bytes = Buffer.concat([Buffer.from('id,name\n1,'), Buffer.from([0x42, 0x6f, 0x67, 0x6f, 0x74, 0xe1]), Buffer.from('\n2,Ibagu'), Buffer.from([0xe9, 0x0a])]);
  const space = await workspace({ 'data.csv': bytes, 'm.yml': mapping });
  try {
    const { quads } = await run(await space.load('m.yml'));
    assert.equal(objectsOf(quads, name).sort(), ['Bogotá', 'Ibagué']);
  } finally {
    await space.close();
  }
});

test('a declared encoding (sourceEncoding:) wins over detection', async () => {
  // Latin-1 bytes declared as UTF-8: the declaration is obeyed, the é is a byte that is not UTF-8.
  const latin1 = Buffer.concat([Buffer.from('id,name\n1,'), Buffer.from([0xe9, 0x0a])]);
  const declared = yarrrml('data.csv~csv', 'ex:$(id)', ['[ex:name, $(name)]'], 'sourceEncoding: UTF-8');
  const detected = yarrrml('data.csv~csv', 'ex:$(id)', ['[ex:name, $(name)]']);
  const space = await workspace({ 'data.csv': latin1, 'declared.yml': declared, 'detected.yml': detected });
  try {
    const declaredRun = await run(await space.load('declared.yml'));
    assert.equal(objectsOf(declaredRun.quads, name), []);
    assert.equal(declaredRun.problems.map((problem) => [problem.kind, problem.line, problem.column]), [['invalid-encoding', 2, 'name']]);
    assert.equal(objectsOf((await run(await space.load('detected.yml'))).quads, name), ['é']);
  } finally {
    await space.close();
  }
});

test('a ";" delimiter declared in YARRRML (csvw:dialect)', async () => {
  const m = yarrrml('data.csv~csv', 'ex:$(id)', ['[ex:name, $(name)]']).replace(
    "      - ['data.csv~csv']",
    '      - access: data.csv\n        referenceFormulation: csv\n        delimiter: ";"',
  );
  const space = await workspace({ 'data.csv': 'id;name\n1;"a;b"\n', 'm.yml': m });
  try {
    assert.equal(objectsOf((await run(await space.load('m.yml'))).quads, name), ['a;b']);
  } finally {
    await space.close();
  }
});

test('quoted cells keep newlines, delimiters and quotes; later rows report their own line', async () => {
  const csv = 'id,name\n1,"Bogotá, D.C."\n2,"dos\nlíneas"\n3,"con ""comillas"""\n4,bad\n';
  const m = yarrrml('data.csv~csv', 'ex:$(id)', ['[ex:name, $(name)]', '[ex:n, $(id), xsd:boolean]']);
  const space = await workspace({ 'data.csv': csv, 'm.yml': m });
  try {
    const { quads, problems } = await run(await space.load('m.yml'));
    assert.equal(objectsOf(quads, name), ['Bogotá, D.C.', 'dos\nlíneas', 'con "comillas"', 'bad']);
    // ids 2, 3 and 4 are not booleans; rows start on lines 3, 5 and 6 (row 2 spans two lines).
    assert.equal(
      problems.map((problem) => [problem.kind, problem.line, problem.column]),
      [
        ['invalid-datatype-value', 3, 'id'],
        ['invalid-datatype-value', 5, 'id'],
        ['invalid-datatype-value', 6, 'id'],
      ],
    );
  } finally {
    await space.close();
  }
});

test('a ragged row is a problem with its line; its missing cells are null', async () => {
  const space = await workspace({ 'data.csv': 'id,name\n1,uno\n2\n3,tres,extra\n', 'm.yml': mapping });
  try {
    const { quads, problems, report } = await run(await space.load('m.yml'));
    assert.equal(
      problems.map((problem) => [problem.kind, problem.line]),
      [
        ['ragged-row', 3],
        ['ragged-row', 4],
      ],
    );
    assert.equal(objectsOf(quads, name), ['uno', 'tres']);
    assert.is(report.rowsRead, 3);
    assert.equal(report.problems, { 'ragged-row': 2 });
  } finally {
    await space.close();
  }
});

test('a quote never closed cuts the last row: a row error under skip-term, the run fails under fail', async () => {
  const space = await workspace({ 'data.csv': 'id,name\n1,"never closed\n2,x\n', 'm.yml': mapping });
  try {
    const plan = await space.load('m.yml');
    const { quads, problems, report } = await run(plan);
    assert.equal(problems.map((problem) => [problem.kind, problem.line, problem.column]), [['truncated-row', 2, 'name']]);
    assert.is(quads.length, 0);
    assert.is(report.rowsDropped, 1);
    await run(plan, { errorPolicy: 'fail' }).then(
      () => assert.unreachable('should fail'),
      (error: Error) => assert.match(error.message, `${space.dir}/data.csv:2:name`),
    );
  } finally {
    await space.close();
  }
});

test.run();
