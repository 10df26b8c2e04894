/** The compact (typed-array) graph answers every pattern exactly as an N3 store holding the same quads. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory, whenDone } from '../../src/rdf/index.ts';
import { type IdGraph, IdTriples, idGraphOf, SharedEntities } from '../../src/store/id-index.ts';
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
  const reference = idGraphOf(store, entities.idOf(graph) as number) as IdGraph;
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
    const { entities, reference, compact: built, quads } = loaded(padding);
    // A graph being replaced lets go of its object index; it must still answer every pattern the same.
    const released = loaded(padding).compact;
    released.releaseObjectIndex();
    const termIds = quads.flatMap((item) => [item.subject, item.predicate, item.object].map((term) => entities.idOf(term) as number));
    assert.ok(!padding || (Math.min(...termIds) < 0xfe00 && Math.max(...termIds) > 0xffff), 'ids across 256-blocks and 2^16');
    assert.is(built.size, new Set(quads.map((item) => `${item.subject.value} ${item.predicate.value} ${item.object.value}`)).size);
    const ids = (position: 'subject' | 'predicate' | 'object') => [0, ...new Set(quads.map((item) => entities.idOf(item[position]) as number)).values()].slice(0, 8);
    // Also ids of terms that are in the index but not in that position, and one of a term in no triple here.
    const absent = entities.admittedIdOf(ex('absent'), () => undefined);
    let patterns = 0;
    for (const s of [...ids('subject'), absent]) {
      for (const p of [...ids('predicate'), absent]) {
        for (const o of [...ids('object'), ids('subject')[2] as number, absent]) {
          const expected = matched(reference, s, p, o);
          for (const [name, compact] of [['built', built], ['object index released', released]] as const) {
            assert.equal(matched(compact, s, p, o), expected, `${name}: match ${s} ${p} ${o}`);
            assert.is(compact.count(s, p, o), expected.length / 3, `${name}: count ${s} ${p} ${o}`);
          }
          patterns++;
        }
      }
    }
    assert.ok(patterns > 500);
    for (const p of ids('predicate').slice(1)) assert.equal(built.predicateStatistics(p), reference.predicateStatistics(p));
    assert.equal(built.predicateStatistics(absent), { size: 0, objects: 0 });
    const [usedBuilt, usedReleased] = [new Uint8Array(entities.dictionary.lastId + 1), new Uint8Array(entities.dictionary.lastId + 1)];
    built.markTerms(usedBuilt);
    released.markTerms(usedReleased);
    assert.equal(usedReleased, usedBuilt, 'the same terms are in use');
    assert.ok(released.bytes < built.bytes);
    assert.throws(() => released.rows, /released/);
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
});

test('changes: adds and removes read back as in N3, before and after the graph is rebuilt with them', () => {
  const { entities, compact, quads } = loaded(0);
  const store = entities.createStore();
  for (const item of quads) store.addQuad(item);
  // Remove every fifth quad, add new ones (new terms too), re-add some removed, remove some added.
  const changes: Array<['add' | 'remove', RDF.Quad]> = [];
  quads.forEach((item, index) => {
    if (index % 5 === 0) changes.push(['remove', item]);
  });
  for (let index = 0; index < 120; index++) changes.push(['add', quad(ex(`s${index % 40}`), ex(`p${index % 6}`), literal(`nuevo ${index % 50}`), graph)]);
  quads.forEach((item, index) => {
    if (index % 15 === 0) changes.push(['add', item]);
  });
  changes.push(['remove', quad(ex('s1'), ex('p1'), literal('nuevo 1'), graph)], ['remove', quad(ex('never'), ex('p1'), ex('s1'), graph)]);
  for (const [operation, item] of changes) {
    const expected = operation === 'add' ? store.addQuad(item) : store.removeQuad(item);
    assert.is(operation === 'add' ? compact.addQuad(item) : compact.removeQuad(item), expected, `${operation} ${item.subject.value} ${item.object.value}`);
  }
  assert.ok(compact.changes.count > 0);
  const reference = idGraphOf(store, entities.idOf(graph) as number) as IdGraph;
  const sorted = (triples: number[]) => {
    const rows: string[] = [];
    for (let at = 0; at < triples.length; at += 3) rows.push(triples.slice(at, at + 3).join(' '));
    return rows.sort();
  };
  const lines = (read: Iterable<RDF.Quad>) => [...read].map((item) => `${item.subject.value} ${item.predicate.value} ${item.object.value}`).sort();
  for (const current of [compact, compact.compacted()]) {
    assert.is(current.size, store.size);
    for (const s of [0, entities.idOf(ex('s1')) as number, entities.idOf(ex('s30')) as number]) {
      for (const p of [0, entities.idOf(ex('p1')) as number, entities.idOf(ex('p5')) as number]) {
        for (const o of [0, entities.idOf(literal('nuevo 1')) as number, entities.idOf(ex('s3')) as number]) {
          assert.equal(sorted(matched(current, s, p, o)), sorted(matched(reference, s, p, o)), `match ${s} ${p} ${o}`);
          assert.is(current.count(s, p, o), reference.count(s, p, o), `count ${s} ${p} ${o}`);
        }
      }
    }
    const p1 = entities.idOf(ex('p1')) as number;
    assert.is(current.predicateStatistics(p1).size, reference.predicateStatistics(p1).size);
    assert.equal(lines(current.readQuads(null, null, null)), lines(store.readQuads(null, null, null, null)));
    assert.equal(lines(current.readQuads(ex('s1'), null, null)), lines(store.readQuads(ex('s1'), null, null, null)));
  }
  assert.equal(compact.compacted().changes, { count: 0, built: store.size });
});

test('a dataset graph takes writes, and keeps them through a restart', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'vinculo-compact-'));
  try {
    const store = await openStore({ baseIRI: 'http://example.org/', dataDir });
    await store.putDataset('uno', sample());
    const datasetGraph = namedNode('http://example.org/graph/uno');
    const before = store.countQuads(null, null, null, datasetGraph);
    const added = quad(ex('new'), ex('p0'), literal('x'), datasetGraph);
    const removed = quad(ex('s1'), ex('p1'), literal('1', ex('type')), datasetGraph);
    assert.is(store.countQuads(removed.subject, removed.predicate, removed.object, datasetGraph), 1);
    await store.write(async (target) => {
      await whenDone(target.import(Readable.from([added])));
      await whenDone(target.remove(Readable.from([removed])));
    });
    const check = (current: typeof store) => {
      assert.is(current.countQuads(null, null, null, datasetGraph), before);
      assert.is(current.countQuads(added.subject, null, null, datasetGraph), 1);
      assert.is(current.countQuads(removed.subject, removed.predicate, removed.object, datasetGraph), 0);
    };
    check(store);
    await store.close();
    const reopened = await openStore({ baseIRI: 'http://example.org/', dataDir });
    check(reopened);
    await reopened.close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test.run();
