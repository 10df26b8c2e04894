/** Harvest safety: 500, 429 with Retry-After and a connection cut mid-harvest never leave a partial version, retries complete; hosts outside the allowlist are refused. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type * as RDF from '@rdfjs/types';
import { Forbidden } from '../../src/errors/index.ts';
import { HarvestFailed, harvestDataset, harvestFiles, SocrataClient } from '../../src/harvest/index.ts';
import { runCli } from '../cli/run-cli.ts';
import { freshDirectory } from '../catalog/support.ts';
import { sameGraph } from '../support/graphs.ts';
import { rejection } from '../support/rejection.ts';
import { datasetUrl, graphQuads, harvestProject, sedes, startPortal } from './support/fixture.ts';
import type { Failure } from './support/socrata-server.ts';

const failures: ReadonlyArray<{ readonly name: string; readonly failure: Failure }> = [
  { name: 'a 500', failure: { kind: '500' } },
  { name: 'a 429 with Retry-After', failure: { kind: '429', retryAfterSeconds: 1 } },
  { name: 'a connection cut mid-page', failure: { kind: 'cut' } },
];

for (const { name, failure } of failures) {
  test(`${name} on the second page of a sync: no partial version; the retry completes`, async () => {
    const portal = await startPortal(300);
    const harvest = await harvestProject(portal);
    const impatient = { ...harvest.options, pageSize: 50, client: new SocrataClient({ allowedHosts: [portal.host], retries: 0 }) };
    try {
      const first = await harvestDataset(datasetUrl(portal), { ...harvest.options, pageSize: 50 });
      const graph = (harvest.store.dataset(first.datasetId) as { graph: RDF.NamedNode }).graph;
      const ids = portal.rowIds();
      for (let index = 0; index < 80; index++) portal.updateRow(ids[index * 3] as string, { matricula: String(9000 + index) });
      const before = await graphQuads(harvest.store, graph);
      const versionBefore = harvest.store.version;
      const mirrorBefore = await readFile(harvestFiles(harvest.config.dataDir, sedes.id).base, 'utf8');

      portal.failNext({ kind: 'pass' }, failure);
      const error = await rejection(harvestDataset(datasetUrl(portal), impatient));
      assert.instance(error, HarvestFailed);
      assert.is(harvest.store.version, versionBefore, 'no version committed');
      assert.ok(sameGraph(await graphQuads(harvest.store, graph), before), 'the previous version is what readers see');
      assert.is(await readFile(harvestFiles(harvest.config.dataDir, sedes.id).base, 'utf8'), mirrorBefore);

      portal.failNext({ kind: 'pass' }, failure);
      const started = performance.now();
      const sync = await harvestDataset(datasetUrl(portal), { ...harvest.options, pageSize: 50 });
      const elapsed = performance.now() - started;
      assert.is(sync.rowsChanged, 80);
      if (failure.kind === '429') assert.ok(elapsed >= 1000, `waited ${elapsed.toFixed(0)} ms, Retry-After said 1 s (back-off alone is 10 ms)`);
      const full = await harvestProject(portal);
      try {
        await harvestDataset(datasetUrl(portal), full.options);
        const fresh = await graphQuads(full.store, graph);
        assert.ok(sameGraph(await graphQuads(harvest.store, graph), fresh), 'the synced graph equals a fresh harvest');
      } finally {
        await full.store.close();
      }
    } finally {
      await harvest.store.close();
      await portal.close();
    }
  });
}

test('a host outside the allowlist is refused before any request, and so is a redirect to one', async () => {
  const portal = await startPortal(20);
  const harvest = await harvestProject(portal);
  try {
    const refused = await rejection(harvestDataset(datasetUrl(portal), { ...harvest.options, client: new SocrataClient({ allowedHosts: ['www.datos.gov.co'] }) }));
    assert.instance(refused, Forbidden);
    assert.match(refused.message, `${portal.host} is not an allowed harvest host`);
    assert.match(refused.message, 'harvest.hosts');
    assert.is(portal.resourceRequests.length, 0);

    portal.failNext({ kind: 'redirect', location: 'http://localhost:9/resource/sede-2026.json' });
    const redirected = await rejection(harvestDataset(datasetUrl(portal), harvest.options));
    assert.instance(redirected, Forbidden);
    assert.match(redirected.message, 'localhost:9 is not an allowed harvest host');
    assert.is(harvest.store.dataset(sedes.id), undefined, 'nothing was published');
  } finally {
    await harvest.store.close();
    await portal.close();
  }
});

test('vinculo harvest URL harvests, then syncs; the app token travels in X-App-Token', async () => {
  const portal = await startPortal(40);
  const dir = await freshDirectory();
  try {
    const env = { VINCULO_SOCRATA_APP_TOKEN: 'token-de-prueba' };
    const first = await runCli(['harvest', `${portal.origin}/resource/${sedes.id}.json`, '--data-dir', join(dir, 'var')], env);
    assert.is(first.status, 0, first.stderr);
    assert.equal(JSON.parse(first.stdout).kind, 'full');
    portal.updateRow(portal.rowIds()[0] as string, { matricula: '1' });
    const second = await runCli(['harvest', datasetUrl(portal), '--data-dir', join(dir, 'var')], env);
    assert.is(second.status, 0, second.stderr);
    assert.equal([JSON.parse(second.stdout).kind, JSON.parse(second.stdout).rowsChanged], ['sync', 1]);
    assert.ok(portal.appTokens.every((token) => token === 'token-de-prueba') && portal.appTokens.length > 0);
    const bad = await runCli(['harvest', 'https://www.datos.gov.co/browse', '--data-dir', join(dir, 'var')]);
    assert.is(bad.status, 1);
    assert.match(bad.stderr, 'no Socrata dataset id');
  } finally {
    await portal.close();
  }
});

test.run();
