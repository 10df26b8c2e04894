/** JSON logical sources: a JSONPath iterator over the document, JSONPath references per record. */
import { readFile } from 'node:fs/promises';
import { JSONPath } from 'jsonpath-plus';
import { decompress } from './archive.js';
import type { LogicalSource } from './plan.js';
import { decodeText, type InvalidSequence } from './read-text.js';
import { ReferenceValueError, rowNumberReference, type SourceRecord, type Value } from './source-record.js';

const xsd = 'http://www.w3.org/2001/XMLSchema#';

/** `$.a.b` references without filters or wildcards: read directly, the common fast path. */
const simplePath = /^\$((?:\.[A-Za-z_][\w-]*)+)$/;

/** A reference as a JSONPath: `Name` is read as `$.Name` (legacy RML), `$...` as is. */
export function toJsonPath(reference: string): string {
  if (reference.startsWith('$') || reference.startsWith('@')) return reference;
  if (/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/.test(reference)) return `$.${reference}`;
  return `$[${JSON.stringify(reference)}]`;
}

/**
 * Evaluates a JSONPath on a value.
 * @throws Error for a path that jsonpath-plus cannot parse.
 */
export function evaluateJsonPath(path: string, json: unknown): unknown[] {
  const simple = simplePath.exec(path);
  if (simple) {
    let node: unknown = json;
    for (const key of simple[1]!.slice(1).split('.')) {
      if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, key)) return [];
      node = (node as Record<string, unknown>)[key];
    }
    return [node];
  }
  if (/\]\]|\[\[/.test(path) || (path.match(/\[/g)?.length ?? 0) !== (path.match(/\]/g)?.length ?? 0)) {
    throw new Error(`invalid JSONPath "${path}"`);
  }
  return JSONPath({ path, json: json as object, wrap: true }) as unknown[];
}

function toValues(matches: readonly unknown[], natural: boolean): Value[] {
  const values: Value[] = [];
  const add = (item: unknown) => {
    if (item === null || item === undefined) return;
    if (typeof item === 'object') {
      throw new ReferenceValueError(`the reference gives a JSON ${Array.isArray(item) ? 'array' : 'object'}, not a value (iterate it with [*])`);
    }
    if (typeof item === 'string') values.push({ text: item });
    else if (typeof item === 'number') {
      const integer = Number.isInteger(item);
      values.push({ text: String(item), datatype: natural ? (integer ? `${xsd}integer` : `${xsd}double`) : undefined });
    } else if (typeof item === 'boolean') values.push({ text: String(item), datatype: natural ? `${xsd}boolean` : undefined });
  };
  matches.forEach(add);
  return values;
}

/** `line:column` (1-based, columns in characters) of a byte of a UTF-8 document. */
function position(bytes: Buffer, byteOffset: number): string {
  const lineStart = bytes.lastIndexOf(0x0a, byteOffset - 1) + 1;
  let line = 1;
  for (let at = bytes.indexOf(0x0a); at !== -1 && at < byteOffset; at = bytes.indexOf(0x0a, at + 1)) line++;
  let column = 1;
  for (let i = lineStart; i < byteOffset; i++) if ((bytes[i]! & 0xc0) !== 0x80) column++;
  return `${line}:${column}`;
}

/**
 * Which value holds which invalid sequence is lost once the document is parsed: a value with a
 * U+FFFD is refused when the file had invalid sequences (also one whose U+FFFD the file held
 * itself, should a file have both), the message listing where they are.
 */
function encodingProblem(bytes: Buffer, invalid: readonly InvalidSequence[]): string {
  const shown = invalid.slice(0, 3).map((sequence) => `bytes ${sequence.bytes} at ${position(bytes, sequence.byteOffset)}`);
  return `the value has bytes that are not UTF-8 (the file has ${invalid.length}: ${shown.join(', ')}${invalid.length > 3 ? ', …' : ''})`;
}

/**
 * Reads a JSON file and yields one record per iterator match. A reference without a match in a
 * record is null there; `matched` collects the references that matched somewhere, because one
 * that never matches is a mistake in the mapping rather than a gap in the data. JSON is parsed whole (a JSON
 * document has no record boundaries to stream on); the records themselves are yielded lazily.
 * `_row` is the match's 1-based number.
 * @throws Error for invalid JSON or an invalid iterator; the file system's error; EncodingMismatchError.
 */
export async function* readJson(source: LogicalSource, naturalDatatypes: boolean, matched?: Set<string>): AsyncGenerator<SourceRecord> {
  let bytes: Buffer = await readFile(source.path);
  if (source.compression !== undefined) bytes = decompress(bytes, source.compression);
  const invalid: InvalidSequence[] = [];
  const text = await decodeText(bytes, { encoding: source.encoding, onReplacement: (sequence) => {
      if (sequence) invalid.push(sequence);
    },
  });
  const document: unknown = JSON.parse(text);
  const items = evaluateJsonPath(source.iterator ?? '$', document);
  const cache = new Map<string, string>();
  const nulls = new Set(source.nullValues);
  let rowNumber = 0;
  for (const item of items.flatMap((match) => (Array.isArray(match) && source.iterator === undefined ? match : [match]))) {
    const row = ++rowNumber;
    yield {
      line: undefined,
      problems: [],
      lookup(reference: string): readonly Value[] | undefined {
        let path = cache.get(reference);
        if (path === undefined) {
          path = toJsonPath(reference);
          cache.set(reference, path);
        }
        const matches = evaluateJsonPath(path, item);
        if (matches.length === 0 && reference !== rowNumberReference) return [];
        matched?.add(reference);
        if (matches.length === 0) return [{ text: String(row) }];
        const found = toValues(matches, naturalDatatypes);
        const values = nulls.size > 0 ? found.filter((value) => !nulls.has(value.text)) : found;
        if (invalid.length > 0 && values.some((value) => value.text.includes('\uFFFD'))) throw new ReferenceValueError(encodingProblem(bytes, invalid), 'invalid-encoding');
        return values;
      },
    };
  }
}
