/**
 * How `serializeRdf` hands N3.js's text on (issue 19): the writer fed directly, its text coalesced
 * into chunks as N3.js's StreamWriter does — the same bytes as N3.js writes, 16 KiB chunks, a
 * paused source's chunk sent with its next quad, and the source's errors passed on.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type * as RDF from '@rdfjs/types';
import { Writer } from 'n3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory, serializeRdf } from '../../src/rdf/index.ts';
import { rejection } from '../support/rejection.ts';

const { namedNode, literal, quad } = DataFactory;
const ex = (local: string) => namedNode(`http://example.org/${local}`);

/** `count` quads over a few subjects, with literals long enough to fill several chunks. */
function quads(count: number): RDF.Quad[] {
  return Array.from({ length: count }, (_, index) =>
    quad(ex(`cosa/${index % 7}`), ex(`def#p${index % 3}`), literal(`valor número ${index} ${'x'.repeat(index % 50)}`, 'es')),
  );
}

async function* later(items: readonly RDF.Quad[]): AsyncGenerator<RDF.Quad> {
  for (const item of items) yield item;
}

async function chunksOf(source: Iterable<RDF.Quad> | AsyncIterable<RDF.Quad>, format: 'ntriples' | 'turtle'): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of serializeRdf(source, { format })) chunks.push(chunk);
  return chunks;
}

/** What N3.js's own writer makes of the quads, in one string. */
function n3Text(items: readonly RDF.Quad[], options: ConstructorParameters<typeof Writer>[0]): Promise<string> {
  return new Promise((resolve, reject) => {
    const writer = new Writer(options);
    writer.addQuads([...items]);
    writer.end((error, result: string) => (error ? reject(error) : resolve(result)));
  });
}

test('N-Triples: N3.js bytes, in 16 KiB chunks, from sync and async sources alike', async () => {
  const items = quads(3_000);
  const expected = await n3Text(items, { format: 'N-Triples' });
  for (const [name, source] of [['sync', items], ['async', later(items)]] as const) {
    const chunks = await chunksOf(source, 'ntriples');
    assert.is(chunks.join(''), expected, name);
    assert.ok(chunks.length > 2, `${name}: ${chunks.length} chunks for ${expected.length} characters`);
    for (const chunk of chunks.slice(0, -1)) assert.ok(chunk.length >= 16 * 1024, `${name}: a chunk of ${chunk.length} characters before the last`);
  }
});

test('Turtle: the bytes of N3.js with the same prefixes, prefix lines and final dot included', async () => {
  const items = quads(40);
  const text = (await chunksOf(items, 'turtle')).join('');
  const declared = [...text.matchAll(/^@prefix (\w*): <([^>]+)>\.$/gm)].map(([, prefix, iri]) => [prefix ?? '', iri ?? ''] as const);
  assert.ok(declared.length > 0, 'the known prefixes are declared');
  assert.is(text, await n3Text(items, { format: 'Turtle', prefixes: Object.fromEntries(declared) }));
});

test('a small graph is one chunk; a source that pauses mid-way sends what it had with its next quad', async () => {
  const items = quads(12);
  assert.is((await chunksOf(items, 'ntriples')).length, 1);
  async function* paused(): AsyncGenerator<RDF.Quad> {
    yield* items.slice(0, 6);
    await sleep(40);
    yield* items.slice(6);
  }
  const chunks = await chunksOf(paused(), 'ntriples');
  assert.is(chunks.join(''), await n3Text(items, { format: 'N-Triples' }));
  assert.is(chunks.length, 2, 'the pause ends the first chunk');
  assert.is(chunks[0]?.split('\n').length, 8, 'the first chunk holds the quads before the pause and the one after it');
});

test("the source's error reaches the reader", async () => {
  async function* failing(): AsyncGenerator<RDF.Quad> {
    yield* quads(5);
    throw new RangeError('the source broke');
  }
  const error = await rejection(chunksOf(failing(), 'turtle'));
  assert.instance(error, RangeError);
  assert.match(String(error), /the source broke/);
});

test.run();
