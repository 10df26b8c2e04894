/**
 * xsd:dateTime and xsd:date values and their order (XSD 1.1 §3.3.7, §3.3.9; XPath F&O §10.4): a
 * value with a time zone is an instant; one without is any of the instants 14 hours either side,
 * so against a zoned value it compares only when they are further apart than that.
 */

const xsd = 'http://www.w3.org/2001/XMLSchema#';
export const xsdDateTime = `${xsd}dateTime`;
export const xsdDate = `${xsd}date`;

export interface DateTimeValue {
  readonly datatype: 'dateTime' | 'date';
  /** Milliseconds since 1970-01-01T00:00:00 of the written local time (proleptic Gregorian). */
  readonly local: number;
  /** Minutes east of UTC; undefined when the value has no time zone. */
  readonly offset: number | undefined;
}

const dateTimeLexical = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const dateLexical = /^(-?\d{4,})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/;

function offsetMinutes(zone: string | undefined): number | undefined | null {
  if (zone === undefined) return undefined;
  if (zone === 'Z') return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (hours > 14 || minutes > 59 || (hours === 14 && minutes > 0)) return null;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

function localTime(year: number, month: number, day: number, hours: number, minutes: number, seconds: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || minutes > 59 || seconds >= 60) return undefined;
  // 24:00:00 is the first instant of the next day (XSD 1.1 §3.3.7).
  if (hours > 24 || (hours === 24 && (minutes !== 0 || seconds !== 0))) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hours, minutes, 0, 0);
  return date.getTime() + seconds * 1000;
}

/** The value of an xsd:dateTime or xsd:date literal; undefined for other datatypes and invalid lexical forms. */
export function parseDateTime(lexical: string, datatype: string): DateTimeValue | undefined {
  if (datatype === xsdDateTime) {
    const match = dateTimeLexical.exec(lexical);
    if (!match) return undefined;
    const [, year, month, day, hours, minutes, seconds, fraction = '', zone] = match;
    const offset = offsetMinutes(zone);
    if (offset === null || /^-?0{4}$/.test(year as string)) return undefined;
    const local = localTime(Number(year), Number(month), Number(day), Number(hours), Number(minutes), Number(`${seconds}${fraction}`));
    return local === undefined ? undefined : { datatype: 'dateTime', local, offset };
  }
  if (datatype === xsdDate) {
    const match = dateLexical.exec(lexical);
    if (!match) return undefined;
    const [, year, month, day, zone] = match;
    const offset = offsetMinutes(zone);
    if (offset === null || /^-?0{4}$/.test(year as string)) return undefined;
    const local = localTime(Number(year), Number(month), Number(day), 0, 0, 0);
    return local === undefined ? undefined : { datatype: 'date', local, offset };
  }
  return undefined;
}

const fourteenHours = 14 * 3_600_000;

/** The instant of a zoned value; for an unzoned one, its written time read as UTC. */
const instant = (value: DateTimeValue): number => value.local - (value.offset ?? 0) * 60_000;

/**
 * The order of two values of the same datatype: -1, 0 or 1, or undefined when it is
 * indeterminate (one has a time zone, the other not, and they are within 14 hours).
 */
export function compareDateTimes(left: DateTimeValue, right: DateTimeValue): number | undefined {
  const a = instant(left);
  const b = instant(right);
  if ((left.offset === undefined) === (right.offset === undefined)) return a < b ? -1 : a > b ? 1 : 0;
  if (a + fourteenHours < b) return -1;
  if (a - fourteenHours > b) return 1;
  return undefined;
}

/** `=`: a zoned and an unzoned value are never equal (XSD 1.1 §3.3.7: they are incomparable, not the same). */
export function equalDateTimes(left: DateTimeValue, right: DateTimeValue): boolean {
  if ((left.offset === undefined) !== (right.offset === undefined)) return false;
  return instant(left) === instant(right);
}
