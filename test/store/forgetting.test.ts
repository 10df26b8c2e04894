/** The term dictionary forgets the terms no graph uses any more, at checkpoints, and never those of a graph still being loaded. */
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory } from '../../src/rdf/index.ts';
import { datasetGraph, openStore } from '../../src/store/index.ts';
import { base, collect, ex, sampleQuads, streamOf } from './store-contract.ts';

const { literal } = DataFactory;

test('terms of a replaced version are forgotten by the checkpoint after the one that replaced it; shared terms stay', async () => {
  const store = await openStore({ baseIRI: base });
  await store.putDataset('a', streamOf(sampleQuads('uno', 20)));
  await store.putDataset('a', streamOf(sampleQuads('dos', 20)));
  // Still known: a read that began on the first version may still be turning its ids into terms.
  assert.ok(store.quadIndex.idOf(literal('uno3')) !== undefined, 'kept for one checkpoint');
  await store.putDataset('b', streamOf(sampleQuads('b', 2)));
  assert.is(store.quadIndex.idOf(literal('uno3')), undefined, 'the old version’s literal');
  assert.is(store.quadIndex.idOf(ex('uno3')), undefined, 'the old version’s subject');
  assert.ok(store.quadIndex.idOf(ex('value')) !== undefined, 'the predicate both versions use');
  assert.ok(store.quadIndex.idOf(literal('dos3')) !== undefined);
  assert.is(store.countQuads(null, ex('value'), null, datasetGraph(base, 'a')), 20);
  await store.close();
});

test('a dataset still streaming in keeps its terms while other checkpoints forget unused ones', async () => {
  const store = await openStore({ baseIRI: base });
  let resume: () => void = () => undefined;
  const paused = new Promise<void>((resolve) => {
    resume = resolve;
  });
  let halfway: () => void = () => undefined;
  const reachedHalfway = new Promise<void>((resolve) => {
    halfway = resolve;
  });
  const slow = sampleQuads('lento', 10);
  async function* slowly(): AsyncGenerator<RDF.Quad> {
    yield* slow.slice(0, 5);
    halfway();
    await paused;
    yield* slow.slice(5);
  }
  const putting = store.putDataset('c', slowly());
  await reachedHalfway;
  for (let round = 0; round < 3; round++) await store.putDataset('x', streamOf(sampleQuads(`x${round}`, 3)));
  resume();
  await putting;
  const values = (await collect(store.match(null, null, null, datasetGraph(base, 'c')))).map((quad) => quad.object.value).sort();
  assert.equal(values, slow.map((quad) => quad.object.value).sort());
  assert.is(store.quadIndex.idOf(literal('x0_0')), undefined, 'x0 was forgotten meanwhile');
  await store.close();
});

test.run();
