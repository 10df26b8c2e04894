/** Source encodings: invalid UTF-8 reported per sequence at file:line:column, never a silent switch to Windows-1252; real Latin-1 still detected. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MappingError } from '../../src/mapping/index.ts';
import { decodeChunks, type InvalidSequence } from '../../src/mapping/read-text.ts';
import { random } from '../support/random.ts';
import { objectsOf, run, workspace, yarrrml } from './helpers.ts';

const mapping = yarrrml('data.csv~csv', 'ex:$(id)', ['[ex:municipio, $(municipio)]', '[ex:barrio, $(barrio)]']);
const municipio = 'http://example.org/municipio';
const barrio = 'http://example.org/barrio';
/** `É` as Windows-1252 writes it: one byte that cannot start a UTF-8 sequence followed by `N`. */
const latin1E = Buffer.from([0xc9]);

interface BuiltCsv {
  readonly bytes: Buffer;
  /** Per broken row: its line and the offset of its bad byte. */
  readonly broken: ReadonlyArray<{ readonly line: number; readonly byteOffset: number }>;
}

/** `id,municipio,barrio` rows of UTF-8 `BELÉN`; the rows in `brokenRows` spell it with a Windows-1252 `É`. */
function buildCsv(rows: number, brokenRows: ReadonlySet<number>): BuiltCsv {
  const parts: Buffer[] = [Buffer.from('id,municipio,barrio\n')];
  let length = parts[0]!.length;
  const broken: Array<{ line: number; byteOffset: number }> = [];
  for (let id = 1; id <= rows; id++) {
    const row = brokenRows.has(id)
      ? Buffer.concat([Buffer.from(`${id},BEL`), latin1E, Buffer.from('N,Centro\n')])
      : Buffer.from(`${id},BELÉN,Güemes ${id % 7}\n`);
    if (brokenRows.has(id)) broken.push({ line: id + 1, byteOffset: length + `${id},BEL`.length });
    parts.push(row);
    length += row.length;
  }
  return { bytes: Buffer.concat(parts), broken };
}

function noMojibake(values: readonly string[]): void {
  for (const value of values) assert.not.match(value, /Ã|Â|\uFFFD/, `"${value}" was decoded with the wrong encoding`);
}

test('a UTF-8 file with 4 bad bytes in its first lines stays UTF-8: each bad byte is reported, every other value intact', async () => {
  const { bytes, broken } = buildCsv(653, new Set([2, 3, 5, 8]));
  const space = await workspace({ 'data.csv': bytes, 'm.yml': mapping });
  try {
    const { quads, problems, report } = await run(await space.load('m.yml'));
    assert.equal(
      problems.map((problem) => [problem.file, problem.kind, problem.line, problem.column]),
      broken.map(({ line }) => [join(space.dir, 'data.csv'), 'invalid-encoding', line, 'municipio']),
    );
    assert.equal(
      problems.map((problem) => problem.message),
      broken.map(({ byteOffset }) => `bytes C9 at byte ${byteOffset} are not UTF-8`),
    );
    const names = objectsOf(quads, municipio);
    noMojibake([...names, ...objectsOf(quads, barrio)]);
    assert.is(names.length, 653 - broken.length);
    assert.ok(names.every((name) => name === 'BELÉN'));
    // skip-term drops only the bad cell: the broken rows keep their other column.
    assert.is(objectsOf(quads, barrio).filter((name) => name === 'Centro').length, broken.length);
    assert.equal(report.problems, { 'invalid-encoding': broken.length });
  } finally {
    await space.close();
  }
});

test('one bad byte after the first MiB is reported at its row under each policy, not published as U+FFFD', async () => {
  const rows = 50_000;
  const { bytes, broken } = buildCsv(rows, new Set([rows - 10]));
  assert.ok(broken[0]!.byteOffset > 1 << 20, 'the bad byte lies beyond the first MiB');
  const space = await workspace({ 'data.csv': bytes, 'm.yml': mapping });
  try {
    const plan = await space.load('m.yml');
    const skipTerm = await run(plan);
    assert.equal(
      skipTerm.problems.map((problem) => [problem.kind, problem.line, problem.column]),
      [['invalid-encoding', broken[0]!.line, 'municipio']],
    );
    const names = objectsOf(skipTerm.quads, municipio);
    noMojibake(names);
    assert.is(names.length, rows - 1);

    const skipRow = await run(plan, { errorPolicy: 'skip-row' });
    assert.is(skipRow.report.rowsDropped, 1);
    assert.is(objectsOf(skipRow.quads, barrio).length, rows - 1);

    await run(plan, { errorPolicy: 'fail' }).then(
      () => assert.unreachable('fail must stop at the bad byte'),
      (error: Error) => {
        assert.instance(error, MappingError);
        assert.ok(error.message.startsWith(`${join(space.dir, 'data.csv')}:${broken[0]!.line}:municipio`), error.message);
      },
    );
  } finally {
    await space.close();
  }
});

test('a Latin-1 police TSV export is still detected and decoded', async () => {
  const tsv = await readFile(new URL('fixtures/delitos-latin1.tsv', import.meta.url));
  const m = yarrrml('delitos.tsv~csv', 'ex:$(FECHA HECHO)-$(MUNICIPIO)', ['[ex:municipio, $(MUNICIPIO)]', '[ex:departamento, $(DEPARTAMENTO)]']).replace(
    "      - ['delitos.tsv~csv']",
    '      - access: delitos.tsv\n        referenceFormulation: csv\n        delimiter: "\\t"',
  );
  const space = await workspace({ 'delitos.tsv': tsv, 'm.yml': m });
  try {
    const { quads, problems } = await run(await space.load('m.yml'));
    assert.equal(problems, []);
    assert.equal(objectsOf(quads, municipio), ['MEDELLÍN (CT)', 'BOGOTÁ D.C. (CT)', 'CÚCUTA (CT)', 'IBAGUÉ (CT)', 'SAN ANDRÉS DE TUMACO']);
    assert.ok(objectsOf(quads, 'http://example.org/departamento').includes('NARIÑO'));
  } finally {
    await space.close();
  }
});

test('a large Windows-1252 file whose first accent comes after 1 MiB of ASCII is decoded as Windows-1252 throughout', async () => {
  const ascii = Array.from({ length: 70_000 }, (_, index) => `${index + 1},MEDELLIN,Centro\n`).join('');
  const accented = Array.from({ length: 30_000 }, (_, index) => `${70_001 + index},IBAGU\xc9,Pe\xf1alosa\n`).join('');
  const bytes = Buffer.concat([Buffer.from('id,municipio,barrio\n'), Buffer.from(ascii), Buffer.from(accented, 'latin1')]);
  assert.ok(ascii.length > 1 << 20);
  const space = await workspace({ 'data.csv': bytes, 'm.yml': mapping });
  try {
    const { quads, problems } = await run(await space.load('m.yml'));
    assert.equal(problems, []);
    const names = objectsOf(quads, municipio);
    assert.is(names.filter((name) => name === 'IBAGUÉ').length, 30_000);
    assert.is(objectsOf(quads, barrio).filter((name) => name === 'Peñalosa').length, 30_000);
  } finally {
    await space.close();
  }
});

test('UTF-8 turning up in a file being read as Windows-1252 stops the run instead of publishing mojibake', async () => {
  const latin1 = Array.from({ length: 60_000 }, (_, index) => `${index + 1},IBAGU\xc9,Centro\n`).join('');
  const bytes = Buffer.concat([Buffer.from('id,municipio,barrio\n'), Buffer.from(latin1, 'latin1'), Buffer.from('60001,BELÉN,Centro\n')]);
  const space = await workspace({ 'data.csv': bytes, 'm.yml': mapping });
  try {
    await run(await space.load('m.yml')).then(
      () => assert.unreachable('the run must stop'),
      (error: Error) => {
        assert.instance(error, MappingError);
        assert.match(error.message, `bytes C3 89 at byte ${bytes.length - 'N,Centro\n'.length - 2} are UTF-8`);
        assert.match(error.message, 'declare the source');
      },
    );
  } finally {
    await space.close();
  }
});

test('JSON: a value with bytes that are not UTF-8 is refused with their line:column, the others kept', async () => {
  const json = Buffer.concat([Buffer.from('[\n  {"id": 1, "municipio": "BELÉN"},\n  {"id": 2, "municipio": "BEL'), latin1E, Buffer.from('N"}\n]\n')]);
  const m = yarrrml('data.json~jsonpath', 'ex:$(id)', ['[ex:municipio, $(municipio)]']).replace("['data.json~jsonpath']", "['data.json~jsonpath', '$[*]']");
  const space = await workspace({ 'data.json': json, 'm.yml': m });
  try {
    const { quads, problems } = await run(await space.load('m.yml'));
    assert.equal(objectsOf(quads, municipio), ['BELÉN']);
    assert.equal(
      problems.map((problem) => [problem.kind, problem.column]),
      [['invalid-encoding', 'municipio']],
    );
    // Line 3, after `  {"id": 2, "municipio": "BEL` (29 characters).
    assert.match(problems[0]!.message, 'bytes C9 at 3:30');
  } finally {
    await space.close();
  }
});

test('property: chunked decoding gives TextDecoder\'s text, announcing exactly its replacements, wherever chunks are cut', async () => {
  const alphabet = [[0x61], [0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80], [0xc9], [0xe2, 0x82], [0xef, 0xbf, 0xbd], [0x80], [0xed, 0xa0, 0x80], [0x0a]];
  for (let seed = 1; seed <= 300; seed++) {
    const next = random(seed);
    const bytes = Buffer.from([...Array.from({ length: Math.floor(next() * 30) }, () => alphabet[Math.floor(next() * alphabet.length)]!).flat()]);
    const chunks: Buffer[] = [];
    for (let at = 0; at < bytes.length; ) {
      const size = 1 + Math.floor(next() * 5);
      chunks.push(bytes.subarray(at, at + size));
      at += size;
    }
    const announced: Array<InvalidSequence | undefined> = [];
    let text = '';
    for await (const piece of decodeChunks(chunks, { encoding: 'utf-8', onReplacement: (sequence) => announced.push(sequence) })) text += piece;
    const expected = new TextDecoder('utf-8').decode(bytes);
    assert.is(text, expected, `seed ${seed}`);
    assert.is(announced.length, expected.split('\uFFFD').length - 1, `seed ${seed}: one announcement per U+FFFD`);
    let own = 0;
    for (let at = bytes.indexOf('\uFFFD'); at !== -1; at = bytes.indexOf('\uFFFD', at + 1)) own++;
    assert.is(announced.filter((sequence) => sequence === undefined).length, own, `seed ${seed}: the file's own U+FFFD are not errors`);
  }
});

test.run();
