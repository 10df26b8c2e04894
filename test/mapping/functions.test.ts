/** The function library: dates, numbers in both conventions, slugs, zero-padding, and their use from YARRRML. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FunctionProblem, slug, toDate, toDateTime, toDecimal, toInteger, zeroPad } from '../../src/mapping/functions.ts';
import { objectsOf, run, workspace, yarrrml } from './helpers.ts';

const isProblem = (error: Error) => error instanceof FunctionProblem;

test('toDate reads dd/mm/yyyy, yyyy-mm-dd and Socrata floating timestamps', () => {
  assert.is(toDate('05/03/2021'), '2021-03-05');
  assert.is(toDate('5/3/2021'), '2021-03-05');
  assert.is(toDate('2021-03-05'), '2021-03-05');
  assert.is(toDate('2021-03-05T00:00:00.000'), '2021-03-05');
  assert.throws(() => toDate('31/02/2021'), isProblem);
  assert.throws(() => toDate('2021/03/05'), isProblem);
});

test('toDateTime keeps Socrata floating time and drops zero fractions', () => {
  assert.is(toDateTime('2023-05-01T13:45:00.000'), '2023-05-01T13:45:00');
  assert.is(toDateTime('2023-05-01T13:45:07.250'), '2023-05-01T13:45:07.25');
  assert.is(toDateTime('01/05/2023 7:05'), '2023-05-01T07:05:00');
  assert.is(toDateTime('2023-05-01'), '2023-05-01T00:00:00');
  assert.throws(() => toDateTime('ayer'), isProblem);
});

test('toDecimal reads Colombian and US thousands separators', () => {
  assert.is(toDecimal('1.234.567,89'), '1234567.89');
  assert.is(toDecimal('1,234,567.89'), '1234567.89');
  assert.is(toDecimal('2.427.129'), '2427129');
  assert.is(toDecimal('6,25'), '6.25');
  assert.is(toDecimal('-0,50'), '-0.5');
  assert.is(toDecimal('$ 1.000'), '1000');
  // Ambiguous without a hint (read as thousands); the hint settles it.
  assert.is(toDecimal('1.234'), '1234');
  assert.is(toDecimal('1.234', '.'), '1.234');
  assert.is(toDecimal('1,5', ','), '1.5');
  assert.throws(() => toDecimal('1.23.4'), isProblem);
  assert.throws(() => toDecimal('12a'), isProblem);
  assert.throws(() => toDecimal('1,2,3.4,5'), isProblem);
});

test('toInteger refuses fractions', () => {
  assert.is(toInteger('19.163', ','), '19163');
  assert.throws(() => toInteger('19,5', ','), isProblem);
});

test('slug strips accents and joins words with "-"', () => {
  assert.is(slug('Bogotá, D.C.'), 'bogota-d-c');
  assert.is(slug('  Cartagena de Indias '), 'cartagena-de-indias');
  assert.is(slug('Ñuñoa — Ü'), 'nunoa-u');
});

test('zeroPad restores DIVIPOLA leading zeros', () => {
  assert.is(zeroPad('5001', 5), '05001');
  assert.is(zeroPad('11001', 5), '11001');
  assert.throws(() => zeroPad('50a', 5), isProblem);
});

test('functions from YARRRML: values, datatypes, and a bad value as a problem with line and column', async () => {
  const m = yarrrml('data.csv~csv', 'id/municipio/$(code)', [
    `p: ex:code
        o:
          function: vfn:zeroPad
          parameters:
            - [vfn:value, $(code)]
            - [vfn:width, "5"]`,
    `p: ex:date
        o:
          function: vfn:toDate
          parameters:
            - [vfn:value, $(fecha)]
          datatype: xsd:date`,
    `p: ex:slug
        o:
          function: vfn:slug
          parameters:
            - [vfn:value, $(name)]`,
  ]);
  const space = await workspace({ 'data.csv': 'code,fecha,name\n5001,05/03/2021,Medellín\n8001,31/02/2021,Barranquilla\n', 'm.yml': m });
  try {
    const { quads, problems } = await run(await space.load('m.yml'));
    assert.equal(objectsOf(quads, 'http://example.org/code'), ['05001', '08001']);
    assert.equal(objectsOf(quads, 'http://example.org/date'), ['2021-03-05^^xsd:date']);
    assert.equal(objectsOf(quads, 'http://example.org/slug'), ['medellin', 'barranquilla']);
    assert.equal(
      problems.map((problem) => [problem.kind, problem.line, problem.column]),
      [['invalid-value', 3, 'fecha']],
    );
  } finally {
    await space.close();
  }
});

test.run();
