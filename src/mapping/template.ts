/** String templates (`http://ex.org/{ID}`) with `\{ \}` escapes, and the IRI-safe encoding of values. */
import type { TemplatePart } from './plan.js';

/**
 * Splits a template into text and references (RML-Core §8.3 / R2RML §7.4).
 * @throws Error describing the problem (unbalanced or nested braces, empty reference).
 */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let reference: string | undefined;
  for (let i = 0; i < template.length; i++) {
    const char = template[i]!;
    if (char === '\\') {
      const next = template[i + 1];
      if (next === '{' || next === '}' || next === '\\') {
        if (reference === undefined) text += next;
        else reference += next;
        i++;
        continue;
      }
      throw new Error(`invalid escape "\\${next ?? ''}" in template "${template}"`);
    }
    if (char === '{') {
      if (reference !== undefined) throw new Error(`nested "{" in template "${template}"`);
      if (text !== '') parts.push({ text });
      text = '';
      reference = '';
    } else if (char === '}') {
      if (reference === undefined) throw new Error(`unmatched "}" in template "${template}"`);
      if (reference === '') throw new Error(`empty reference "{}" in template "${template}"`);
      parts.push({ reference });
      reference = undefined;
    } else if (reference === undefined) text += char;
    else reference += char;
  }
  if (reference !== undefined) throw new Error(`unclosed "{" in template "${template}"`);
  if (text !== '') parts.push({ text });
  return parts;
}

const unreserved = /[A-Za-z0-9\-._~]/;

/** RFC 3987 `ucschar` (and `iprivate` is not allowed in the path): kept as is in IRIs. */
function isUcschar(code: number): boolean {
  return (
    (code >= 0xa0 && code <= 0xd7ff) ||
    (code >= 0xf900 && code <= 0xfdcf) ||
    (code >= 0xfdf0 && code <= 0xffef) ||
    (code >= 0x10000 && code <= 0xefffd && (code & 0xfffe) !== 0xfffe)
  );
}

/**
 * The IRI-safe form of a value (R2RML §7.3): every character that is not `iunreserved` is
 * percent-encoded as UTF-8, so `Bogotá, D.C.` becomes `Bogotá%2C%20D.C.`. RML-Core (§8.3)
 * keeps only RFC 3986 `unreserved` characters: with `asciiOnly`, `á` becomes `%C3%A1`.
 */
export function iriSafe(value: string, asciiOnly = false): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (unreserved.test(char) || (!asciiOnly && isUcschar(code))) out += char;
    else for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Whether a string starts with a URI scheme (`http:`), i.e. is not relative. */
export function hasScheme(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value);
}

/** An absolute IRI by RFC 3987's outline: a scheme, then no spaces or forbidden characters. */
export function isAbsoluteIri(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]*$/u.test(value);
}
