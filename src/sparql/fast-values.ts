/**
 * SPARQL value semantics (Query §17.3 operator mapping, §15.1 ordering) over N3 entity keys, the
 * fast path's representation of terms: numbers exactly (xsd-numeric.ts), dates and dateTimes with
 * their time zones (xsd-datetime.ts). Where engines may legitimately differ or the rules need
 * more than this file knows (language-tag ordering, literals of unknown datatypes), it throws
 * `FastPathFallback` and the query goes to Comunica instead.
 */
import { compareDateTimes, type DateTimeValue, equalDateTimes, parseDateTime, xsdDate, xsdDateTime } from './xsd-datetime.js';
import { compareNumeric, isNaNValue, isZero, type Numeric, type NumericType, numericNumber, numericTypeOf, parseNumeric } from './xsd-numeric.js';

const xsd = 'http://www.w3.org/2001/XMLSchema#';
export const rdfLangString = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';
export const xsdString = `${xsd}string`;
const xsdBoolean = `${xsd}boolean`;
export { xsdInteger } from './xsd-numeric.js';

/** The query needs the general engine: thrown at compile time or while evaluating. */
export class FastPathFallback extends Error {}

/** A SPARQL expression error (§17.2): a FILTER treats it as false, BIND leaves the variable unbound. */
export class ExpressionError extends Error {}

/**
 * Digits up to which a JavaScript number holds an integer or decimal exactly and two distinct
 * such values stay distinct and in order as numbers: comparisons of these need no BigInt.
 */
const exactDigits = 15;

export interface LiteralParts {
  readonly lexical: string;
  /** Lower-cased language tag; '' when none. */
  readonly language: string;
  readonly datatype: string;
}

type TermKind = 'iri' | 'blank' | 'literal';

export function kindOfKey(key: string): TermKind {
  const first = key.charCodeAt(0);
  if (first === 0x22) return 'literal';
  if (first === 0x5f && key.charCodeAt(1) === 0x3a) return 'blank';
  // Quoted triples (`.1.2.3`) and other N3-internal keys are outside SPARQL 1.1.
  if (first === 0x2e) throw new FastPathFallback('quoted triple');
  return 'iri';
}

/** The IRI of an IRI key (N3 brackets IRIs that would read as another kind of key). */
export function iriOfKey(key: string): string {
  return key.charCodeAt(0) === 0x3c && key.endsWith('>') ? key.slice(1, -1) : key;
}

export function literalParts(key: string): LiteralParts {
  const end = key.lastIndexOf('"');
  const lexical = key.slice(1, end);
  const rest = key.slice(end + 1);
  if (rest === '') return { lexical, language: '', datatype: xsdString };
  if (rest.charCodeAt(0) === 0x40) {
    if (rest.includes('--')) throw new FastPathFallback('directional language string');
    return { lexical, language: rest.slice(1).toLowerCase(), datatype: rdfLangString };
  }
  return { lexical, language: '', datatype: rest.slice(2) };
}

/** The key of a literal, as N3 writes it (xsd:string without its datatype). */
export function literalKey(lexical: string, datatype: string): string {
  return datatype === xsdString ? `"${lexical}"` : `"${lexical}"^^${datatype}`;
}

const trueKey = literalKey('true', xsdBoolean);
const falseKey = literalKey('false', xsdBoolean);
export const booleanKey = (value: boolean): string => (value ? trueKey : falseKey);

/** The exact value of a numeric literal with a valid lexical form; undefined for anything else. */
export function numericOf(parts: LiteralParts): Numeric | undefined {
  return parseNumeric(parts.lexical, parts.datatype);
}

/** Whether the number `numericValue` gives is the literal's value for comparisons (few enough digits, or IEEE anyway). */
function shortNumber(parts: LiteralParts, type: NumericType): boolean {
  if (type === 'float' || type === 'double') return true;
  const { lexical } = parts;
  return lexical.length <= exactDigits || lexical.replace(/[^0-9]/g, '').replace(/^0+/, '').length <= exactDigits;
}

/** Whether a numeric literal's `numericValue` is its value for `=` and `<` (true for float and double). */
export function exactAsNumber(parts: LiteralParts): boolean {
  const type = numericTypeOf(parts.datatype);
  return type !== undefined && shortNumber(parts, type);
}

/**
 * The numeric value of a numeric literal with a valid lexical form as a number (the nearest
 * double for long integers and decimals; `numericOf` has the exact one); undefined for anything else.
 */
export function numericValue(parts: LiteralParts): number | undefined {
  return numericNumber(parts.lexical, parts.datatype);
}

/**
 * Two numeric literals' order as a sign (NaN when either is NaN): by number while that is exact,
 * else exactly with the promotion rules.
 */
function compareNumbers(left: LiteralParts, right: LiteralParts, leftNumber: number, rightNumber: number): number {
  const leftType = numericTypeOf(left.datatype) as NumericType;
  const rightType = numericTypeOf(right.datatype) as NumericType;
  if (shortNumber(left, leftType) && shortNumber(right, rightType)) {
    if (Number.isNaN(leftNumber) || Number.isNaN(rightNumber)) return Number.NaN;
    return leftNumber < rightNumber ? -1 : leftNumber > rightNumber ? 1 : 0;
  }
  return compareNumeric(numericOf(left) as Numeric, numericOf(right) as Numeric);
}

function isString(parts: LiteralParts): boolean {
  return parts.datatype === xsdString;
}

function booleanValue(parts: LiteralParts): boolean | undefined {
  if (parts.datatype !== xsdBoolean) return undefined;
  if (parts.lexical === 'true' || parts.lexical === '1') return true;
  if (parts.lexical === 'false' || parts.lexical === '0') return false;
  return undefined;
}

// JavaScript compares UTF-16 code units; SPARQL compares code points. They agree unless a
// string holds characters beyond the Basic Multilingual Plane.
const surrogate = /[\uD800-\uDFFF]/;

function compareStrings(a: string, b: string): number {
  if (surrogate.test(a) || surrogate.test(b)) throw new FastPathFallback('astral characters in a comparison');
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `a = b` (Query §17.3: numeric, string and boolean equality, else RDFterm-equal).
 * @throws ExpressionError where SPARQL says the comparison is an error; FastPathFallback where it
 *   needs knowledge of datatypes this file does not have.
 */
/**
 * The class of values a literal belongs to for `=`: two literals of different classes are never
 * equal. `other` is a datatype the fast path does not compare (its equality stays with Comunica).
 */
export type ValueClass = 'numeric' | 'string' | 'derivedString' | 'boolean' | 'langString' | 'dateTime' | 'other';

const dateTypes = new Set([xsdDate, xsdDateTime, `${xsd}dateTimeStamp`, `${xsd}time`]);

/** The value of a date or dateTime literal. @throws FastPathFallback for other date types and invalid lexical forms. */
function dateValue(parts: LiteralParts): DateTimeValue {
  const value = parseDateTime(parts.lexical, parts.datatype);
  if (!value) throw new FastPathFallback(`comparison of ${parts.datatype} "${parts.lexical}"`);
  return value;
}

/** Dates and dateTimes compare among their own datatype only (Query §17.3 and Comunica: a type error). */
function sameDateType(left: LiteralParts, right: LiteralParts): void {
  if (left.datatype !== right.datatype) throw new ExpressionError(`comparison of a ${left.datatype} and a ${right.datatype}`);
}
const derivedStringTypes = new Set(['normalizedString', 'token', 'language', 'Name', 'NCName', 'NMTOKEN', 'ID', 'IDREF', 'ENTITY'].map((name) => `${xsd}${name}`));

export function valueClass(parts: LiteralParts): ValueClass {
  if (numericValue(parts) !== undefined) return 'numeric';
  if (parts.datatype === xsdString) return 'string';
  if (parts.datatype === rdfLangString) return 'langString';
  if (booleanValue(parts) !== undefined) return 'boolean';
  if (dateTypes.has(parts.datatype)) return 'dateTime';
  return derivedStringTypes.has(parts.datatype) ? 'derivedString' : 'other';
}

/**
 * `=` between literals of two different known classes, as the general engine (Comunica) decides
 * it so that both modes agree: a language-tagged string and a string are simply unequal; any
 * other pair is a type error (RDFterm-equal, Query §17.4.1.7).
 * @throws ExpressionError for the type error; FastPathFallback for a type derived from xsd:string.
 */
export function equalAcrossClasses(left: ValueClass, right: ValueClass): false {
  const pair = new Set([left, right]);
  // Types derived from xsd:string (xsd:normalizedString, xsd:token…) compare as strings in Comunica.
  if (pair.has('derivedString')) throw new FastPathFallback('equality with a type derived from xsd:string');
  if (pair.has('langString') && pair.has('string')) return false;
  throw new ExpressionError(`= of a ${left} and a ${right} literal`);
}

export function equalKeys(a: string, b: string): boolean {
  if (a === b) {
    // NaN is the one value not equal to itself.
    if (a.startsWith('"NaN"^^')) return numericValue(literalParts(a)) === undefined;
    return true;
  }
  if (kindOfKey(a) !== 'literal' || kindOfKey(b) !== 'literal') return false;
  const left = literalParts(a);
  const right = literalParts(b);
  const leftClass = valueClass(left);
  const rightClass = valueClass(right);
  if (leftClass !== rightClass) return equalAcrossClasses(leftClass, rightClass);
  switch (leftClass) {
    case 'numeric':
      return compareNumbers(left, right, numericValue(left) as number, numericValue(right) as number) === 0;
    case 'string':
      return left.lexical === right.lexical;
    case 'langString':
      return left.lexical === right.lexical && left.language === right.language;
    case 'boolean':
      return booleanValue(left) === booleanValue(right);
    case 'dateTime':
      sameDateType(left, right);
      return equalDateTimes(dateValue(left), dateValue(right));
    default:
      throw new FastPathFallback('equality of literals of other datatypes');
  }
}

/**
 * `a < b` and friends as a sign (Query §17.3).
 * @throws ExpressionError for operands SPARQL cannot order with `<`; FastPathFallback as `equalKeys`.
 */
export function compareKeys(a: string, b: string): number {
  if (kindOfKey(a) !== 'literal' || kindOfKey(b) !== 'literal') throw new ExpressionError('< needs literals');
  const left = literalParts(a);
  const right = literalParts(b);
  const leftNumber = numericValue(left);
  const rightNumber = numericValue(right);
  if (leftNumber !== undefined && rightNumber !== undefined) return compareNumbers(left, right, leftNumber, rightNumber);
  if (isString(left) && isString(right)) return compareStrings(left.lexical, right.lexical);
  const leftBoolean = booleanValue(left);
  const rightBoolean = booleanValue(right);
  if (leftBoolean !== undefined && rightBoolean !== undefined) return Number(leftBoolean) - Number(rightBoolean);
  if (valueClass(left) === 'dateTime' && valueClass(right) === 'dateTime') {
    sameDateType(left, right);
    const order = compareDateTimes(dateValue(left), dateValue(right));
    if (order === undefined) throw new ExpressionError('indeterminate comparison of a zoned and an unzoned time');
    return order;
  }
  throw new FastPathFallback('ordering literals of other datatypes');
}

const kindRank: Record<TermKind, number> = { blank: 1, iri: 2, literal: 3 };

/** A term's place in ORDER BY, computed once per row rather than once per comparison. */
export interface OrderValue {
  /** 0 unbound, 1 blank node, 2 IRI, 3 literal (Query §15.1). */
  readonly rank: number;
  /** How literals compare: by number, by string, by instant, or only when they are the same term. */
  readonly kind: 'number' | 'string' | 'date' | 'term';
  /** A number's value; a date's instant (its written time as UTC when it has no time zone). */
  readonly number: number;
  /** A string's text; '' for numbers, 'boolean' for booleans, a date's datatype. */
  readonly text: string;
  /** A number's exact value, read when `number` ties and either is too long for a number to be exact. */
  readonly exact?: () => Numeric | undefined;
  readonly long?: boolean;
  /** Whether a date has a time zone. */
  readonly zoned?: boolean;
}

const unboundOrder: OrderValue = { rank: 0, kind: 'term', number: 0, text: '' };

export function orderValue(key: string | undefined): OrderValue {
  if (key === undefined) return unboundOrder;
  const kind = kindOfKey(key);
  if (kind !== 'literal') {
    if (surrogate.test(key)) throw new FastPathFallback('astral characters in a comparison');
    return { rank: kindRank[kind], kind: 'string', number: 0, text: key };
  }
  const parts = literalParts(key);
  const type = numericTypeOf(parts.datatype);
  const number = numericValue(parts);
  if (type !== undefined && number !== undefined) {
    if (Number.isNaN(number)) throw new FastPathFallback('NaN in ORDER BY');
    return { rank: 3, kind: 'number', number, text: '', exact: () => numericOf(parts), long: !shortNumber(parts, type) };
  }
  const truth = booleanValue(parts);
  if (truth !== undefined) return { rank: 3, kind: 'number', number: Number(truth), text: 'boolean' };
  if (isString(parts) && !surrogate.test(parts.lexical)) return { rank: 3, kind: 'string', number: 0, text: parts.lexical };
  const date = parseDateTime(parts.lexical, parts.datatype);
  if (date) return { rank: 3, kind: 'date', number: date.local - (date.offset ?? 0) * 60_000, text: parts.datatype, zoned: date.offset !== undefined };
  return { rank: 3, kind: 'term', number: 0, text: key };
}

const fourteenHours = 14 * 3_600_000;

function compareInstants(a: OrderValue, b: OrderValue): number {
  if (a.zoned === b.zoned || Math.abs(a.number - b.number) > fourteenHours) return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
  throw new FastPathFallback('ordering a zoned and an unzoned time less than 14 hours apart');
}

/**
 * ORDER BY's order (Query §15.1): unbound, blank nodes, IRIs, literals; literals by `<`.
 * @throws FastPathFallback for literals `<` does not order (the order is then engine-specific).
 */
export function compareOrderValues(a: OrderValue, b: OrderValue): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  if (a.rank === 0) return 0;
  if (a.kind === b.kind && a.text === b.text && a.kind !== 'number' && a.kind !== 'date') return 0;
  // Numbers and booleans order among themselves only (the text marks booleans).
  if (a.kind === 'number' && b.kind === 'number' && a.text === b.text) {
    if (a.number !== b.number || !(a.long || b.long) || !a.exact || !b.exact) return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
    return compareNumeric(a.exact() as Numeric, b.exact() as Numeric);
  }
  if (a.kind === 'string' && b.kind === 'string') return a.text < b.text ? -1 : 1;
  if (a.kind === 'date' && b.kind === 'date' && a.text === b.text) return compareInstants(a, b);
  throw new FastPathFallback('ordering terms of different kinds');
}

/**
 * The effective boolean value (Query §17.2.2).
 * @throws ExpressionError for terms without one.
 */
export function effectiveBoolean(key: string): boolean {
  if (kindOfKey(key) !== 'literal') throw new ExpressionError('no effective boolean value');
  const parts = literalParts(key);
  if (parts.datatype === xsdBoolean) return booleanValue(parts) ?? false;
  if (isString(parts)) return parts.lexical.length > 0;
  const number = numericOf(parts);
  if (number !== undefined) return !isZero(number) && !isNaNValue(number);
  // An invalid lexical form of a numeric or boolean datatype has the value false.
  if (numericTypeOf(parts.datatype) !== undefined) return false;
  throw new ExpressionError('no effective boolean value');
}

/**
 * The string and language of a string literal (simple, xsd:string or language-tagged).
 * @throws ExpressionError for any other term.
 */
export function stringArgument(key: string): LiteralParts {
  if (kindOfKey(key) !== 'literal') throw new ExpressionError('not a string literal');
  const parts = literalParts(key);
  if (parts.datatype !== xsdString && parts.datatype !== rdfLangString) throw new ExpressionError('not a string literal');
  return parts;
}

/**
 * Whether two string arguments are compatible (Query §17.4.3.1.2).
 * @throws ExpressionError when they are not.
 */
export function checkCompatible(first: LiteralParts, second: LiteralParts): void {
  if (second.language !== '' && second.language !== first.language) throw new ExpressionError('incompatible string arguments');
}
