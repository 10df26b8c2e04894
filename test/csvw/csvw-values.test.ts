/** CSVW cell parsing and URI templates: number patterns, date formats, booleans, constraints, RFC 6570. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { builtinDatatypes, type CsvwDatatype, parseCellValue } from '../../src/mapping/csvw-datatypes.ts';
import { expandUriTemplate } from '../../src/mapping/csvw-uri-template.ts';

function type(base: string, extra: Partial<CsvwDatatype> = {}): CsvwDatatype {
  return { base, iri: builtinDatatypes.get(base)!, ...extra };
}

function lexical(text: string, datatype: CsvwDatatype): string | undefined {
  const parsed = parseCellValue(text, datatype);
  return parsed.ok ? parsed.lexical : undefined;
}

test('numbers with LDML patterns: grouping sizes, minimum digits, percent', () => {
  assert.is(lexical('12,34,567', type('integer', { format: { pattern: '#,##,#00' } })), '1234567');
  assert.is(lexical('1,234,567', type('integer', { format: { pattern: '#,##,#00' } })), undefined, 'secondary grouping is 2');
  assert.is(lexical('1', type('integer', { format: { pattern: '#,#00' } })), undefined, 'two integer digits at least');
  assert.is(lexical('1.2', type('decimal', { format: { pattern: '#0.0#' } })), '1.2');
  assert.is(lexical('1.234', type('decimal', { format: { pattern: '#0.0#' } })), undefined, 'at most two fraction digits');
  assert.is(lexical('-123%', type('decimal', { format: { pattern: '000%' } })), '-1.23');
  assert.is(lexical('‰123', type('decimal', { format: { pattern: '‰000' } })), '0.123');
});

test('numbers with decimalChar/groupChar, ranges of derived integer types, INF', () => {
  assert.is(lexical('1.234.567,89', type('decimal', { format: { decimalChar: ',', groupChar: '.' } })), '1234567.89');
  assert.is(lexical('123,,456', type('decimal', { format: { groupChar: ',' } })), undefined, 'two group characters in a row');
  assert.is(lexical('128', type('byte')), undefined);
  assert.is(lexical('-128', type('byte')), '-128');
  assert.is(lexical('-1', type('nonNegativeInteger')), undefined);
  assert.is(lexical('INF', type('double')), 'INF');
  assert.is(lexical('1.5', type('integer')), undefined);
});

test('dates and times with formats become XSD lexical forms', () => {
  assert.is(lexical('3/22/2015', type('date', { format: 'M/d/yyyy' })), '2015-03-22');
  assert.is(lexical('22.03.2015 +0530', type('date', { format: 'dd.MM.yyyy XX' })), '2015-03-22+05:30');
  assert.is(lexical('15-3-2015 1502', type('dateTime', { format: 'd-M-yyyy HHmm' })), '2015-03-15T15:02:00');
  assert.is(lexical('15:02:37.14', type('time', { format: 'HH:mm:ss.SS' })), '15:02:37.14');
  assert.is(lexical('2015-02-30x', type('date')), undefined);
  assert.is(lexical('13/22/2015', type('date', { format: 'M/d/yyyy' })), undefined, 'no month 13');
});

test('booleans with a format, other types with a regular expression, length and range constraints', () => {
  assert.is(lexical('Y', type('boolean', { format: 'Y|N' })), 'true');
  assert.is(lexical('N', type('boolean', { format: 'Y|N' })), 'false');
  assert.is(lexical('1', type('boolean')), 'true');
  assert.is(lexical('P1D', type('dayTimeDuration', { format: '^-?P.DT.*$' })), undefined);
  assert.is(lexical('abc', type('string', { minLength: 4 })), undefined);
  assert.is(lexical('abcd', type('string', { length: 4 })), 'abcd');
  assert.is(lexical('10', type('integer', { maximum: '9' })), undefined);
  assert.is(lexical('2015-01-01', type('date', { minExclusive: '2015-01-01' })), undefined);
});

test('URI templates: simple, reserved, fragment, query and list expansion (RFC 6570)', () => {
  const variables = (name: string) => ({ var: 'value', hello: 'Hello World!', path: '/foo/bar', list: ['red', 'green'] })[name];
  assert.is(expandUriTemplate('{var}', variables), 'value');
  assert.is(expandUriTemplate('{hello}', variables), 'Hello%20World%21');
  assert.is(expandUriTemplate('{+path}/here', variables), '/foo/bar/here');
  assert.is(expandUriTemplate('X{#hello}', variables), 'X#Hello%20World!');
  assert.is(expandUriTemplate('{?var,missing}', variables), '?var=value');
  assert.is(expandUriTemplate('{/list*}', variables), '/red/green');
  assert.is(expandUriTemplate('{list}', variables), 'red,green');
});

test.run();
