/** The parts of usage counting: the sketch's accuracy, client addresses, the journal's replay and torn tail, day rollover, and the vocabulary's metrics. */
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pino } from 'pino';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createConfiguredEngine } from '../../src/cli/open-store.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createRequestHandler, serve } from '../../src/http/index.ts';
import { DataFactory, ns, parseRdfToArray, usageMeasurementIri, whenDone } from '../../src/rdf/index.ts';
import { catalogGraph, openStore } from '../../src/store/index.ts';
import { Attribution } from '../../src/usage/attribution.ts';
import { clientAddress } from '../../src/usage/client-hash.ts';
import { addToSketch, estimateDistinct, sketchRegisters } from '../../src/usage/hyperloglog.ts';
import { UsageBook } from '../../src/usage/usage-book.ts';
import { UsageJournal } from '../../src/usage/usage-journal.ts';
import { sketchRelativeError, UsageCounter, usageMetrics } from '../../src/usage/index.ts';
import { random } from '../support/random.ts';
import { send } from './support.ts';

const { namedNode, literal, quad } = DataFactory;
const baseIRI = 'http://vinculo.test/';

test('the sketch estimates distinct clients within three of its stated standard errors', () => {
  const next = random(23);
  const word = () => Math.floor(next() * 2 ** 32);
  for (const distinct of [5, 50, 2_000, 60_000]) {
    const registers = new Uint8Array(sketchRegisters);
    const hashes = Array.from({ length: distinct }, () => ({ high: word(), low: word() }));
    // Each client seen three times: repeats must not count.
    for (let round = 0; round < 3; round++) for (const hash of hashes) addToSketch(registers, hash);
    const estimate = estimateDistinct(registers);
    const error = Math.abs(estimate - distinct) / distinct;
    console.log(`  ${distinct} distinct: estimate ${estimate.toFixed(1)} (relative error ${(100 * error).toFixed(2)} %, stated ${(100 * sketchRelativeError).toFixed(2)} %)`);
    assert.ok(error <= 3 * sketchRelativeError, `${distinct}: ${estimate}`);
  }
});

test('clients count by IPv4 address and by IPv6 /64', () => {
  assert.is(clientAddress('203.0.113.9'), '203.0.113.9');
  assert.is(clientAddress('::ffff:203.0.113.9'), '203.0.113.9');
  assert.is(clientAddress('2001:db8:0:1:a:b:c:d'), '2001:db8:0:1::/64');
  assert.is(clientAddress('2001:db8::1'), '2001:db8:0:0::/64');
  assert.is(clientAddress('2001:0db8:0000:0001::ffff'), clientAddress('2001:db8:0:1:1:2:3:4'));
});

test('the journal replays to the same counts and sketch, skipping a line cut by a crash', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vinculo-usage-journal-'));
  try {
    const warnings: string[] = [];
    const { journal } = await UsageJournal.open(dir, (message) => warnings.push(message));
    const book = new UsageBook();
    const next = random(7);
    for (let index = 0; index < 500; index++) {
      const usage = book.usage(index % 2 === 0 ? '2026-12-01' : '2026-12-02', index % 3 === 0 ? 'a' : 'b');
      usage.add('documentViews', 1);
      usage.add('sparqlResultRows', index);
      usage.recognise({ high: Math.floor(next() * 2 ** 32), low: Math.floor(next() * 2 ** 32) });
      // Flushes at irregular points, as the timer would.
      if (index % 37 === 0) await journal.append(book.takeChanges());
    }
    await journal.append(book.takeChanges());
    await journal.append([{ published: '2026-12-01' }]);
    await journal.close();
    await appendFile(join(dir, 'journal.ndjson'), '{"day":"2026-12-02","dataset":"a","counts":{"docum');
    const reopened = await UsageJournal.open(dir, (message) => warnings.push(message));
    const replayed = new UsageBook();
    replayed.replay(reopened.records);
    await reopened.journal.close();
    assert.equal(replayed.days(), ['2026-12-02'], 'the published day is gone');
    for (const dataset of ['a', 'b']) {
      const original = book.datasetsOn('2026-12-02').get(dataset);
      const copy = replayed.datasetsOn('2026-12-02').get(dataset);
      assert.ok(original && copy);
      assert.equal([...copy.counts], [...original.counts], `${dataset} counts`);
      assert.equal([...copy.registers], [...original.registers], `${dataset} registers`);
    }
    assert.is(warnings.length, 1, warnings.join('\n'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a finished day is published for good and leaves the journal; days without use are not written', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'vinculo-usage-days-'));
  const config = { ...(await loadConfig({ cwd: dataDir, env: {}, flags: { dataDir, baseIRI } })), logLevel: 'silent' as const };
  const store = await openStore({ baseIRI, dataDir });
  await store.putDataset('a', [quad(namedNode(`${baseIRI}id/a/1`), ns.rdfs('label'), literal('uno'))]);
  await store.putDataset('quiet', [quad(namedNode(`${baseIRI}id/quiet/1`), ns.rdfs('label'), literal('nadie'))]);
  let now = Date.parse('2026-12-01T23:59:58Z');
  const options = { store, baseIRI, dataDir, defaultGraph: 'union' as const, excludeAgents: [], publishIntervalMs: 3_600_000, warn: (message: string) => assert.unreachable(message), now: () => now };
  let usage = await UsageCounter.open(options);
  const logger = pino({ level: 'silent' });
  const handler = createRequestHandler({ store, engine: createConfiguredEngine(store, config), config, logger, usage });
  const running = await serve((request, response) => handler(request, response), { host: '127.0.0.1', port: 0, logger });
  try {
    for (let index = 0; index < 3; index++) await send(`${running.url}/doc/a/1`, { headers: { accept: 'text/turtle' } });
    now = Date.parse('2026-12-02T00:00:01Z');
    for (let index = 0; index < 2; index++) await send(`${running.url}/doc/a/1`, { headers: { accept: 'text/html' } });
    await usage.publish();
    const value = (day: string, dataset: string, metric: (typeof usageMetrics)[number]) =>
      store.match(usageMeasurementIri(baseIRI, dataset, day, metric), ns.dqv('value'), null, catalogGraph(baseIRI));
    const numbers = (day: string, dataset: string, metric: (typeof usageMetrics)[number]) => [...(value(day, dataset, metric) as unknown as Iterable<{ object: { value: string } }>)].map((found) => found.object.value);
    assert.equal(numbers('2026-12-01', 'a', 'documentViewsTurtle'), ['3']);
    assert.equal(numbers('2026-12-02', 'a', 'documentViewsHtml'), ['2']);
    assert.equal(numbers('2026-12-01', 'a', 'documentViewsHtml'), [], 'zero metrics are not written');
    assert.equal(numbers('2026-12-02', 'quiet', 'documentViews'), [], 'a dataset without use has no measurements');
    const journal = await readFile(join(dataDir, 'usage', 'journal.ndjson'), 'utf8');
    assert.not.match(journal, /2026-12-01/, 'the finished day left the compacted journal');
    assert.match(journal, /2026-12-02/);
    // Restarting keeps today's counts and does not publish the finished day again with nothing.
    await usage.close();
    usage = await UsageCounter.open(options);
    await usage.publish();
    assert.equal(numbers('2026-12-01', 'a', 'documentViewsTurtle'), ['3']);
    assert.equal(numbers('2026-12-02', 'a', 'documentViews'), ['2']);
  } finally {
    running.server.closeAllConnections();
    await running.close();
    await usage.close();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('every metric is a dqv:Metric of the dimension vin:use, with the sketch error stated on distinctClients', async () => {
  const text = await readFile(new URL('../../vocabularies/vinculo.ttl', import.meta.url), 'utf8');
  const quads = await parseRdfToArray(text, { format: 'turtle', baseIRI });
  const has = (subject: string, predicate: string, object: string) => quads.some((item) => item.subject.value === subject && item.predicate.value === predicate && item.object.value === object);
  const term = (local: string) => `${baseIRI}def/vinculo#${local}`;
  for (const metric of usageMetrics) {
    assert.ok(has(term(metric), ns.rdf('type').value, ns.dqv('Metric').value), `${metric} is a dqv:Metric`);
    assert.ok(has(term(metric), ns.dqv('inDimension').value, term('use')), `${metric} is in vin:use`);
  }
  const defined = quads.filter((item) => item.predicate.value === ns.dqv('inDimension').value && item.object.value === term('use')).map((item) => item.subject.value.slice(term('').length));
  assert.equal(defined.sort(), [...usageMetrics].sort(), 'no metric defined that is not counted');
  const stated = quads.find((item) => item.subject.value === term('distinctClients') && item.predicate.value === term('relativeError'));
  assert.is(Number(stated?.object.value), Number(sketchRelativeError.toFixed(5)));
});

test('document attribution keeps its memo across catalog writes and forgets it when a dataset graph changes', async () => {
  const store = await openStore({ baseIRI });
  const resource = namedNode(`${baseIRI}id/a/1`);
  await store.putDataset('a', [quad(resource, ns.rdfs('label'), literal('uno'))]);
  let lookups = 0;
  const counted = new Proxy(store, {
    get(target, name) {
      if (name === 'countQuads') {
        return (...terms: Parameters<typeof store.countQuads>) => {
          lookups++;
          return target.countQuads(...terms);
        };
      }
      const value: unknown = Reflect.get(target, name, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const attribution = new Attribution(counted, { baseIRI, defaultGraph: 'union' });
  try {
    assert.equal(attribution.documentDatasets('/doc/a/1'), ['a']);
    const resolved = lookups;
    assert.ok(resolved > 0, 'the first view is resolved against the store');
    assert.equal(attribution.documentDatasets('/doc/a/1'), ['a']);
    assert.is(lookups, resolved, 'the second view is memoised');
    const versionBefore = store.version;
    await store.write(async (target) => {
      await whenDone(target.import(Readable.from([quad(namedNode(`${baseIRI}usage/a/2026-12-01/documentViews`), ns.rdf('type'), ns.dqv('QualityMeasurement'), catalogGraph(baseIRI))])));
    });
    assert.ok(store.version > versionBefore, 'the catalog write changed the store');
    assert.equal(attribution.documentDatasets('/doc/a/1'), ['a']);
    assert.is(lookups, resolved, 'a catalog write keeps the memo');
    await store.putDataset('b', [quad(resource, ns.rdfs('label'), literal('one', 'en'))]);
    assert.equal([...attribution.documentDatasets('/doc/a/1')].sort(), ['a', 'b'], 'a new dataset describing the resource is seen');
    assert.ok(lookups > resolved, 'a dataset change forgets the memo');
  } finally {
    await store.close();
  }
});

test.run();
