/**
 * The function library for messy government data (RML-FNML): clean-up, dates, numbers, slugs
 * and codes. Each function takes named string parameters and returns strings (empty: no value).
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

/** `dd/mm/yyyy`, `d/m/yyyy`, `yyyy-mm-dd`, or a Socrata floating timestamp (`2023-05-01T00:00:00.000`). */
export function toDate(value: string): string {
  const text = value.trim();
  let match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  let year: string;
  let month: string;
  let day: string;
  if (match) [, day, month, year] = match as unknown as [string, string, string, string];
  else {
    match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/.exec(text);
    if (!match) throw new FunctionProblem(`"${value}" is not a date (dd/mm/yyyy, yyyy-mm-dd or a Socrata timestamp)`);
    [, year, month, day] = match as unknown as [string, string, string, string];
  }
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCFullYear() !== Number(year) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) {
    throw new FunctionProblem(`"${value}" is not a valid calendar date`);
  }
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
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

/** The registry: function IRI → implementation. */
export const functions: ReadonlyMap<string, MappingFunction> = new Map<string, MappingFunction>([
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
]);
