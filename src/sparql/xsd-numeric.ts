/**
 * XSD numbers with their exact semantics (XPath F&O §4, SPARQL Query §17.3): xsd:integer of any
 * size and xsd:decimal as scaled BigInts (money never passes through binary floating point:
 * 0.1 + 0.2 = 0.3), xsd:float and xsd:double as IEEE values, and the type promotion table.
 */

const xsd = 'http://www.w3.org/2001/XMLSchema#';
export const xsdInteger = `${xsd}integer`;
export const xsdDecimal = `${xsd}decimal`;
export const xsdFloat = `${xsd}float`;
export const xsdDouble = `${xsd}double`;

/** The primitive numeric types in promotion order (XPath F&O §1.7.1: integer < decimal < float < double). */
export type NumericType = 'integer' | 'decimal' | 'float' | 'double';
const promotion: readonly NumericType[] = ['integer', 'decimal', 'float', 'double'];

export interface Numeric {
  readonly type: NumericType;
  /** integer and decimal: the value is `units` × 10^-`scale`, exactly; 0n for float and double. */
  readonly units: bigint;
  readonly scale: number;
  /** float and double: the IEEE value; integer and decimal: the nearest double. */
  readonly float: number;
}

const integerTypes = new Set(
  [
    'integer',
    'nonPositiveInteger',
    'negativeInteger',
    'long',
    'int',
    'short',
    'byte',
    'nonNegativeInteger',
    'unsignedLong',
    'unsignedInt',
    'unsignedShort',
    'unsignedByte',
    'positiveInteger',
  ].map((name) => xsd + name),
);

/** The numeric type of a datatype IRI (types derived from xsd:integer are integers); undefined when not numeric. */
export function numericTypeOf(datatype: string): NumericType | undefined {
  if (datatype === xsdInteger || integerTypes.has(datatype)) return 'integer';
  if (datatype === xsdDecimal) return 'decimal';
  if (datatype === xsdDouble) return 'double';
  if (datatype === xsdFloat) return 'float';
  return undefined;
}

/** `[+-]?[0-9]+` without a regular expression: this test runs for every numeric value read. */
export function isIntegerLexical(lexical: string): boolean {
  const start = lexical.charCodeAt(0) === 0x2b || lexical.charCodeAt(0) === 0x2d ? 1 : 0;
  if (lexical.length === start) return false;
  for (let index = start; index < lexical.length; index++) {
    const code = lexical.charCodeAt(index);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}
const decimalLexical = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const doubleLexical = /^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)$/;

function ieee(lexical: string): number {
  if (lexical.endsWith('INF')) return lexical.startsWith('-') ? -Infinity : Infinity;
  return Number(lexical);
}

/**
 * The nearest double of a numeric literal without building its exact value (comparisons of
 * short numbers need no more); undefined as for `parseNumeric`.
 */
export function numericNumber(lexical: string, datatype: string): number | undefined {
  const type = numericTypeOf(datatype);
  if (type === undefined) return undefined;
  if (type === 'integer') return isIntegerLexical(lexical) ? Number(lexical) : undefined;
  if (type === 'decimal') return decimalLexical.test(lexical) ? Number(lexical) : undefined;
  if (!doubleLexical.test(lexical)) return undefined;
  return type === 'float' ? Math.fround(ieee(lexical)) : ieee(lexical);
}

/**
 * The value of a numeric literal; undefined when the datatype is not numeric or the lexical form
 * is not valid for it (an ill-typed literal, which has no value).
 */
export function parseNumeric(lexical: string, datatype: string): Numeric | undefined {
  const type = numericTypeOf(datatype);
  if (type === undefined) return undefined;
  if (type === 'integer') {
    if (!isIntegerLexical(lexical)) return undefined;
    const units = BigInt(lexical);
    return { type, units, scale: 0, float: Number(units) };
  }
  if (type === 'decimal') {
    if (!decimalLexical.test(lexical)) return undefined;
    const point = lexical.indexOf('.');
    const fraction = point < 0 ? '' : lexical.slice(point + 1);
    const whole = point < 0 ? lexical : lexical.slice(0, point);
    const units = BigInt(`${whole.replace(/^[+-]$/, (sign) => `${sign}0`) || '0'}${fraction}`);
    return { type, units, scale: fraction.length, float: Number(lexical) };
  }
  if (!doubleLexical.test(lexical)) return undefined;
  const value = ieee(lexical);
  return { type, units: 0n, scale: 0, float: type === 'float' ? Math.fround(value) : value };
}

/** An integer's or decimal's units and scale when the units are a safe integer (what `NumericSum.addExact` takes). */
export interface SmallExact {
  readonly type: 'integer' | 'decimal';
  readonly units: number;
  readonly scale: number;
}

/** Digits a double holds exactly (every integer below 10^15 is one). */
const smallDigits = 15;

/**
 * The units and scale of a valid integer or decimal literal of at most 15 significant digits,
 * without a BigInt; undefined for anything else (other types, longer numbers, invalid forms).
 */
export function smallExact(lexical: string, datatype: string): SmallExact | undefined {
  const type = numericTypeOf(datatype);
  if (type !== 'integer' && type !== 'decimal') return undefined;
  if (type === 'integer' ? !isIntegerLexical(lexical) : !decimalLexical.test(lexical)) return undefined;
  const point = lexical.indexOf('.');
  const scale = point < 0 ? 0 : lexical.length - point - 1;
  const digits = point < 0 ? lexical : lexical.slice(0, point) + lexical.slice(point + 1);
  let first = digits.charCodeAt(0) === 0x2b || digits.charCodeAt(0) === 0x2d ? 1 : 0;
  while (first < digits.length - 1 && digits.charCodeAt(first) === 0x30) first++;
  if (digits.length - first > smallDigits) return undefined;
  // Number reads the sign and leading zeros; `|| 0` makes "-0" plain 0.
  const units = Number(digits) || 0;
  return { type, units, scale };
}

const powers: bigint[] = [1n];
function tenTo(exponent: number): bigint {
  for (let known = powers.length; known <= exponent; known++) powers.push((powers[known - 1] as bigint) * 10n);
  return powers[exponent] as bigint;
}

function rescaled(value: Numeric, scale: number): bigint {
  return value.units * tenTo(scale - value.scale);
}

const isExact = (type: NumericType): boolean => type === 'integer' || type === 'decimal';

/** The type both operands are promoted to (Query §17.3, XPath F&O §B.1). */
export function promotedType(left: NumericType, right: NumericType): NumericType {
  return promotion[Math.max(promotion.indexOf(left), promotion.indexOf(right))] as NumericType;
}

function asFloat(value: Numeric, type: NumericType): number {
  return type === 'float' ? Math.fround(value.float) : value.float;
}

/** -1, 0 or 1; NaN when either is NaN (every comparison with NaN is false). */
export function compareNumeric(left: Numeric, right: Numeric): number {
  const type = promotedType(left.type, right.type);
  if (isExact(type)) {
    const scale = Math.max(left.scale, right.scale);
    const a = rescaled(left, scale);
    const b = rescaled(right, scale);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const a = asFloat(left, type);
  const b = asFloat(right, type);
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.NaN;
  return a < b ? -1 : a > b ? 1 : 0;
}

function exact(type: 'integer' | 'decimal', units: bigint, scale: number): Numeric {
  return { type, units, scale, float: Number(units) / 10 ** scale };
}

function floating(type: 'float' | 'double', value: number): Numeric {
  return { type, units: 0n, scale: 0, float: type === 'float' ? Math.fround(value) : value };
}

/** Fractional digits of a decimal quotient (as Oxigraph's xsd:decimal, truncated towards zero). */
const quotientDigits = 18;

export type ArithmeticOperator = '+' | '-' | '*' | '/';

/**
 * `left op right` (XPath F&O §4.2): integer and decimal operands are exact; an integer division
 * gives a decimal (truncated after 18 fractional digits).
 * @returns undefined for a division by zero of exact operands (a SPARQL expression error).
 */
export function arithmetic(operator: ArithmeticOperator, left: Numeric, right: Numeric): Numeric | undefined {
  const type = promotedType(left.type, right.type);
  if (type === 'float' || type === 'double') {
    const [a, b] = [asFloat(left, type), asFloat(right, type)];
    const value = operator === '+' ? a + b : operator === '-' ? a - b : operator === '*' ? a * b : a / b;
    return floating(type, value);
  }
  if (operator === '*') return exact(type, left.units * right.units, left.scale + right.scale);
  const scale = Math.max(left.scale, right.scale);
  const a = rescaled(left, scale);
  const b = rescaled(right, scale);
  if (operator === '+') return exact(type, a + b, scale);
  if (operator === '-') return exact(type, a - b, scale);
  if (b === 0n) return undefined;
  // BigInt division truncates towards zero, as the decimal quotient's last digit does.
  return exact('decimal', (a * tenTo(quotientDigits)) / b, quotientDigits);
}

/** -x (XPath F&O §4.2.8). */
export function negate(value: Numeric): Numeric {
  return isExact(value.type) ? exact(value.type as 'integer' | 'decimal', -value.units, value.scale) : floating(value.type as 'float' | 'double', -value.float);
}

export function isZero(value: Numeric): boolean {
  return isExact(value.type) ? value.units === 0n : value.float === 0;
}

export function isNaNValue(value: Numeric): boolean {
  return !isExact(value.type) && Number.isNaN(value.float);
}

export const integerNumeric = (value: number | bigint): Numeric => exact('integer', BigInt(value), 0);

/** ABS, CEIL, FLOOR, ROUND (XPath F&O §4.4; ROUND rounds halves towards positive infinity). */
export function rounding(fn: 'abs' | 'ceil' | 'floor' | 'round', value: Numeric): Numeric {
  if (!isExact(value.type)) {
    const x = value.float;
    const result = fn === 'abs' ? Math.abs(x) : fn === 'ceil' ? Math.ceil(x) : fn === 'floor' ? Math.floor(x) : Math.round(x);
    return floating(value.type as 'float' | 'double', Object.is(x, -0) && fn !== 'abs' ? -0 : result);
  }
  const type = value.type as 'integer' | 'decimal';
  if (fn === 'abs') return exact(type, value.units < 0n ? -value.units : value.units, value.scale);
  const unit = tenTo(value.scale);
  const truncated = value.units / unit;
  const remainder = value.units - truncated * unit;
  let whole = truncated;
  if (fn === 'floor' && remainder < 0n) whole -= 1n;
  else if (fn === 'ceil' && remainder > 0n) whole += 1n;
  else if (fn === 'round' && 2n * remainder >= unit) whole += 1n;
  else if (fn === 'round' && 2n * remainder < -unit) whole -= 1n;
  return exact(type, whole, 0);
}

/** A double's shortest decimal digits without an exponent, as Oxigraph writes them ("1250", "0.0000001"). */
function plainDigits(shortest: string): string {
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(shortest);
  if (!match) return shortest;
  const [, sign, first, rest = '', exponentText] = match;
  const digits = `${first}${rest}`;
  const exponent = Number(exponentText);
  if (exponent >= 0) return `${sign}${digits.padEnd(exponent + 1, '0').slice(0, exponent + 1)}${digits.length > exponent + 1 ? `.${digits.slice(exponent + 1)}` : ''}`;
  return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
}

function floatLexical(type: 'float' | 'double', value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'INF';
  if (value === -Infinity) return '-INF';
  if (Object.is(value, -0)) return '-0';
  if (type === 'double') return plainDigits(String(value));
  // The shortest digits that read back as the same float.
  for (let precision = 1; precision < 10; precision++) {
    const candidate = Number(value.toPrecision(precision));
    if (Math.fround(candidate) === value) return plainDigits(String(candidate));
  }
  return plainDigits(String(value));
}

/** The canonical lexical form (XSD 1.1: no trailing fractional zeros, "3" for an integral decimal). */
export function numericLexical(value: Numeric): string {
  if (!isExact(value.type)) return floatLexical(value.type as 'float' | 'double', value.float);
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, '0');
  const whole = digits.slice(0, digits.length - value.scale);
  const fraction = digits.slice(digits.length - value.scale).replace(/0+$/, '');
  return `${negative && (whole !== '0' || fraction !== '') ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

export function numericDatatype(type: NumericType): string {
  return { integer: xsdInteger, decimal: xsdDecimal, float: xsdFloat, double: xsdDouble }[type];
}

/**
 * A running SUM (and AVG's sum): exact while every value is exact, kept as a number of units
 * while that stays a safe integer (the common case of money with cents), BigInt beyond.
 */
export class NumericSum {
  #type: NumericType = 'integer';
  #units: number | bigint = 0;
  #scale = 0;
  #float = 0;

  add(value: Numeric): void {
    const type = promotedType(this.#type, value.type);
    if (!isExact(type)) {
      // Values are added in order: the exact sum so far becomes a float or double when one arrives.
      if (isExact(this.#type)) this.#float = Number(BigInt(this.#units)) / 10 ** this.#scale;
      this.#type = type;
      this.#float = type === 'float' ? Math.fround(this.#float + Math.fround(value.float)) : this.#float + value.float;
      return;
    }
    this.#type = type;
    if (value.scale > this.#scale) {
      this.#units = BigInt(this.#units) * tenTo(value.scale - this.#scale);
      this.#scale = value.scale;
    }
    const addend = value.units * tenTo(this.#scale - value.scale);
    if (typeof this.#units === 'number' && addend <= safeUnits && addend >= -safeUnits) {
      const next = this.#units + Number(addend);
      if (Number.isSafeInteger(next)) {
        this.#units = next;
        return;
      }
    }
    const total = BigInt(this.#units) + addend;
    this.#units = total <= safeUnits && total >= -safeUnits ? Number(total) : total;
  }

  /**
   * Adds the integer or decimal `units` × 10^-`scale`, as `add` would: in plain numbers while the
   * sum's units stay safe integers (summing a million decimals then makes no BigInt).
   */
  addExact(type: 'integer' | 'decimal', units: number, scale: number): void {
    const current = this.#units;
    if (typeof current === 'number' && isExact(this.#type)) {
      const target = Math.max(scale, this.#scale);
      // 10^k is an exact double up to k = 22; beyond it the products are no safe integers anyway.
      const base = target === this.#scale ? current : current * 10 ** (target - this.#scale);
      const addend = target === scale ? units : units * 10 ** (target - scale);
      const next = base + addend;
      if (Number.isSafeInteger(base) && Number.isSafeInteger(addend) && Number.isSafeInteger(next)) {
        this.#type = promotedType(this.#type, type);
        this.#units = next;
        this.#scale = target;
        return;
      }
    }
    this.add(exact(type, BigInt(units), scale));
  }

  get value(): Numeric {
    if (isExact(this.#type)) return exact(this.#type as 'integer' | 'decimal', BigInt(this.#units), this.#scale);
    return floating(this.#type as 'float' | 'double', this.#float);
  }
}

const safeUnits = BigInt(Number.MAX_SAFE_INTEGER);
