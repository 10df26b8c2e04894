import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../src/config/index.ts';
import { ConfigError } from '../../src/errors/index.ts';

async function folderWith(config: unknown): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'vinculo-config-'));
  await writeFile(join(folder, 'vinculo.config.json'), JSON.stringify(config));
  return folder;
}

async function configError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

test('defaults apply when there is no config file', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'vinculo-config-'));
  const config = await loadConfig({ cwd: folder, env: {} });
  assert.is(config.baseIRI, 'http://localhost:3030/');
  assert.is(config.port, 3030);
  assert.is(config.dataDir, join(folder, 'var'));
  assert.is(config.limits.queryTimeoutMs, 30_000);
  assert.is(config.sparql.defaultGraph, 'union');
});

test('environment overrides the file and flags override the environment', async () => {
  const folder = await folderWith({ port: 4000, baseIRI: 'https://datos.example.gov.co/' });
  const fromEnv = await loadConfig({ cwd: folder, env: { VINCULO_PORT: '5000', VINCULO_DATA_DIR: '/srv/vinculo' } });
  assert.is(fromEnv.port, 5000);
  assert.is(fromEnv.dataDir, '/srv/vinculo');
  assert.is(fromEnv.baseIRI, 'https://datos.example.gov.co/');
  const fromFlags = await loadConfig({ cwd: folder, env: { VINCULO_PORT: '5000' }, flags: { port: '6000' } });
  assert.is(fromFlags.port, 6000);
});

test('a base IRI without a trailing slash gets one', async () => {
  const config = await loadConfig({ cwd: await folderWith({ baseIRI: 'https://datos.example.gov.co/ld' }), env: {} });
  assert.is(config.baseIRI, 'https://datos.example.gov.co/ld/');
});

test('an unknown key is named in the error', async () => {
  const message = await configError(loadConfig({ cwd: await folderWith({ prot: 3030 }), env: {} }));
  assert.match(message, /unknown key "prot"/);
  assert.match(message, /vinculo\.config\.json/);
});

test('an unknown nested key is named with its section', async () => {
  const message = await configError(loadConfig({ cwd: await folderWith({ limits: { timeout: 5 } }), env: {} }));
  assert.match(message, /limits: unknown key "timeout"/);
});

test('a bad value names its key and, when it came from the environment, the variable', async () => {
  const folder = await folderWith({});
  assert.match(await configError(loadConfig({ cwd: folder, env: { VINCULO_PORT: 'abc' } })), /"port".*VINCULO_PORT/);
  assert.match(await configError(loadConfig({ cwd: folder, env: { VINCULO_BASE_IRI: 'ftp://x/' } })), /"baseIRI"/);
  assert.match(await configError(loadConfig({ cwd: await folderWith({ port: 70_000 }), env: {} })), /"port"/);
  assert.match(
    await configError(loadConfig({ cwd: await folderWith({ sparql: { defaultGraph: 'everything' } }), env: {} })),
    /"defaultGraph" must be one of union, store/,
  );
  assert.match(await configError(loadConfig({ cwd: await folderWith({ sparql: { fastPath: 'yes' } }), env: {} })), /"fastPath" must be true or false/);
  assert.is((await loadConfig({ cwd: await folderWith({ sparql: { fastPath: false } }), env: {} })).sparql.fastPath, false);
});

test('a short update token is refused rather than weakening write access', async () => {
  const message = await configError(loadConfig({ cwd: await folderWith({}), env: { VINCULO_UPDATE_TOKEN: 'short' } }));
  assert.match(message, /"updateToken".*16 characters.*VINCULO_UPDATE_TOKEN/);
});

test('scoped write tokens read their secret from the named variable', async () => {
  const folder = await folderWith({ writeTokens: [{ tokenEnv: 'TOKEN_SALUD', datasets: ['covid'] }] });
  const config = await loadConfig({ cwd: folder, env: { TOKEN_SALUD: 'a-secret-of-some-length' } });
  assert.equal(config.writeTokens, [{ tokenEnv: 'TOKEN_SALUD', token: 'a-secret-of-some-length', datasets: ['covid'] }]);
});

test('source overrides resolve against the config folder, and VINCULO_DIVIPOLA_SOURCE sets the DIVIPOLA one', async () => {
  const folder = await folderWith({ sourceOverrides: { 'data/a.csv': 'exports/full-a.csv' } });
  const config = await loadConfig({ cwd: folder, env: { VINCULO_DIVIPOLA_SOURCE: '/srv/dane/DIVIPOLA.csv' } });
  assert.equal([...config.sourceOverrides], [
    [join(folder, 'data/a.csv'), join(folder, 'exports/full-a.csv')],
    [join(folder, 'data/divipola.csv'), '/srv/dane/DIVIPOLA.csv'],
  ]);
  assert.match(await configError(loadConfig({ cwd: await folderWith({ sourceOverrides: { 'data/a.csv': 3 } }), env: {} })), /sourceOverrides: "data\/a.csv" must name a file/);
});

test('invalid JSON names the file', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'vinculo-config-'));
  await writeFile(join(folder, 'vinculo.config.json'), '{ "port": ');
  assert.match(await configError(loadConfig({ cwd: folder, env: {} })), /vinculo\.config\.json: not valid JSON/);
});

test.run();
