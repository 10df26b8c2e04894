/**
 * Retention (LDES §Retention policies, server primer §Log compaction): after every resource got a
 * newer version and the full-log window passed, the pages holding only superseded members are
 * removed — whole, never edited — and answer where the stream continues; a client replicating
 * from scratch still rebuilds the dataset's graph. Plus the XSD duration arithmetic the window uses.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as RDF from '@rdfjs/types';
import { Parser } from 'n3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { harvestDataset } from '../../src/harvest/index.ts';
import { clockSkewAllowanceMs, datasetEventStream, pageDocument, streamPlace, subtractDuration } from '../../src/ldes/index.ts';
import { openStore } from '../../src/store/index.ts';
import { describeDifference, sameGraph } from '../support/graphs.ts';
import { datasetUrl, graphQuads, startPortal } from '../harvest/support/fixture.ts';
import { ldesProject } from './support/project.ts';
import { materialize, replicate } from './support/replica.ts';

const tree = 'https://w3id.org/tree#';
const ldes = 'https://w3id.org/ldes#';
const isVersionOf = 'http://purl.org/dc/terms/isVersionOf';

interface FetchedPage {
  readonly status: number;
  readonly body: string;
  readonly etag: string | null;
  readonly cacheControl: string | null;
  readonly location: string | null;
  readonly quads: RDF.Quad[];
}

async function fetchPage(url: string): Promise<FetchedPage> {
  const response = await fetch(url, { headers: { Accept: 'text/turtle' }, redirect: 'manual' });
  const body = await response.text();
  return {
    status: response.status,
    body,
    etag: response.headers.get('etag'),
    cacheControl: response.headers.get('cache-control'),
    location: response.headers.get('location'),
    quads: response.status === 200 ? new Parser({ baseIRI: url }).parse(body) : [],
  };
}

/** Every page of the stream, by number, until the first that does not exist. */
async function allPages(base: string): Promise<FetchedPage[]> {
  const pages: FetchedPage[] = [];
  for (let page = 0; ; page++) {
    const fetched = await fetchPage(`${base}/by-time/${page}`);
    if (fetched.status === 404) return pages;
    pages.push(fetched);
  }
}

/** The members a page serves: their number (from the member IRI) and the resource they are a version of. */
function membersOf(page: FetchedPage): Array<{ readonly ordinal: number; readonly of: string }> {
  return page.quads
    .filter((quad) => quad.predicate.value === isVersionOf)
    .map((quad) => ({ ordinal: Number(/\/member\/(\d+)$/.exec(quad.subject.value)?.[1]), of: quad.object.value }));
}

test('compaction after the full-log window removes exactly the pages whose members all have newer versions; they redirect onward, their members are 410, kept pages are byte for byte what they were, and a fresh replica still equals the graph', async () => {
  const portal = await startPortal(600);
  const project = await ldesProject(portal);
  try {
    const first = await harvestDataset(datasetUrl(portal), project.options);
    for (const [index, id] of portal.rowIds().entries()) portal.updateRow(id, { matricula: String(7000 + index) });
    const sync = await harvestDataset(datasetUrl(portal), project.options);
    assert.is(sync.rowsChanged, 600);
    const base = `${project.origin}ldes/${first.datasetId}`;
    const before = await allPages(base);

    // What the policy (one version per resource, plus the last 30 days) lets go, worked out from what clients see.
    const lastOrdinal = new Map<string, number>();
    for (const page of before) for (const member of membersOf(page)) lastOrdinal.set(member.of, Math.max(member.ordinal, lastOrdinal.get(member.of) ?? -1));
    const superseded = (page: FetchedPage) => membersOf(page).every((member) => (lastOrdinal.get(member.of) as number) > member.ordinal);
    const expected = before.flatMap((page, index) => (index < before.length - 1 && superseded(page) ? [index] : []));
    assert.ok(expected.length > 0, 'the scenario supersedes at least one whole page');

    const stream = await datasetEventStream(streamPlace(project.options.config, project.store), first.datasetId);
    const withinWindow = new Date(Date.now() + 29 * 86_400_000);
    assert.is(await stream.compact(withinWindow), 0, 'inside the 30-day window nothing goes');
    const versionBefore = project.store.version;
    const later = new Date(Date.now() + 30 * 86_400_000 + clockSkewAllowanceMs + 3_600_000);
    assert.is(await stream.compact(later), expected.length);
    assert.is(project.store.version, versionBefore, 'compaction is the log\'s, not a store write');

    const after = await allPages(base);
    assert.is(after.length, before.length, 'page numbers are stable');
    for (const [index, page] of after.entries()) {
      const old = before[index] as FetchedPage;
      if (expected.includes(index)) {
        const next = after.findIndex((candidate, at) => at > index && candidate.status === 200);
        assert.is(page.status, 303, `page ${index} removed`);
        assert.is(page.location, `/ldes/${first.datasetId}/by-time/${next}`);
        for (const member of membersOf(old)) assert.is((await fetch(`${base}/member/${member.ordinal}`, { redirect: 'manual' })).status, 410);
      } else {
        assert.is(page.status, 200);
        assert.is(page.body, old.body, `page ${index} unchanged`);
        assert.is(page.etag, old.etag);
        assert.is(page.cacheControl, old.cacheControl);
      }
    }

    // The view links to the oldest page left and states the policy it keeps.
    const view = await fetchPage(`${base}/by-time`);
    const firstKept = after.findIndex((page) => page.status === 200);
    assert.ok(view.quads.some((quad) => quad.predicate.value === `${tree}node` && quad.object.value === `${base}/by-time/${firstKept}`));
    assert.equal(view.quads.filter((quad) => quad.predicate.value === `${ldes}versionAmount` || quad.predicate.value === `${ldes}fullLogDuration`).map((quad) => quad.object.value).sort(), ['1', 'P30D']);

    // From scratch after compaction: fewer members, the same graph.
    const graph = (project.store.dataset(first.datasetId) as { graph: RDF.NamedNode }).graph;
    const fresh = await replicate(base, join(project.dir, 'client-after-compaction'), 'from-scratch');
    const removed = expected.reduce((sum, index) => sum + membersOf(before[index] as FetchedPage).length, 0);
    const total = before.reduce((sum, page) => sum + membersOf(page).length, 0);
    assert.is(fresh.length, total - removed);
    const replica = materialize(fresh, graph);
    const current = await graphQuads(project.store, graph);
    assert.ok(sameGraph(replica.quads, current), describeDifference(replica.quads, current));

    // The removed members left the log file itself, and a reopened store sees the same pages.
    const logged = (await readFile(join(project.options.config.dataDir, 'ldes', `${first.datasetId}.jsonl`), 'utf8')).split('\n').filter((line) => line !== '');
    assert.is(logged.length, total - removed + expected.length, 'one stub line per removed page');
    await project.store.close();
    const reopened = await openStore({ baseIRI: project.options.config.baseIRI, dataDir: project.options.config.dataDir });
    try {
      const again = await datasetEventStream(streamPlace(project.options.config, reopened), first.datasetId);
      for (const index of expected) assert.ok(await pageDocument(project.options.config.baseIRI, again, index).then((answer) => answer !== undefined && 'continuesAt' in answer));
      assert.is(again.log.count, total);
    } finally {
      await reopened.close();
    }
  } finally {
    await project.close();
    await portal.close();
  }
});

test('the full-log window subtracts durations as XML Schema adds them: months pinned to the month end, days and times as fixed lengths', () => {
  const at = (text: string) => new Date(text).toISOString();
  assert.is(subtractDuration(new Date('2024-03-31T12:00:00Z'), 'P1M').toISOString(), at('2024-02-29T12:00:00Z'));
  assert.is(subtractDuration(new Date('2024-02-29T00:00:00Z'), 'P1Y').toISOString(), at('2023-02-28T00:00:00Z'));
  assert.is(subtractDuration(new Date('2025-01-15T00:00:00Z'), 'P1Y2M').toISOString(), at('2023-11-15T00:00:00Z'));
  assert.is(subtractDuration(new Date('2025-03-01T06:00:00Z'), 'PT36H').toISOString(), at('2025-02-27T18:00:00Z'));
  assert.is(subtractDuration(new Date('2025-03-10T00:00:00Z'), 'P1W2DT30M').toISOString(), at('2025-02-28T23:30:00Z'));
});

test.run();
