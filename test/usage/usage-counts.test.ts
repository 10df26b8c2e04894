/**
 * Known traffic through a real server on 127.0.0.1 — dereferences of dataset A, queries touching
 * A and B, dumps of B, from hundreds of simulated client addresses — read back exactly through
 * `/sparql`; DNT clients kept out of the sketch, excluded agents not counted, a harvester counted;
 * no address, token or query text anywhere under the data directory; reuse links recorded and listed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createConfiguredEngine } from '../../src/cli/open-store.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createRequestHandler, serve } from '../../src/http/index.ts';
import { DataFactory } from '../../src/rdf/index.ts';
import { openStore } from '../../src/store/index.ts';
import { sketchRelativeError, UsageCounter } from '../../src/usage/index.ts';
import { clientAddress, filesHolding, publishedUsage, send, today } from './support.ts';

const { namedNode, literal, quad } = DataFactory;
const baseIRI = 'http://vinculo.test/';
const updateToken = 'usage-suite-update-token-0123456789';
const scopedToken = 'usage-suite-scoped-token-for-b-only';

/** Ten things per dataset, each with one property of its dataset's own. */
function things(dataset: string): ReturnType<typeof quad>[] {
  return Array.from({ length: 10 }, (_, index) =>
    quad(namedNode(`${baseIRI}id/${dataset}/${index}`), namedNode(`${baseIRI}def/prueba#p${dataset}`), literal(`${dataset} ${index}`)),
  );
}

/** Within three standard errors of the sketch, or one client (small counts are nearly exact but integers). */
function assertEstimate(actual: number | undefined, expected: number, what: string): void {
  const allowed = Math.max(1, 3 * sketchRelativeError * expected);
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= allowed, `${what}: estimate ${actual}, expected ${expected} ± ${allowed.toFixed(1)}`);
}

test('known traffic is counted per dataset and read back through /sparql; nothing private is stored', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'vinculo-usage-'));
  const base = await loadConfig({ cwd: dataDir, env: {}, flags: { dataDir, baseIRI } });
  const config = {
    ...base,
    updateToken,
    logLevel: 'silent' as const,
    writeTokens: [{ tokenEnv: 'USAGE_SCOPED', token: scopedToken, datasets: ['b'] }],
  };
  const store = await openStore({ baseIRI, dataDir });
  await store.putDataset('a', things('a'));
  await store.putDataset('b', things('b'));
  const logger = pino({ level: 'silent' });
  const usage = await UsageCounter.open({
    store,
    baseIRI,
    dataDir,
    defaultGraph: 'union',
    excludeAgents: ['Uptime-Probe'],
    publishIntervalMs: 3_600_000,
    warn: (message) => assert.unreachable(message),
  });
  const running = await serve(createRequestHandler({ store, engine: createConfiguredEngine(store, config), config, logger, usage }), { host: '127.0.0.1', port: 0, logger });
  const origin = running.url;
  const queryTexts: string[] = [];
  const query = (text: string, from: string) => {
    queryTexts.push(text);
    return send(`${origin}/sparql?query=${encodeURIComponent(text)}`, { from, headers: { accept: 'application/sparql-results+json' } });
  };
  try {
    // N = 300 dereferences of A, one per client, a third each in Turtle, HTML and JSON-LD (some answered by the cache).
    const clients = 300;
    const accepts = ['text/turtle', 'text/html', 'application/ld+json'];
    for (let index = 0; index < clients; index++) {
      const reply = await send(`${origin}/doc/a/${index % 10}`, { from: clientAddress(index), headers: { accept: accepts[index % 3] as string } });
      assert.is(reply.status, 200);
    }
    // Not counted: HEAD requests, an excluded agent, a 404.
    await send(`${origin}/doc/a/1`, { method: 'HEAD', headers: { accept: 'text/turtle' } });
    for (let index = 0; index < 7; index++) await send(`${origin}/doc/a/2`, { headers: { accept: 'text/turtle', 'user-agent': 'uptime-probe/2.1' } });
    assert.is((await send(`${origin}/doc/a/nothing`, { headers: { accept: 'text/turtle' } })).status, 404);

    // M = 20 queries touching A (10 rows each) by the first 20 clients; 5 naming B's graph (3 rows each) by new clients; one touching neither.
    for (let index = 0; index < 20; index++) {
      const reply = await query(`SELECT ?thing WHERE { ?thing <${baseIRI}def/prueba#pa> ?value } # client ${index}`, clientAddress(index));
      assert.is(JSON.parse(reply.body).results.bindings.length, 10);
    }
    for (let index = 0; index < 5; index++) await query(`SELECT * WHERE { GRAPH <${baseIRI}graph/b> { ?s ?p ?o } } LIMIT 3`, clientAddress(300 + index));
    await query('SELECT * WHERE { ?s <http://example.org/nowhere> ?o }', clientAddress(0));

    // K = 12 dumps of B, half N-Triples, half Turtle, by 12 clients (5 of them also queried B).
    for (let index = 0; index < 12; index++) {
      const reply = await send(`${origin}/dumps/b.${index % 2 === 0 ? 'nt' : 'ttl'}.gz`, { from: clientAddress(300 + index) });
      assert.is(reply.status, 200);
    }
    // Five B documents from clients that send DNT or Sec-GPC (counted, never recognised), one by a CKAN harvester.
    for (let index = 0; index < 5; index++) {
      await send(`${origin}/doc/b/${index}`, { from: clientAddress(400 + index), headers: { accept: 'text/turtle', [index % 2 === 0 ? 'dnt' : 'sec-gpc']: '1' } });
    }
    await send(`${origin}/doc/b/7`, { from: clientAddress(312), headers: { accept: 'text/turtle', 'user-agent': 'ckanext-dcat/1.8 (+https://ckan.example.org)' } });
    // Three fragments with A's predicate.
    for (let index = 0; index < 3; index++) {
      await send(`${origin}/fragments?predicate=${encodeURIComponent(`${baseIRI}def/prueba#pa`)}`, { from: clientAddress(index), headers: { accept: 'text/turtle' } });
    }

    await usage.publish();
    const counts = await publishedUsage(origin, baseIRI, today());
    const a = counts.get('a');
    const b = counts.get('b');
    assert.ok(a && b, `both datasets published: ${[...counts.keys()]}`);
    const expectedA = { documentViews: 300, documentViewsHuman: 100, documentViewsMachine: 200, documentViewsTurtle: 100, documentViewsHtml: 100, documentViewsJsonLd: 100, sparqlQueries: 20, sparqlResultRows: 200, fragmentPages: 3 };
    const expectedB = { documentViews: 6, documentViewsMachine: 6, documentViewsTurtle: 6, sparqlQueries: 5, sparqlResultRows: 15, dumpDownloads: 12, dumpDownloadsNTriples: 6, dumpDownloadsTurtle: 6, portalHarvests: 1 };
    const exact = (published: Map<string, number>) => Object.fromEntries([...published].filter(([metric]) => metric !== 'distinctClients'));
    assert.equal(exact(a), expectedA);
    assert.equal(exact(b), expectedB);
    // A: the 300 dereferencing clients (the querying ones are among them). B: 12 dump clients and the harvester; DNT clients not at all.
    assertEstimate(a.get('distinctClients'), 300, 'distinct clients of A');
    assertEstimate(b.get('distinctClients'), 13, 'distinct clients of B');
    assert.is(counts.size, 2, 'no other dataset, nothing for the query that touched none');
    const voidDescription = await send(`${origin}/.well-known/void`, { headers: { accept: 'application/n-triples' } });
    assert.match(voidDescription.body, `<${baseIRI}.well-known/void#vinculo> <http://rdfs.org/ns/void#subset> <${baseIRI}usage> .`, 'VoID lists the usage measurements');

    // Reuse links: the scoped token of B may not write A; no token is 401; the update token records one.
    const reuse = JSON.stringify({ title: 'Mapa de municipios', url: 'https://app.example.org/mapa', kind: 'app' });
    const json = { 'content-type': 'application/json' };
    assert.is((await send(`${origin}/dataset/a/reuses`, { method: 'POST', headers: json, body: reuse })).status, 401);
    assert.is((await send(`${origin}/dataset/a/reuses`, { method: 'POST', headers: { ...json, authorization: `Bearer ${scopedToken}` }, body: reuse })).status, 403);
    assert.is((await send(`${origin}/dataset/a/reuses`, { method: 'POST', headers: { ...json, authorization: 'Bearer not-a-token-of-this-site' }, body: reuse })).status, 403);
    const recorded = await send(`${origin}/dataset/a/reuses`, { method: 'POST', headers: { ...json, authorization: `Bearer ${updateToken}` }, body: reuse });
    assert.is(recorded.status, 201, recorded.body);
    const form = { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${scopedToken}` };
    const onB = await send(`${origin}/dataset/b/reuses`, { method: 'POST', headers: form, body: 'title=Nota%20de%20prensa&url=https%3A%2F%2Fnews.example.org%2Fnota&kind=news' });
    assert.is(onB.status, 201, onB.body);
    assert.is((await send(`${origin}/dataset/b/reuses`, { method: 'POST', headers: form, body: 'title=x&url=ftp%3A%2F%2Fx&kind=app' })).status, 400);
    const listed = JSON.parse((await send(`${origin}/dataset/a/reuses`)).body) as { reuses: Array<{ title: string; url: string; kind: string }> };
    assert.equal(listed.reuses.map(({ title, url, kind }) => ({ title, url, kind })), [{ title: 'Mapa de municipios', url: 'https://app.example.org/mapa', kind: 'app' }]);
    const linked = await send(
      `${origin}/sparql?query=${encodeURIComponent(`SELECT ?title WHERE { <${baseIRI}dataset/b> <http://purl.org/dc/terms/isReferencedBy> ?reuse . ?reuse <http://purl.org/dc/terms/title> ?title }`)}`,
      { headers: { accept: 'application/sparql-results+json' } },
    );
    assert.equal(JSON.parse(linked.body).results.bindings.map((row: { title: { value: string } }) => row.title.value), ['Nota de prensa']);
  } finally {
    running.server.closeAllConnections();
    await running.close();
    await usage.close();
    await store.close();
  }
  // Nothing private under the data directory: no client address (nor the loopback prefix at all), no token, no query text.
  const secrets = ['127.0.', updateToken, scopedToken, 'not-a-token-of-this-site', ...queryTexts];
  const leaks = await filesHolding(dataDir, secrets);
  assert.equal(leaks, []);
  await rm(dataDir, { recursive: true, force: true });
});

test.run();
