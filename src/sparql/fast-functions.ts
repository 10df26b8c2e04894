/**
 * The SPARQL 1.1 function library (Query §17.4) over the fast path's entity keys: the functions
 * whose arguments are all evaluated first. The lazy forms (IF, COALESCE, &&, ||, BOUND, EXISTS)
 * live with the expression compiler in fast-plan.ts.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  booleanKey,
  checkCompatible,
  effectiveBoolean,
  ExpressionError,
  FastPathFallback,
  iriOfKey,
  kindOfKey,
  type LiteralParts,
  literalKey,
  literalParts,
  numericOf,
  rdfLangString,
  stringArgument,
  xsdString,
} from './fast-values.js';
import { parseDateTime, xsdDate, xsdDateTime } from './xsd-datetime.js';
import {
  type ArithmeticOperator,
  arithmetic,
  integerNumeric,
  type Numeric,
  negate,
  numericDatatype,
  numericLexical,
  numericTypeOf,
  parseNumeric,
  rounding,
  xsdDecimal,
  xsdDouble,
  xsdFloat,
  xsdInteger,
} from './xsd-numeric.js';

const xsd = 'http://www.w3.org/2001/XMLSchema#';
const xsdBoolean = `${xsd}boolean`;
const xsdDayTimeDuration = `${xsd}dayTimeDuration`;

/** What a function call may need beyond its arguments: one NOW per query, fresh blank nodes. */
export interface FunctionScope {
  readonly now: string;
  nextBlank(): string;
}

export const numericKey = (value: Numeric): string => literalKey(numericLexical(value), numericDatatype(value.type));

/** @throws ExpressionError unless the key is a number. */
function numberArgument(key: string): Numeric {
  const value = kindOfKey(key) === 'literal' ? numericOf(literalParts(key)) : undefined;
  if (!value) throw new ExpressionError('not a number');
  return value;
}

const simple = (lexical: string): string => literalKey(lexical, xsdString);

/** A literal with the same language tag (or none) as `like` (Query §17.4.3: string functions keep it). */
export function stringLike(like: LiteralParts, lexical: string): string {
  return like.language ? `"${lexical}"@${like.language}` : simple(lexical);
}

/** @throws ExpressionError unless the key is a simple literal or xsd:string. */
function plainString(key: string): string {
  const parts = stringArgument(key);
  if (parts.language) throw new ExpressionError('a language-tagged string where a simple literal is needed');
  return parts.lexical;
}

const codePoints = (text: string): string[] => Array.from(text);

function dateParts(key: string): { lexical: string; datatype: string } {
  if (kindOfKey(key) !== 'literal') throw new ExpressionError('not a date');
  const parts = literalParts(key);
  if (parts.datatype !== xsdDateTime && parts.datatype !== xsdDate) throw new ExpressionError('not a date or dateTime');
  if (!parseDateTime(parts.lexical, parts.datatype)) throw new FastPathFallback('ill-typed date');
  return parts;
}

const dateField = /^(-?\d{4,})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}(?:\.\d+)?))?(Z|[+-]\d{2}:\d{2})?$/;

/** YEAR … SECONDS, TIMEZONE and TZ (Query §17.4.5). */
function dateFunction(name: string, key: string): string {
  const { lexical, datatype } = dateParts(key);
  const [, year, month, day, hours = '00', minutes = '00', seconds = '00', zone] = dateField.exec(lexical) ?? [];
  if (datatype === xsdDate && (name === 'hours' || name === 'minutes' || name === 'seconds')) throw new ExpressionError(`${name} of a date`);
  const integer = (text: string | undefined) => numericKey(integerNumeric(BigInt(text ?? '0')));
  switch (name) {
    case 'year':
      return integer(year);
    case 'month':
      return integer(month);
    case 'day':
      return integer(day);
    case 'hours':
      return integer(hours);
    case 'minutes':
      return integer(minutes);
    case 'seconds':
      return numericKey(parseNumeric(seconds, xsdDecimal) as Numeric);
    case 'tz':
      return simple(zone ?? '');
    default: {
      if (zone === undefined) throw new ExpressionError('TIMEZONE of a time without one');
      if (zone === 'Z') return literalKey('PT0S', xsdDayTimeDuration);
      const [hourText, minuteText] = zone.slice(1).split(':');
      const duration = `PT${Number(hourText) ? `${Number(hourText)}H` : ''}${Number(minuteText) ? `${Number(minuteText)}M` : ''}`;
      return literalKey(`${zone.startsWith('-') ? '-' : ''}${duration === 'PT' ? 'PT0S' : duration}`, xsdDayTimeDuration);
    }
  }
}

/** ENCODE_FOR_URI: every character but the unreserved ones percent-encoded (RFC 3986). */
const encodeForUri = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);

const hashes: Record<string, string> = { md5: 'md5', sha1: 'sha1', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' };

const arithmeticOperators = new Set(['+', '-', '*', '/']);

function substring(key: string, startKey: string, lengthKey: string | undefined): string {
  const parts = stringArgument(key);
  const characters = codePoints(parts.lexical);
  // XPath fn:substring: positions p with round(start) <= p < round(start) + round(length).
  const start = Math.round(numberArgument(startKey).float);
  const end = lengthKey === undefined ? Number.POSITIVE_INFINITY : start + Math.round(numberArgument(lengthKey).float);
  const kept = characters.filter((_, index) => index + 1 >= start && index + 1 < end);
  return stringLike(parts, kept.join(''));
}

function beforeOrAfter(name: 'strbefore' | 'strafter', key: string, partKey: string): string {
  const text = stringArgument(key);
  const part = stringArgument(partKey);
  checkCompatible(text, part);
  const at = text.lexical.indexOf(part.lexical);
  if (at < 0) return simple('');
  const result = name === 'strbefore' ? text.lexical.slice(0, at) : text.lexical.slice(at + part.lexical.length);
  // An empty result keeps the language only when the match was of an empty string (Query §17.4.3.7).
  if (result === '' && part.lexical !== '') return simple('');
  return stringLike(text, result);
}

function concat(keys: readonly string[]): string {
  const parts = keys.map(stringArgument);
  const lexical = parts.map((part) => part.lexical).join('');
  const language = parts[0]?.language;
  return language && parts.every((part) => part.language === language) ? `"${lexical}"@${language}` : simple(lexical);
}

function langMatches(tagKey: string, rangeKey: string): boolean {
  const tag = plainString(tagKey).toLowerCase();
  const range = plainString(rangeKey).toLowerCase();
  if (range === '*') return tag !== '';
  return tag === range || tag.startsWith(`${range}-`);
}

/**
 * A function applied to evaluated arguments.
 * @returns undefined when `name` is not a function this library has.
 * @throws ExpressionError for arguments the function does not accept; FastPathFallback where
 *   engines differ and Comunica should decide.
 */
export function callFunction(name: string, args: readonly string[], scope: FunctionScope): string | undefined {
  const [a = '', b = '', c] = args;
  if (arithmeticOperators.has(name) && args.length === 2) {
    const result = arithmetic(name as ArithmeticOperator, numberArgument(a), numberArgument(b));
    if (!result) throw new ExpressionError('division by zero');
    return numericKey(result);
  }
  switch (name) {
    case 'uminus':
      return numericKey(negate(numberArgument(a)));
    case 'uplus':
      return numericKey(numberArgument(a));
    case 'abs':
    case 'ceil':
    case 'floor':
    case 'round':
      return numericKey(rounding(name, numberArgument(a)));
    case 'strlen':
      return numericKey(integerNumeric(codePoints(stringArgument(a).lexical).length));
    case 'ucase':
    case 'lcase': {
      const parts = stringArgument(a);
      return stringLike(parts, name === 'ucase' ? parts.lexical.toUpperCase() : parts.lexical.toLowerCase());
    }
    case 'substr':
      return substring(a, b, c);
    case 'strbefore':
    case 'strafter':
      return beforeOrAfter(name, a, b);
    case 'concat':
      return concat(args);
    case 'encode_for_uri':
      return simple(encodeForUri(stringArgument(a).lexical));
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha384':
    case 'sha512':
      return simple(createHash(hashes[name] as string).update(plainString(a), 'utf8').digest('hex'));
    case 'year':
    case 'month':
    case 'day':
    case 'hours':
    case 'minutes':
    case 'seconds':
    case 'timezone':
    case 'tz':
      return dateFunction(name, a);
    case 'datatype': {
      if (kindOfKey(a) !== 'literal') throw new ExpressionError('DATATYPE of a non-literal');
      return literalParts(a).datatype;
    }
    case 'isnumeric':
      return booleanKey(kindOfKey(a) === 'literal' && numericOf(literalParts(a)) !== undefined);
    case 'sameterm':
      return booleanKey(a === b);
    case 'langmatches':
      return booleanKey(langMatches(a, b));
    case 'strdt':
      if (kindOfKey(b) !== 'iri') throw new ExpressionError('STRDT needs a datatype IRI');
      return literalKey(plainString(a), iriOfKey(b));
    case 'strlang': {
      const language = plainString(b);
      if (!/^[a-zA-Z]+(-[a-zA-Z0-9]+)*$/.test(language)) throw new ExpressionError('not a language tag');
      return `"${plainString(a)}"@${language.toLowerCase()}`;
    }
    case 'iri':
    case 'uri': {
      if (kindOfKey(a) === 'iri') return a;
      const iri = plainString(a);
      // A relative IRI resolves against the query's base, which the fast path does not carry.
      if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(iri)) throw new FastPathFallback('IRI() of a relative reference');
      return iri;
    }
    case 'now':
      return scope.now;
    case 'rand':
      return literalKey(String(Math.random()), xsdDouble);
    case 'uuid':
      return `urn:uuid:${randomUUID()}`;
    case 'struuid':
      return simple(randomUUID());
    case 'bnode':
      if (args.length > 0) throw new FastPathFallback('BNODE(label)');
      return scope.nextBlank();
    default:
      return undefined;
  }
}

/** The number a cast reads from a string (XSD lexical forms, surrounding whitespace allowed). */
function castNumber(lexical: string, type: 'integer' | 'decimal' | 'float' | 'double'): Numeric {
  const value = parseNumeric(lexical.trim(), numericDatatype(type));
  if (!value) throw new ExpressionError(`"${lexical}" is not an ${type}`);
  return value;
}

/** A number of another numeric type (XPath F&O §19.1.2): exact types truncate towards zero to integers. */
function convertNumber(value: Numeric, type: 'integer' | 'decimal' | 'float' | 'double'): Numeric {
  if (type === 'float' || type === 'double') return parseNumeric(String(value.float), numericDatatype(type)) as Numeric;
  let exact = value;
  if (value.type === 'float' || value.type === 'double') {
    if (!Number.isFinite(value.float)) throw new ExpressionError('INF or NaN cast to an exact number');
    // The double's shortest decimal digits, read exactly.
    exact = parseNumeric(numericLexical(value), xsdDecimal) as Numeric;
  }
  if (type === 'integer') return integerNumeric(exact.units / 10n ** BigInt(exact.scale));
  return { ...exact, type: 'decimal' };
}

/**
 * An XSD constructor function `xsd:T(x)` (Query §17.5).
 * @returns undefined for a function that is not a cast this library has.
 * @throws ExpressionError for values that do not cast.
 */
export function cast(datatype: string, key: string): string | undefined {
  const kind = kindOfKey(key);
  if (datatype === xsdString) {
    if (kind === 'blank') throw new ExpressionError('a blank node cast to a string');
    if (kind === 'iri') return simple(iriOfKey(key));
    const parts = literalParts(key);
    const number = numericOf(parts);
    if (number) return simple(numericLexical(number));
    if (parts.datatype === xsdBoolean && (parts.lexical === '1' || parts.lexical === '0')) return simple(parts.lexical === '1' ? 'true' : 'false');
    return simple(parts.lexical);
  }
  if (kind !== 'literal') throw new ExpressionError('only literals cast');
  const parts = literalParts(key);
  if (parts.datatype === rdfLangString) throw new ExpressionError('a language-tagged string does not cast');
  const fromString = parts.datatype === xsdString;
  const number = numericOf(parts);
  const target = numericTypeOf(datatype);
  if (target !== undefined && (datatype === xsdInteger || datatype === xsdDecimal || datatype === xsdFloat || datatype === xsdDouble)) {
    if (fromString) return numericKey(convertNumber(castNumber(parts.lexical, target), target));
    if (number) return numericKey(convertNumber(number, target));
    if (parts.datatype === xsdBoolean) return numericKey(convertNumber(integerNumeric(effectiveBoolean(key) ? 1 : 0), target));
    throw new ExpressionError(`a ${parts.datatype} does not cast to a number`);
  }
  if (datatype === xsdBoolean) {
    if (fromString || parts.datatype === xsdBoolean) {
      const lexical = parts.lexical.trim();
      if (lexical === 'true' || lexical === '1') return booleanKey(true);
      if (lexical === 'false' || lexical === '0') return booleanKey(false);
      throw new ExpressionError(`"${parts.lexical}" is not a boolean`);
    }
    if (number) return booleanKey(effectiveBoolean(key));
    throw new ExpressionError(`a ${parts.datatype} does not cast to a boolean`);
  }
  if (datatype === xsdDateTime || datatype === xsdDate) {
    const lexical = parts.lexical.trim();
    if (fromString || parts.datatype === datatype) {
      if (!parseDateTime(lexical, datatype)) throw new ExpressionError(`"${lexical}" is not a ${datatype}`);
      return literalKey(lexical, datatype);
    }
    if (parts.datatype === xsdDateTime && datatype === xsdDate) throw new FastPathFallback('dateTime cast to date');
    if (parts.datatype === xsdDate && datatype === xsdDateTime) {
      const [, date, zone = ''] = /^(.*?\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?$/.exec(lexical) ?? [];
      return literalKey(`${date}T00:00:00${zone}`, xsdDateTime);
    }
    throw new ExpressionError(`a ${parts.datatype} does not cast to a ${datatype}`);
  }
  return undefined;
}
