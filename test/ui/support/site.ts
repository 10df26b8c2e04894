/** The whole app in process for the UI tests: sample mapping published into an in-memory store, listening on 127.0.0.1 port 0. */
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { pino } from 'pino';
import { publishMapping, publishVocabularies } from '../../../src/publish/index.ts';
import { loadConfig } from '../../../src/config/index.ts';
import { createApp } from '../../../src/http/app.ts';
import { DataFactory, parseRdfToArray } from '../../../src/rdf/index.ts';
import { createConfiguredEngine } from '../../../src/cli/open-store.ts';
import { type VinculoStore, catalogGraph, openStore } from '../../../src/store/index.ts';

export interface UiSite {
  readonly url: string;
  readonly baseIRI: string;
  readonly store: VinculoStore;
  close(): Promise<void>;
}

const repository = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = new URL('../fixtures/', import.meta.url);

/**
 * DCAT and DQV for the sample dataset, added only where the import did not already describe it
 * (the catalog work writes DCAT itself; until then the pages have something to show).
 */
async function describeIfBare(store: VinculoStore, baseIRI: string): Promise<void> {
  const graph = catalogGraph(baseIRI);
  const dataset = DataFactory.namedNode(`${baseIRI}dataset/municipios`);
  if (store.countQuads(dataset, DataFactory.namedNode('http://purl.org/dc/terms/title'), null, graph) > 0) return;
  const text = await readFile(new URL('catalog.ttl', fixtures), 'utf8');
  const quads = (await parseRdfToArray(text, { format: 'turtle', baseIRI })).map((quad) => DataFactory.quad(quad.subject, quad.predicate, quad.object, graph));
  await store.write(async (target) => {
    await once(target.import(Readable.from(quads, { objectMode: true })), 'end');
  });
}

export interface UiSiteOptions {
  /** More mapping files to publish after the sample one; their folders become allowed source folders. */
  readonly mappings?: readonly string[];
}

/** Starts the site with the sample data of the repository (`mappings/municipios.yml`), plus `mappings`. */
export async function startUiSite({ mappings = [] }: UiSiteOptions = {}): Promise<UiSite> {
  const server: Server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const baseIRI = `http://127.0.0.1:${port}/`;
  const loaded = await loadConfig({ cwd: repository, env: { VINCULO_BASE_IRI: baseIRI } });
  const config = { ...loaded, sourceDirs: [...loaded.sourceDirs, ...mappings.map((file) => dirname(file))] };
  const store = await openStore({ baseIRI });
  const say = () => undefined;
  await publishVocabularies({ config, store, say });
  await publishMapping(`${repository}mappings/municipios.yml`, { config, store, say });
  await describeIfBare(store, baseIRI);
  for (const file of mappings) await publishMapping(file, { config, store, say });
  const engine = createConfiguredEngine(store, config);
  const app = createApp({ store, engine, config, logger: pino({ level: 'silent' }) });
  server.on('request', app);
  return {
    url: `http://127.0.0.1:${port}`,
    baseIRI,
    store,
    async close() {
      server.closeAllConnections();
      server.close();
      await store.close();
    },
  };
}
