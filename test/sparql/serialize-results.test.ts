/** Results syntaxes: each written result reads back (with the suite readers) as the same solutions. */
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory } from '../../src/rdf/index.ts';
import type { BindingsResult } from '../../src/sparql/engine.ts';
import { serializeResults } from '../../src/sparql/index.ts';
import { asCsvRow, compareResultSets, parseCsv, parseSrj, parseSrx, parseTsv, type Row } from './support/result-sets.ts';

const { namedNode, literal, blankNode } = DataFactory;
// The RDF/JS typing marks variable() optional; N3's factory has it.
const variable = DataFactory.variable!;
const xsd = 'http://www.w3.org/2001/XMLSchema#';

const rows: Row[] = [
  new Map<string, RDF.Term>([
    ['s', namedNode('http://example.org/a?x=1&y=<2>')],
    ['o', literal('dice "hola",\ny\tadiós', 'es-CO')],
  ]),
  new Map<string, RDF.Term>([
    ['s', blankNode('b0')],
    ['o', literal('3.5', namedNode(`${xsd}decimal`))],
  ]),
  new Map<string, RDF.Term>([['o', literal('plain')]]),
];

function result(): BindingsResult {
  const variables = [variable('s'), variable('o')];
  async function* bindings(): AsyncGenerator<RDF.Bindings> {
    for (const row of rows) {
      // Only what the serialiser uses of RDF/JS Bindings: iteration and get().
      const entries = [...row].map(([name, term]) => [variable(name), term] as [RDF.Variable, RDF.Term]);
      yield {
        get: (key: RDF.Variable | string) => row.get(typeof key === 'string' ? key : key.value),
        [Symbol.iterator]: () => entries[Symbol.iterator](),
      } as unknown as RDF.Bindings;
    }
  }
  return { type: 'bindings', variables, bindings: bindings(), truncated: () => false };
}

async function write(format: 'json' | 'xml' | 'csv' | 'tsv'): Promise<string> {
  let text = '';
  for await (const chunk of serializeResults(result(), { format })) text += chunk;
  return text;
}

const expected = { type: 'bindings' as const, variables: ['s', 'o'], rows, ordered: false };

test('JSON round-trips terms, languages, datatypes and blank nodes', async () => {
  assert.is(compareResultSets(parseSrj(await write('json')), expected, true), undefined);
});

test('XML round-trips and escapes markup', async () => {
  const text = await write('xml');
  assert.not.match(text, /<2>/);
  assert.is(compareResultSets(parseSrx(text), expected, true), undefined);
});

test('TSV round-trips terms in Turtle form', async () => {
  assert.is(compareResultSets(parseTsv(await write('tsv')), expected, true), undefined);
});

test('CSV quotes commas, quotes and line breaks', async () => {
  const text = await write('csv');
  assert.ok(text.startsWith('s,o\r\n'));
  assert.is(compareResultSets(parseCsv(text), { ...expected, rows: rows.map(asCsvRow) }, true), undefined);
});

test('ASK results', async () => {
  let json = '';
  for await (const chunk of serializeResults({ type: 'boolean', value: true }, { format: 'json' })) json += chunk;
  assert.equal(JSON.parse(json), { head: {}, boolean: true });
  let xml = '';
  for await (const chunk of serializeResults({ type: 'boolean', value: false }, { format: 'xml' })) xml += chunk;
  assert.equal(parseSrx(xml), { type: 'boolean', value: false });
});

test.run();
