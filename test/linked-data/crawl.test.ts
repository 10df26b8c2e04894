/**
 * A crawl, CI-sized: every thing's document fetched over and over at 20 connections for a few
 * seconds while `/health` is probed and an aggregate query runs, through the server's own handler
 * (cache front included). Asserts answers, not timings (the machine is shared); prints the figures.
 * The 60 s crawl at 100 connections over 1M quads is `npx tsx test/bench/serving.ts --crawl 60`.
 */
import autocannon from 'autocannon';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { probe } from '../bench/crawl-probe.ts';
import { startHostileSite } from '../hostile/support/site.ts';

const seconds = 3;

test('a crawl of every document: no errors, /health answers every probe, the aggregate keeps answering, the cache within its bound', async () => {
  const site = await startHostileSite();
  try {
    const things = new Set<string>();
    for await (const quad of site.store.exportQuads()) {
      if (quad.subject.termType === 'NamedNode' && quad.subject.value.startsWith(`${site.config.baseIRI}id/`)) things.add(quad.subject.value);
    }
    assert.ok(things.size >= 20, `a real crawl (${things.size} things)`);
    const requests = [...things].map((iri) => ({ method: 'GET' as const, path: `/doc/${iri.slice(`${site.config.baseIRI}id/`.length)}`, headers: { accept: 'text/turtle' } }));
    const query = 'SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type';
    const [crawl, probed] = await Promise.all([
      autocannon({ url: site.url, connections: 20, duration: seconds, requests }),
      probe(site.url, { seconds, query, healthEveryMs: 50, queryEveryMs: 250 }),
    ]);
    console.log(
      `crawl: ${crawl.requests.total} documents (${things.size} distinct), p99 ${crawl.latency.p99} ms; /health ${probed.health.answered}/${probed.health.probes}, p99 ${probed.health.p99Ms} ms; aggregate ${probed.aggregate.answered}/${probed.aggregate.runs}, median ${probed.aggregate.medianMs} ms`,
    );
    assert.is(crawl.errors, 0, 'connection errors');
    assert.is(crawl.timeouts, 0, 'timeouts');
    assert.is(crawl.non2xx, 0, 'non-2xx answers');
    assert.ok(crawl.requests.total > 0);
    assert.ok(probed.health.probes > 0);
    assert.is(probed.health.answered, probed.health.probes, 'every /health probe answered 200');
    assert.ok(probed.aggregate.runs > 0);
    assert.is(probed.aggregate.answered, probed.aggregate.runs, 'every aggregate answered 200');
    const types = new Set(probed.aggregate.rows);
    assert.is(types.size, 1, 'the same answer every time');
    const metrics = await (await fetch(`${site.url}/metrics`)).text();
    const figure = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]);
    assert.ok(figure('vinculo_representation_cache_hits_total') > 0, 'the crawl came back to documents');
    assert.ok(figure('vinculo_representation_cache_bytes') <= figure('vinculo_representation_cache_max_bytes'), 'within the bound');
  } finally {
    await site.close();
  }
});

test.run();
