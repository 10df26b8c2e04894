/** A harvest project whose base IRI is a local HTTP server serving its event streams, so the stream's links lead back to it. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import pino from 'pino';
import { loadConfig } from '../../../src/config/index.ts';
import { type HarvestOptions, SocrataClient } from '../../../src/harvest/index.ts';
import { errorHandler } from '../../../src/http/errors.ts';
import { ldesRouter } from '../../../src/http/ldes.ts';
import { openStore, type VinculoStore } from '../../../src/store/index.ts';
import { freshDirectory, projectRoot } from '../../catalog/support.ts';
import type { SocrataServer } from '../../harvest/support/socrata-server.ts';

export interface LdesProject {
  readonly origin: string;
  readonly dir: string;
  readonly store: VinculoStore;
  readonly options: HarvestOptions;
  close(): Promise<void>;
}

/** Opens a store in a fresh folder with base IRI `http://127.0.0.1:PORT/` and serves `/ldes/` on that port. */
export async function ldesProject(portal: SocrataServer): Promise<LdesProject> {
  const dir = await freshDirectory();
  let app: express.Express | undefined;
  const server: Server = createServer((request, response) => app?.(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const config = await loadConfig({ cwd: projectRoot, env: { VINCULO_BASE_IRI: origin }, flags: { dataDir: join(dir, 'var') } });
  const store = await openStore({ baseIRI: config.baseIRI, dataDir: config.dataDir });
  app = express();
  app.use(ldesRouter({ store, baseIRI: config.baseIRI, dataDir: config.dataDir, retention: config.ldes.retention }));
  app.use(errorHandler(pino({ level: 'silent' })));
  const options: HarvestOptions = {
    config: { ...config, sourceDirs: [...config.sourceDirs, dir] },
    store,
    client: new SocrataClient({ allowedHosts: [portal.host], backoffMs: 10 }),
    say: () => undefined,
    pageSize: 5000,
  };
  return {
    origin,
    dir,
    store,
    options,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await store.close();
    },
  };
}
