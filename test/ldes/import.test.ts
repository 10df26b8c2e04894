/** A plain import publishes its stream members itself: reading the stream afterwards never writes the store, and shows every resource the import made. */
import { join } from 'node:path';
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { datasetEventStream, streamPlace } from '../../src/ldes/index.ts';
import { publishMapping } from '../../src/publish/index.ts';
import { projectRoot } from '../catalog/support.ts';
import { graphQuads, startPortal } from '../harvest/support/fixture.ts';
import { describeDifference, sameGraph } from '../support/graphs.ts';
import { ldesProject } from './support/project.ts';
import { materialize, replicate } from './support/replica.ts';

test('after `import`, GETs of the stream, its view and its pages leave the store version as it was, and a replica from scratch is the imported graph; an unchanged re-import adds no member', async () => {
  const portal = await startPortal(0);
  const project = await ldesProject(portal);
  try {
    const { config } = project.options;
    const imported = await publishMapping(join(projectRoot, 'mappings', 'municipios.yml'), { config, store: project.store, say: () => undefined });
    const base = `${project.origin}ldes/${imported.datasetId}`;
    const version = project.store.version;
    for (const path of ['', '/by-time', '/by-time/0']) {
      const response = await fetch(`${base}${path}`, { headers: { Accept: 'text/turtle' } });
      assert.is(response.status, 200, path);
      await response.text();
    }
    const members = await replicate(base, join(project.dir, 'client'), 'from-scratch');
    assert.is(project.store.version, version, 'no GET wrote to the store');

    const graph = (project.store.dataset(imported.datasetId) as { graph: RDF.NamedNode }).graph;
    const quads = await graphQuads(project.store, graph);
    assert.is(members.length, new Set(quads.filter((quad) => quad.subject.termType === 'NamedNode').map((quad) => quad.subject.value)).size);
    const replica = materialize(members, graph);
    assert.ok(sameGraph(replica.quads, quads), describeDifference(replica.quads, quads));

    const stream = await datasetEventStream(streamPlace(config, project.store), imported.datasetId);
    const count = stream.log.count;
    await publishMapping(join(projectRoot, 'mappings', 'municipios.yml'), { config, store: project.store, say: () => undefined, force: true });
    assert.is(stream.log.count, count, 'the same triples again are no new versions');
  } finally {
    await project.close();
    await portal.close();
  }
});

test.run();
