/**
 * Building a compact graph: its radix-sorted permutations hold exactly the distinct triples in the
 * order a comparator sort gives, whatever order the rows came in; the loader's ids, remembered by
 * term object, are the dictionary's.
 */
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BadRequest } from '../../src/errors/index.ts';
import { DataFactory } from '../../src/rdf/index.ts';
import { CompactGraphBuilder, type PermutationRows, permutationArrays, type Rotation } from '../../src/store/compact-graph.ts';
import { IdTriples, SharedEntities } from '../../src/store/id-index.ts';
import { GraphLoader } from '../../src/store/storable-quad.ts';
import { random } from '../support/random.ts';

const { namedNode, literal, quad } = DataFactory;
const graph = namedNode('http://example.org/graph');

type Triple = readonly [number, number, number];

/** The rows of a permutation, expanded back to (first, second, third) triples in their stored order. */
function expand(rows: PermutationRows): Triple[] {
  const triples: Triple[] = [];
  rows.firstKeys.forEach((first, at) => {
    for (let pair = rows.secondStart[at] as number; pair < (rows.secondStart[at + 1] as number); pair++) {
      for (let row = rows.thirdStart[pair] as number; row < (rows.thirdStart[pair + 1] as number); row++) {
        triples.push([first, rows.secondKeys[pair] as number, rows.thirdKeys[row] as number]);
      }
    }
  });
  return triples;
}

/** The distinct triples rotated as `rotation` orders its keys, sorted by a comparator. */
function expected(triples: readonly Triple[], rotation: Rotation): Triple[] {
  const rotated = triples.map(([s, p, o]): Triple => (rotation === 'spo' ? [s, p, o] : rotation === 'pos' ? [p, o, s] : [o, s, p]));
  const distinct = [...new Map(rotated.map((triple) => [triple.join(' '), triple])).values()];
  return distinct.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
}

function built(triples: readonly Triple[]): ReturnType<CompactGraphBuilder['build']> {
  const entities = new SharedEntities();
  const builder = new CompactGraphBuilder();
  for (const [s, p, o] of triples) builder.add(s, p, o);
  return builder.build(entities, graph, entities.admittedIdOf(graph, () => undefined));
}

/** Random triples with many ties (few predicates, repeated objects, repeated rows), ids below and above 2^16. */
function randomTriples(count: number, seed: number, idRange: number): Triple[] {
  const next = random(seed);
  const id = (range: number) => 1 + Math.floor(next() * range);
  const triples: Triple[] = [];
  for (let index = 0; index < count; index++) {
    const triple: Triple = [id(idRange), id(6), next() < 0.5 ? id(40) : id(idRange)];
    triples.push(triple);
    if (next() < 0.1) triples.push(triple);
  }
  return triples;
}

/** Grouped by ascending subject, as a mapping writes records: short runs, and one run long enough to be radix sorted. */
function groupedTriples(seed: number): Triple[] {
  const next = random(seed);
  const triples: Triple[] = [];
  for (let subject = 1; subject <= 3000; subject += 1 + Math.floor(next() * 3)) {
    const run = subject === 1501 ? 500 : 1 + Math.floor(next() * 20);
    for (let row = 0; row < run; row++) triples.push([subject * 37, 1 + Math.floor(next() * 8), 1 + Math.floor(next() * 90_000)]);
    if (run > 2) triples.push(triples.at(-2) as Triple);
  }
  return triples;
}

for (const [name, triples] of [
  ['shuffled, ids below 2^16', randomTriples(20_000, 1, 3_000)],
  ['shuffled, ids across 2^16', randomTriples(20_000, 2, 300_000)],
  // Ids of 17 to 26 bits sort in two passes, wider ones in three.
  ['shuffled, ids across 2^26', randomTriples(20_000, 5, 2 ** 27)],
  ['shuffled, ids up to 2^32', randomTriples(20_000, 6, 2 ** 32 - 2)],
  ['grouped by ascending subject', groupedTriples(3)],
  ['grouped, one subject', groupedTriples(4).map(([, p, o]): Triple => [7, p, o])],
  ['one triple', [[5, 6, 7]] as Triple[]],
] as const) {
  test(`the permutations are the distinct triples in comparator order: ${name}`, () => {
    const graphRows = built(triples).rows;
    for (const rotation of ['spo', 'pos', 'osp'] as const) assert.equal(expand(graphRows[rotation]), expected(triples, rotation), rotation);
  });
}

test('permutations streamed in pieces are, each when given, the ones a full build holds', () => {
  // 150,000 rows: the long arrays come in several pieces.
  for (const triples of [randomTriples(150_000, 5, 300_000), groupedTriples(6), []]) {
    const builder = new CompactGraphBuilder();
    for (const [s, p, o] of triples) builder.add(s, p, o);
    const given = new Map<Rotation, Triple[]>();
    let pieces = 0;
    for (const [rotation, permutation] of builder.pieces()) {
      // Each array read piece by piece before the next is asked for, as a snapshot writes them.
      const arrays = Object.fromEntries(
        permutationArrays.map((name) => {
          const copies = [...(function* () {
            for (const piece of permutation.pieces(name)) yield Uint32Array.from(piece);
          })()];
          pieces += copies.length;
          return [name, Uint32Array.from(copies.flatMap((piece) => [...piece]))];
        }),
      ) as unknown as PermutationRows;
      assert.is(permutation.rows, arrays.thirdKeys.length);
      given.set(rotation, expand(arrays));
    }
    assert.ok(triples.length < 100_000 || pieces > 15, 'the long arrays came in several pieces');
    assert.is(builder.length, 0, 'the builder is empty afterwards');
    for (const rotation of ['spo', 'pos', 'osp'] as const) assert.equal(given.get(rotation), expected(triples, rotation), rotation);
  }
});

test('the loader remembers ids by term object: a reused predicate with new objects, a reused object under new predicates', () => {
  const entities = new SharedEntities();
  const loader = new GraphLoader(entities, graph, '');
  const [type, name] = [namedNode('http://example.org/type'), namedNode('http://example.org/name')];
  const shared = namedNode('http://example.org/Shared');
  const quads: RDF.Quad[] = [];
  for (let index = 0; index < 300; index++) {
    const subject = namedNode(`http://example.org/s${index % 120}`);
    quads.push(quad(subject, type, shared), quad(subject, name, literal(`n${index % 70}`)), quad(subject, namedNode(`http://example.org/p${index % 9}`), shared));
  }
  loader.addAll(quads);
  const compact = loader.finish();
  const triples = new IdTriples();
  compact.match(0, 0, 0, triples);
  const stored = new Set<string>();
  for (let at = 0; at < triples.length; at += 3) stored.add([0, 1, 2].map((offset) => entities.termOf(triples.data[at + offset] as number).value).join(' '));
  const given = new Set(quads.map((item) => `${item.subject.value} ${item.predicate.value} ${item.object.value}`));
  assert.equal([...stored].sort(), [...given].sort());
  assert.is(compact.size, given.size);
});

test('a batch relabels blank nodes with the prefix; a term N-Quads cannot carry stops it with BadRequest and gets no id', () => {
  const entities = new SharedEntities();
  const loader = new GraphLoader(entities, graph, 'd1_');
  const name = namedNode('http://example.org/name');
  const quads = Array.from({ length: 200 }, (_, index) => quad(DataFactory.blankNode(`b${index % 3}`), name, literal(`n${index}`)));
  loader.addAll(quads);
  const triples = new IdTriples();
  loader.finish().match(0, 0, 0, triples);
  const subjects = new Set<string>();
  for (let at = 0; at < triples.length; at += 3) subjects.add(entities.keyOf(triples.data[at] as number));
  assert.equal([...subjects].sort(), ['_:d1_b0', '_:d1_b1', '_:d1_b2']);
  assert.is(triples.length / 3, 200);

  const refusing = new GraphLoader(entities, graph, '');
  const bad = namedNode('http://example.org/with space');
  assert.throws(() => refusing.addAll([quad(namedNode('http://example.org/fine'), name, literal('x')), quad(bad, name, literal('y'))]), (error: Error) => error instanceof BadRequest);
  assert.is(entities.idOf(bad), undefined);
  // The loader is still usable: what it remembered from the failed batch was dropped.
  refusing.add(quad(namedNode('http://example.org/fine'), name, literal('z')));
  assert.is(refusing.finish().size, 1);
});

test.run();
