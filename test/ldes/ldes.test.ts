/** The event stream of a harvested dataset, read by the real LDES client: a first harvest publishes every resource, a sync exactly the changed ones; replicas from scratch and resumed ones equal the dataset's graph. */
import { join } from 'node:path';
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { harvestDataset } from '../../src/harvest/index.ts';
import { catalogGraph } from '../../src/store/index.ts';
import { describeDifference, sameGraph } from '../support/graphs.ts';
import { random } from '../support/random.ts';
import { datasetUrl, graphQuads, sedeCells, startPortal } from '../harvest/support/fixture.ts';
import { ldesProject } from './support/project.ts';
import { materialize, replicate } from './support/replica.ts';

const rowCount = 3000;

/** Each named subject's triples as one sorted text: what the stream must carry a version of. */
function statesOf(quads: readonly RDF.Quad[]): Map<string, string> {
  const lines = new Map<string, string[]>();
  for (const quad of quads) {
    if (quad.subject.termType !== 'NamedNode') continue;
    const object = quad.object.termType === 'Literal' ? `"${quad.object.value}"@${quad.object.language}^^${quad.object.datatype.value}` : quad.object.value;
    lines.set(quad.subject.value, [...(lines.get(quad.subject.value) ?? []), `${quad.predicate.value} ${object}`]);
  }
  return new Map([...lines].map(([subject, own]) => [subject, own.sort().join('\n')]));
}

async function fetchTurtle(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { headers: { Accept: 'text/turtle', ...headers } });
}

test('a harvest publishes every resource as a member; a sync of 100 changed, 10 added, 5 deleted rows adds exactly 110 versions and 5 tombstones; a fresh and a resumed ldes-client both rebuild the dataset graph', async () => {
  const portal = await startPortal(rowCount);
  const project = await ldesProject(portal);
  try {
    const first = await harvestDataset(datasetUrl(portal), project.options);
    const graph = (project.store.dataset(first.datasetId) as { graph: RDF.NamedNode }).graph;
    const harvested = await graphQuads(project.store, graph);
    const streamUrl = `${project.origin}ldes/${first.datasetId}`;

    // From scratch: one member per resource of the graph, and the replica is the graph.
    const resumedState = join(project.dir, 'client-resumed');
    const initial = await replicate(streamUrl, resumedState, 'from-scratch');
    assert.is(initial.length, statesOf(harvested).size);
    assert.ok(initial.length >= rowCount, `${initial.length} members for ${rowCount} rows`);
    const replica = materialize(initial, graph);
    assert.ok(sameGraph(replica.quads, harvested), describeDifference(replica.quads, harvested));

    // The change on the portal.
    const ids = portal.rowIds();
    const next = random(11);
    for (let index = 0; index < 100; index++) portal.updateRow(ids[index * 29] as string, { matricula: String(9000 + index), nombre: `Sede renovada ${index}` });
    for (let n = rowCount + 1; n <= rowCount + 10; n++) portal.addRow(sedeCells(n, next));
    for (let index = 0; index < 5; index++) portal.deleteRow(ids[index * 31 + 7] as string);
    const sync = await harvestDataset(datasetUrl(portal), project.options);
    assert.equal([sync.kind, sync.rowsChanged, sync.rowsAdded, sync.rowsDeleted], ['sync', 100, 10, 5]);
    const synced = await graphQuads(project.store, graph);

    // The resumed client gets exactly the new members: the versions of the resources whose triples changed, tombstones for those gone.
    const before = statesOf(harvested);
    const after = statesOf(synced);
    const changedResources = [...after].filter(([subject, state]) => before.get(subject) !== state).map(([subject]) => subject);
    const goneResources = [...before.keys()].filter((subject) => !after.has(subject));
    const resumed = await replicate(streamUrl, resumedState, 'resume');
    assert.is(resumed.filter((member) => !member.deleted).length, 110);
    assert.is(resumed.filter((member) => member.deleted).length, 5);
    assert.equal(resumed.filter((member) => !member.deleted).map((member) => member.isVersionOf).sort(), changedResources.sort());
    assert.equal(resumed.filter((member) => member.deleted).map((member) => member.isVersionOf).sort(), goneResources.sort());
    const resumedReplica = materialize(resumed, graph, replica.latest);
    assert.ok(sameGraph(resumedReplica.quads, synced), describeDifference(resumedReplica.quads, synced));

    // From scratch after the sync: every member once, and the same graph.
    const fresh = await replicate(streamUrl, join(project.dir, 'client-fresh'), 'from-scratch');
    assert.is(fresh.length, initial.length + 115);
    const freshReplica = materialize(fresh, graph);
    assert.ok(sameGraph(freshReplica.quads, synced), describeDifference(freshReplica.quads, synced));
  } finally {
    await project.close();
    await portal.close();
  }
});

test('pages: full pages linked to the next are immutable for a year, the newest is cached a minute; ETags answer 304; members redirect to their page; unknown streams are 404', async () => {
  const portal = await startPortal(600);
  const project = await ldesProject(portal);
  try {
    const first = await harvestDataset(datasetUrl(portal), project.options);
    const base = `${project.origin}ldes/${first.datasetId}`;
    const stream = await fetchTurtle(base);
    assert.is(stream.status, 200);
    const streamText = await stream.text();
    assert.match(streamText, /ldes:timestampPath|timestampPath/);
    const full = await fetchTurtle(`${base}/by-time/0`);
    assert.is(full.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(await full.text(), /GreaterThanOrEqualToRelation/);
    const open = await fetchTurtle(`${base}/by-time/2`);
    assert.is(open.headers.get('cache-control'), 'public, max-age=60');
    assert.not.match(await open.text(), /GreaterThanOrEqualToRelation/);
    const again = await fetchTurtle(`${base}/by-time/0`, { 'If-None-Match': full.headers.get('etag') as string });
    assert.is(again.status, 304);
    const jsonld = await fetch(`${base}/by-time/1`, { headers: { Accept: 'application/ld+json' } });
    assert.match(jsonld.headers.get('content-type') ?? '', /application\/ld\+json/);
    JSON.parse(await jsonld.text());
    const member = await fetch(`${base}/member/300`, { redirect: 'manual' });
    assert.is(member.status, 303);
    assert.is(member.headers.get('location'), `/ldes/${first.datasetId}/by-time/1`);
    assert.is((await fetchTurtle(`${project.origin}ldes/no-such-dataset`)).status, 404);
    assert.is((await fetchTurtle(`${base}/by-time/99`)).status, 404);

    // DCAT: the stream is a distribution of the dataset, served by a data service whose endpoint is the stream.
    const catalog = await graphQuads(project.store, catalogGraph(project.store.baseIRI));
    const objects = (subject: string, predicate: string) => catalog.filter((quad) => quad.subject.value === subject && quad.predicate.value === predicate).map((quad) => quad.object.value);
    const dcat = 'http://www.w3.org/ns/dcat#';
    const distribution = objects(`${project.origin}dataset/${first.datasetId}`, `${dcat}distribution`).find((iri) => objects(iri, `${dcat}accessURL`).includes(base));
    assert.ok(distribution, 'an LDES distribution');
    assert.equal(objects(distribution as string, 'http://purl.org/dc/terms/conformsTo'), ['https://w3id.org/ldes/specification']);
    const [service] = objects(distribution as string, `${dcat}accessService`);
    assert.equal(objects(service as string, `${dcat}endpointURL`), [base]);
  } finally {
    await project.close();
    await portal.close();
  }
});

test.run();
