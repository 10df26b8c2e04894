/** The term dictionary: UTF-8 blocks and a typed-array hash index instead of a string per term. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { forgottenLength, TermDictionary } from '../../src/store/term-dictionary.ts';

/** Keys of every kind the store makes, non-ASCII and long ones among them. */
function sampleKeys(count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    switch (index % 5) {
      case 0:
        return `https://datos.example.gov.co/id/contrato/${index}`;
      case 1:
        return `"Bogotá D.C. ${index} — ñandú 🌎"@es`;
      case 2:
        // XML Schema datatypes are kept short; a lexical form that looks like one must stay as it is.
        return index % 2 ? `"${index * 1.5}"^^http://www.w3.org/2001/XMLSchema#decimal` : `"x"\u0001integer${index}"`;
      case 3:
        return `_:b${index}`;
      default:
        return `"${'x'.repeat(index % 3000)}${index}"`;
    }
  });
}

test('every key gets one id that finds it and gives it back, past many grows of the index', () => {
  const dictionary = new TermDictionary();
  const keys = sampleKeys(50_000);
  const ids = keys.map((key) => dictionary.add(key));
  assert.is(new Set(ids).size, keys.length, 'distinct keys, distinct ids');
  keys.forEach((key, index) => {
    assert.is(dictionary.add(key), ids[index], 'adding again gives the same id');
    assert.is(dictionary.find(key), ids[index]);
    assert.is(dictionary.keyOf(ids[index] as number), key);
  });
  assert.is(dictionary.find('"never added"'), undefined);
  assert.is(dictionary.keyOf(dictionary.lastId + 1), undefined);
});

test('a forgotten key is found no more and gets a new id when added again; the others stay reachable', () => {
  const dictionary = new TermDictionary();
  const keys = sampleKeys(20_000);
  const ids = keys.map((key) => dictionary.add(key));
  // Every third key: enough removals to move many entries of the probe runs.
  for (let index = 0; index < keys.length; index += 3) dictionary.forget(ids[index] as number);
  keys.forEach((key, index) => {
    const forgotten = index % 3 === 0;
    assert.is(dictionary.find(key), forgotten ? undefined : ids[index], key);
    assert.is(dictionary.keyOf(ids[index] as number), forgotten ? undefined : key);
  });
  const again = dictionary.add(keys[0] as string);
  assert.ok(again > (ids.at(-1) as number), 'ids are never reused');
  assert.is(dictionary.find(keys[0] as string), again);
});

test('restored from the bytes and lengths of its ids, a dictionary gives every key its id again', () => {
  const original = new TermDictionary();
  const keys = sampleKeys(10_000);
  for (const key of keys) original.add(key);
  original.forget(original.find(keys[7] as string) as number);
  const lengths = new Uint32Array(original.lastId);
  const chunks: Uint8Array[] = [];
  for (let id = 1; id <= original.lastId; id++) {
    const bytes = original.bytesOf(id);
    lengths[id - 1] = bytes?.length ?? forgottenLength;
    if (bytes) chunks.push(bytes);
  }
  const hashes = Uint32Array.from({ length: original.lastId }, (_, at) => original.hashOf(at + 1));
  for (const [name, copy] of [
    ['hashing every key', new TermDictionary()],
    ['with the saved hashes', new TermDictionary()],
  ] as const) {
    assert.ok(name === 'hashing every key' ? copy.restore(Buffer.concat(chunks), lengths) : copy.restore(Buffer.concat(chunks), lengths, hashes));
    assert.is(copy.lastId, original.lastId);
    for (const key of keys) assert.is(copy.find(key), original.find(key), `${name}: ${key}`);
    assert.is(copy.find(keys[7] as string), undefined, 'a forgotten id stays a gap');
    assert.is(copy.add('"nuevo"'), original.lastId + 1, 'new keys go on from there');
  }
  assert.not.ok(new TermDictionary().restore(Buffer.alloc(3), new Uint32Array([1])), 'lengths that do not add up are refused');
  assert.not.ok(new TermDictionary().restore(Buffer.alloc(1), new Uint32Array([1]), new Uint32Array(2)), 'as many hashes as lengths');
});

test('a key restored again at a later id moves there (a later segment gave it anew)', () => {
  const dictionary = new TermDictionary();
  const key = '"dos veces"';
  assert.ok(dictionary.restore(Buffer.from(key), new Uint32Array([Buffer.byteLength(key)])));
  assert.ok(dictionary.restore(Buffer.from(`"otra"${key}`), new Uint32Array([6, Buffer.byteLength(key)])));
  assert.is(dictionary.find(key), 3);
  assert.is(dictionary.keyOf(1), undefined);
  assert.is(dictionary.find('"otra"'), 2);
});

test('add asks admit once, for a new key only; a refusal gives no id', () => {
  const dictionary = new TermDictionary();
  let asked = 0;
  const admit = () => {
    asked++;
  };
  const id = dictionary.add('"uno"', admit);
  assert.is(dictionary.add('"uno"', admit), id);
  assert.is(asked, 1);
  assert.throws(() =>
    dictionary.add('"refused"', () => {
      throw new RangeError('no');
    }),
  );
  assert.is(dictionary.find('"refused"'), undefined);
  assert.is(dictionary.add('"dos"'), id + 1, 'the refused key took no id');
});

test('an XML Schema literal is kept in the short form earlier versions saved (their snapshots find their keys)', () => {
  const dictionary = new TermDictionary();
  const xsd = 'http://www.w3.org/2001/XMLSchema#';
  const cases = [
    [`"12.50"^^${xsd}decimal`, '"12.50"\u0001decimal'],
    [`"Bogotá"^^${xsd}string`, '"Bogotá"\u0001string'],
    [`"x"^^${xsd}dé`, '"x"\u0001dé'],
    [`"a"^^${xsd}decimal"`, `"a"^^${xsd}decimal"`],
    [`"${xsd}"@es`, `"${xsd}"@es`],
  ] as const;
  for (const [key, kept] of cases) {
    const id = dictionary.add(key);
    assert.is(Buffer.from(dictionary.bytesOf(id) as Uint8Array).toString('utf8'), kept, key);
    assert.is(dictionary.keyOf(id), key);
  }
  // Restored from the kept bytes alone (hashing them again), every key is found: the hash is over the kept form.
  const copy = new TermDictionary();
  const bytes = cases.map(([key]) => Buffer.from(dictionary.bytesOf(dictionary.find(key) as number) as Uint8Array));
  assert.ok(copy.restore(Buffer.concat(bytes), Uint32Array.from(bytes, (item) => item.length)));
  for (const [key] of cases) assert.is(copy.find(key), dictionary.find(key), key);
});

test('keys are kept as the UTF-8 TextEncoder writes, lone surrogates as U+FFFD, and hashed over those bytes', () => {
  const dictionary = new TermDictionary();
  const keys = ['"ñandú"@es', '"🌎 mundo"', '"alto \ud800 solo"', '"bajo \udc00"', '"al final \ud83c"', `"€ ${'ü'.repeat(5000)}"`, '"\u07ff\u0800\uffff"'];
  const copy = new TermDictionary();
  for (const key of keys) {
    const bytes = Buffer.from(dictionary.bytesOf(dictionary.add(key)) as Uint8Array);
    assert.equal([...bytes], [...new TextEncoder().encode(key)], key);
    // Restored without the hashes, the copy hashes the bytes itself: the same hash finds the same key.
    assert.ok(copy.restore(bytes, new Uint32Array([bytes.length])));
    assert.is(copy.find(key), copy.lastId, key);
  }
  // In the short form of an XML Schema literal too: the bytes before and after the shortened suffix.
  const xsd = 'http://www.w3.org/2001/XMLSchema#';
  for (const [key, kept] of [
    [`"🌎 \ud83c"^^${xsd}string`, '"🌎 \ud83c"\u0001string'],
    [`"\udc00ñ"^^${xsd}dé\ud800`, '"\udc00ñ"\u0001dé\ud800'],
  ] as const) {
    assert.equal([...(dictionary.bytesOf(dictionary.add(key)) as Uint8Array)], [...new TextEncoder().encode(kept)], key);
    assert.is(dictionary.keyOf(dictionary.find(key) as number), key.replace(/[\ud800-\udfff]/gu, '\ufffd'), key);
  }
});


test('a batch gives each key the id adding it alone would, a key repeated in the batch one id', () => {
  const alone = new TermDictionary();
  const batched = new TermDictionary();
  const keys = sampleKeys(20_000);
  // Half known before: a batch mixes keys it finds with keys it adds, and repeats some.
  for (const key of keys.slice(0, 10_000)) {
    alone.add(key);
    batched.add(key);
  }
  const mixed = keys.flatMap((key, index) => (index % 7 === 0 ? [key, keys[index - (index % 3)] as string] : [key]));
  const ids = new Uint32Array(128);
  for (let from = 0; from < mixed.length; from += 128) {
    const batch = mixed.slice(from, from + 128);
    batched.addBatch(batch, batch.length, ids);
    batch.forEach((key, index) => {
      assert.is(ids[index], alone.add(key), key.slice(0, 60));
    });
  }
  for (const key of keys) assert.is(batched.keyOf(batched.find(key) as number), key);
});

test('a batch that does not fit the block keys are appended to starts a new one, and keeps every key', () => {
  const dictionary = new TermDictionary();
  const long = `"${'ü'.repeat(6_000_000)}"`;
  const keys = ['_:before', long, '_:after', long];
  const ids = new Uint32Array(keys.length);
  dictionary.addBatch(keys, keys.length, ids);
  assert.equal([...ids], [1, 2, 3, 2]);
  keys.forEach((key, index) => {
    assert.is(dictionary.keyOf(ids[index] as number), key);
  });
});

test('a batch asks admit for its new keys by index; a refusal leaves the keys before it with their ids and it with none', () => {
  const dictionary = new TermDictionary();
  dictionary.add('_:known');
  const asked: number[] = [];
  const ids = new Uint32Array(4);
  const keys = ['_:new', '_:known', '_:refused', '_:later'];
  assert.throws(
    () =>
      dictionary.addBatch(keys, keys.length, ids, (index) => {
        asked.push(index);
        if (keys[index] === '_:refused') throw new Error('refused');
      }),
    /refused/,
  );
  assert.equal(asked, [0, 2]);
  assert.is(dictionary.find('_:new'), ids[0]);
  assert.is(dictionary.find('_:refused'), undefined);
  assert.is(dictionary.find('_:later'), undefined);
});

test.run();
