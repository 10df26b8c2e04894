/** The journal's framing and codec: records round-trip in order, big records split into batches, tails are classified. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StorageError } from '../../src/errors/index.ts';
import { DataFactory } from '../../src/rdf/index.ts';
import { type Change, decodeRecord, encodeRecord, scanJournal } from '../../src/store/journal.ts';

const { quad, namedNode, literal, blankNode } = DataFactory;

function changes(count: number): Change[] {
  return Array.from({ length: count }, (_, index) => ({
    op: index % 3 === 0 ? 'D' : 'I',
    quad: quad(
      index % 5 === 0 ? blankNode(`b${index}`) : namedNode(`http://example.org/s${index}`),
      namedNode('http://example.org/p'),
      literal(`línea ${index}\nsegunda "línea" 🙂`, index % 2 === 0 ? 'es' : undefined),
      index % 7 === 0 ? DataFactory.defaultGraph() : namedNode('http://example.org/g'),
    ),
  }));
}

test('records round-trip with their order, ops and terms, also past batch and chunk sizes', () => {
  const first = { seq: 7, time: new Date('2026-01-02T03:04:05.678Z'), changes: changes(3) };
  const big = { seq: 8, time: new Date(), changes: changes(25_000) };
  const bytes = Buffer.concat([encodeRecord(first), encodeRecord(big)]);
  const scan = scanJournal(bytes, 'journal.log');
  assert.is(scan.torn, undefined);
  assert.is(scan.validLength, bytes.length);
  assert.is(scan.records.length, 2);
  for (const [index, expected] of [first, big].entries()) {
    const decoded = decodeRecord(scan.records[index] as never, 'journal.log');
    assert.is(decoded.seq, expected.seq);
    assert.is(decoded.time.getTime(), expected.time.getTime());
    assert.is(decoded.changes.length, expected.changes.length);
    decoded.changes.forEach((change, position) => {
      const original = expected.changes[position] as Change;
      assert.is(change.op, original.op);
      assert.ok(change.quad.equals(original.quad), `change ${position}`);
    });
  }
});

test('tails: short record and bad last checksum are torn; damage before the end is an error', () => {
  const one = encodeRecord({ seq: 1, time: new Date(), changes: changes(2) });
  const two = encodeRecord({ seq: 2, time: new Date(), changes: changes(2) });
  const both = Buffer.concat([one, two]);
  const short = scanJournal(both.subarray(0, both.length - 5), 'j');
  assert.is(short.records.length, 1);
  assert.is(short.validLength, one.length);
  assert.match(short.torn ?? '', /incomplete/);
  const garbledLast = Buffer.from(both);
  garbledLast[garbledLast.length - 3] = 0x21;
  assert.match(scanJournal(garbledLast, 'j').torn ?? '', /checksum/);
  const garbledFirst = Buffer.from(both);
  garbledFirst[one.length - 3] = 0x21;
  assert.throws(() => scanJournal(garbledFirst, 'j'), (error: unknown) => error instanceof StorageError && /j: checksum/.test((error as Error).message));
  assert.throws(() => scanJournal(Buffer.concat([Buffer.from('xx\n'), both]), 'j'), (error: unknown) => error instanceof StorageError);
});

test.run();
