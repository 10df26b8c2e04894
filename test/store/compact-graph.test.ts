/** The compact (typed-array) graph answers every pattern exactly as an N3 store holding the same quads. */
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory, whenDone } from '../../src/rdf/index.ts';
import { type IdGraph, IdTriples, idGraphsOf, SharedEntities } from '../../src/store/id-index.ts';
import { openStore } from '../../src/store/index.ts';
import { GraphLoader } from '../../src/store/storable-quad.ts';

const { namedNode, literal, quad, blankNode } = DataFactory;
const ex = (name: string | number) => namedNode(`http://example.org/${name}`);
const graph = ex('graph');

/** Quads with repeats, shared objects, literals and blank nodes: about 600 distinct terms. */
function sample(): RDF.Quad[] {
  const quads: RDF.Quad[] = [];
  for (let index = 0; index < 1200; index++) {
    const subject = index % 7 === 0 ? blankNode(`b${index % 11}`) : ex(`s${index % 211}`);
    const predicate = ex(`p${index % 5}`);
    const object = index % 3 === 0 ? ex(`s${index % 13}`) : index % 3 === 1 ? literal(String(index % 307), ex('type')) : literal(`v${index % 101}`, 'es');
    quads.push(quad(subject, predicate, object, graph));
  }
  return [...quads, ...quads.slice(0, 50)];
}

function loaded(padding: number): { entities: SharedEntities; reference: IdGraph; compact: ReturnType<GraphLoader['finish']>; quads: RDF.Quad[] } {
  const entities = new SharedEntities();
  for (let index = 0; index < padding; index++) entities.admittedIdOf(ex(`padding${index}`), () => undefined);
  const quads = sample();
  const loader = new GraphLoader(entities, graph, '');
  loader.addAll(quads);
  const compact = loader.finish();
  const store = entities.createStore();
  // The loader relabels nothing here (labels are plain), so the N3 store holds the same terms.
  for (const item of quads) store.addQuad(item);
  const [reference] = idGraphsOf(store) as [IdGraph];
  return { entities, reference, compact, quads };
}

function matched(source: IdGraph, s: number, p: number, o: number): number[] {
  const triples = new IdTriples();
  source.match(s, p, o, triples);
  return [...triples.data.subarray(0, triples.length)];
}

// Ids from 65,001 on span several 256-blocks below 2^16 and some above: each radix digit matters.
for (const padding of [0, 65_000]) {
  test(`every pattern matches and counts as in N3 (ids ${padding ? 'across' : 'below'} 2^16)`, () => {
    const { entities, reference, compact, quads } = loaded(padding);
    const termIds = quads.flatMap((item) => [item.subject, item.predicate, item.object].map((term) => entities.idOf(term) as number));
    assert.ok(!padding || (Math.min(...termIds) < 0xfe00 && Math.max(...termIds) > 0xffff), 'ids across 256-blocks and 2^16');
    assert.is(compact.size, new Set(quads.map((item) => `${item.subject.value} ${item.predicate.value} ${item.object.value}`)).size);
    const ids = (position: 'subject' | 'predicate' | 'object') => [0, ...new Set(quads.map((item) => entities.idOf(item[position]) as number)).values()].slice(0, 8);
    // Also ids of terms that are in the index but not in that position, and one of a term in no triple here.
    const absent = entities.admittedIdOf(ex('absent'), () => undefined);
    let patterns = 0;
    for (const s of [...ids('subject'), absent]) {
      for (const p of [...ids('predicate'), absent]) {
        for (const o of [...ids('object'), ids('subject')[2] as number, absent]) {
          const expected = matched(reference, s, p, o);
          assert.equal(matched(compact, s, p, o), expected, `match ${s} ${p} ${o}`);
          assert.is(compact.count(s, p, o), expected.length / 3, `count ${s} ${p} ${o}`);
          patterns++;
        }
      }
    }
    assert.ok(patterns > 500);
    for (const p of ids('predicate').slice(1)) assert.equal(compact.predicateStatistics(p), reference.predicateStatistics(p));
    assert.equal(compact.predicateStatistics(absent), { size: 0, objects: 0 });
  });
}

test('terms in, quads out: readQuads and countQuads take terms and give N3-equal quads in the graph', () => {
  const { entities, compact, quads } = loaded(0);
  const store = entities.createStore();
  for (const item of quads) store.addQuad(item);
  const lines = (read: Iterable<RDF.Quad>) => [...read].map((item) => `${item.subject.value} ${item.predicate.value} ${item.object.value} ${item.graph.value}`);
  const first = quads[1] as RDF.Quad;
  for (const [s, p, o] of [
    [null, null, null],
    [first.subject, null, null],
    [null, first.predicate, null],
    [null, null, first.object],
    [first.subject, null, first.object],
    [null, first.predicate, first.object],
    [first.subject, first.predicate, first.object],
    [ex('never'), null, null],
  ] as const) {
    assert.equal(lines(compact.readQuads(s, p, o)), lines(store.readQuads(s, p, o, null)), `${s?.value} ${p?.value} ${o?.value}`);
    assert.is(compact.countQuads(s, p, o), store.countQuads(s, p, o, null));
  }
  const copy = entities.createStore();
  compact.copyInto(copy);
  assert.equal(lines(copy.readQuads(null, null, null, null)), lines(store.readQuads(null, null, null, null)));
});

test('a dataset graph is compact until its first change, then changes like any other', async () => {
  const store = await openStore({ baseIRI: 'http://example.org/' });
  const quads = sample();
  await store.putDataset('uno', quads);
  const datasetGraph = namedNode('http://example.org/graph/uno');
  const before = store.countQuads(null, null, null, datasetGraph);
  const added = quad(ex('new'), ex('p0'), literal('x'), datasetGraph);
  const removed = quad(ex('s1'), ex('p1'), literal('1', ex('type')), datasetGraph);
  assert.is(store.countQuads(removed.subject, removed.predicate, removed.object, datasetGraph), 1);
  await store.write(async (target) => {
    await whenDone(target.import(Readable.from([added])));
    await whenDone(target.remove(Readable.from([removed])));
  });
  assert.is(store.countQuads(null, null, null, datasetGraph), before);
  assert.is(store.countQuads(added.subject, null, null, datasetGraph), 1);
  assert.is(store.countQuads(removed.subject, removed.predicate, removed.object, datasetGraph), 0);
  await store.close();
});

test.run();
