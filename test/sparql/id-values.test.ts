/**
 * Comparisons by id (src/sparql/id-values.ts) against comparisons by key (fast-values.ts), the
 * exact reference: for every pair of a set of awkward terms, `=`, `<` and ORDER BY must give the
 * same answer or fail the same way.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareOrderValues, compareKeys, equalKeys, orderValue } from '../../src/sparql/fast-values.ts';
import { compareIds, DecodedIds, equalIds, type IdSource, orderValueOfId } from '../../src/sparql/id-values.ts';

const xsd = (name: string) => `http://www.w3.org/2001/XMLSchema#${name}`;
const typed = (lexical: string, type: string) => `"${lexical}"^^${xsd(type)}`;

const keys = [
  // Numbers: one value in several forms, values a double cannot tell apart, NaN, an ill-typed one.
  typed('1', 'integer'),
  typed('01', 'integer'),
  typed('1.0', 'decimal'),
  typed('1', 'double'),
  typed('1.5', 'float'),
  typed('-0.3', 'decimal'),
  typed('NaN', 'double'),
  typed('INF', 'double'),
  typed('100000000000000000.5', 'decimal'),
  typed('100000000000000000.25', 'decimal'),
  typed('100000000000000000', 'integer'),
  typed('9007199254740993', 'integer'),
  typed('9007199254740992', 'integer'),
  typed('abc', 'integer'),
  // Strings, language tags in either case, booleans written both ways, another datatype.
  '"a"',
  '"b"',
  typed('a', 'string'),
  '"a"@es',
  '"a"@ES',
  '"a"@en',
  typed('1', 'boolean'),
  typed('true', 'boolean'),
  typed('false', 'boolean'),
  typed('0', 'boolean'),
  typed('a', 'token'),
  '"x"^^http://example.org/type',
  // Dates and dateTimes with and without time zones, less and more than 14 hours apart.
  typed('2024-01-01', 'date'),
  typed('2024-01-01Z', 'date'),
  typed('2024-01-01-05:00', 'date'),
  typed('2024-01-02+09:00', 'date'),
  typed('2024-01-03', 'date'),
  typed('2024-01-01T00:00:00', 'dateTime'),
  typed('2024-01-01T05:00:00Z', 'dateTime'),
  typed('2024-01-01T00:00:00-05:00', 'dateTime'),
  typed('2024-01-01T20:00:00Z', 'dateTime'),
  typed('2024-01-02T16:00:00', 'dateTime'),
  typed('2024-02-30', 'date'),
  // IRIs and blank nodes.
  'http://example.org/x',
  'http://example.org/y',
  '_:b1',
];

/** Store ids 1…n for the first half, computed (negative) ids for the rest, as a query sees them. */
const half = Math.floor(keys.length / 2);
const idOf = (index: number) => (index < half ? index + 1 : -(index - half + 1));
const stored = new DecodedIds((id) => keys[id - 1] ?? '');
const computed = new DecodedIds((id) => keys[half + id - 1] ?? '');
const source: IdSource = {
  decoded: (id) => (id > 0 ? stored : computed),
  keyOf: (id) => (id > 0 ? keys[id - 1] : keys[half - id - 1]) ?? '',
};

/** What a comparison gave: its value, or the class of what it threw. */
function outcome(compute: () => unknown): string {
  try {
    const value = compute();
    return typeof value === 'number' ? `sign ${Math.sign(value)}` : String(value);
  } catch (error) {
    return `throws ${(error as Error).constructor.name}`;
  }
}

test('= and < by id agree with = and < by key on every pair', () => {
  let pairs = 0;
  for (const [i, a] of keys.entries()) {
    for (const [j, b] of keys.entries()) {
      const [x, y] = [idOf(i), idOf(j)];
      assert.is(source.keyOf(x), a);
      assert.is(outcome(() => equalIds(source, x, y)), outcome(() => equalKeys(a, b)), `${a} = ${b}`);
      assert.is(outcome(() => compareIds(source, x, y)), outcome(() => compareKeys(a, b)), `${a} < ${b}`);
      pairs++;
    }
  }
  assert.is(pairs, keys.length ** 2);
});

test('ORDER BY by id agrees with ORDER BY by key on every pair', () => {
  for (const [i, a] of keys.entries()) {
    for (const [j, b] of keys.entries()) {
      const byId = outcome(() => compareOrderValues(orderValueOfId(source, idOf(i)), orderValueOfId(source, idOf(j))));
      assert.is(byId, outcome(() => compareOrderValues(orderValue(a), orderValue(b))), `${a} vs ${b}`);
    }
  }
});

test.run();
