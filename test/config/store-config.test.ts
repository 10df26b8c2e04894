/** The `store` section: embedded by default, or a remote SPARQL store with URLs and a password from the environment. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../src/config/index.ts';
import { ConfigError } from '../../src/errors/index.ts';

async function load(store: unknown, env: NodeJS.ProcessEnv = {}) {
  const folder = await mkdtemp(join(tmpdir(), 'vinculo-config-'));
  await writeFile(join(folder, 'vinculo.config.json'), JSON.stringify(store === undefined ? {} : { store }));
  return loadConfig({ cwd: folder, env });
}

async function refusal(store: unknown): Promise<string> {
  try {
    await load(store);
  } catch (error) {
    assert.instance(error, ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

test('without a store section the embedded store is used', async () => {
  assert.equal((await load(undefined)).store, { type: 'embedded' });
});

test('a sparql store takes its URLs, defaults the update URL to the query URL, and reads the password from the named variable', async () => {
  const config = await load(
    { type: 'sparql', queryUrl: 'http://127.0.0.1:8890/sparql', user: 'dba', passwordEnv: 'VIRTUOSO_PASSWORD', batchSize: 250 },
    { VIRTUOSO_PASSWORD: 's3cret' },
  );
  assert.ok(config.store.type === 'sparql');
  assert.is(config.store.queryUrl, 'http://127.0.0.1:8890/sparql');
  assert.is(config.store.updateUrl, 'http://127.0.0.1:8890/sparql');
  assert.is(config.store.user, 'dba');
  assert.is(config.store.password, 's3cret');
  assert.is(config.store.batchSize, 250);
  assert.is(config.store.pollMs, 5000);
  assert.is(config.store.graphStoreUrl, undefined);
});

test('a sparql store without a query URL, or with a non-http one, is refused naming the key', async () => {
  assert.match(await refusal({ type: 'sparql' }), /store: "queryUrl" must be an http\(s\) URL/);
  assert.match(await refusal({ type: 'sparql', queryUrl: 'ftp://x/sparql' }), /"queryUrl"/);
  assert.match(await refusal({ type: 'sparql', queryUrl: 'http://x/sparql', updateUrl: 'nope' }), /"updateUrl"/);
});

test('unknown store types and keys, and remote keys on the embedded store, are refused', async () => {
  assert.match(await refusal({ type: 'oracle' }), /"type" must be one of embedded, sparql/);
  assert.match(await refusal({ type: 'sparql', queryUrl: 'http://x/sparql', password: 'inline' }), /unknown key "password"/);
  assert.match(await refusal({ type: 'embedded', queryUrl: 'http://x/sparql' }), /"queryUrl" applies only to "type": "sparql"/);
  assert.match(await refusal({ type: 'sparql', queryUrl: 'http://x/sparql', passwordEnv: 'P' }), /"passwordEnv" needs "user"/);
  assert.match(await refusal({ type: 'sparql', queryUrl: 'http://x/sparql', batchSize: 0 }), /"batchSize" must be an integer/);
});

test.run();
