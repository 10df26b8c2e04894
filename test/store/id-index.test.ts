/** The id view of the embedded store that the SPARQL fast path reads (and the N3 internals it relies on). */
import { Readable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory, whenDone } from '../../src/rdf/index.ts';
import { type IdGraph, IdTriples, idGraphOf, SharedEntities, termOfKey } from '../../src/store/id-index.ts';
import { openStore } from '../../src/store/index.ts';

const { namedNode, literal, quad, blankNode } = DataFactory;
const ex = (name: string) => namedNode(`http://example.org/${name}`);

function matches(graph: IdGraph, s: number, p: number, o: number): number[] {
  const triples = new IdTriples();
  graph.match(s, p, o, triples);
  return [...triples.data.subarray(0, triples.length)];
}

test('stores made by one SharedEntities give a term the same id, and expose SPO/POS/OSP by id', () => {
  const entities = new SharedEntities();
  const first = entities.createStore();
  const second = entities.createStore();
  first.addQuad(quad(ex('a'), ex('p'), literal('1', namedNode('http://www.w3.org/2001/XMLSchema#integer'))));
  second.addQuad(quad(ex('b'), ex('p'), ex('a'), ex('g')));
  const a = entities.idOf(ex('a')) as number;
  const p = entities.idOf(ex('p')) as number;
  const one = entities.idOf(literal('1', namedNode('http://www.w3.org/2001/XMLSchema#integer'))) as number;
  assert.ok(a > 0 && p > 0 && one > 0);
  assert.is(entities.idOf(ex('never')), undefined);
  assert.is(entities.keyOf(one), '"1"^^http://www.w3.org/2001/XMLSchema#integer');
  assert.is(entities.idOfKey('"1"^^http://www.w3.org/2001/XMLSchema#integer'), one);
  const graphOfFirst = idGraphOf(first, entities.idOf(DataFactory.defaultGraph()) as number) as IdGraph;
  const graphOfSecond = idGraphOf(second, entities.idOf(ex('g')) as number) as IdGraph;
  assert.equal(matches(graphOfFirst, a, p, 0), [a, p, one], 'SPO');
  const b = entities.idOf(ex('b')) as number;
  assert.equal(matches(graphOfSecond, 0, p, a), [b, p, a], 'POS: the same id for ex:a in the other store');
  assert.equal(matches(graphOfSecond, 0, 0, a), [b, p, a], 'OSP');
  assert.equal([graphOfSecond.count(0, p, a), graphOfSecond.count(b, 0, a), graphOfSecond.count(a, 0, 0)], [1, 1, 0]);
  assert.equal(graphOfFirst.predicateStatistics(p), { size: 1, objects: 1 });
});

test('keys turn back into the terms they came from', () => {
  const entities = new SharedEntities();
  const store = entities.createStore();
  const terms = [ex('x'), namedNode('<odd>'), blankNode('b1'), literal('hola', 'es'), literal('dos "comillas"'), literal('5', namedNode('http://www.w3.org/2001/XMLSchema#decimal'))];
  for (const term of terms) store.addQuad(quad(ex('s'), ex('p'), term));
  for (const term of terms) {
    const id = entities.idOf(term) as number;
    assert.ok(termOfKey(entities.keyOf(id)).equals(term), `${term.termType} ${term.value}`);
  }
});

test('the embedded store: every graph shares the ids; union and default-graph views', async () => {
  const store = await openStore({ baseIRI: 'http://example.org/' });
  await store.putDataset('uno', (async function* () {
    yield quad(ex('a'), ex('p'), ex('b'));
  })());
  await store.write(async (target) => {
    await whenDone(target.import(Readable.from([quad(ex('b'), ex('p'), ex('c'))])));
  });
  const index = store.quadIndex;
  const union = index.defaultGraphs('union');
  const unnamed = index.defaultGraphs('store');
  assert.is(union.length, 2);
  assert.is(unnamed.length, 1);
  const b = index.idOf(ex('b')) as number;
  const p = index.idOf(ex('p')) as number;
  assert.ok(union.some((graph) => graph.count(0, p, b) === 1) && union.some((graph) => graph.count(b, 0, 0) === 1), 'ex:b is one id in both graphs');
  await store.close();
});

test.run();
