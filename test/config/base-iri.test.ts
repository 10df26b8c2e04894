/** The base IRI follows host and port unless it is set, so that `VINCULO_PORT=4100 npm start` serves IRIs that dereference. */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../src/config/index.ts';
import { ConfigError } from '../../src/errors/index.ts';
import { parseRdfToArray } from '../../src/rdf/index.ts';
import { freePort, projectRoot, startCli, stopServer, whenServing } from '../cli/run-cli.ts';

async function folderWith(config: unknown): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'vinculo-base-'));
  await writeFile(join(folder, 'vinculo.config.json'), JSON.stringify(config));
  return folder;
}

test('without a baseIRI, the base names the port, and localhost for every local address', async () => {
  const folder = await folderWith({});
  const base = async (env: NodeJS.ProcessEnv) => (await loadConfig({ cwd: folder, env })).baseIRI;
  assert.is(await base({ VINCULO_PORT: '4100' }), 'http://localhost:4100/');
  for (const host of ['127.0.0.1', 'localhost', '::1', '0.0.0.0']) {
    assert.is(await base({ VINCULO_HOST: host, VINCULO_PORT: '4101' }), 'http://localhost:4101/', host);
  }
  assert.is(await base({ VINCULO_HOST: 'datos.example.gov.co', VINCULO_PORT: '8080' }), 'http://datos.example.gov.co:8080/');
  assert.is(await base({ VINCULO_HOST: 'fd00::7', VINCULO_PORT: '8080' }), 'http://[fd00::7]:8080/');
  const fromFlags = await loadConfig({ cwd: folder, env: {}, flags: { host: '10.0.0.11', port: '4200' } });
  assert.is(fromFlags.baseIRI, 'http://10.0.0.11:4200/');
});

test('a system-chosen port (0) keeps the default port in the base: IRIs must not change every run', async () => {
  const config = await loadConfig({ cwd: await folderWith({}), env: { VINCULO_PORT: '0' } });
  assert.is(config.port, 0);
  assert.is(config.baseIRI, 'http://localhost:3030/');
});

test('an explicit baseIRI wins, whether from the file, the environment or a flag', async () => {
  const fileBase = 'https://datos.example.gov.co/';
  const folder = await folderWith({ baseIRI: fileBase, port: 4300 });
  assert.is((await loadConfig({ cwd: folder, env: { VINCULO_PORT: '4100' } })).baseIRI, fileBase);
  const plain = await folderWith({});
  assert.is((await loadConfig({ cwd: plain, env: { VINCULO_PORT: '4100', VINCULO_BASE_IRI: 'https://env.example/' } })).baseIRI, 'https://env.example/');
  assert.is((await loadConfig({ cwd: plain, env: { VINCULO_PORT: '4100' }, flags: { baseIRI: 'https://flag.example/' } })).baseIRI, 'https://flag.example/');
});

test('the shipped vinculo.config.json lets the port choose the base', async () => {
  assert.is((await loadConfig({ cwd: projectRoot, env: {} })).baseIRI, 'http://localhost:3030/');
  assert.is((await loadConfig({ cwd: projectRoot, env: { VINCULO_PORT: '4100' } })).baseIRI, 'http://localhost:4100/');
});

test('a host that cannot be part of an IRI is named, with what to do', async () => {
  try {
    await loadConfig({ cwd: await folderWith({}), env: { VINCULO_HOST: 'bad host' } });
  } catch (error) {
    assert.instance(error, ConfigError);
    assert.match((error as Error).message, /"host" "bad host" cannot name the base IRI; set "baseIRI".*VINCULO_HOST/);
    return;
  }
  assert.unreachable('expected a ConfigError');
});

test('a server started with only VINCULO_PORT mints, links and queries under that port', async () => {
  const port = await freePort();
  const folder = await mkdtemp(join(tmpdir(), 'vinculo-base-'));
  const configFile = join(folder, 'vinculo.config.json');
  // No vocabularies: the server starts sooner, and the base shows in the dataset's IRIs anyway.
  await mkdir(join(folder, 'vocabularies'));
  await writeFile(configFile, JSON.stringify({ mappings: [join(projectRoot, 'mappings', 'municipios.yml')], sourceDirs: [join(projectRoot, 'data')], vocabularies: 'vocabularies', dataDir: 'var' }));
  const server = await whenServing(startCli(['serve', '--config', configFile], { VINCULO_PORT: String(port) }));
  const base = `http://localhost:${port}/`;
  try {
    const page = await (await fetch(`${server.url}/sparql`, { headers: { Accept: 'text/html' } })).text();
    const pageConfig = /<script type="application\/json" id="vinculo-query-config">(.*?)<\/script>/s.exec(page)?.[1] ?? '{}';
    assert.is((JSON.parse(pageConfig) as { endpoint?: string }).endpoint, `${base}sparql`, 'the query page sends queries to this port');

    // The minted IRI itself dereferences: it names the port the server listens on.
    const medellin = `${base}id/municipio/05001`;
    const redirect = await fetch(medellin, { headers: { Accept: 'text/turtle' }, redirect: 'manual' });
    assert.is(redirect.status, 303);
    const document = await fetch(new URL(redirect.headers.get('location') ?? '', medellin), { headers: { Accept: 'text/turtle' } });
    assert.is(document.status, 200);
    const quads = await parseRdfToArray(await document.text(), { format: 'turtle', baseIRI: medellin });
    assert.ok(quads.some((quad) => quad.subject.value === medellin), 'the document describes the IRI under this port');
    assert.not.ok(quads.some((quad) => quad.subject.value.startsWith('http://localhost:3030/')), 'nothing is minted under the default port');
  } finally {
    await stopServer(server);
  }
});

test.run();
