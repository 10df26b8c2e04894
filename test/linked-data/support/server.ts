/** An in-process app for the linked-data tests: the embedded store filled with fixtures, listening on 127.0.0.1 port 0. */
import { once } from 'node:events';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import { errorHandler, notFoundHandler } from '../../../src/http/errors.ts';
import { linkedData } from '../../../src/http/linked-data.ts';
import { DataFactory, parseRdfToArray } from '../../../src/rdf/index.ts';
import { type VinculoStore, catalogGraph, openStore, vocabularyGraph } from '../../../src/store/index.ts';

export interface TestSite {
  readonly baseIRI: string;
  readonly store: VinculoStore;
  readonly dataDir: string;
  /** Fetches a path of the site without following redirects. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

const fixtures = new URL('../fixtures/', import.meta.url);
const vocabularies = new URL('../../../vocabularies/', import.meta.url);

async function turtle(url: URL, baseIRI: string) {
  return parseRdfToArray(await readFile(url, 'utf8'), { format: 'turtle', baseIRI });
}

async function* each<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

/** Starts the site; `datasets` are fixture names loaded as datasets of the same id. */
export async function startSite(
  options: { datasets?: readonly string[]; pageSize?: number; urlsPerSitemap?: number; cacheBytes?: number } = {},
): Promise<TestSite> {
  const server: Server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const baseIRI = `http://127.0.0.1:${port}/`;
  const dataDir = await mkdtemp(join(tmpdir(), 'vinculo-ld-'));
  const store = await openStore({ baseIRI });
  for (const id of options.datasets ?? ['municipios', 'departamentos', 'categorias']) {
    await store.putDataset(id, each(await turtle(new URL(`${id}.ttl`, fixtures), baseIRI)));
  }
  const vocabulary = (await turtle(new URL('territorio.ttl', vocabularies), baseIRI)).map((quad) => DataFactory.quad(quad.subject, quad.predicate, quad.object, vocabularyGraph(baseIRI)));
  const catalog = (await turtle(new URL('catalog.ttl', fixtures), baseIRI)).map((quad) => DataFactory.quad(quad.subject, quad.predicate, quad.object, catalogGraph(baseIRI)));
  await store.write(async (target) => {
    for (const quads of [vocabulary, catalog]) {
      await once(target.import(Readable.from(quads, { objectMode: true })), 'end');
    }
  });
  const app = express();
  app.use(linkedData({ store, baseIRI, dataDir, fragmentPageSize: options.pageSize, urlsPerSitemap: options.urlsPerSitemap, cacheBytes: options.cacheBytes }));
  app.use(notFoundHandler());
  app.use(errorHandler(pino({ level: 'silent' })));
  server.on('request', app);
  return {
    baseIRI,
    store,
    dataDir,
    fetch: (path, init) => fetch(new URL(path.replace(/^\//, ''), baseIRI), { redirect: 'manual', ...init }),
    async close() {
      server.closeAllConnections();
      server.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
