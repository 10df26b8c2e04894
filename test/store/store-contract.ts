/** The behaviour every VinculoStore backend must show; run against each backend with its own factory. */
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import type * as RDF from '@rdfjs/types';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BadRequest, Forbidden, StorageError } from '../../src/errors/index.ts';
import { DataFactory, parseRdfToArray, whenDone } from '../../src/rdf/index.ts';
import { catalogGraph, datasetGraph, exportDataset, type VinculoStore } from '../../src/store/index.ts';
import { describeDifference, sameGraph } from '../support/graphs.ts';
import { rejection } from '../support/rejection.ts';

const { namedNode, literal, quad, blankNode, defaultGraph } = DataFactory;

export const base = 'http://example.org/';
export const ex = (local: string): RDF.NamedNode => namedNode(`${base}id/${local}`);

export interface StoreUnderTest {
  readonly store: VinculoStore;
  /** Closes the store and removes what it left behind. */
  cleanup(): Promise<void>;
}

export type MakeStore = () => Promise<StoreUnderTest>;

/** `count` quads `<id/{prefix}{i}> <id/value> "{prefix}{i}"` in the default graph. */
export function sampleQuads(prefix: string, count: number): RDF.Quad[] {
  return Array.from({ length: count }, (_, index) => quad(ex(`${prefix}${index}`), ex('value'), literal(`${prefix}${index}`)));
}

export async function* streamOf(quads: readonly RDF.Quad[]): AsyncGenerator<RDF.Quad> {
  yield* quads;
}

/** Collects an RDF/JS stream. */
export function collect(stream: RDF.Stream<RDF.Quad>): Promise<RDF.Quad[]> {
  return new Promise((resolve, reject) => {
    const quads: RDF.Quad[] = [];
    stream.on('data', (item: RDF.Quad) => quads.push(item));
    stream.on('error', reject);
    stream.on('end', () => resolve(quads));
  });
}

/** Resolves when an RDF/JS write emitter ends; rejects on its error. */
/** The RDF/JS write emitters' outcome, as the application reads it. */
export const settled = whenDone;

/** The quads of `graph`, as they would have to be stored: same triples, graph set. */
export function inGraph(quads: readonly RDF.Quad[], graph: RDF.Quad_Graph): RDF.Quad[] {
  return quads.map((item) => quad(item.subject, item.predicate, item.object, graph));
}

export function assertSameGraph(actual: readonly RDF.Quad[], expected: readonly RDF.Quad[], message: string): void {
  assert.ok(sameGraph(actual, expected), `${message}: ${describeDifference(actual, expected)}`);
}

async function text(chunks: AsyncIterable<Buffer | string>): Promise<string> {
  let all = '';
  for await (const chunk of chunks) all += chunk.toString();
  return all;
}

async function bytes(chunks: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const all: Buffer[] = [];
  for await (const chunk of chunks) all.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(all);
}


/** Registers and runs the contract suite for one backend. */
export function storeContract(name: string, makeStore: MakeStore): void {
  const test = suite(`store contract (${name})`);
  const graphA = datasetGraph(base, 'a');
  const graphB = datasetGraph(base, 'b');

  test('put stores quads in the dataset graph and lists the dataset', async () => {
    const { store, cleanup } = await makeStore();
    try {
      const before = store.version;
      const data = [...sampleQuads('a', 3), quad(blankNode('x'), ex('value'), literal('blank'))];
      const info = await store.putDataset('a', streamOf(data));
      assert.is(info.id, 'a');
      assert.ok(info.graph.equals(graphA));
      assert.is(info.quads, 4);
      assert.ok(info.version > before, 'dataset version comes from a new store version');
      assert.is(store.version, info.version);
      assert.equal(
        store.listDatasets().map((item) => item.id),
        ['a'],
      );
      const stored = await collect(store.match(null, null, null, graphA));
      assertSameGraph(stored, inGraph(data, graphA), 'graph a');
      assert.is(store.countQuads(null, null, null, graphA), 4);
      assert.is(store.countQuads(null, null, null, defaultGraph()), 0, 'nothing lands in the default graph');
      assert.is(store.countQuads(ex('a1'), null, null, null), 1);
      assert.is(store.countQuads(DataFactory.variable?.('s') ?? null, ex('value'), null, null), 4, 'variables are wildcards');
    } finally {
      await cleanup();
    }
  });

  test('quads streamed in batches, single ones among them, are staged as the same quads streamed one by one', async () => {
    const { store, cleanup } = await makeStore();
    try {
      const data = [...sampleQuads('a', 7), quad(blankNode('x'), ex('value'), literal('blank'))];
      async function* batches(): AsyncGenerator<RDF.Quad | readonly RDF.Quad[]> {
        yield data.slice(0, 3);
        yield data[3] as RDF.Quad;
        yield [];
        yield data.slice(4);
        yield data.slice(0, 2); // repeated quads are kept once
      }
      const info = await store.putDataset('a', batches());
      assert.is(info.quads, data.length);
      assertSameGraph(await collect(store.match(null, null, null, graphA)), inGraph(data, graphA), 'graph a');
      const badIri = quad(namedNode('http://example.org/a b'), ex('value'), literal('x'));
      async function* badBatch(): AsyncGenerator<readonly RDF.Quad[]> {
        yield [...sampleQuads('new', 2), badIri];
      }
      assert.instance(await rejection(store.putDataset('a', badBatch())), BadRequest, 'a batch is checked as single quads are');
      assert.equal(store.dataset('a'), info);
    } finally {
      await cleanup();
    }
  });

  test('re-put replaces the graph, bumps the version, leaves other datasets alone', async () => {
    const { store, cleanup } = await makeStore();
    try {
      const first = await store.putDataset('a', streamOf(sampleQuads('old', 5)));
      await store.putDataset('b', streamOf(sampleQuads('b', 2)));
      const second = await store.putDataset('a', streamOf(sampleQuads('new', 3)));
      assert.ok(second.version > first.version);
      assertSameGraph(await collect(store.match(null, null, null, graphA)), inGraph(sampleQuads('new', 3), graphA), 'a is new');
      assertSameGraph(await collect(store.match(null, null, null, graphB)), inGraph(sampleQuads('b', 2), graphB), 'b intact');
      assert.is(store.countQuads(), 5);
    } finally {
      await cleanup();
    }
  });

  test('a failing quad stream leaves the previous version in place', async () => {
    const { store, cleanup } = await makeStore();
    try {
      const info = await store.putDataset('a', streamOf(sampleQuads('old', 2)));
      async function* broken(): AsyncGenerator<RDF.Quad> {
        yield* sampleQuads('new', 5);
        throw new Error('bad row');
      }
      const error = await rejection(store.putDataset('a', broken()));
      assert.is((error as Error).message, 'bad row');
      assert.equal(store.dataset('a'), info);
      assertSameGraph(await collect(store.match(null, null, null, graphA)), inGraph(sampleQuads('old', 2), graphA), 'old kept');
    } finally {
      await cleanup();
    }
  });

  test('dataset ids are validated', async () => {
    const { store, cleanup } = await makeStore();
    try {
      for (const id of ['catalog', 'vocabulary', 'Upper', 'with space', '', '-x', 'x/y']) {
        assert.instance(await rejection(store.putDataset(id, streamOf([]))), BadRequest, id);
      }
    } finally {
      await cleanup();
    }
  });

  test('quads N-Quads cannot carry are refused; odd blank node labels are re-encoded', async () => {
    const { store, cleanup } = await makeStore();
    try {
      const info = await store.putDataset('a', streamOf(sampleQuads('a', 2)));
      const badIri = quad(namedNode('http://example.org/a b'), ex('value'), literal('x'));
      assert.instance(await rejection(store.putDataset('a', streamOf([badIri]))), BadRequest);
      // A refused term leaves no trace that would let it in later; arrays go through the same checks.
      assert.instance(await rejection(store.putDataset('a', [badIri])), BadRequest, 'refused again, from an array');
      const badDatatype = quad(ex('s'), ex('value'), literal('x', namedNode('http://example.org/no spaces')));
      assert.instance(await rejection(store.putDataset('a', [...sampleQuads('a', 2), badDatatype])), BadRequest, 'a datatype IRI');
      assert.equal(store.dataset('a'), info, 'the refused put changed nothing');
      const version = store.version;
      const refused = await rejection(store.write(async (target) => settled(target.import(Readable.from([badIri])))));
      assert.instance(refused, BadRequest);
      assert.is(store.version, version);
      const odd = [quad(blankNode('a b'), ex('value'), literal('1')), quad(blankNode('a b'), ex('other'), blankNode('é'))];
      await store.putDataset('c', streamOf(odd));
      const stored = await collect(store.match(null, null, null, datasetGraph(base, 'c')));
      assertSameGraph(stored, inGraph(odd, datasetGraph(base, 'c')), 'same shape');
      assert.is(new Set(stored.map((item) => item.subject.value)).size, 1, 'one label stays one node');
      await store.write(async (target) => settled(target.import(Readable.from([quad(blankNode('x y'), ex('value'), literal('2'))]))));
      await store.write(async (target) => settled(target.remove(Readable.from([quad(blankNode('x y'), ex('value'), literal('2'))]))));
      assert.is(store.countQuads(null, null, literal('2'), null), 0, 'the same odd label reaches the same node');
    } finally {
      await cleanup();
    }
  });

  test('drop removes the graph and the listing entry', async () => {
    const { store, cleanup } = await makeStore();
    try {
      await store.putDataset('a', streamOf(sampleQuads('a', 3)));
      await store.putDataset('b', streamOf(sampleQuads('b', 1)));
      assert.is(await store.dropDataset('a'), true);
      assert.is(await store.dropDataset('a'), false);
      assert.is(store.dataset('a'), undefined);
      assert.is(store.countQuads(null, null, null, graphA), 0);
      assert.equal(
        store.listDatasets().map((item) => item.id),
        ['b'],
      );
    } finally {
      await cleanup();
    }
  });

  test('a staged version is invisible until committed with its catalog changes, in one step', async () => {
    const { store, cleanup } = await makeStore();
    try {
      const catalog = catalogGraph(base);
      const activity = namedNode(`${base}dataset/a/import`);
      const described = (label: string) => [
        quad(activity, ex('label'), literal(label)),
        quad(activity, ex('checksum'), blankNode(`a_${label}`)),
        quad(blankNode(`a_${label}`), ex('value'), literal(`${label}-sum`)),
      ];
      await store.write(async (target) => {
        await settled(target.import(Readable.from([quad(namedNode(`${base}dataset/a`), ex('title'), literal('A'), catalog)])));
      });
      const first = await store.stage('a', streamOf(sampleQuads('a', 2)));
      assert.is(first.quads, 2);
      assert.is(store.dataset('a'), undefined, 'staged, not yet published');
      assert.is(store.countQuads(null, null, null, datasetGraph(base, 'a')), 0);
      await store.commit(first, { remove: [], add: described('first') });
      assert.is(store.dataset('a')?.quads, 2);
      assert.is(store.countQuads(activity, ex('label'), literal('first'), catalog), 1);

      // The next version names exactly the catalog quads to take out, as the store holds them.
      const previous = await collect(store.match(activity, null, null, catalog));
      const previousChecksums = await collect(store.match(null, ex('value'), null, catalog));
      const second = await store.stage('a', streamOf(sampleQuads('a', 1)));
      assert.is(store.dataset('a')?.quads, 2, 'the previous version still serves while the next is staged');
      await store.commit(second, { remove: [...previous, ...previousChecksums], add: described('second') });
      assert.is(store.dataset('a')?.quads, 1);
      assert.is(store.countQuads(activity, ex('label'), null, catalog), 1, 'one label: the old description is gone');
      assert.is(store.countQuads(activity, ex('label'), literal('second'), catalog), 1);
      const checksums = await collect(store.match(null, ex('value'), null, catalog));
      assert.equal(
        checksums.map((item) => item.object.value),
        ['second-sum'],
      );
      assert.is(store.countQuads(null, ex('title'), null, catalog), 1, 'other catalog statements stay');
      assert.instance(await rejection(store.commit(second)), StorageError, 'a version commits once');

      const discarded = await store.stage('a', streamOf(sampleQuads('a', 3)));
      await discarded.discard();
      assert.instance(await rejection(store.commit(discarded)), StorageError, 'a discarded version cannot be committed');
      assert.is(store.dataset('a')?.quads, 1, 'a discarded version publishes nothing');

      const current = await collect(store.match(activity, null, null, catalog));
      await store.dropDataset('a', { remove: current, add: [] });
      assert.is(store.countQuads(activity, null, null, catalog), 0, 'the drop applies its catalog changes');
      assert.is(store.countQuads(null, ex('title'), null, catalog), 1);
    } finally {
      await cleanup();
    }
  });

  test('write applies changes, bumps versions, and its target reads its own changes', async () => {
    const { store, cleanup } = await makeStore();
    try {
      const info = await store.putDataset('a', streamOf(sampleQuads('a', 2)));
      const added = quad(ex('new'), ex('value'), literal('new'), graphA);
      const seen = await store.write(async (target) => {
        await settled(target.import(Readable.from([added, quad(ex('d'), ex('value'), literal('d'))])));
        await settled(target.remove(Readable.from([quad(ex('a0'), ex('value'), literal('a0'), graphA)])));
        return (await collect(target.match(null, null, null, graphA))).length;
      });
      assert.is(seen, 2, 'the target sees its own insert and delete');
      assert.is(store.countQuads(null, null, null, graphA), 2);
      assert.is(store.countQuads(added.subject, null, null, graphA), 1);
      assert.is(store.countQuads(null, null, null, defaultGraph()), 1);
      const after = store.dataset('a');
      assert.ok(after && after.version > info.version, 'the dataset version moves with writes to its graph');
      assert.is(after?.quads, 2);
      assert.is(store.version, after?.version);
      const versionBefore = store.version;
      await store.write(async (target) => {
        await settled(target.deleteGraph(graphA));
      });
      assert.is(store.countQuads(null, null, null, graphA), 0);
      assert.ok(store.version > versionBefore);
      const unchanged = store.version;
      await store.write(async () => undefined);
      assert.is(store.version, unchanged, 'an empty write changes nothing');
    } finally {
      await cleanup();
    }
  });

  test('a write that throws is undone', async () => {
    const { store, cleanup } = await makeStore();
    try {
      await store.putDataset('a', streamOf(sampleQuads('a', 3)));
      const version = store.version;
      const error = await rejection(
        store.write(async (target) => {
          await settled(target.import(Readable.from([quad(ex('x'), ex('value'), literal('x'), graphA)])));
          await settled(target.removeMatches(ex('a1'), null, null, graphA));
          await settled(target.deleteGraph(graphA));
          assert.is((await collect(target.match(null, null, null, graphA))).length, 0);
          throw new Error('changed my mind');
        }),
      );
      assert.is((error as Error).message, 'changed my mind');
      assert.is(store.version, version);
      assertSameGraph(await collect(store.match(null, null, null, graphA)), inGraph(sampleQuads('a', 3), graphA), 'restored');
      // The mutex is free again.
      await store.write(async (target) => settled(target.removeMatches(ex('a0'))));
      assert.is(store.countQuads(null, null, null, graphA), 2);
    } finally {
      await cleanup();
    }
  });

  test('RDF/JS writes outside write() are refused', async () => {
    const { store, cleanup } = await makeStore();
    try {
      const error = await rejection(settled(store.import(Readable.from([quad(ex('x'), ex('value'), literal('x'))]))));
      assert.instance(error, Forbidden);
      assert.instance(await rejection(settled(store.deleteGraph(graphA))), Forbidden);
      assert.is(store.countQuads(), 0);
    } finally {
      await cleanup();
    }
  });

  test('readers keep the version they started with while a put replaces it', async () => {
    const { store, cleanup } = await makeStore();
    try {
      await store.putDataset('a', streamOf(sampleQuads('old', 2000)));
      const reading = (store.match(null, null, null, graphA) as unknown as AsyncIterable<RDF.Quad>)[Symbol.asyncIterator]();
      const first = await reading.next();
      await store.putDataset('a', streamOf(sampleQuads('new', 10)));
      const values = [first.value as RDF.Quad];
      for (let next = await reading.next(); !next.done; next = await reading.next()) values.push(next.value);
      assert.is(store.countQuads(null, null, null, graphA), 10, 'new readers see the new version');
      assert.is(values.length, 2000);
      assert.ok(
        values.every((item) => item.object.value.startsWith('old')),
        'only old quads',
      );
    } finally {
      await cleanup();
    }
  });

  test('export writes N-Quads, Turtle, TriG and gzip that parse back to the same data', async () => {
    const { store, cleanup } = await makeStore();
    try {
      await store.putDataset('a', streamOf([...sampleQuads('a', 3), quad(blankNode('n'), ex('value'), literal('año', 'es'))]));
      await store.putDataset('b', streamOf(sampleQuads('b', 2)));
      const everything = [];
      for await (const item of store.exportQuads()) everything.push(item);
      assert.is(everything.length, 6);
      const onlyA = await collect(store.match(null, null, null, graphA));

      const nquads = await text(exportDataset(store, { format: 'nquads' }));
      assertSameGraph(await parseRdfToArray(nquads, { format: 'nquads' }), everything, 'nquads');
      const trig = await text(exportDataset(store, { format: 'trig' }));
      assertSameGraph(await parseRdfToArray(trig, { format: 'trig' }), everything, 'trig');
      const turtle = await text(exportDataset(store, { format: 'turtle', graph: graphA }));
      assertSameGraph(await parseRdfToArray(turtle, { format: 'turtle' }), inGraph(onlyA, defaultGraph()), 'turtle of one graph');
      const zipped = await bytes(exportDataset(store, { format: 'nquads', graph: graphB, gzip: true }));
      assert.is(zipped[0], 0x1f, 'gzip magic');
      const unzipped = gunzipSync(zipped).toString('utf8');
      assertSameGraph(await parseRdfToArray(unzipped, { format: 'nquads' }), inGraph(sampleQuads('b', 2), graphB), 'gzip');
      assert.throws(() => exportDataset(store, { format: 'turtle' }), (error: unknown) => error instanceof BadRequest);
    } finally {
      await cleanup();
    }
  });

  test.run();
}
