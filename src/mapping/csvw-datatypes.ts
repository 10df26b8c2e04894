/** CSVW datatypes (Tabular Data Model §5.11, §6.4): built-in names, formats, parsing cells and constraints. */

const xsd = 'http://www.w3.org/2001/XMLSchema#';
const rdfNs = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';

/** A normalized CSVW datatype description. */
export interface CsvwDatatype {
  /** The built-in base name (`string`, `integer`, `date`, ...). */
  readonly base: string;
  /** The datatype IRI of generated literals (`@id`, else the base's IRI). */
  readonly iri: string;
  readonly format?: string | NumericFormat;
  readonly length?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: string;
  readonly maximum?: string;
  readonly minExclusive?: string;
  readonly maxExclusive?: string;
}

export interface NumericFormat {
  readonly pattern?: string;
  readonly decimalChar?: string;
  readonly groupChar?: string;
}

const names = [
  'anyAtomicType', 'anyURI', 'base64Binary', 'boolean', 'date', 'dateTime', 'dateTimeStamp', 'decimal', 'integer', 'long', 'int',
  'short', 'byte', 'nonNegativeInteger', 'positiveInteger', 'unsignedLong', 'unsignedInt', 'unsignedShort', 'unsignedByte',
  'nonPositiveInteger', 'negativeInteger', 'double', 'duration', 'dayTimeDuration', 'yearMonthDuration', 'float', 'gDay', 'gMonth',
  'gMonthDay', 'gYear', 'gYearMonth', 'hexBinary', 'QName', 'string', 'normalizedString', 'token', 'language', 'Name', 'NMTOKEN', 'time',
];

/** Built-in datatype names and their IRIs (CSVW §5.11.1), aliases included. */
export const builtinDatatypes: ReadonlyMap<string, string> = new Map([
  ...names.map((name): [string, string] => [name, xsd + name]),
  ['number', `${xsd}double`],
  ['binary', `${xsd}base64Binary`],
  ['datetime', `${xsd}dateTime`],
  ['any', `${xsd}anyAtomicType`],
  ['xml', `${rdfNs}XMLLiteral`],
  ['html', `${rdfNs}HTML`],
  ['json', 'http://www.w3.org/ns/csvw#JSON'],
]);

const integerRanges: Record<string, readonly [bigint | undefined, bigint | undefined]> = {
  integer: [undefined, undefined],
  long: [-(2n ** 63n), 2n ** 63n - 1n],
  int: [-(2n ** 31n), 2n ** 31n - 1n],
  short: [-32768n, 32767n],
  byte: [-128n, 127n],
  nonNegativeInteger: [0n, undefined],
  positiveInteger: [1n, undefined],
  unsignedLong: [0n, 2n ** 64n - 1n],
  unsignedInt: [0n, 2n ** 32n - 1n],
  unsignedShort: [0n, 65535n],
  unsignedByte: [0n, 255n],
  nonPositiveInteger: [undefined, 0n],
  negativeInteger: [undefined, -1n],
};

const numericBases = new Set([...Object.keys(integerRanges), 'decimal', 'double', 'float', 'number']);
const dateBases = new Set(['date', 'dateTime', 'datetime', 'dateTimeStamp', 'time', 'gDay', 'gMonth', 'gMonthDay', 'gYear', 'gYearMonth']);
const durationBases = new Set(['duration', 'dayTimeDuration', 'yearMonthDuration']);
const lengthBases = new Set(['string', 'normalizedString', 'token', 'language', 'Name', 'NMTOKEN', 'QName', 'anyURI', 'base64Binary', 'hexBinary', 'binary', 'xml', 'html', 'json']);
/** Values of these types keep their whitespace (§6.4 step 2). */
const stringLike = new Set(['string', 'json', 'xml', 'html', 'anyAtomicType', 'any']);

/**
 * Whether the base admits min/max constraints (numbers, dates, durations).
 * @throws never.
 */
export function admitsRange(base: string): boolean {
  return numericBases.has(base) || dateBases.has(base) || durationBases.has(base);
}

/**
 * Whether the base admits length constraints (strings and binaries).
 * @throws never.
 */
export function admitsLength(base: string): boolean {
  return lengthBases.has(base);
}

/**
 * §6.4 steps 1–2: whitespace normalisation by datatype.
 * @throws never.
 */
export function normalizeWhitespace(text: string, base: string): string {
  if (stringLike.has(base)) return text;
  const replaced = text.replace(/[\r\n\t]/g, ' ');
  if (base === 'normalizedString') return replaced;
  return replaced.replace(/ +/g, ' ').trim();
}

/**
 * Whether §6.4's list items are stripped for this base.
 * @throws never.
 */
export function isStringLike(base: string): boolean {
  return stringLike.has(base);
}

export type ParsedValue = { readonly lexical: string; readonly ok: true } | { readonly ok: false; readonly error: string };

const zone = '(?:Z|[+-](?:(?:0\\d|1[0-3]):[0-5]\\d|14:00))?';
const dateRe = '-?(?:[1-9]\\d{3,}|0\\d{3})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])';
const timeRe = '(?:(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?|24:00:00(?:\\.0+)?)';
const durationRe = /^-?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/;

const lexical: Record<string, RegExp> = {
  boolean: /^(?:true|false|1|0)$/,
  date: new RegExp(`^${dateRe}${zone}$`),
  dateTime: new RegExp(`^${dateRe}T${timeRe}${zone}$`),
  dateTimeStamp: new RegExp(`^${dateRe}T${timeRe}(?:Z|[+-](?:(?:0\\d|1[0-3]):[0-5]\\d|14:00))$`),
  time: new RegExp(`^${timeRe}${zone}$`),
  gYear: new RegExp(`^-?(?:[1-9]\\d{3,}|0\\d{3})${zone}$`),
  gYearMonth: new RegExp(`^-?(?:[1-9]\\d{3,}|0\\d{3})-(?:0[1-9]|1[0-2])${zone}$`),
  gMonth: new RegExp(`^--(?:0[1-9]|1[0-2])${zone}$`),
  gMonthDay: new RegExp(`^--(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])${zone}$`),
  gDay: new RegExp(`^---(?:0[1-9]|[12]\\d|3[01])${zone}$`),
  duration: durationRe,
  dayTimeDuration: /^-?P(?=\d|T\d)(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/,
  yearMonthDuration: /^-?P(?=\d)(?:\d+Y)?(?:\d+M)?$/,
  hexBinary: /^(?:[0-9A-Fa-f]{2})*$/,
  base64Binary: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
  language: /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/,
  Name: /^[A-Za-z_:][\w.:-]*$/u,
  NMTOKEN: /^[\w.:-]+$/u,
  QName: /^(?:[A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*$/u,
  token: /^(?:\S+(?: \S+)*)?$/,
};

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Compiles an LDML number pattern (CSVW §5.11.3) into a check of the value: the digits, grouping
 * sizes, fraction digits and exponent the pattern allows; `undefined` for a pattern it cannot read.
 */
function numberPattern(pattern: string, decimalChar: string, groupChar: string): ((value: string) => boolean) | undefined {
  const match = /^([^#0,.E]*)([#0,]*)(?:\.([0#,]*))?(?:E(\+?)([#0]+))?([^#0,.E]*)$/.exec(pattern);
  if (!match || !/[#0]/.test(pattern)) return undefined;
  const [, prefix = '', integer = '', fraction, expSign, expDigits, suffix = ''] = match;
  if (!/^#*0*$/.test(integer.replace(/,/g, ''))) return undefined;
  if (fraction !== undefined && !/^0*#*$/.test(fraction.replace(/,/g, ''))) return undefined;
  const groups = integer.split(',');
  const minInt = (integer.match(/0/g) ?? []).length;
  const g = escapeRegex(groupChar);
  const d = escapeRegex(decimalChar);
  let intRe: string;
  if (groups.length > 1) {
    const primary = groups[groups.length - 1]!.length;
    const secondary = groups.length > 2 ? groups[groups.length - 2]!.length : primary;
    intRe = `(?:\\d{1,${secondary}}(?:${g}\\d{${secondary}})*${g}\\d{${primary}}|\\d{1,${primary}})`;
  } else intRe = '\\d*';
  let fracRe = '';
  let minFrac = 0;
  let maxFrac = 0;
  if (fraction !== undefined) {
    const fgroups = fraction.split(',');
    minFrac = (fraction.match(/0/g) ?? []).length;
    maxFrac = (fraction.match(/[0#]/g) ?? []).length;
    const size = fgroups[0]!.length;
    const digits = fgroups.length > 1 ? `\\d{1,${size}}(?:${g}\\d{1,${size}})*` : '\\d*';
    fracRe = `(?:${d}${digits})?`;
  }
  const minExp = expDigits ? (expDigits.match(/0/g) ?? []).length : 0;
  const expRe = expDigits ? `(?:E${expSign ? '[+-]' : '-?'}\\d{${Math.max(minExp, 1)},})` : '';
  const re = new RegExp(`^[+-]?${escapeRegex(prefix)}[+-]?(${intRe})(${fracRe})${expRe}${escapeRegex(suffix)}$`);
  return (value) => {
    const found = re.exec(value);
    if (!found) return false;
    const intDigits = (found[1]!.match(/\d/g) ?? []).length;
    const fracDigits = (found[2]!.match(/\d/g) ?? []).length;
    if (intDigits < Math.max(minInt, 0) || (intDigits === 0 && fracDigits === 0)) return false;
    return fracDigits >= minFrac && fracDigits <= maxFrac;
  };
}

/** Compiled patterns, shared by every cell of a column (and every column with the same format). */
const numberPatterns = new Map<string, ((value: string) => boolean) | undefined>();
const datePatterns = new Map<string, DatePattern | undefined>();

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  if (cache.has(key)) return cache.get(key) as T;
  const made = make();
  // Metadata has few formats; the bound only guards against a pathological document.
  if (cache.size < 1000) cache.set(key, made);
  return made;
}

/** Divides a decimal string by 10^places exactly (for `%` and `‰`). */
function shiftDecimal(text: string, places: number): string {
  const negative = text.startsWith('-');
  const [int = '0', frac = ''] = text.replace(/^[+-]/, '').split('.');
  const padded = int.padStart(places + 1, '0');
  const newInt = padded.slice(0, padded.length - places).replace(/^0+(?=\d)/, '');
  const newFrac = (padded.slice(padded.length - places) + frac).replace(/0+$/, '');
  return `${negative ? '-' : ''}${newInt}${newFrac ? `.${newFrac}` : ''}`;
}

function parseNumber(text: string, type: CsvwDatatype): ParsedValue {
  const format = typeof type.format === 'string' ? { pattern: type.format } : (type.format ?? {});
  const decimalChar = format.decimalChar ?? '.';
  // A pattern with grouping implies the default group character `,`.
  const groupChar = format.groupChar ?? (format.pattern?.includes(',') ? ',' : undefined);
  const base = type.base === 'number' ? 'double' : type.base;
  if ((base === 'double' || base === 'float') && /^(?:[+-]?INF|NaN)$/.test(text)) return { ok: true, lexical: text };
  if (format.pattern !== undefined) {
    const check = cached(numberPatterns, `${format.pattern}\u0000${decimalChar}\u0000${groupChar ?? ','}`, () => numberPattern(format.pattern!, decimalChar, groupChar ?? ','));
    if (check && !check(text)) return { ok: false, error: `"${text}" does not match the number pattern "${format.pattern}"` };
  }
  let value = text;
  let divisor = 0;
  if (/[%‰]/.test(value)) {
    divisor = value.includes('%') ? 2 : 3;
    value = value.replace(/[%‰]/, '');
    if (/[%‰]/.test(value)) return { ok: false, error: `"${text}" has more than one percent sign` };
  }
  if (groupChar !== undefined) {
    if (value.includes(groupChar + groupChar)) return { ok: false, error: `"${text}" has two group characters in a row` };
    value = value.split(groupChar).join('');
  }
  if (decimalChar !== '.') {
    if (value.includes('.') && groupChar !== '.') return { ok: false, error: `"${text}" is not a number` };
    value = value.split(decimalChar).join('.');
  }
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(value)) return { ok: false, error: `"${text}" is not a number` };
  if (divisor > 0) {
    if (/[eE]/.test(value)) value = String(Number(value) / 10 ** divisor);
    else value = shiftDecimal(value, divisor);
  }
  if (base === 'double' || base === 'float') return { ok: true, lexical: value };
  if (/[eE]/.test(value)) return { ok: false, error: `"${text}" is not a valid ${base}` };
  if (base === 'decimal') return { ok: true, lexical: value };
  if (!/^[+-]?\d+$/.test(value)) return { ok: false, error: `"${text}" is not a valid ${base}` };
  const range = integerRanges[base];
  const big = BigInt(value);
  if (range && ((range[0] !== undefined && big < range[0]) || (range[1] !== undefined && big > range[1]))) {
    return { ok: false, error: `"${text}" is out of the range of ${base}` };
  }
  return { ok: true, lexical: value };
}

interface DatePattern {
  readonly regex: RegExp;
  readonly fields: readonly string[];
}

const tokens: Array<[RegExp, string, string]> = [
  [/^yyyy/, 'year', '(\\d{4})'],
  [/^MM/, 'month', '(\\d{2})'],
  [/^M/, 'month', '(\\d{1,2})'],
  [/^dd/, 'day', '(\\d{2})'],
  [/^d/, 'day', '(\\d{1,2})'],
  [/^HH/, 'hour', '(\\d{2})'],
  [/^mm/, 'minute', '(\\d{2})'],
  [/^ss/, 'second', '(\\d{2})'],
  [/^S+/, 'fraction', ''],
  [/^XXX/, 'zone', '(Z|[+-]\\d{2}:\\d{2})'],
  [/^XX/, 'zone', '(Z|[+-]\\d{4})'],
  [/^X/, 'zone', '(Z|[+-]\\d{2}(?:\\d{2})?)'],
  [/^xxx/, 'zone', '([+-]\\d{2}:\\d{2})'],
  [/^xx/, 'zone', '([+-]\\d{4})'],
  [/^x/, 'zone', '([+-]\\d{2}(?:\\d{2})?)'],
];

const allowedDatePatterns = new Set([
  'yyyy-MM-dd', 'yyyyMMdd', 'dd-MM-yyyy', 'd-M-yyyy', 'MM-dd-yyyy', 'M-d-yyyy', 'dd/MM/yyyy', 'd/M/yyyy', 'MM/dd/yyyy', 'M/d/yyyy',
  'dd.MM.yyyy', 'd.M.yyyy', 'MM.dd.yyyy', 'M.d.yyyy',
]);
const allowedTimePattern = /^(?:HH:mm:ss(?:\.S+)?|HHmmss|HH:mm|HHmm)$/;

/** Compiles a CSVW date/time format (§5.11.4); `undefined` when it is not one the spec allows. */
function datePattern(pattern: string, base: string): DatePattern | undefined {
  const zoneMatch = / ?(?:X{1,3}|x{1,3})$/.exec(pattern);
  const core = zoneMatch ? pattern.slice(0, zoneMatch.index) : pattern;
  let valid: boolean;
  if (base === 'date') valid = allowedDatePatterns.has(core);
  else if (base === 'time') valid = allowedTimePattern.test(core);
  else {
    const split = /^(.*?)[T ](H.*)$/.exec(core);
    valid = split !== null && allowedDatePatterns.has(split[1]!) && allowedTimePattern.test(split[2]!);
  }
  if (!valid) return undefined;
  let source = '';
  const fields: string[] = [];
  let rest = pattern;
  while (rest.length > 0) {
    const token = tokens.find(([re]) => re.test(rest));
    if (token) {
      const matched = token[0].exec(rest)![0];
      fields.push(token[1]);
      source += token[1] === 'fraction' ? `(\\d{1,${matched.length}})` : token[2];
      rest = rest.slice(matched.length);
    } else {
      source += escapeRegex(rest[0]!);
      rest = rest.slice(1);
    }
  }
  return { regex: new RegExp(`^${source}$`), fields };
}

function formatZone(zone: string): string {
  if (zone === 'Z') return 'Z';
  const digits = zone.replace(/[:+-]/g, '');
  const hours = digits.slice(0, 2);
  const minutes = digits.slice(2, 4) || '00';
  const offset = `${zone[0]}${hours}:${minutes}`;
  return offset === '+00:00' || offset === '-00:00' ? 'Z' : offset;
}

function parseDate(text: string, type: CsvwDatatype): ParsedValue {
  const base = type.base === 'datetime' ? 'dateTime' : type.base;
  const format = type.format;
  const pattern = typeof format === 'string' && ['date', 'dateTime', 'dateTimeStamp', 'time'].includes(base) ? cached(datePatterns, `${base}\u0000${format}`, () => datePattern(format, base)) : undefined;
  if (!pattern) {
    const re = lexical[base];
    if (re && !re.test(text)) return { ok: false, error: `"${text}" is not a valid ${base}` };
    return { ok: true, lexical: text };
  }
  const match = pattern.regex.exec(text);
  if (!match) return { ok: false, error: `"${text}" does not match the format "${String(type.format)}"` };
  const parts: Record<string, string> = {};
  pattern.fields.forEach((field, index) => {
    parts[field] = match[index + 1] ?? '';
  });
  const date = parts.year !== undefined ? `${parts.year}-${(parts.month ?? '01').padStart(2, '0')}-${(parts.day ?? '01').padStart(2, '0')}` : '';
  const time = parts.hour !== undefined ? `${parts.hour}:${parts.minute ?? '00'}:${parts.second ?? '00'}${parts.fraction ? `.${parts.fraction}` : ''}` : '';
  const zonePart = parts.zone ? formatZone(parts.zone) : '';
  const result = base === 'date' ? `${date}${zonePart}` : base === 'time' ? `${time}${zonePart}` : `${date}T${time}${zonePart}`;
  const check = lexical[base];
  if (check && !check.test(result)) return { ok: false, error: `"${text}" is not a valid ${base}` };
  return { ok: true, lexical: result };
}

function parseBoolean(text: string, type: CsvwDatatype): ParsedValue {
  // An object format is not a boolean format (§5.11.2): it is ignored.
  const format = typeof type.format === 'string' ? type.format : undefined;
  if (format !== undefined && /^[^|]+\|[^|]+$/.test(format)) {
    const [yes, no] = format.split('|');
    if (text === yes) return { ok: true, lexical: 'true' };
    if (text === no) return { ok: true, lexical: 'false' };
    return { ok: false, error: `"${text}" is neither of "${format}"` };
  }
  if (text === 'true' || text === '1') return { ok: true, lexical: 'true' };
  if (text === 'false' || text === '0') return { ok: true, lexical: 'false' };
  return { ok: false, error: `"${text}" is not a boolean` };
}

function compare(a: string, b: string, base: string): number {
  if (numericBases.has(base)) return Number(a) - Number(b);
  if (dateBases.has(base)) {
    const ta = Date.parse(a.length === 10 ? `${a}T00:00:00Z` : a);
    const tb = Date.parse(b.length === 10 ? `${b}T00:00:00Z` : b);
    if (!Number.isNaN(ta) && !Number.isNaN(tb)) return ta - tb;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkConstraints(text: string, lexicalValue: string, type: CsvwDatatype): string | undefined {
  const length = type.base === 'hexBinary' ? lexicalValue.length / 2 : type.base === 'base64Binary' || type.base === 'binary' ? Buffer.from(lexicalValue, 'base64').length : [...lexicalValue].length;
  if (type.length !== undefined && length !== type.length) return `"${text}" does not have length ${type.length}`;
  if (type.minLength !== undefined && length < type.minLength) return `"${text}" is shorter than ${type.minLength}`;
  if (type.maxLength !== undefined && length > type.maxLength) return `"${text}" is longer than ${type.maxLength}`;
  if (type.minimum !== undefined && compare(lexicalValue, type.minimum, type.base) < 0) return `"${text}" is less than ${type.minimum}`;
  if (type.maximum !== undefined && compare(lexicalValue, type.maximum, type.base) > 0) return `"${text}" is greater than ${type.maximum}`;
  if (type.minExclusive !== undefined && compare(lexicalValue, type.minExclusive, type.base) <= 0) return `"${text}" is not greater than ${type.minExclusive}`;
  if (type.maxExclusive !== undefined && compare(lexicalValue, type.maxExclusive, type.base) >= 0) return `"${text}" is not less than ${type.maxExclusive}`;
  return undefined;
}

/**
 * Parses one (non-null, normalized) cell value against its datatype (§6.4 steps 8–9).
 * @returns the literal's lexical form, or the reason the value is invalid.
 */
export function parseCellValue(text: string, type: CsvwDatatype): ParsedValue {
  let parsed: ParsedValue;
  if (numericBases.has(type.base)) parsed = parseNumber(text, type);
  else if (type.base === 'boolean') parsed = parseBoolean(text, type);
  else if (dateBases.has(type.base)) parsed = parseDate(text, type);
  else {
    const pattern = typeof type.format === 'string' ? type.format : undefined;
    if (pattern !== undefined) {
      let re: RegExp | undefined;
      try {
        re = new RegExp(`^(?:${pattern})$`, 'u');
      } catch {
        re = undefined;
      }
      if (re && !re.test(text)) return { ok: false, error: `"${text}" does not match "${pattern}"` };
    }
    const check = lexical[type.base];
    parsed = check && !check.test(text) ? { ok: false, error: `"${text}" is not a valid ${type.base}` } : { ok: true, lexical: text };
  }
  if (!parsed.ok) return parsed;
  const violation = checkConstraints(text, parsed.lexical, type);
  return violation ? { ok: false, error: violation } : parsed;
}

/**
 * Validates a constraint bound in the datatype's own lexical space (the metadata's values).
 * @throws never.
 */
export function parseBound(text: string, type: CsvwDatatype): string | undefined {
  const bare: CsvwDatatype = { base: type.base, iri: type.iri };
  const parsed = parseCellValue(text, bare);
  return parsed.ok ? parsed.lexical : undefined;
}
