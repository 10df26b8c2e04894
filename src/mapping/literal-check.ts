/** Lexical-form checks for the XSD datatypes government tables use, so bad cells are caught early. */
const xsd = 'http://www.w3.org/2001/XMLSchema#';

const zone = '(?:Z|[+-](?:(?:0\\d|1[0-3]):[0-5]\\d|14:00))?';
const date = '-?(?:[1-9]\\d{3,}|0\\d{3})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])';
const time = '(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?';

const lexicalForms: ReadonlyMap<string, RegExp> = new Map([
  [`${xsd}integer`, /^[+-]?\d+$/],
  [`${xsd}int`, /^[+-]?\d+$/],
  [`${xsd}long`, /^[+-]?\d+$/],
  [`${xsd}nonNegativeInteger`, /^\+?\d+$|^-0+$/],
  [`${xsd}positiveInteger`, /^\+?0*[1-9]\d*$/],
  [`${xsd}decimal`, /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/],
  [`${xsd}double`, /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF|NaN)$/],
  [`${xsd}float`, /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF|NaN)$/],
  [`${xsd}boolean`, /^(?:true|false|1|0)$/],
  [`${xsd}date`, new RegExp(`^${date}${zone}$`)],
  [`${xsd}dateTime`, new RegExp(`^${date}T(?:${time}|24:00:00(?:\\.0+)?)${zone}$`)],
  [`${xsd}time`, new RegExp(`^${time}${zone}$`)],
  [`${xsd}gYear`, new RegExp(`^-?\\d{4,}${zone}$`)],
]);

/** Whether `value` is a valid lexical form of `datatype` (datatypes not listed here are accepted). */
export function isValidLexicalForm(value: string, datatype: string): boolean {
  const form = lexicalForms.get(datatype);
  if (!form) return true;
  if (!form.test(value)) return false;
  if (datatype === `${xsd}date` || datatype === `${xsd}dateTime`) {
    const match = /^(-?\d+)-(\d{2})-(\d{2})/.exec(value)!;
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
    return day <= days;
  }
  return true;
}

const languageTag =
  /^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[\da-wyz](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?|x(?:-[a-z\d]{1,8})+)$/i;

/**
 * BCP 47 well-formedness (RFC 5646 §2.1), without the registry. Primary subtags of 5 to 8
 * letters are grammatical but none is registered, so `english` is refused as a typo.
 */
export function isLanguageTag(tag: string): boolean {
  return languageTag.test(tag);
}
