/** `maxMemoryBytes`: an import that would take the store past its budget is refused while it streams in, before the memory is used. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../src/config/index.ts';
import { ConfigError, TooLarge } from '../../src/errors/index.ts';
import { openStore } from '../../src/store/index.ts';
import { rejection } from '../support/rejection.ts';
import { base, sampleQuads } from './store-contract.ts';

test('an import past the budget is refused with the numbers and the way beyond; the store keeps what it had', async () => {
  const store = await openStore({ baseIRI: base, maxMemoryBytes: 8 * 1024 * 1024 });
  await store.putDataset('small', sampleQuads('s', 1000));
  const total = 1_000_000;
  let streamed = 0;
  async function* large(): AsyncGenerator<RDF.Quad> {
    for (const item of sampleQuads('big', total)) {
      streamed++;
      yield item;
    }
  }
  const error = await rejection(store.putDataset('large', large()));
  assert.instance(error, TooLarge);
  assert.match(error.message, /store\.maxMemoryBytes = 8 MiB/);
  assert.match(error.message, /store\.type: sparql/);
  assert.ok(/refused at [\d,]+ quads: it would need about [\d,]+ MiB/.test(error.message), error.message);
  assert.ok(streamed < total / 4, `refused after ${streamed} of ${total} quads, not at the end`);
  assert.is(store.dataset('large'), undefined);
  assert.is(store.dataset('small')?.quads, 1000);
  await store.close();
});

test('the default budget lets an ordinary import through', async () => {
  const store = await openStore({ baseIRI: base });
  assert.is((await store.putDataset('a', sampleQuads('a', 200_000))).quads, 200_000);
  await store.close();
});

test('store.maxMemoryBytes is read for the embedded store and refused for a SPARQL store', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'vinculo-config-'));
  try {
    const configWith = async (store: object) => {
      await writeFile(join(folder, 'vinculo.config.json'), JSON.stringify({ store }));
      return loadConfig({ cwd: folder, env: {} });
    };
    assert.equal((await configWith({ maxMemoryBytes: 4_000_000_000 })).store, { type: 'embedded', maxMemoryBytes: 4_000_000_000 });
    const tooSmall = await rejection(configWith({ maxMemoryBytes: 1000 }));
    assert.instance(tooSmall, ConfigError);
    assert.match(tooSmall.message, /"maxMemoryBytes" must be an integer/);
    const remote = await rejection(configWith({ type: 'sparql', queryUrl: 'http://127.0.0.1:1/sparql', maxMemoryBytes: 4_000_000_000 }));
    assert.match(remote.message, /"maxMemoryBytes" applies only to "type": "embedded"/);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});

test.run();
