/** `/catalog` over HTTP: negotiated RDF of the store's catalog, conditional requests. */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { publishMapping } from '../../src/publish/index.ts';
import { catalogRouter } from '../../src/http/catalog.ts';
import { ns, parseRdfToArray } from '../../src/rdf/index.ts';
import { freshProject, projectRoot } from './support.ts';

test('/catalog serves the DCAT catalog in Turtle and N-Quads, with an ETag that answers 304', async () => {
  const { config, store } = await freshProject();
  const app = express();
  app.use(catalogRouter({ store, baseIRI: config.baseIRI }));
  const server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/catalog`;
  try {
    await publishMapping(join(projectRoot, 'mappings', 'municipios.yml'), { config, store, say: () => {} });
    const turtle = await fetch(url, { headers: { Accept: 'text/turtle' } });
    assert.is(turtle.status, 200);
    assert.match(turtle.headers.get('content-type') ?? '', /^text\/turtle/);
    const quads = await parseRdfToArray(await turtle.text(), { format: 'turtle', baseIRI: config.baseIRI });
    const catalog = `${config.baseIRI}catalog`;
    assert.ok(quads.some((q) => q.subject.value === catalog && q.predicate.equals(ns.rdf('type')) && q.object.equals(ns.dcat('Catalog'))));
    assert.ok(quads.some((q) => q.subject.value === catalog && q.predicate.equals(ns.dcat('dataset')) && q.object.value === `${config.baseIRI}dataset/municipios`));
    const services = quads.filter((q) => q.predicate.equals(ns.dcat('servesDataset'))).map((q) => q.subject.value).sort();
    assert.equal(services, [`${config.baseIRI}fragments#service`, `${config.baseIRI}ldes/municipios#service`, `${config.baseIRI}sparql#service`]);

    const etag = turtle.headers.get('etag');
    assert.ok(etag);
    const again = await fetch(url, { headers: { Accept: 'text/turtle', 'If-None-Match': etag } });
    assert.is(again.status, 304);

    const nquads = await fetch(`${url}.nq`);
    assert.is(nquads.status, 200);
    const withGraphs = await parseRdfToArray(await nquads.text(), { format: 'nquads' });
    assert.ok(withGraphs.length >= quads.length);

    const dataJson = await fetch(`${url}/data.json`);
    assert.is(dataJson.status, 200);
    const pod = (await dataJson.json()) as { conformsTo: string; dataset: Array<Record<string, unknown>> };
    assert.is(pod.conformsTo, 'https://project-open-data.cio.gov/v1.1/schema');
    assert.is(pod.dataset.length, 1);
    const entry = pod.dataset[0] ?? {};
    assert.is(entry.title, 'Municipios de Colombia');
    assert.is(entry.accrualPeriodicity, 'R/P1Y');
    assert.is(entry.temporal, '2018-01-01/2018-12-31');
    assert.equal((entry.publisher as { name: string }).name, 'Departamento Administrativo Nacional de Estadística (DANE)');
    assert.is((entry.distribution as unknown[]).length, 5, 'three dumps, the SPARQL endpoint and the event stream');
  } finally {
    server.close();
    await store.close();
  }
});

test.run();
