/**
 * A re-import of a large dataset (`spillReplacedQuads`) builds the new version in a file, one
 * permutation at a time, and reads it back only at commit: what readers see, what commit and
 * discard leave behind, and what start-up does with a spill a crash left.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory, whenDone } from '../../src/rdf/index.ts';
import { type IdGraph, IdTriples } from '../../src/store/id-index.ts';
import { datasetGraph, type EmbeddedStore, openStore } from '../../src/store/index.ts';
import { allQuads, crashCopy, open, removeDir, temporaryDir } from './persisted-helpers.ts';
import { assertSameGraph, base, inGraph, sampleQuads, streamOf } from './store-contract.ts';

const graph = datasetGraph(base, 'd');
const { namedNode, literal, quad } = DataFactory;
/** A second version unlike the first: other subjects, shared objects, a repeated quad. */
const nextVersion = [
  ...sampleQuads('n', 300),
  ...Array.from({ length: 200 }, (_, index) => quad(namedNode(`${base}id/n${index}`), namedNode(`${base}id/kind`), literal(`k${index % 7}`))),
  quad(namedNode(`${base}id/n1`), namedNode(`${base}id/kind`), literal('k1')),
];
const spillOptions = { spillReplacedQuads: 50 };

const spills = async (dataDir: string): Promise<string[]> => (await readdir(join(dataDir, 'snapshots'))).filter((name) => name.includes('.spill'));
const stageFolders = async (): Promise<string[]> => (await readdir(tmpdir())).filter((name) => name.startsWith('vinculo-stage-'));

/** What the same re-import gives in a store that builds it in memory. */
async function builtInMemory(): Promise<ReturnType<typeof allQuads>> {
  const reference = await openStore({ baseIRI: base });
  await reference.putDataset('d', streamOf(sampleQuads('o', 100)));
  await reference.putDataset('d', streamOf(nextVersion));
  const quads = allQuads(reference);
  await reference.close();
  return quads;
}

async function withDataDir(body: (dataDir: string, store: EmbeddedStore) => Promise<void>): Promise<void> {
  const dataDir = await temporaryDir();
  const store = await open(dataDir, spillOptions);
  try {
    await store.putDataset('d', streamOf(sampleQuads('o', 100)));
    await body(dataDir, store);
  } finally {
    await store.close();
    await removeDir(dataDir);
  }
}

test('a spilled re-import: readers keep the old version until commit, then see exactly the in-memory build', async () => {
  await withDataDir(async (dataDir, store) => {
    const staged = await store.stage('d', streamOf(nextVersion));
    assert.is(staged.quads, 500);
    assert.is((await spills(dataDir)).length, 1, 'the staged version is in a file');
    assertSameGraph(await allQuads(store), inGraph(sampleQuads('o', 100), graph), 'before commit');
    await store.commit(staged);
    const expected = await builtInMemory();
    assertSameGraph(await allQuads(store), expected, 'after commit');
    assert.equal(await spills(dataDir), [], 'the spill became the snapshot');
    await store.close();
    const reopened = await open(dataDir, spillOptions);
    assertSameGraph(await allQuads(reopened), expected, 'after a restart');
    assert.is(reopened.dataset('d')?.quads, 500);
    await reopened.close();
  });
});

test('a reader that began on the old version finishes on it, every pattern answered, after a spilled commit', async () => {
  await withDataDir(async (_dataDir, store) => {
    const old = store.quadIndex.namedGraph(graph.value) as IdGraph;
    const shared = store.quadIndex.idOf(sampleQuads('o', 100)[0]?.object as RDF.Term) as number;
    const before = [old.count(0, 0, shared), old.count(0, 0, 0)];
    await store.commit(await store.stage('d', streamOf(nextVersion)));
    assert.is.not(store.quadIndex.namedGraph(graph.value), old, 'the new version is in place');
    assert.equal([old.count(0, 0, shared), old.count(0, 0, 0)], before);
    const triples = new IdTriples();
    old.match(0, 0, shared, triples);
    assert.is(triples.length / 3, before[0]);
  });
});

test('a spilled commit that fails after reading part of the new version leaves the old one whole', async () => {
  await withDataDir(async (dataDir, store) => {
    const staged = await store.stage('d', streamOf(nextVersion));
    // The object index is read first; a flipped byte at the end of the last section fails the read after it.
    const [spill] = await spills(dataDir);
    const path = join(dataDir, 'snapshots', spill as string);
    const bytes = await readFile(path);
    const headerStart = bytes.length - 8 - bytes.readUInt32LE(bytes.length - 8);
    bytes[headerStart - 1] = (bytes[headerStart - 1] as number) ^ 0xff;
    await writeFile(path, bytes);
    const failure = await store.commit(staged).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.match(String(failure), /pos\.thirdKeys/);
    const oldQuads = inGraph(sampleQuads('o', 100), graph);
    assertSameGraph(await allQuads(store), oldQuads, 'the old version stays');
    for (const item of oldQuads) assert.is(store.countQuads(null, null, item.object, graph), oldQuads.filter((other) => other.object.equals(item.object)).length);
    // A write undone leaves the graph to be written again as built: its rows, all three permutations.
    const extra = quad(namedNode(`${base}id/after`), namedNode(`${base}id/kind`), literal('x'), graph);
    await store.write((target) => whenDone(target.import(Readable.from([extra]))));
    await store.write((target) => whenDone(target.remove(Readable.from([extra]))));
    await store.close();
    const reopened = await open(dataDir, spillOptions);
    assertSameGraph(await allQuads(reopened), oldQuads, 'a checkpoint wrote the old version again');
    await reopened.close();
  });
});

test('a spilled version longer than one written piece reads back exactly (every piece its own bytes)', async () => {
  await withDataDir(async (_dataDir, store) => {
    // 150,000 rows: each permutation's long arrays go to the file in several pieces of one reused buffer.
    const large = [...sampleQuads('m', 75_000), ...sampleQuads('m', 75_000).map((item) => quad(item.subject, namedNode(`${base}id/kind`), literal(`k${item.subject.value.length}`)))];
    await store.commit(await store.stage('d', streamOf(large)));
    assert.is(store.countQuads(null, null, null, graph), large.length);
    for (const item of [large[0], large[74_999], large[75_000], large.at(-1)] as RDF.Quad[]) {
      assert.is(store.countQuads(item.subject, item.predicate, item.object, graph), 1, item.subject.value);
      assert.is(store.countQuads(null, item.predicate, item.object, graph), large.filter((other) => other.predicate.equals(item.predicate) && other.object.equals(item.object)).length);
    }
  });
});

test('a discarded spilled stage leaves no file', async () => {
  await withDataDir(async (dataDir, store) => {
    const staged = await store.stage('d', streamOf(nextVersion));
    assert.is((await spills(dataDir)).length, 1);
    await staged.discard();
    assert.equal(await spills(dataDir), []);
    assertSameGraph(await allQuads(store), inGraph(sampleQuads('o', 100), graph), 'the old version stays');
  });
});

test('a spill left by a crash is removed at start-up, and the previous version loads', async () => {
  await withDataDir(async (dataDir, store) => {
    const staged = await store.stage('d', streamOf(nextVersion));
    const copy = await crashCopy(dataDir);
    await staged.discard();
    try {
      assert.is((await spills(copy)).length, 1, 'the crash kept the spill');
      const recovered = await open(copy, spillOptions);
      assert.equal(await spills(copy), []);
      assertSameGraph(await allQuads(recovered), inGraph(sampleQuads('o', 100), graph), 'the previous version');
      await recovered.close();
    } finally {
      await removeDir(copy);
    }
  });
});

test('a memory-only store spills to a temporary folder and removes it at commit and at discard', async () => {
  const store = await openStore({ baseIRI: base, ...spillOptions });
  try {
    await store.putDataset('d', streamOf(sampleQuads('o', 100)));
    const before = await stageFolders();
    const discarded = await store.stage('d', streamOf(nextVersion));
    assert.is((await stageFolders()).length, before.length + 1);
    await discarded.discard();
    assert.equal(await stageFolders(), before);
    await store.commit(await store.stage('d', streamOf(nextVersion)));
    assert.equal(await stageFolders(), before);
    assertSameGraph(await allQuads(store), await builtInMemory(), 'after commit');
  } finally {
    await store.close();
  }
});

test('a re-import replacing a version smaller than the threshold is built in memory', async () => {
  const dataDir = await temporaryDir();
  // The old version (100 quads) is just below the threshold.
  const store = await open(dataDir, { spillReplacedQuads: 101 });
  try {
    await store.putDataset('d', streamOf(sampleQuads('o', 100)));
    const staged = await store.stage('d', streamOf(nextVersion));
    assert.equal(await spills(dataDir), []);
    await store.commit(staged);
    assertSameGraph(await allQuads(store), await builtInMemory(), 'after commit');
  } finally {
    await store.close();
    await removeDir(dataDir);
  }
});

test.run();
