/**
 * Counting must not make the crawler's documents more expensive: the measurements the counter
 * publishes go into the catalog graph, and a cached `/doc` answer must stay a hit (same ETag)
 * across that write — while a write to the document's own dataset still makes it a miss.
 */
import { mkdtemp } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createConfiguredEngine } from '../../src/cli/open-store.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createRequestHandler, serve } from '../../src/http/index.ts';
import { DataFactory, ns, usageMeasurementIri } from '../../src/rdf/index.ts';
import { catalogGraph, openStore } from '../../src/store/index.ts';
import { UsageCounter } from '../../src/usage/index.ts';
import { clientAddress, publishedUsage, send, stopServing, today } from './support.ts';

const { namedNode, literal, quad } = DataFactory;
const baseIRI = 'http://vinculo.test/';

/** The representation cache's hits and misses so far, from `/metrics`. */
async function cacheFigures(origin: string): Promise<{ readonly hits: number; readonly misses: number }> {
  const text = (await send(`${origin}/metrics`)).body;
  const figure = (name: string) => Number(new RegExp(`^vinculo_representation_cache_${name}_total (\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { hits: figure('hits'), misses: figure('misses') };
}

test('publishing measurements leaves a warm /doc entry a hit with the same ETag; a write to its dataset does not', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'vinculo-usage-cache-'));
  const config = { ...(await loadConfig({ cwd: dataDir, env: {}, flags: { dataDir, baseIRI } })), logLevel: 'silent' as const };
  const store = await openStore({ baseIRI, dataDir });
  const resource = namedNode(`${baseIRI}id/a/1`);
  await store.putDataset('a', [quad(resource, ns.rdfs('label'), literal('uno'))]);
  const usage = await UsageCounter.open({ store, baseIRI, dataDir, defaultGraph: 'union', excludeAgents: [], publishIntervalMs: 3_600_000, warn: (message) => assert.unreachable(message) });
  const logger = pino({ level: 'silent' });
  const running = await serve(createRequestHandler({ store, engine: createConfiguredEngine(store, config), config, logger, usage }), { host: '127.0.0.1', port: 0, logger });
  const get = () => send(`${running.url}/doc/a/1`, { headers: { accept: 'text/turtle' } });
  try {
    const first = await get();
    assert.is(first.status, 200);
    const warm = await get();
    const before = await cacheFigures(running.url);
    assert.ok(before.hits >= 1, 'the second request was answered from the cache');

    const versionBefore = store.version;
    await usage.publish();
    assert.ok(store.version > versionBefore, 'publishing wrote the catalog graph');
    const published = store.match(usageMeasurementIri(baseIRI, 'a', new Date().toISOString().slice(0, 10), 'documentViews'), ns.dqv('value'), null, catalogGraph(baseIRI));
    assert.is([...(published as unknown as Iterable<unknown>)].length, 1, 'the views were published as a measurement');

    const afterPublish = await get();
    const after = await cacheFigures(running.url);
    assert.is(after.misses, before.misses, 'no miss after the measurements were published');
    assert.is(after.hits, before.hits + 1, 'the document was a cache hit');
    assert.is(afterPublish.headers.etag, warm.headers.etag);

    // The control: the same cache does forget the document when its own dataset changes.
    await store.putDataset('a', [quad(resource, ns.rdfs('label'), literal('uno, otra vez'))]);
    const changed = await get();
    assert.is((await cacheFigures(running.url)).misses, after.misses + 1, 'a write to the dataset made it a miss');
    assert.is.not(changed.headers.etag, warm.headers.etag);
  } finally {
    await stopServing({ running, usage, store, dataDir });
  }
});

test('answers from the cache on a keep-alive connection count once each; its client is recognised once, never by a request that declines tracking', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'vinculo-usage-cache-'));
  const config = { ...(await loadConfig({ cwd: dataDir, env: {}, flags: { dataDir, baseIRI } })), logLevel: 'silent' as const };
  const store = await openStore({ baseIRI, dataDir });
  for (const dataset of ['a', 'b']) {
    await store.putDataset(dataset, [1, 2, 3].map((index) => quad(namedNode(`${baseIRI}id/${dataset}/${index}`), ns.rdfs('label'), literal(`${dataset} ${index}`))));
  }
  const usage = await UsageCounter.open({ store, baseIRI, dataDir, defaultGraph: 'union', excludeAgents: [], publishIntervalMs: 3_600_000, warn: (message) => assert.unreachable(message) });
  const logger = pino({ level: 'silent' });
  const running = await serve(createRequestHandler({ store, engine: createConfiguredEngine(store, config), config, logger, usage }), { host: '127.0.0.1', port: 0, logger });
  const [first, second] = [new Agent({ keepAlive: true, maxSockets: 1 }), new Agent({ keepAlive: true, maxSockets: 1 })];
  const get = (path: string, agent: Agent, headers: Record<string, string> = {}, method = 'GET') =>
    send(`${running.url}${path}`, { from: agent === first ? clientAddress(1) : clientAddress(2), agent, method, headers: { accept: 'text/turtle', ...headers } });
  const published = async (dataset: string) => {
    await usage.publish();
    const counts = (await publishedUsage(running.url, baseIRI, today())).get(dataset);
    return { views: counts?.get('documentViews') ?? 0, clients: counts?.get('distinctClients') ?? 0 };
  };
  try {
    // A's three documents twice each with DNT on one connection: the second time from the cache.
    for (let round = 0; round < 2; round++) for (const index of [1, 2, 3]) assert.is((await get(`/doc/a/${index}`, first, { dnt: '1' })).status, 200);
    assert.ok((await cacheFigures(running.url)).hits >= 3, 'the second round was answered from the cache');
    assert.equal(await published('a'), { views: 6, clients: 0 });
    // The same connection without DNT: recognised now; another connection is a second client.
    await get('/doc/a/1', first);
    await get('/doc/a/2', first);
    assert.equal(await published('a'), { views: 8, clients: 1 });
    for (const index of [1, 2, 3]) await get(`/doc/a/${index}`, second);
    assert.equal(await published('a'), { views: 11, clients: 2 });
    // A HEAD answered from the cache counts nothing, and the GETs after it still count.
    await get('/doc/b/1', first);
    await get('/doc/b/1', first, {}, 'HEAD');
    await get('/doc/b/1', first);
    await get('/doc/b/1', second, {}, 'HEAD');
    await get('/doc/b/1', second);
    assert.equal(await published('b'), { views: 3, clients: 2 });
  } finally {
    first.destroy();
    second.destroy();
    await stopServing({ running, usage, store, dataDir });
  }
});

test.run();
