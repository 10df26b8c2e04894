/** RFC 6570 URI templates (levels 1–4, without prefix modifiers), as CSVW's aboutUrl/propertyUrl/valueUrl use them. */

/** A variable's value: a string, a list of strings, or absent. */
export type TemplateValue = string | readonly string[] | undefined;

const unreserved = /[A-Za-z0-9\-._~]/;
const reserved = /[:/?#[\]@!$&'()*+,;=]/;

const plainUnreserved = /^[A-Za-z0-9\-._~]*$/;
const plainReserved = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;

function encode(text: string, allowReserved: boolean): string {
  // Most values (codes, numbers, names) need no encoding at all.
  if ((allowReserved ? plainReserved : plainUnreserved).test(text)) return text;
  let out = '';
  for (const char of text) {
    if (unreserved.test(char) || (allowReserved && reserved.test(char))) out += char;
    else if (allowReserved && char === '%') out += char;
    else out += encodeURIComponent(char).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  }
  return out;
}

interface Operator {
  readonly first: string;
  readonly separator: string;
  readonly named: boolean;
  readonly ifEmpty: string;
  readonly allowReserved: boolean;
}

const operators: Record<string, Operator> = {
  '': { first: '', separator: ',', named: false, ifEmpty: '', allowReserved: false },
  '+': { first: '', separator: ',', named: false, ifEmpty: '', allowReserved: true },
  '#': { first: '#', separator: ',', named: false, ifEmpty: '', allowReserved: true },
  '.': { first: '.', separator: '.', named: false, ifEmpty: '', allowReserved: false },
  '/': { first: '/', separator: '/', named: false, ifEmpty: '', allowReserved: false },
  ';': { first: ';', separator: ';', named: true, ifEmpty: '', allowReserved: false },
  '?': { first: '?', separator: '&', named: true, ifEmpty: '=', allowReserved: false },
  '&': { first: '&', separator: '&', named: true, ifEmpty: '=', allowReserved: false },
};

/**
 * Expands a URI template (RFC 6570 §3) with the given variables.
 * @throws never: malformed expressions are copied literally.
 */
export function expandUriTemplate(template: string, variables: (name: string) => TemplateValue): string {
  return template.replace(/\{([^{}]*)\}/g, (whole, body: string) => {
    const opChar = /^[+#./;?&]/.test(body) ? body[0]! : '';
    const operator = operators[opChar];
    if (!operator) return whole;
    const parts: string[] = [];
    for (const spec of body.slice(opChar.length).split(',')) {
      const explode = spec.endsWith('*');
      const name = explode ? spec.slice(0, -1) : spec.replace(/:\d+$/, '');
      const value = variables(name);
      if (value === undefined) continue;
      if (typeof value === 'string') {
        const encoded = encode(value, operator.allowReserved);
        parts.push(operator.named ? (value === '' ? `${name}${operator.ifEmpty}` : `${name}=${encoded}`) : encoded);
        continue;
      }
      if (value.length === 0) continue;
      if (explode) {
        parts.push(value.map((item) => (operator.named ? `${name}=${encode(item, operator.allowReserved)}` : encode(item, operator.allowReserved))).join(operator.separator));
      } else {
        const joined = value.map((item) => encode(item, operator.allowReserved)).join(',');
        parts.push(operator.named ? `${name}=${joined}` : joined);
      }
    }
    return parts.length === 0 ? '' : operator.first + parts.join(operator.separator);
  });
}
