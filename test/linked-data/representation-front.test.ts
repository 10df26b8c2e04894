/** The server front answers cached representations before Express, counts them in /metrics as the app would, and never answers stale data after a write. */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { linkedData } from '../../src/http/linked-data.ts';
import { MetricsRegistry, metrics } from '../../src/http/metrics.ts';
import { RepresentationCache } from '../../src/http/representation-cache.ts';
import { cachedFirst } from '../../src/http/representation-front.ts';
import { DataFactory, parseRdfToArray } from '../../src/rdf/index.ts';
import { datasetGraph, openStore } from '../../src/store/index.ts';

const { namedNode, literal, quad } = DataFactory;

test('a cached document is answered in front of Express, counted, and replaced after a write', async () => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const baseIRI = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const store = await openStore({ baseIRI });
  try {
    const turtle = '<id/municipio/05001> <http://www.w3.org/2000/01/rdf-schema#label> "Medellín"@es .';
    await store.putDataset('municipios', await parseRdfToArray(turtle, { format: 'turtle', baseIRI }));
    const registry = new MetricsRegistry();
    const cache = new RepresentationCache(store, { maxBytes: 1 << 20 });
    const app = express();
    app.use(metrics({ store, registry }));
    // Express answers only what the front passes on: count what reaches it.
    let reachedExpress = 0;
    app.use((_request, _response, next) => {
      reachedExpress++;
      next();
    });
    app.use(linkedData({ store, baseIRI, cache }));
    server.on('request', cachedFirst(app, { cache, logger: pino({ level: 'silent' }), registry }));

    const url = `${baseIRI}doc/municipio/05001`;
    const first = await fetch(url, { headers: { Accept: 'text/turtle' } });
    const body = await first.text();
    const second = await fetch(url, { headers: { Accept: 'text/turtle' } });
    assert.is(await second.text(), body);
    assert.is(second.headers.get('ETag'), first.headers.get('ETag'));
    assert.is(reachedExpress, 1, 'the second request never reached Express');
    assert.match(registry.render(store), /vinculo_http_requests_total\{method="GET",route="\/doc",status="200"\} 2/);

    await store.write(async (target) => {
      const added = quad(namedNode(`${baseIRI}id/municipio/05001`), namedNode('http://www.w3.org/2000/01/rdf-schema#comment'), literal('Capital de Antioquia'), datasetGraph(baseIRI, 'municipios'));
      await once(target.import(Readable.from([added], { objectMode: true })), 'end');
    });
    const after = await fetch(url, { headers: { Accept: 'text/turtle', 'If-None-Match': first.headers.get('ETag') ?? '' } });
    assert.is(after.status, 200);
    assert.ok((await after.text()).includes('Capital de Antioquia'));
    assert.is(reachedExpress, 2, 'the stale entry was not answered');
  } finally {
    server.closeAllConnections();
    server.close();
    await store.close();
  }
});

test.run();
