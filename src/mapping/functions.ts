/**
 * The function library for messy government data (RML-FNML): clean-up, dates, numbers, slugs
 * and codes. Each function takes named string parameters and returns strings (empty: no value);
 * a parameter the mapping gives but whose expression has no value makes the call give none.
 */

/** The namespace of Vínculo's functions and their parameters (`vfn:` in the README). */
export const vfn = 'https://w3id.org/vinculo/fn#';

export type MappingFunction = (parameters: ReadonlyMap<string, readonly string[]>) => string[];

/** Raised by a function for a value it cannot convert; becomes a row-level problem. */
export class FunctionProblem extends Error {}

function one(parameters: ReadonlyMap<string, readonly string[]>, name: string): string | undefined {
  return parameters.get(vfn + name)?.[0];
}

function required(parameters: ReadonlyMap<string, readonly string[]>, name: string): string {
  const value = one(parameters, name);
  if (value === undefined) throw new FunctionProblem(`missing parameter vfn:${name}`);
  return value;
}

/** Maps each value of `vfn:value`; an absent value or an empty result yields no result. */
function eachValue(transform: (value: string, parameters: ReadonlyMap<string, readonly string[]>) => string | undefined): MappingFunction {
  return (parameters) => {
    const results: string[] = [];
    for (const value of parameters.get(`${vfn}value`) ?? []) {
      const result = transform(value, parameters);
      // An empty result (a blank cell trimmed, "N/A" replaced by "") is no value at all.
      if (result !== undefined && result !== '') results.push(result);
    }
    return results;
  };
}

/** `yyyy-mm-dd` for a day that exists. @throws FunctionProblem naming `value` for one that does not (31/02). */
function calendarDate(year: string, month: string, day: string, value: string): string {
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCFullYear() !== Number(year) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) {
    throw new FunctionProblem(`"${value}" is not a valid calendar date`);
  }
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/** `dd/mm/yyyy`, `d/m/yyyy`, `yyyy-mm-dd`, or a Socrata floating timestamp (`2023-05-01T00:00:00.000`). */
export function toDate(value: string): string {
  const text = value.trim();
  const latin = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (latin) return calendarDate(latin[3]!, latin[2]!, latin[1]!, value);
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/.exec(text);
  if (!iso) throw new FunctionProblem(`"${value}" is not a date (dd/mm/yyyy, yyyy-mm-dd or a Socrata timestamp)`);
  return calendarDate(iso[1]!, iso[2]!, iso[3]!, value);
}

/** A Socrata floating timestamp or `dd/mm/yyyy[ hh:mm[:ss]]` to `xsd:dateTime` (no zone: floating). */
export function toDateTime(value: string): string {
  const text = value.trim();
  const socrata = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(text);
  if (socrata) {
    const [, date, time, seconds, fraction, zone] = socrata;
    const frac = fraction && /[1-9]/.test(fraction) ? fraction.replace(/0+$/, '') : '';
    return `${toDate(date!)}T${time}:${seconds ?? '00'}${frac}${zone ?? ''}`;
  }
  const latin = /^(\d{1,2}\/\d{1,2}\/\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (latin) {
    const [, date, hours, minutes, seconds] = latin;
    return `${toDate(date!)}T${(hours ?? '0').padStart(2, '0')}:${minutes ?? '00'}:${seconds ?? '00'}`;
  }
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text) ? toDate(text) : undefined;
  if (day) return `${day}T00:00:00`;
  throw new FunctionProblem(`"${value}" is not a timestamp`);
}

/** One field of a date pattern: which part of the date it holds, and the digits it accepts. */
type DateField = 'year' | 'month' | 'day' | 'hour' | 'hour12' | 'minute' | 'second' | 'fraction' | 'meridiem';

const fieldOfLetter: Readonly<Record<string, DateField>> = { y: 'year', M: 'month', m: 'month', d: 'day', H: 'hour', h: 'hour12', s: 'second', S: 'fraction', a: 'meridiem' };

interface CompiledDatePattern {
  readonly expression: RegExp;
  readonly fields: readonly DateField[];
  readonly hasTime: boolean;
}

const compiledPatterns = new Map<string, CompiledDatePattern>();

/**
 * Compiles a date pattern (`d/MM/yyyy`, `MM/dd/yyyy hh:mm:ss a`, `d/mm/yyyy H:MM`). Letters as in
 * Unicode LDML, except that exports' authors write `mm` for months and `MM` for minutes as often
 * as the reverse: an `m`/`M` run right after an hour field is minutes, anywhere else the month.
 * Every other character stands for itself; a space matches any run of white space.
 */
function compileDatePattern(pattern: string): CompiledDatePattern {
  const cached = compiledPatterns.get(pattern);
  if (cached) return cached;
  const fields: DateField[] = [];
  let source = '^';
  for (const [run] of pattern.matchAll(/([A-Za-z])\1*|\s+|[^A-Za-z\s]/g)) {
    const letter = run[0]!;
    if (/\s/.test(letter)) {
      source += '\\s+';
      continue;
    }
    if (!/[A-Za-z]/.test(letter)) {
      source += run.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
      continue;
    }
    let field = fieldOfLetter[letter];
    const previous = fields[fields.length - 1];
    if (field === 'month' && (previous === 'hour' || previous === 'hour12')) field = 'minute';
    if (!field || (field === 'year' && run.length !== 4)) throw new FunctionProblem(`vfn:pattern "${pattern}": "${run}" is not a date field (yyyy, M, d, H, h, m, s, S, a)`);
    fields.push(field);
    source += field === 'year' ? '(\\d{4})' : field === 'fraction' ? '(\\d+)' : field === 'meridiem' ? '([ap]\\.?\\s?m\\.?)' : '(\\d{1,2})';
  }
  for (const needed of ['year', 'month', 'day'] as const) {
    if (!fields.includes(needed)) throw new FunctionProblem(`vfn:pattern "${pattern}" has no ${needed}`);
  }
  if (fields.includes('hour12') !== fields.includes('meridiem')) throw new FunctionProblem(`vfn:pattern "${pattern}": a 12-hour clock (h) needs AM/PM (a), and AM/PM needs h`);
  const compiled = { expression: new RegExp(`${source}$`, 'i'), fields, hasTime: fields.includes('hour') || fields.includes('hour12') };
  compiledPatterns.set(pattern, compiled);
  return compiled;
}

const two = (number: number): string => String(number).padStart(2, '0');

/** The day an Excel serial (1900 date system) stands for, as `yyyy-mm-dd`. */
export function excelSerialToDate(value: string): string {
  const text = value.trim();
  if (!/^\d+$/.test(text)) throw new FunctionProblem(`"${value}" is not an Excel date serial (a whole number of days)`);
  const serial = Number(text);
  // Excel counts a 29 February 1900 that never was (Lotus 1-2-3's leap-year bug): serial 60
  // names no day, and every later serial is one day ahead of a plain count from 1899-12-31.
  if (serial === 60) throw new FunctionProblem(`Excel serial 60 is 1900-02-29, a day that does not exist`);
  if (serial < 1 || serial > 2958465) throw new FunctionProblem(`"${value}" is outside Excel's dates (1 = 1900-01-01 to 2958465 = 9999-12-31)`);
  const day = new Date(Date.UTC(1899, 11, serial > 60 ? 30 : 31) + serial * 86_400_000);
  return day.toISOString().slice(0, 10);
}

/**
 * Reads a date written as `pattern` says (see `compileDatePattern`), or an Excel serial with the
 * pattern `excel`: `xsd:date` when the pattern has no hour, else a floating `xsd:dateTime`.
 */
export function parseDate(value: string, pattern: string): string {
  if (pattern.trim().toLowerCase() === 'excel') return excelSerialToDate(value);
  const { expression, fields, hasTime } = compileDatePattern(pattern);
  const match = expression.exec(value.trim());
  if (!match) throw new FunctionProblem(`"${value}" does not match the date pattern "${pattern}"`);
  const parts: Partial<Record<DateField, string>> = {};
  fields.forEach((field, index) => {
    parts[field] = match[index + 1];
  });
  const date = calendarDate(parts.year!, parts.month!, parts.day!, value);
  if (!hasTime) return date;
  let hour = Number(parts.hour ?? parts.hour12);
  if (parts.meridiem !== undefined) {
    if (hour < 1 || hour > 12) throw new FunctionProblem(`"${value}": hour ${hour} on a 12-hour clock`);
    hour = (hour % 12) + (parts.meridiem.toLowerCase().startsWith('p') ? 12 : 0);
  }
  const minute = Number(parts.minute ?? 0);
  const second = Number(parts.second ?? 0);
  if (hour > 23 || minute > 59 || second > 59) throw new FunctionProblem(`"${value}" is not a valid time of day`);
  const fraction = parts.fraction?.replace(/0+$/, '') ?? '';
  return `${date}T${two(hour)}:${two(minute)}:${two(second)}${fraction === '' ? '' : `.${fraction}`}`;
}

/**
 * The 5-digit DIVIPOLA municipality code of a DANE code: `05172000` (8 digits, the municipality
 * and DANE's `000` for its head town) and `5172000` (the same with its leading zero lost) give
 * `05172`; a 4- or 5-digit code is zero-padded.
 */
export function divipolaMunicipio(value: string): string {
  const text = value.trim();
  if (/^\d{7,8}$/.test(text) && text.endsWith('000')) return text.slice(0, -3).padStart(5, '0');
  if (/^\d{4,5}$/.test(text)) return text.padStart(5, '0');
  throw new FunctionProblem(`"${value}" is not a DANE municipality code (5 digits, or 8 ending in 000)`);
}

/**
 * A number written with thousands separators, Colombian (`1.234.567,89`) or US (`1,234,567.89`),
 * to the canonical `xsd:decimal` lexical form. `decimalSeparator` (`,` or `.`) removes the
 * guess for ambiguous values such as `1.234`; without it, a lone `.` or `,` followed by exactly
 * three digits is read as a thousands separator, because that is what the portal's exports mean.
 */
const groupedBy: Readonly<Record<string, RegExp>> = { '.': /^\d{1,3}(\.\d{3})+$/, ',': /^\d{1,3}(,\d{3})+$/ };

export function toDecimal(value: string, decimalSeparator?: string): string {
  let text = value.trim().replace(/[\s\u00a0$]/g, '');
  const negative = text.startsWith('-');
  if (negative || text.startsWith('+')) text = text.slice(1);
  if (!/^[0-9.,]+$/.test(text) || !/[0-9]/.test(text)) throw new FunctionProblem(`"${value}" is not a number`);
  let separator = decimalSeparator;
  if (separator === undefined) {
    const lastDot = text.lastIndexOf('.');
    const lastComma = text.lastIndexOf(',');
    if (lastDot >= 0 && lastComma >= 0) separator = lastDot > lastComma ? '.' : ',';
    else {
      const mark = lastDot >= 0 ? '.' : lastComma >= 0 ? ',' : undefined;
      if (mark === undefined) separator = '.';
      else {
        const count = text.split(mark).length - 1;
        const groupsOfThree = groupedBy[mark]!.test(text);
        separator = count > 1 || groupsOfThree ? (mark === '.' ? ',' : '.') : mark;
      }
    }
  }
  if (separator !== '.' && separator !== ',') throw new FunctionProblem(`vfn:decimalSeparator must be "." or ",", not "${separator}"`);
  const thousands = separator === ',' ? '.' : ',';
  const [integer = '', fraction = '', ...rest] = text.split(separator);
  if (rest.length > 0) throw new FunctionProblem(`"${value}" has more than one decimal separator`);
  if (integer.includes(thousands) && !groupedBy[thousands]!.test(integer)) {
    throw new FunctionProblem(`"${value}" has misplaced thousands separators`);
  }
  if (fraction.includes(thousands)) throw new FunctionProblem(`"${value}" has a separator in its fraction`);
  const digits = integer.split(thousands).join('').replace(/^0+(?=\d)/, '') || '0';
  const decimals = fraction.replace(/0+$/, '');
  const sign = negative && /[1-9]/.test(digits + decimals) ? '-' : '';
  return `${sign}${digits}${decimals === '' ? '' : `.${decimals}`}`;
}

/** Like `toDecimal`, refusing a fractional part: `2.427.129` → `2427129`. */
export function toInteger(value: string, decimalSeparator?: string): string {
  const decimal = toDecimal(value, decimalSeparator);
  if (decimal.includes('.')) throw new FunctionProblem(`"${value}" is not an integer`);
  return decimal;
}

/** Lowercase ASCII, accents stripped, runs of anything else as one `-`: `Bogotá, D.C.` → `bogota-d-c`. */
export function slug(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Left-pads a code with zeros to `width` digits (DIVIPOLA `5001` → `05001`). */
export function zeroPad(value: string, width: number): string {
  const text = value.trim();
  if (!/^\d+$/.test(text)) throw new FunctionProblem(`"${value}" is not a numeric code`);
  return text.padStart(width, '0');
}

function intParameter(parameters: ReadonlyMap<string, readonly string[]>, name: string): number {
  const text = required(parameters, name);
  const number = Number(text);
  if (!Number.isInteger(number) || number < 0) throw new FunctionProblem(`vfn:${name} must be a non-negative integer, not "${text}"`);
  return number;
}

/**
 * A call whose given parameter has no value (a null cell, an inner function that failed or gave
 * nothing) has no value itself: `concat("kos/divipola/", <failed>)` must not mint `kos/divipola/`.
 * A parameter the mapping leaves out is still absent, and the function's default applies.
 */
function withoutMissingParts(implementation: MappingFunction): MappingFunction {
  return (parameters) => {
    for (const values of parameters.values()) if (values.length === 0) return [];
    return implementation(parameters);
  };
}

const library: ReadonlyArray<readonly [string, MappingFunction]> = [
  [`${vfn}trim`, eachValue((value) => value.trim().replace(/\s+/g, ' '))],
  [`${vfn}lowerCase`, eachValue((value) => value.toLocaleLowerCase('es'))],
  [`${vfn}upperCase`, eachValue((value) => value.toLocaleUpperCase('es'))],
  [
    `${vfn}titleCase`,
    eachValue((value) => value.toLocaleLowerCase('es').replace(/(^|[\s\-(])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toLocaleUpperCase('es'))),
  ],
  [
    `${vfn}replace`,
    eachValue((value, parameters) => {
      const pattern = required(parameters, 'pattern');
      let expression: RegExp;
      try {
        expression = new RegExp(pattern, 'gu');
      } catch {
        throw new FunctionProblem(`vfn:pattern is not a regular expression: ${pattern}`);
      }
      return value.replace(expression, one(parameters, 'replacement') ?? '');
    }),
  ],
  [
    `${vfn}split`,
    (parameters) => {
      const separator = one(parameters, 'separator') ?? ',';
      return (parameters.get(`${vfn}value`) ?? []).flatMap((value) => value.split(separator).map((part) => part.trim())).filter((part) => part !== '');
    },
  ],
  [
    `${vfn}concat`,
    (parameters) => {
      const values = [...(parameters.get(`${vfn}value`) ?? []), ...(parameters.get(`${vfn}value2`) ?? []), ...(parameters.get(`${vfn}value3`) ?? [])];
      return values.length === 0 ? [] : [values.join(one(parameters, 'separator') ?? '')];
    },
  ],
  [`${vfn}toDate`, eachValue((value) => (value.trim() === '' ? undefined : toDate(value)))],
  [`${vfn}toDateTime`, eachValue((value) => (value.trim() === '' ? undefined : toDateTime(value)))],
  [`${vfn}toDecimal`, eachValue((value, parameters) => (value.trim() === '' ? undefined : toDecimal(value, one(parameters, 'decimalSeparator'))))],
  [`${vfn}toInteger`, eachValue((value, parameters) => (value.trim() === '' ? undefined : toInteger(value, one(parameters, 'decimalSeparator'))))],
  [`${vfn}slug`, eachValue((value) => slug(value) || undefined)],
  [`${vfn}zeroPad`, eachValue((value, parameters) => (value.trim() === '' ? undefined : zeroPad(value, intParameter(parameters, 'width'))))],
  [`${vfn}parseDate`, eachValue((value, parameters) => (value.trim() === '' ? undefined : parseDate(value, required(parameters, 'pattern'))))],
  [`${vfn}divipolaMunicipio`, eachValue((value) => (value.trim() === '' ? undefined : divipolaMunicipio(value)))],
];

/** The registry: function IRI → implementation. */
export const functions: ReadonlyMap<string, MappingFunction> = new Map(library.map(([iri, implementation]) => [iri, withoutMissingParts(implementation)]));
