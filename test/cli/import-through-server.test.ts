/** `vinculo import` while `vinculo serve` holds the data directory: the server imports, and answers with the new data at once. */
import { mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createConfiguredEngine } from '../../src/cli/open-store.ts';
import { loadConfig } from '../../src/config/index.ts';
import { BadRequest } from '../../src/errors/index.ts';
import { createApp, type ImportRequest, type ImportStreamLine } from '../../src/http/index.ts';
import { openStore } from '../../src/store/index.ts';
import { projectRoot, runCli, startServer, stopServer } from './run-cli.ts';

const medellin = 'http://localhost:3030/id/municipio/05001';

async function sparqlCount(url: string, pattern: string): Promise<number> {
  const response = await fetch(`${url}/sparql`, {
    method: 'POST',
    headers: { Accept: 'application/sparql-results+json', 'Content-Type': 'application/sparql-query' },
    body: `SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ${pattern} } }`,
  });
  assert.is(response.status, 200);
  const results = (await response.json()) as { results: { bindings: Array<{ n: { value: string } }> } };
  return Number(results.results.bindings[0]?.n.value);
}

async function storeVersion(url: string): Promise<number> {
  return ((await (await fetch(`${url}/health`)).json()) as { version: number }).version;
}

async function searchTotal(url: string, words: string): Promise<number> {
  return ((await (await fetch(`${url}/search?q=${encodeURIComponent(words)}&format=json`)).json()) as { total: number }).total;
}

function postImport(url: string, authorization: string | undefined, body: unknown): Promise<Response> {
  return fetch(`${url}/admin/import`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
    body: JSON.stringify(body),
  });
}

/** A project of its own: no mappings at start-up and no vocabularies, so the server starts in a moment. */
async function emptyProject(): Promise<{ folder: string; configFile: string; dataDir: string }> {
  const folder = await mkdtemp(join(tmpdir(), 'vinculo-live-import-'));
  const dataDir = join(folder, 'var');
  await mkdir(join(folder, 'vocabularies'));
  const configFile = join(folder, 'vinculo.config.json');
  await writeFile(configFile, JSON.stringify({ mappings: [], sourceDirs: [join(projectRoot, 'data')], vocabularies: 'vocabularies', dataDir: 'var' }));
  return { folder, configFile, dataDir };
}

test('import through a running server: new data served at once, a failing mapping keeps the previous version, tokens guard the route', async () => {
  const { folder, configFile, dataDir } = await emptyProject();
  const server = await startServer(['--config', configFile]);
  try {
    const recordPath = join(dataDir, 'server.json');
    const record = JSON.parse(await readFile(recordPath, 'utf8')) as { url: string; pid: number; token: string };
    assert.equal([record.url, record.pid], [server.url, server.child.pid]);
    assert.match(record.token, /^[0-9a-f]{64}$/);
    assert.is((await stat(recordPath)).mode & 0o777, 0o600, 'only the owner may read the token');

    const medellinTriples = `<${medellin}> ?p ?o`;
    assert.is(await sparqlCount(server.url, medellinTriples), 0);
    assert.is(await searchTotal(server.url, 'Medellín'), 0);
    const versionBefore = await storeVersion(server.url);

    const imported = await runCli(['import', 'mappings/municipios.yml', '--config', configFile]);
    assert.is(imported.status, 0, imported.stderr);
    assert.match(imported.stderr, /municipios: 13 rows read, \d+ triples written/);
    const triples = await sparqlCount(server.url, medellinTriples);
    assert.ok(triples > 0, 'the server answers with the imported dataset');
    const versionAfter = await storeVersion(server.url);
    assert.ok(versionAfter > versionBefore);
    assert.ok((await searchTotal(server.url, 'Medellín')) > 0, 'the search index follows the new version');

    // Same dataset id, but its source lies outside the server's source folders: refused, nothing changes.
    const outside = join(folder, 'elsewhere');
    await mkdir(outside);
    await writeFile(join(outside, 'municipios.csv'), await readFile(join(projectRoot, 'data', 'municipios.csv')));
    const mapping = (await readFile(join(projectRoot, 'mappings', 'municipios.yml'), 'utf8')).replaceAll('../data/municipios.csv', join(outside, 'municipios.csv'));
    await writeFile(join(outside, 'municipios.yml'), mapping);
    const failed = await runCli(['import', join(outside, 'municipios.yml'), '--config', configFile]);
    assert.is(failed.status, 1, failed.stderr);
    assert.match(failed.stderr, /municipios\.yml: import failed, the previous version stays published: .*is outside the allowed data folders/);
    assert.is(await storeVersion(server.url), versionAfter);
    assert.is(await sparqlCount(server.url, medellinTriples), triples);

    const body = { mapping: join(projectRoot, 'mappings', 'municipios.yml') };
    assert.is((await postImport(server.url, undefined, body)).status, 401);
    assert.is((await postImport(server.url, 'Bearer not-the-run-token', body)).status, 403);
    await writeFile(recordPath, JSON.stringify({ ...record, token: 'f'.repeat(64) }));
    const refused = await runCli(['import', 'mappings/municipios.yml', '--config', configFile, '--force']);
    assert.is(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /answered 403/);
    assert.is(await storeVersion(server.url), versionAfter);
  } finally {
    await stopServer(server);
  }
  const left = await stat(join(dataDir, 'server.json')).then(() => true, () => false);
  assert.not.ok(left, 'a stopped server leaves no record behind');
});

test('the route exists only when an importer is given, and takes the run token or the update token', async () => {
  const updateToken = 'an-update-token-long-enough';
  const config = await loadConfig({ cwd: (await emptyProject()).folder, env: {}, flags: { updateToken } });
  const store = await openStore({ baseIRI: config.baseIRI });
  const requests: Array<Omit<ImportRequest, 'say'>> = [];
  const importMapping = async ({ say, ...request }: ImportRequest) => {
    if (request.mapping.endsWith('broken.yml')) throw new BadRequest('broken.yml: not a mapping');
    requests.push(request);
    say('ejemplo: mapping');
    return { datasetId: 'ejemplo', skipped: false, rowsRead: 2, triplesWritten: 6, problems: {} };
  };
  const base = { store, engine: createConfiguredEngine(store, config), config, logger: pino({ level: 'silent' }) };
  const listen = (app: ReturnType<typeof createApp>) =>
    new Promise<{ url: string; close: () => void }>((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() }));
    });
  const plain = await listen(createApp(base));
  const admin = await listen(createApp({ ...base, adminImport: { token: 'run-token', importMapping } }));
  try {
    assert.is((await postImport(plain.url, `Bearer ${updateToken}`, { mapping: '/m/ejemplo.yml' })).status, 404);

    const answer = await postImport(admin.url, 'Bearer run-token', { mapping: '/m/ejemplo.yml', force: true, onError: 'skip-row' });
    assert.is(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /^application\/x-ndjson/);
    const lines = (await answer.text()).trim().split('\n').map((line) => JSON.parse(line) as ImportStreamLine);
    assert.equal(lines, [{ say: 'ejemplo: mapping' }, { result: { datasetId: 'ejemplo', skipped: false, rowsRead: 2, triplesWritten: 6, problems: {} } }]);
    assert.is((await postImport(admin.url, `Bearer ${updateToken}`, { mapping: '/m/ejemplo.yml' })).status, 200);
    assert.equal(requests, [
      { mapping: '/m/ejemplo.yml', force: true, errorPolicy: 'skip-row' },
      { mapping: '/m/ejemplo.yml', force: false, errorPolicy: undefined },
    ]);

    const broken = (await (await postImport(admin.url, 'Bearer run-token', { mapping: '/m/broken.yml' })).text()).trim().split('\n');
    assert.equal(JSON.parse(broken.at(-1) ?? ''), { error: { code: 'bad-request', message: 'broken.yml: not a mapping' } });
    assert.is((await postImport(admin.url, 'Bearer run-token', { mapping: 'relative.yml' })).status, 400);
    assert.is((await postImport(admin.url, 'Bearer run-token', { mapping: '/m/ejemplo.yml', onError: 'ignore' })).status, 400);
    assert.is(requests.length, 2, 'refused requests import nothing');
  } finally {
    plain.close();
    admin.close();
    await store.close();
  }
});

test.run();
