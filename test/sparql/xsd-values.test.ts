/** Exact XSD values of the fast path: decimal and integer arithmetic, promotion, time zones. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareDateTimes, equalDateTimes, parseDateTime, xsdDate, xsdDateTime } from '../../src/sparql/xsd-datetime.ts';
import { arithmetic, compareNumeric, type Numeric, NumericSum, numericLexical, parseNumeric, smallExact, xsdDecimal, xsdInteger } from '../../src/sparql/xsd-numeric.ts';

const xsd = (name: string) => `http://www.w3.org/2001/XMLSchema#${name}`;
const number = (lexical: string, type = 'decimal'): Numeric => {
  const value = parseNumeric(lexical, xsd(type));
  if (!value) throw new Error(`not a ${type}: ${lexical}`);
  return value;
};
const written = (value: Numeric | undefined) => (value ? `${numericLexical(value)} ${value.type}` : 'error');

test('decimal arithmetic is exact: no binary floating point for money', () => {
  assert.is(written(arithmetic('+', number('0.1'), number('0.2'))), '0.3 decimal');
  assert.is(written(arithmetic('-', number('1000000000000000000000.01'), number('0.02'))), '999999999999999999999.99 decimal');
  assert.is(written(arithmetic('*', number('19.99'), number('3', 'integer'))), '59.97 decimal');
  // An integer division is a decimal, cut after 18 digits (as Oxigraph does).
  assert.is(written(arithmetic('/', number('2', 'integer'), number('3', 'integer'))), '0.666666666666666666 decimal');
  assert.is(written(arithmetic('/', number('1'), number('0'))), 'error');
});

test('integers beyond 2^53 keep every digit; doubles follow IEEE', () => {
  assert.is(written(arithmetic('+', number('9007199254740993', 'integer'), number('1', 'integer'))), '9007199254740994 integer');
  assert.is(compareNumeric(number('9007199254740993', 'integer'), number('9007199254740992', 'integer')), 1);
  // Promotion to double: the decimal 0.1 is the double 0.1, and the sum is the double's.
  assert.is(written(arithmetic('+', number('0.1'), number('0.2', 'double'))), '0.30000000000000004 double');
  assert.is(compareNumeric(number('0.1'), number('0.1', 'double')), 0);
  assert.ok(Number.isNaN(compareNumeric(number('NaN', 'double'), number('1', 'integer'))));
});

test('SUM stays exact over many cents, and becomes a double when a double arrives', () => {
  const sum = new NumericSum();
  for (let index = 0; index < 10_000; index++) sum.add(number('0.01'));
  sum.add(number('12345678901234567890.10'));
  assert.is(written(sum.value), '12345678901234567990.1 decimal');
  const mixed = new NumericSum();
  mixed.add(number('1', 'integer'));
  mixed.add(number('0.5', 'double'));
  assert.is(written(mixed.value), '1.5 double');
});

test('SUM in plain numbers (addExact) gives what the BigInt sum gives, past the safe range and across scales', () => {
  const values: [string, 'integer' | 'decimal'][] = [
    ['5', 'integer'],
    ['0.25', 'decimal'],
    ['-12.5', 'decimal'],
    ['999999999999999', 'integer'],
    ['999999999999999', 'integer'],
    ['0.001', 'decimal'],
    ['-007', 'integer'],
    ['+.5', 'decimal'],
    ['-0.00', 'decimal'],
  ];
  const exactWay = new NumericSum();
  const plainWay = new NumericSum();
  for (const [lexical, type] of values) {
    exactWay.add(number(lexical, type));
    const small = smallExact(lexical, type === 'integer' ? xsdInteger : xsdDecimal);
    if (!small) throw new Error(`not small: ${lexical}`);
    plainWay.addExact(small.type, small.units, small.scale);
    assert.is(written(plainWay.value), written(exactWay.value), `after ${lexical}`);
  }
  assert.is(written(plainWay.value), '1999999999999984.251 decimal');
  // Integers only stay integers; sixteen digits, other types and invalid forms are not small.
  const integers = new NumericSum();
  integers.addExact('integer', 2, 0);
  assert.is(written(integers.value), '2 integer');
  assert.is(smallExact('1234567890123456', xsdInteger), undefined);
  assert.is(smallExact('1.5', 'http://www.w3.org/2001/XMLSchema#double'), undefined);
  assert.is(smallExact('1.5', xsdInteger), undefined);
  assert.equal(smallExact('0001234567890.12345', xsdDecimal), { type: 'decimal', units: 123456789012345, scale: 5 });
});

test('times with and without zones: instants compare, unzoned ones only more than 14 hours away', () => {
  const at = (lexical: string, datatype = xsdDateTime) => {
    const value = parseDateTime(lexical, datatype);
    if (!value) throw new Error(`not a time: ${lexical}`);
    return value;
  };
  assert.is(compareDateTimes(at('2024-01-01T05:00:00Z'), at('2024-01-01T00:00:00-05:00')), 0);
  assert.ok(equalDateTimes(at('2024-01-01T05:00:00Z'), at('2024-01-01T00:00:00-05:00')));
  assert.is(compareDateTimes(at('2024-01-01T23:00:00-05:00'), at('2024-01-02T00:00:00Z')), 1);
  assert.is(compareDateTimes(at('2024-01-01T00:00:00'), at('2024-01-01T05:00:00Z')), undefined);
  assert.is(compareDateTimes(at('2024-01-01T00:00:00'), at('2024-01-01T15:00:00Z')), -1);
  assert.not.ok(equalDateTimes(at('2024-01-01T00:00:00'), at('2024-01-01T00:00:00Z')));
  assert.is(compareDateTimes(at('2024-03-01', xsdDate), at('2024-02-29', xsdDate)), 1);
  assert.is(parseDateTime('2023-02-29', xsdDate), undefined);
  assert.is(parseDateTime('2024-01-01T00:00:00+15:00', xsdDateTime), undefined);
});

test.run();
