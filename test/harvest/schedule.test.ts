/** Harvests `serve` runs on its own: the scheduler against the local portal (intervals, no overlap, back-off, close, restart), `/harvest` in HTML and JSON, `/metrics`, `POST /admin/harvest`, and `vinculo serve` with a harvest configuration. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createConfiguredEngine } from '../../src/cli/open-store.ts';
import { harvestThroughServer } from '../../src/cli/running-server.ts';
import { type HarvestDatasetConfig, loadConfig, type VinculoConfig } from '../../src/config/index.ts';
import { ConfigError } from '../../src/errors/index.ts';
import { type HarvestDatasetStatus, type HarvestRun, HarvestScheduler, nextDelay, publicMessage, SocrataClient } from '../../src/harvest/index.ts';
import { createRequestHandler, MetricsRegistry, serve } from '../../src/http/index.ts';
import { colombia, freshDirectory, freshProject } from '../catalog/support.ts';
import { startServer, stopServer } from '../cli/run-cli.ts';
import { rejection } from '../support/rejection.ts';
import { bibliotecaCells, bibliotecas, eventually, sedeCells, sedes } from './support/fixture.ts';
import { startSocrataServer } from './support/socrata-server.ts';
import { random } from '../support/random.ts';

const quiet = () => undefined;
const every = (intervalMs: number) => ({ kind: 'interval', intervalMs }) as const;
const withHarvest = (config: VinculoConfig, datasets: HarvestDatasetConfig[]): VinculoConfig => ({ ...config, harvest: { ...config.harvest, datasets } });

/** The update frequency datos.gov.co declares for the MinTIC roadmap (ivxt-5jyc), read from the real view record. */
async function declaredInRealView(): Promise<string> {
  const view = JSON.parse(await readFile(join(colombia, 'datos-gov-co-catalogo', 'socrata-view-ivxt-5jyc.json'), 'utf8')) as { metadata: { custom_fields: Record<string, Record<string, string>> } };
  return view.metadata.custom_fields['Información de Datos']?.['Frecuencia de Actualización'] as string;
}

test('the harvest configuration: datasets with an interval or the declared frequency (the default), a default interval, the app token from the environment; a wrong schedule names its key', async () => {
  const dir = await freshDirectory();
  const file = join(dir, 'vinculo.config.json');
  const write = (harvest: unknown) => writeFile(file, JSON.stringify({ mappings: [], harvest }));
  await write({ hosts: ['www.datos.gov.co'], defaultSchedule: '12h', datasets: [{ url: 'https://www.datos.gov.co/d/ivxt-5jyc' }, { url: 'https://www.datos.gov.co/resource/abcd-1234.json', schedule: '15m' }] });
  const config = await loadConfig({ cwd: dir, env: { VINCULO_SOCRATA_APP_TOKEN: 'app-token-from-env' } });
  assert.equal(config.harvest, {
    hosts: ['www.datos.gov.co'],
    datasets: [
      { url: 'https://www.datos.gov.co/d/ivxt-5jyc', schedule: { kind: 'declared' } },
      { url: 'https://www.datos.gov.co/resource/abcd-1234.json', schedule: { kind: 'interval', intervalMs: 15 * 60_000 } },
    ],
    defaultIntervalMs: 12 * 3_600_000,
    appToken: 'app-token-from-env',
  });
  assert.is((await loadConfig({ cwd: dir, env: {} })).harvest.appToken, undefined);
  for (const [harvest, named] of [
    [{ datasets: [{ url: 'https://www.datos.gov.co/d/ivxt-5jyc', schedule: 'hourly' }] }, /harvest datasets\[0\]: "schedule" must be "declared" or an interval/],
    [{ datasets: [{ url: 'ftp://portal/d/ivxt-5jyc' }] }, /harvest datasets\[0\]: "url" must be an http\(s\) URL/],
    [{ datasets: [{ url: 'https://www.datos.gov.co/d/ivxt-5jyc', every: '1h' }] }, /datasets\[0\]: unknown key "every"/],
    [{ defaultSchedule: '0h' }, /"defaultSchedule" must be an interval/],
  ] as const) {
    await write(harvest);
    const error = await rejection(loadConfig({ cwd: dir, env: {} }));
    assert.instance(error, ConfigError);
    assert.match(error.message, named);
  }
  // A URL that names no dataset is refused when the scheduler is made (serve stops at start-up).
  const project = await freshProject();
  try {
    const config = withHarvest(project.config, [{ url: 'https://www.datos.gov.co/browse', schedule: { kind: 'declared' } }]);
    const error = await rejection(async () => new HarvestScheduler({ config, store: project.store, client: new SocrataClient({ allowedHosts: [] }), say: quiet, warn: quiet }));
    assert.instance(error, ConfigError);
    assert.match(error.message, /harvest\.datasets\[0\]: .*no Socrata dataset id/);
  } finally {
    await project.store.close();
  }
});

test('back-off: the interval after a success; after failures a wait from min(interval, 5 min) that doubles, up to the interval or 6 h; jitter adds at most 10 %', () => {
  const minute = 60_000;
  const day = 24 * 60 * minute;
  assert.is(nextDelay(day, 0, 0), day);
  assert.equal([1, 2, 3, 4].map((failures) => nextDelay(day, failures, 0) / minute), [5, 10, 20, 40]);
  assert.is(nextDelay(day, 20, 0), day, 'never longer than the interval when that is past 6 h');
  assert.is(nextDelay(15 * minute, 20, 0), 6 * 60 * minute, 'a short interval backs off to 6 h');
  assert.is(nextDelay(200, 1, 0), 200, 'a failure retries no sooner than the interval itself');
  assert.is(nextDelay(200, 3, 0), 800);
  assert.ok(nextDelay(day, 0, 0.999) < day * 1.1 && nextDelay(day, 0, 0.5) > day);
});

test('an error is shown by its message only, without the app token, URL credentials or token parameters', () => {
  const error = new Error('https://user:pa55@portal.example/resource/abcd-1234.json?$$app_token=t0k3n&$limit=5: HTTP 500 (token app-token-123456)');
  const shown = publicMessage(error, ['app-token-123456', undefined]);
  for (const secret of ['pa55', 'user:', 't0k3n', 'app-token-123456']) assert.not.ok(shown.includes(secret), `${secret} in ${shown}`);
  assert.ok(shown.includes('HTTP 500') && shown.includes('portal.example/resource/abcd-1234.json'), shown);
  assert.ok(publicMessage(new Error('x'.repeat(5000)), []).length <= 500);
});

test('the scheduler syncs each dataset on its interval through the given store, one harvest at a time, and close stops it; a new scheduler over the data directory shows the last syncs', async () => {
  const portal = await startSocrataServer(sedes, bibliotecas);
  const next = random(5);
  for (let n = 1; n <= 60; n++) portal.addRow(sedeCells(n, next));
  for (let n = 1; n <= 40; n++) portal.table(bibliotecas.id).addRow(bibliotecaCells(n));
  const project = await freshProject();
  const config = withHarvest(project.config, [
    { url: `${portal.origin}/d/${sedes.id}`, schedule: every(200) },
    { url: `${portal.origin}/resource/${bibliotecas.id}.json`, schedule: every(200) },
  ]);
  let running = 0;
  let mostAtOnce = 0;
  const runs: HarvestRun[] = [];
  const observer = {
    harvestStarted: () => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
    },
    harvestFinished: (run: HarvestRun) => {
      running--;
      runs.push(run);
    },
  };
  // Slow answers: a harvest takes longer than the interval, so overlapping runs would show.
  portal.failNext(...Array.from({ length: 12 }, () => ({ kind: 'delay', ms: 80 }) as const));
  const client = new SocrataClient({ allowedHosts: [portal.host], backoffMs: 10 });
  const scheduler = new HarvestScheduler({ config, store: project.store, client, observer, say: quiet, warn: quiet, pageSize: 25 });
  const runsOf = (id: string) => runs.filter((run) => run.socrataId === id);
  try {
    await scheduler.start();
    await eventually(() => runsOf(sedes.id).length > 0 && runsOf(bibliotecas.id).length > 0, 'a first harvest of each dataset');
    assert.equal(
      [runsOf(sedes.id)[0]?.outcome, runsOf(sedes.id)[0]?.rowsAdded, runsOf(bibliotecas.id)[0]?.outcome, runsOf(bibliotecas.id)[0]?.rowsAdded],
      ['full', 60, 'full', 40],
    );
    assert.ok(project.store.dataset(sedes.id) && project.store.dataset(bibliotecas.id), 'both datasets are in the store the scheduler was given');

    const changedId = portal.rowIds()[7] as string;
    portal.updateRow(changedId, { matricula: '4242' });
    portal.table(bibliotecas.id).deleteRow(portal.table(bibliotecas.id).rowIds()[0] as string);
    await eventually(() => runsOf(sedes.id).some((run) => run.outcome === 'sync' && run.rowsChanged === 1), 'the changed row synced on the next interval');
    await eventually(() => runsOf(bibliotecas.id).some((run) => run.outcome === 'sync' && run.rowsDeleted === 1), 'the deleted row synced');
    await eventually(() => runsOf(sedes.id).length >= 4 && runsOf(bibliotecas.id).length >= 4, 'more runs, on the interval');
    assert.ok(runs.slice(4).some((run) => run.outcome === 'unchanged'), 'runs with nothing new are "unchanged"');
    assert.is(mostAtOnce, 1, 'never two harvests at once');
    const status = scheduler.status();
    assert.equal(status.map((dataset) => [dataset.socrataId, dataset.schedule, dataset.intervalMs]), [[sedes.id, '200ms', 200], [bibliotecas.id, '200ms', 200]]);
  } finally {
    await scheduler.close();
  }
  const afterClose = runs.length;
  assert.is(running, 0, 'close waits for the harvest under way');
  assert.ok(scheduler.status().every((dataset) => dataset.nextSyncAt === undefined && !dataset.running));
  await new Promise((resolve) => setTimeout(resolve, 700));
  assert.is(runs.length, afterClose, 'no harvest after close');
  assert.instance(await rejection(scheduler.harvestNow(`${portal.origin}/d/${sedes.id}`)), Error);

  // A restart (now on a daily schedule, so nothing runs meanwhile): the records on disk give the last syncs, and the schedule resumes from them.
  const lastBefore = new Map(scheduler.status().map((dataset) => [dataset.socrataId, dataset.lastSync]));
  const daily = withHarvest(config, config.harvest.datasets.map((dataset) => ({ ...dataset, schedule: every(86_400_000) })));
  const restarted = new HarvestScheduler({ config: daily, store: project.store, client, say: quiet, warn: quiet, random: () => 0 });
  try {
    await restarted.start();
    for (const dataset of restarted.status()) {
      const last = lastBefore.get(dataset.socrataId);
      assert.equal(dataset.lastSync, last);
      assert.is(dataset.nextSyncAt, new Date(Date.parse(last?.finishedAt as string) + 86_400_000).toISOString(), 'a day after the last run');
    }
  } finally {
    await restarted.close();
    await project.store.close();
    await portal.close();
  }
});

interface HarvestJson {
  readonly datasets: ReadonlyArray<HarvestDatasetStatus & { readonly interval: string }>;
}

const metricValue = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

test('/harvest (HTML and JSON) shows the last sync, the next one and the last error after a failing run; /metrics counts the runs; POST /admin/harvest harvests in the queue', async () => {
  const frequency = await declaredInRealView();
  const portal = await startSocrataServer({ ...sedes, frequency });
  const next = random(9);
  for (let n = 1; n <= 40; n++) portal.addRow(sedeCells(n, next));
  const project = await freshProject();
  const url = `${portal.origin}/d/${sedes.id}`;
  const config = withHarvest(project.config, [{ url, schedule: { kind: 'declared' } }]);
  const registry = new MetricsRegistry();
  // No retries: one 500 fails the run.
  const client = new SocrataClient({ allowedHosts: [portal.host], retries: 0 });
  const warnings: string[] = [];
  const scheduler = new HarvestScheduler({ config, store: project.store, client, observer: registry.harvestObserver(), say: quiet, warn: (message) => warnings.push(message), random: () => 0.5 });
  const token = 'run-token-for-the-test';
  const handler = createRequestHandler({
    store: project.store,
    engine: createConfiguredEngine(project.store, config),
    config,
    logger: pino({ level: 'silent' }),
    adminImport: { token, importMapping: () => Promise.reject(new Error('not in this test')) },
    harvests: scheduler,
    harvestUrl: ({ url: asked, full, pageSize, say }) => scheduler.harvestNow(asked, { full, pageSize, say }),
    registry,
  });
  const server = await serve(handler, { host: '127.0.0.1', port: 0, logger: pino({ level: 'silent' }) });
  const status = async (): Promise<HarvestJson['datasets'][number]> => {
    const response = await fetch(`${server.url}/harvest`, { headers: { Accept: 'application/json' } });
    assert.is(response.headers.get('cache-control'), 'no-store');
    return ((await response.json()) as HarvestJson).datasets[0] as HarvestJson['datasets'][number];
  };
  const metrics = async () => (await fetch(`${server.url}/metrics`)).text();
  try {
    const before = await status();
    assert.equal([before.socrataId, before.schedule, before.lastSync, before.lastError, before.failuresInARow], [sedes.id, 'declared', undefined, undefined, 0]);
    assert.is(metricValue(await metrics(), 'vinculo_harvest_duration_seconds_count'), 0, 'the series exist at zero before the first run');

    await scheduler.start();
    await eventually(() => scheduler.status()[0]?.lastSync !== undefined, 'the first harvest, at start-up');
    const first = await status();
    assert.equal([first.lastSync?.kind, first.lastSync?.rowsAdded, first.declaredFrequency], ['full', 40, frequency]);
    // Mensual: the EU frequency's period, 31 days.
    assert.equal([first.intervalMs, first.interval], [31 * 86_400_000, '31d']);

    portal.failNext({ kind: '500' });
    assert.ok((await rejection(scheduler.harvestNow(url))).message.includes('HTTP 500'));
    const failed = await status();
    assert.equal(failed.lastSync, first.lastSync, 'the last good sync stays');
    assert.is(failed.failuresInARow, 1);
    assert.ok(failed.lastError?.message.includes('HTTP 500'), failed.lastError?.message);
    const retryIn = Date.parse(failed.nextSyncAt as string) - Date.parse(failed.lastError?.at as string);
    // The first retry of a 31-day schedule: 5 min, plus half the 10 % jitter (random fixed at 0.5); a few ms pass between the two times.
    assert.ok(retryIn >= 5.25 * 60_000 && retryIn < 5.25 * 60_000 + 5000, `retry in ${retryIn} ms`);
    assert.ok(warnings.some((warning) => warning.includes('HTTP 500')));

    const html = await fetch(`${server.url}/harvest`, { headers: { Accept: 'text/html', 'Accept-Language': 'es' } });
    assert.match(html.headers.get('content-type') ?? '', /text\/html/);
    const page = await html.text();
    for (const expected of ['Cosecha de portales', `${sedes.id}`, 'completa', '40 filas nuevas', 'HTTP 500', 'falló la última vez', frequency, `datetime="${failed.nextSyncAt}"`]) {
      assert.ok(page.includes(expected), `the page shows ${expected}`);
    }
    assert.ok((await (await fetch(`${server.url}/harvest`, { headers: { Accept: 'text/html', 'Accept-Language': 'en' } })).text()).includes('failed last time'));
    assert.equal(await (await fetch(`${server.url}/harvest.json`)).json(), { datasets: [failed] });
    assert.is((await fetch(`${server.url}/harvest`, { headers: { Accept: 'image/png' } })).status, 406);

    const afterFailure = await metrics();
    assert.is(metricValue(afterFailure, `vinculo_harvest_syncs_total{dataset="${sedes.id}",outcome="full"}`), 1);
    assert.is(metricValue(afterFailure, `vinculo_harvest_syncs_total{dataset="${sedes.id}",outcome="failed"}`), 1);
    assert.is(metricValue(afterFailure, `vinculo_harvest_rows_total{dataset="${sedes.id}",change="added"}`), 40);
    assert.is(metricValue(afterFailure, `vinculo_harvest_last_success_timestamp_seconds{dataset="${sedes.id}"}`), Math.floor(Date.parse(first.lastSync?.finishedAt as string) / 1000));
    assert.is(metricValue(afterFailure, 'vinculo_harvest_duration_seconds_count'), 2);

    // `vinculo harvest` through the server: the token guards the route, the sync runs in the scheduler's queue and is recorded.
    const refused = await fetch(`${server.url}/admin/harvest`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ url }) });
    assert.is(refused.status, 401);
    const changed = portal.rowIds().slice(0, 3);
    for (const id of changed) portal.updateRow(id, { matricula: '7' });
    portal.deleteRow(portal.rowIds()[10] as string);
    const lines: string[] = [];
    const synced = await harvestThroughServer({ url: server.url, pid: process.pid, token }, url, { full: false, pageSize: undefined, say: (line) => lines.push(line) });
    assert.equal([synced.kind, synced.rowsChanged, synced.rowsDeleted], ['sync', 3, 1]);
    assert.ok(lines.some((line) => line.includes('3 changed, 1 deleted')), lines.join('\n'));
    const recovered = await status();
    assert.equal([recovered.failuresInARow, recovered.lastSync?.kind, recovered.lastSync?.rowsChanged, recovered.lastError?.message], [0, 'sync', 3, failed.lastError?.message]);
    const afterSync = await metrics();
    assert.is(metricValue(afterSync, `vinculo_harvest_syncs_total{dataset="${sedes.id}",outcome="sync"}`), 1);
    assert.is(metricValue(afterSync, `vinculo_harvest_rows_total{dataset="${sedes.id}",change="changed"}`), 3);
    assert.is(metricValue(afterSync, `vinculo_harvest_rows_total{dataset="${sedes.id}",change="deleted"}`), 1);
  } finally {
    await scheduler.close();
    await server.close();
    await project.store.close();
    await portal.close();
  }
});

test('vinculo serve syncs the configured datasets on its own, shows them at /harvest after a restart, and stops at once on SIGTERM', async () => {
  const portal = await startSocrataServer(sedes);
  const next = random(3);
  for (let n = 1; n <= 30; n++) portal.addRow(sedeCells(n, next));
  const folder = await freshDirectory();
  await mkdir(join(folder, 'vocabularies'));
  const configFile = join(folder, 'vinculo.config.json');
  await writeFile(configFile, JSON.stringify({ mappings: [], sourceDirs: [], vocabularies: 'vocabularies', dataDir: 'var', harvest: { datasets: [{ url: `${portal.origin}/d/${sedes.id}`, schedule: '300ms' }] } }));
  const harvestJson = async (url: string) => ((await (await fetch(`${url}/harvest.json`)).json()) as HarvestJson).datasets[0];
  try {
    const first = await startServer(['--config', configFile]);
    let lastSync: HarvestDatasetStatus['lastSync'];
    try {
      let seen: HarvestJson['datasets'][number] | undefined;
      const poll = async () => {
        seen = await harvestJson(first.url);
        return seen?.lastSync?.kind === 'unchanged';
      };
      // A full harvest at start-up, then syncs every 300 ms that find nothing new.
      for (let tries = 0; !(await poll()); tries++) {
        if (tries > 600) throw new Error(`no unchanged sync: ${JSON.stringify(seen)}\n${first.log()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      lastSync = seen?.lastSync;
      const text = await (await fetch(`${first.url}/metrics`)).text();
      assert.is(metricValue(text, `vinculo_harvest_syncs_total{dataset="${sedes.id}",outcome="full"}`), 1);
      assert.ok((metricValue(text, `vinculo_harvest_syncs_total{dataset="${sedes.id}",outcome="unchanged"}`) ?? 0) >= 1);
    } finally {
      const stopping = Date.now();
      await stopServer(first);
      process.stderr.write(`serve with a 300 ms harvest schedule stopped ${Date.now() - stopping} ms after SIGTERM\n`);
    }
    assert.is(first.child.exitCode, 0, first.log());

    // The last sync survives the restart; the configuration now says "daily", so nothing runs before the page is read.
    await writeFile(configFile, JSON.stringify({ mappings: [], sourceDirs: [], vocabularies: 'vocabularies', dataDir: 'var', harvest: { datasets: [{ url: `${portal.origin}/d/${sedes.id}`, schedule: '1d' }] } }));
    const requestsBefore = portal.resourceRequests.length;
    const second = await startServer(['--config', configFile]);
    try {
      const shown = await harvestJson(second.url);
      assert.ok(shown?.lastSync !== undefined && lastSync !== undefined);
      assert.ok((shown?.lastSync?.finishedAt ?? '') >= (lastSync?.finishedAt ?? ''), 'the last sync of the previous run');
      assert.equal([shown?.schedule, shown?.interval], ['1d', '1d']);
      assert.ok(Date.parse(shown?.nextSyncAt ?? '') > Date.now() + 23 * 3_600_000, 'the next sync a day after the last one');
      assert.is(portal.resourceRequests.length, requestsBefore, 'nothing harvested at start-up');
    } finally {
      await stopServer(second);
    }
  } finally {
    await portal.close();
  }
});

test.run();
