/** The foundation's promise, end to end: import, query, restart, serve, dereference — from the command line. */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRdfToArray } from '../../src/rdf/index.ts';
import { projectRoot, runCli, startServer } from './run-cli.ts';

const countQuery = 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }';

function countFromCsv(csv: string): number {
  const lines = csv.trim().split(/\r?\n/);
  assert.is(lines[0], 'n');
  return Number(lines[1]);
}

test('import, then query the same count before and after a restart, then serve it', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'vinculo-e2e-'));
  const imported = await runCli(['import', 'mappings/municipios.yml', '--data-dir', dataDir]);
  assert.is(imported.status, 0, imported.stderr);
  assert.match(imported.stderr, /municipios: 13 rows read/);

  const first = await runCli(['query', countQuery, '--data-dir', dataDir, '--format', 'csv']);
  assert.is(first.status, 0, first.stderr);
  const count = countFromCsv(first.stdout);
  assert.ok(count > 13 * 5, `expected several triples per municipality, got ${count}`);

  const again = await runCli(['query', countQuery, '--data-dir', dataDir, '--format', 'csv']);
  assert.is(countFromCsv(again.stdout), count);

  const reimport = await runCli(['import', 'mappings/municipios.yml', '--data-dir', dataDir]);
  assert.is(reimport.status, 0, reimport.stderr);
  assert.match(reimport.stderr, /unchanged since the last import, skipped/);

  const server = await startServer(['--data-dir', dataDir]);
  try {
    const response = await fetch(`${server.url}/sparql`, {
      method: 'POST',
      headers: { Accept: 'application/sparql-results+json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: countQuery }),
    });
    assert.is(response.status, 200);
    const results = (await response.json()) as { results: { bindings: Array<{ n: { value: string } }> } };
    // The served store also holds the vocabulary graph, loaded at start-up.
    assert.ok(Number(results.results.bindings[0]?.n.value) > count);

    const redirect = await fetch(`${server.url}/id/municipio/05001`, { headers: { Accept: 'text/turtle' }, redirect: 'manual' });
    assert.is(redirect.status, 303);
    const location = redirect.headers.get('location') ?? '';
    assert.is(location, '/doc/municipio/05001');
    const document = await fetch(new URL(location, server.url), { headers: { Accept: 'text/turtle' } });
    assert.is(document.status, 200);
    assert.match(document.headers.get('content-type') ?? '', /^text\/turtle/);
    const quads = await parseRdfToArray(await document.text(), { format: 'turtle', baseIRI: server.url });
    const medellin = 'http://localhost:3030/id/municipio/05001';
    const labels = quads.filter((quad) => quad.subject.value === medellin && quad.predicate.value === 'http://www.w3.org/2000/01/rdf-schema#label');
    assert.equal(labels.map((quad) => quad.object.value), ['Medellín']);

    const healthResponse = await fetch(`${server.url}/health`);
    assert.equal(((await healthResponse.json()) as { status: string }).status, 'ok');
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.on('exit', resolve));
  }
  assert.match(server.log(), /"msg":"stopped"/);
});

test('dataset list, export (plain and gzip) and drop', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'vinculo-e2e-'));
  assert.is((await runCli(['import', 'mappings/municipios.yml', '--data-dir', dataDir])).status, 0);
  const listed = await runCli(['dataset', 'list', '--data-dir', dataDir]);
  const [id, quads] = listed.stdout.trim().split('\t');
  assert.is(id, 'municipios');
  const exported = await runCli(['dataset', 'export', 'municipios', '--format', 'turtle', '--data-dir', dataDir]);
  assert.is(exported.status, 0, exported.stderr);
  const graph = await parseRdfToArray(exported.stdout, { format: 'turtle' });
  assert.is(graph.length, Number(quads));
  const out = join(dataDir, 'all.nq.gz');
  assert.is((await runCli(['dataset', 'export', '--gzip', '--out', out, '--data-dir', dataDir])).status, 0);
  const all = await parseRdfToArray(gunzipSync(await readFile(out)).toString('utf8'), { format: 'nquads' });
  assert.ok(all.length > graph.length, 'the whole store also holds the provenance in the catalog graph');
  assert.is((await runCli(['dataset', 'drop', 'municipios', '--data-dir', dataDir])).status, 0);
  assert.is((await runCli(['dataset', 'list', '--data-dir', dataDir])).stdout, '');
  const missing = await runCli(['dataset', 'drop', 'municipios', '--data-dir', dataDir]);
  assert.is(missing.status, 1);
  assert.match(missing.stderr, /no dataset "municipios"/);
});

test('usage errors exit 2 and print the usage', async () => {
  const unknown = await runCli(['import', '--no-such-flag', 'x.yml']);
  assert.is(unknown.status, 2);
  assert.match(unknown.stderr, /usage: vinculo import/);
  // `vinculo catalog` is built now (issue 7); a bad --format is still a usage error.
  const catalog = await runCli(['catalog', '--format', 'no-such-format']);
  assert.is(catalog.status, 2);
  assert.match(catalog.stderr, /usage: vinculo catalog/);
  const help = await runCli(['map', '--help']);
  assert.is(help.status, 0);
  assert.match(help.stdout, /usage: vinculo map MAPPING/);
});

test('map prints N-Quads that parse, and a broken mapping exits 1 naming the file', async () => {
  const mapped = await runCli(['map', 'mappings/municipios.yml']);
  assert.is(mapped.status, 0, mapped.stderr);
  const quads = await parseRdfToArray(mapped.stdout, { format: 'nquads' });
  assert.ok(quads.some((quad) => quad.subject.value === 'http://localhost:3030/id/municipio/05001'));

  const missing = await runCli(['map', 'mappings/no-such-mapping.yml']);
  assert.is(missing.status, 1);
  assert.match(missing.stderr, /no-such-mapping\.yml/);
});

test('validate checks a mapping\'s dataset description against the national profile', async () => {
  assert.is((await runCli(['validate', 'mappings/municipios.yml'])).status, 0);
  const dir = await mkdtemp(join(tmpdir(), 'vinculo-validate-'));
  const mapping = (await readFile(join(projectRoot, 'mappings', 'municipios.yml'), 'utf8'))
    .replace(/ {2}themes: .*\n/, '')
    .replaceAll('../data/municipios.csv', join(projectRoot, 'data', 'municipios.csv'));
  await writeFile(join(dir, 'sin-temas.yml'), mapping);
  const result = await runCli(['validate', join(dir, 'sin-temas.yml')]);
  assert.is(result.status, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /violation \[perfil nacional\] .*dataset\/municipios — dcat:theme/);
});

test('a bad configuration value stops start-up with a message naming it', async () => {
  const result = await runCli(['serve'], { VINCULO_PORT: 'not-a-port' });
  assert.is(result.status, 1);
  assert.match(result.stderr, /"port".*VINCULO_PORT/);
});

test.run();
