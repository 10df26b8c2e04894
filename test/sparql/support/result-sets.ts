/** Reading SPARQL result sets (SRX, SRJ, TSV, CSV, RDF result-set vocabulary) and comparing them up to blank-node renaming. */
import type * as RDF from '@rdfjs/types';
import { DataFactory } from '../../../src/rdf/index.ts';
import { sameGraph } from '../../support/graphs.ts';

const { namedNode, literal, blankNode, quad } = DataFactory;
const xsd = 'http://www.w3.org/2001/XMLSchema#';
const rs = 'http://www.w3.org/2001/sw/DataAccess/tests/result-set#';
const rdfType = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

export type Row = ReadonlyMap<string, RDF.Term>;
export type ResultSet =
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'bindings'; readonly variables: readonly string[]; readonly rows: readonly Row[]; readonly ordered: boolean };

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return entities[name] ?? whole;
  });
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(tag);
  return match ? unescapeXml(match[2] ?? match[3] ?? '') : undefined;
}

/** SPARQL Query Results XML Format; the files in the suites are regular enough for a scanner. */
export function parseSrx(text: string): ResultSet {
  const body = text.replace(/<!--[\s\S]*?-->/g, '');
  const boolean = /<boolean>\s*(true|false)\s*<\/boolean>/.exec(body);
  if (boolean) return { type: 'boolean', value: boolean[1] === 'true' };
  const variables = [...body.matchAll(/<variable\s[^>]*>/g)].map((match) => attribute(match[0], 'name') ?? '');
  const rows: Row[] = [];
  for (const result of body.matchAll(/<result\s*>([\s\S]*?)<\/result>|<result\s*\/>/g)) {
    const row = new Map<string, RDF.Term>();
    for (const binding of (result[1] ?? '').matchAll(/<binding\s([^>]*)>([\s\S]*?)<\/binding>/g)) {
      const name = attribute(binding[1] ?? '', 'name') ?? '';
      const inner = binding[2] ?? '';
      const uri = /<uri>([\s\S]*?)<\/uri>/.exec(inner);
      const bnode = /<bnode>([\s\S]*?)<\/bnode>/.exec(inner);
      const lit = /<literal([^>]*?)(?:\/>|>([\s\S]*?)<\/literal>)/.exec(inner);
      if (uri) row.set(name, namedNode(unescapeXml(uri[1]?.trim() ?? '')));
      else if (bnode) row.set(name, blankNode(unescapeXml(bnode[1]?.trim() ?? '')));
      else if (lit) {
        const language = attribute(lit[1] ?? '', 'xml:lang');
        const datatype = attribute(lit[1] ?? '', 'datatype');
        row.set(name, literal(unescapeXml(lit[2] ?? ''), language ?? (datatype ? namedNode(datatype) : undefined)));
      }
    }
    rows.push(row);
  }
  return { type: 'bindings', variables, rows, ordered: false };
}

interface JsonTerm {
  type: string;
  value: string;
  'xml:lang'?: string;
  datatype?: string;
}

/** SPARQL 1.1 Query Results JSON Format. */
export function parseSrj(text: string): ResultSet {
  const json = JSON.parse(text) as { head?: { vars?: string[] }; boolean?: boolean; results?: { bindings: Array<Record<string, JsonTerm>> } };
  if (typeof json.boolean === 'boolean') return { type: 'boolean', value: json.boolean };
  const rows = (json.results?.bindings ?? []).map((binding) => {
    const row = new Map<string, RDF.Term>();
    for (const [name, term] of Object.entries(binding)) {
      if (term.type === 'uri') row.set(name, namedNode(term.value));
      else if (term.type === 'bnode') row.set(name, blankNode(term.value));
      else row.set(name, literal(term.value, term['xml:lang'] ?? (term.datatype ? namedNode(term.datatype) : undefined)));
    }
    return row;
  });
  return { type: 'bindings', variables: json.head?.vars ?? [], rows, ordered: false };
}

/** One TSV cell: a term in Turtle syntax (numbers and booleans may be bare). */
function tsvTerm(cell: string): RDF.Term | undefined {
  if (cell === '') return undefined;
  if (cell.startsWith('<')) return namedNode(cell.slice(1, -1));
  if (cell.startsWith('_:')) return blankNode(cell.slice(2));
  const quoted = /^"((?:[^"\\]|\\.)*)"(?:@([\w-]+)|\^\^<([^>]*)>)?$/.exec(cell);
  if (quoted) {
    const value = (quoted[1] ?? '').replace(/\\(.)/g, (_, char: string) => ({ n: '\n', r: '\r', t: '\t' })[char] ?? char);
    return literal(value, quoted[2] ?? (quoted[3] ? namedNode(quoted[3]) : undefined));
  }
  if (cell === 'true' || cell === 'false') return literal(cell, namedNode(`${xsd}boolean`));
  if (/^[+-]?\d+$/.test(cell)) return literal(cell, namedNode(`${xsd}integer`));
  if (/^[+-]?\d*\.\d+$/.test(cell)) return literal(cell, namedNode(`${xsd}decimal`));
  return literal(cell, namedNode(`${xsd}double`));
}

/** SPARQL 1.1 TSV results. */
export function parseTsv(text: string): ResultSet {
  const lines = text.split(/\r?\n/);
  const variables = (lines[0] ?? '').split('\t').map((name) => name.replace(/^[?$]/, ''));
  const rows = lines
    .slice(1)
    .filter((line) => line !== '')
    .map((line) => {
      const row = new Map<string, RDF.Term>();
      line.split('\t').forEach((cell, index) => {
        const term = tsvTerm(cell);
        const name = variables[index];
        if (term && name) row.set(name, term);
      });
      return row;
    });
  return { type: 'bindings', variables, rows, ordered: false };
}

function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else cell += char;
  }
  if (cell !== '' || record.length > 0) {
    record.push(cell);
    records.push(record);
  }
  return records;
}

/** SPARQL 1.1 CSV results: CSV loses term kinds, so every cell is compared as text (blank nodes aside). */
export function parseCsv(text: string): ResultSet {
  const [header = [], ...records] = csvRecords(text);
  const rows = records.map((record) => {
    const row = new Map<string, RDF.Term>();
    record.forEach((cell, index) => {
      const name = header[index];
      if (name && cell !== '') row.set(name, cell.startsWith('_:') ? blankNode(cell.slice(2)) : literal(cell));
    });
    return row;
  });
  return { type: 'bindings', variables: header, rows, ordered: false };
}

/** What CSV keeps of a term, to compare our results with a CSV expectation. */
export function asCsvRow(row: Row): Row {
  return new Map([...row].map(([name, term]) => [name, term.termType === 'BlankNode' ? term : literal(term.value)]));
}

/** The RDF result-set vocabulary (`rs:ResultSet`) used by the SPARQL 1.0 suites. */
export function resultSetFromGraph(quads: readonly RDF.Quad[]): ResultSet | undefined {
  const objects = (subject: RDF.Term, predicate: string) =>
    quads.filter((q) => q.subject.equals(subject) && q.predicate.value === predicate).map((q) => q.object);
  const set = quads.find((q) => q.predicate.value === rdfType && q.object.value === `${rs}ResultSet`)?.subject;
  if (!set) return undefined;
  const boolean = objects(set, `${rs}boolean`)[0];
  if (boolean) return { type: 'boolean', value: boolean.value === 'true' };
  const variables = objects(set, `${rs}resultVariable`).map((term) => term.value);
  let ordered = false;
  const indexed = objects(set, `${rs}solution`).map((solution) => {
    const row = new Map<string, RDF.Term>();
    for (const binding of objects(solution, `${rs}binding`)) {
      const name = objects(binding, `${rs}variable`)[0];
      const value = objects(binding, `${rs}value`)[0];
      if (name && value) row.set(name.value, value);
    }
    const index = objects(solution, `${rs}index`)[0];
    if (index) ordered = true;
    return { row, index: index ? Number(index.value) : 0 };
  });
  indexed.sort((a, b) => a.index - b.index);
  return { type: 'bindings', variables, rows: indexed.map((entry) => entry.row), ordered };
}

const floating = new Set([`${xsd}decimal`, `${xsd}double`, `${xsd}float`]);

/**
 * Language tags are case-insensitive (BCP 47); decimals and floating-point numbers are compared by
 * value ("1.0" and "1" are the same xsd:decimal, "1.0E2" and "100" the same xsd:double): the suites'
 * expected files and engines differ in which lexical form they print. Integers stay exact.
 */
function normalise(term: RDF.Term): RDF.Term {
  if (term.termType !== 'Literal') return term;
  if (term.language !== '') return literal(term.value, term.language.toLowerCase());
  if (floating.has(term.datatype.value)) {
    const value = Number(term.value.replace(/^\+/, '').replace(/INF$/, 'Infinity'));
    if (!Number.isNaN(value) || term.value === 'NaN') return literal(String(value), term.datatype);
  }
  return term;
}

/** A result set as a graph, so rdf-isomorphic can match blank nodes across rows consistently. */
function asGraph(rows: readonly Row[], ordered: boolean): RDF.Quad[] {
  const quads: RDF.Quad[] = [];
  rows.forEach((row, index) => {
    const node = blankNode(`row${index}`);
    quads.push(quad(node, namedNode(rdfType), namedNode('urn:vinculo:test:Row')));
    if (ordered) quads.push(quad(node, namedNode('urn:vinculo:test:index'), literal(String(index))));
    for (const [name, term] of row) quads.push(quad(node, namedNode(`urn:vinculo:test:var:${name}`), normalise(term) as RDF.Quad_Object));
  });
  return quads;
}

/** Solutions with duplicates removed (up to blank-node labels), for REDUCED, whose cardinality is free. */
export function distinctRows(rows: readonly Row[]): Row[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = describeRow(row);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Compares result sets: same solutions up to blank-node renaming, in the same order when
 * `ordered` (the query has ORDER BY and the expectation is ordered).
 * @returns undefined when equal, else what differs.
 */
export function compareResultSets(actual: ResultSet, expected: ResultSet, ordered: boolean): string | undefined {
  if (actual.type === 'boolean' || expected.type === 'boolean') {
    if (actual.type === 'boolean' && expected.type === 'boolean' && actual.value === expected.value) return undefined;
    return `expected ${expected.type === 'boolean' ? expected.value : 'bindings'}, got ${actual.type === 'boolean' ? actual.value : 'bindings'}`;
  }
  if (actual.rows.length !== expected.rows.length) return `${actual.rows.length} rows, expected ${expected.rows.length}`;
  if (!sameGraph(asGraph(actual.rows, false), asGraph(expected.rows, false))) {
    const actualKeys = new Set(actual.rows.map(describeRow));
    const expectedKeys = new Set(expected.rows.map(describeRow));
    const missing = [...expectedKeys].filter((key) => !actualKeys.has(key)).slice(0, 2);
    const extra = [...actualKeys].filter((key) => !expectedKeys.has(key)).slice(0, 2);
    return `solutions differ; missing: ${missing.join(' | ') || 'none'}; unexpected: ${extra.join(' | ') || 'none'}`;
  }
  if (ordered && !sameGraph(asGraph(actual.rows, true), asGraph(expected.rows, true))) return 'same solutions, different order';
  return undefined;
}

function describeRow(row: Row): string {
  return [...row]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, term]) => `?${name}=${term.termType === 'Literal' ? `"${term.value}"^^${term.datatype.value}@${term.language}` : term.value}`).join(' ');
}
