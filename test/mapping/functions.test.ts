/** The function library: dates (ISO, patterns, Excel serials), numbers in both conventions, slugs, codes, null parts, and their use from YARRRML. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { divipolaMunicipio, FunctionProblem, parseDate, slug, toDate, toDateTime, toDecimal, toInteger, zeroPad } from '../../src/mapping/functions.ts';
import { base, objectsOf, run, workspace, yarrrml } from './helpers.ts';

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

test('parseDate reads the pattern it is given: day- or month-first, 24-hour or AM/PM', () => {
  assert.is(parseDate('6/03/2020', 'd/MM/yyyy'), '2020-03-06');
  assert.is(parseDate('06/03/2020', 'dd/mm/yyyy'), '2020-03-06', 'mm before any hour is the month');
  assert.is(parseDate('31-12-2015', 'dd-MM-yyyy'), '2015-12-31');
  // Socrata's US exports: month first, 12-hour clock; 12 AM is midnight and 12 PM noon.
  assert.is(parseDate('01/31/2020 12:00:00 AM', 'MM/dd/yyyy hh:mm:ss a'), '2020-01-31T00:00:00');
  assert.is(parseDate('01/31/2020 12:30:00 PM', 'MM/dd/yyyy hh:mm:ss a'), '2020-01-31T12:30:00');
  assert.is(parseDate('01/31/2020 1:05:09 pm', 'MM/dd/yyyy hh:mm:ss a'), '2020-01-31T13:05:09');
  assert.is(parseDate('1/01/1996 0:00', 'd/mm/yyyy H:MM'), '1996-01-01T00:00:00', 'MM right after the hour is minutes');
  assert.is(parseDate('1/01/1996 23:59', 'd/MM/yyyy H:mm'), '1996-01-01T23:59:00');
  for (const [value, pattern] of [
    ['2020-01-31', 'd/MM/yyyy'],
    ['31/01/2020', 'MM/dd/yyyy'],
    ['29/02/2021', 'dd/MM/yyyy'],
    ['01/31/2020 13:00:00 PM', 'MM/dd/yyyy hh:mm:ss a'],
    ['1/01/1996 24:00', 'd/MM/yyyy H:mm'],
  ]) {
    assert.throws(() => parseDate(value!, pattern!), isProblem, `${value} with ${pattern}`);
  }
  assert.throws(() => parseDate('01/31/2020', 'MM/dd/yy'), (error: Error) => isProblem(error) && /yy/.test(error.message));
  assert.throws(() => parseDate('01/31/2020 1:00', 'MM/dd/yyyy h:mm'), (error: Error) => isProblem(error) && /AM\/PM/.test(error.message));
});

test('parseDate "excel": 1900 serials with the fictitious 1900-02-29 at serial 60', () => {
  // 1 is 1900-01-01 and 59 is 1900-02-28; Excel's serial 60 shows 1900-02-29, so 61 is 1 March.
  assert.is(parseDate('1', 'excel'), '1900-01-01');
  assert.is(parseDate('59', 'excel'), '1900-02-28');
  assert.throws(() => parseDate('60', 'excel'), (error: Error) => isProblem(error) && /1900-02-29/.test(error.message));
  assert.is(parseDate('61', 'excel'), '1900-03-01');
  assert.is(parseDate('40123', 'excel'), '2009-11-06');
  // Counting days from 1899-12-30 for every serial after 60, independently of the implementation.
  const days = (serial: number) => new Date(Date.UTC(1899, 11, 30 + serial)).toISOString().slice(0, 10);
  for (const serial of [61, 366, 43831, 2958465]) assert.is(parseDate(String(serial), 'EXCEL'), days(serial));
  for (const bad of ['0', '40123.5', '-1', '2958466', 'x']) assert.throws(() => parseDate(bad, 'excel'), isProblem, bad);
});

test('divipolaMunicipio strips DANE\'s 000 suffix and restores a lost leading zero', () => {
  assert.is(divipolaMunicipio('05172000'), '05172');
  assert.is(divipolaMunicipio('5172000'), '05172');
  assert.is(divipolaMunicipio('11001'), '11001');
  assert.is(divipolaMunicipio('5001'), '05001');
  for (const bad of ['05172001', '051', 'abc', '0517200000']) assert.throws(() => divipolaMunicipio(bad), isProblem, bad);
});

test('a function chain with a null or failed part gives no term, and a template with an empty part no IRI', async () => {
  const m = yarrrml('data.csv~csv', 'id/registro/$(id)', [
    `p: ex:municipio
        o:
          function: vfn:concat
          parameters:
            - [vfn:value, "kos/divipola/"]
            - parameter: vfn:value2
              value:
                function: vfn:divipolaMunicipio
                parameters:
                  - [vfn:value, $(dane)]
          type: iri`,
    `p: ex:fecha
        o:
          function: vfn:parseDate
          parameters:
            - [vfn:value, $(fecha)]
            - [vfn:pattern, "d/MM/yyyy H:mm"]
          datatype: xsd:dateTime`,
    `p: ex:departamento
        o:
          value: kos/divipola/$(departamento)
          type: iri`,
  ]);
  const csv = 'id,dane,fecha,departamento\n1,05172000,1/01/1996 0:00,05\n2,,2/01/1996 7:30,\n3,x,2020-01-31,05\n';
  const space = await workspace({ 'data.csv': csv, 'm.yml': m });
  try {
    const { quads, problems } = await run(await space.load('m.yml'));
    // Row 2's code is empty and row 3's is not a code: neither may mint <kos/divipola/>.
    assert.equal(objectsOf(quads, 'http://example.org/municipio'), [`${base}kos/divipola/05172`]);
    assert.equal(objectsOf(quads, 'http://example.org/departamento'), [`${base}kos/divipola/05`, `${base}kos/divipola/05`]);
    assert.equal(objectsOf(quads, 'http://example.org/fecha'), ['1996-01-01T00:00:00^^xsd:dateTime', '1996-01-02T07:30:00^^xsd:dateTime']);
    assert.equal(
      problems.map((problem) => [problem.kind, problem.line, problem.column]),
      [
        ['invalid-value', 4, 'dane'],
        ['invalid-value', 4, 'fecha'],
      ],
    );
  } finally {
    await space.close();
  }
});

test.run();
