/** `vinculo serve`: maps what changed, loads the store and serves everything (imports included) until SIGINT, SIGTERM or SIGHUP. */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { loadConfig, type VinculoConfig } from '../../config/index.js';
import { createRequestHandler, type ImportRequest, serve } from '../../http/index.js';
import type { VinculoStore } from '../../store/index.js';
import { createConfiguredEngine, openConfiguredStore } from '../open-store.js';
import { configuredMappings, publishMapping, publishVocabularies } from '../publish.js';
import { removeServerRecord, writeServerRecord } from '../running-server.js';
import { commonOptions, commonUsage, configFlags, parseCommand } from '../usage.js';

const spec = {
  name: 'serve',
  usage: `usage: vinculo serve [--port 3030] [--host 127.0.0.1]

Loads the store from its snapshots, re-imports the configured mappings whose mapping or sources
changed, loads the vocabularies, and serves SPARQL (/sparql, /graph-store), linked data
(/id/…, /doc/…) and /health. A mapping that fails keeps its dataset's previous version.
While it runs, \`vinculo import\` on the same data directory imports through it (the address and
a per-run token are in DATA_DIR/server.json, readable only by its owner).
Stops gracefully on SIGINT, SIGTERM or SIGHUP: in-flight requests finish, the store is flushed.
${commonUsage}
  --port PORT        (env VINCULO_PORT)
  --host HOST        address to listen on (env VINCULO_HOST)`,
  options: { ...commonOptions, port: { type: 'string' }, host: { type: 'string' } },
  maxPositionals: 0,
} as const;

async function publishConfigured(config: VinculoConfig, store: VinculoStore, logger: pino.Logger): Promise<void> {
  const say = (message: string) => logger.info(message);
  await publishVocabularies({ config, store, say });
  for (const file of await configuredMappings(config)) {
    try {
      await publishMapping(file, { config, store, say });
    } catch (error) {
      logger.error({ file, err: error }, 'import failed; the previous version of the dataset stays published');
    }
  }
}

export async function serveCommand(args: string[]): Promise<void> {
  const parsed = parseCommand(spec, args);
  if (!parsed) return;
  const { values } = parsed;
  const config = await loadConfig({
    cwd: process.cwd(),
    configFile: values.config,
    flags: { ...configFlags(values), port: values.port, host: values.host },
  });
  const logger = pino({ level: config.logLevel, base: undefined });
  const store = await openConfiguredStore(config, (message) => logger.warn(message));
  await publishConfigured(config, store, logger);
  const engine = createConfiguredEngine(store, config);
  const adminImport = {
    token: randomBytes(32).toString('hex'),
    importMapping: ({ mapping, force, errorPolicy, say }: ImportRequest) => publishMapping(mapping, { config, store, say, force, errorPolicy }),
  };
  const running = await serve(createRequestHandler({ store, engine, config, logger, adminImport }), { host: config.host, port: config.port, logger });
  await writeServerRecord(config.dataDir, { url: running.url, pid: process.pid, token: adminImport.token });
  logger.info({ url: running.url, baseIRI: config.baseIRI, datasets: store.listDatasets().length, quads: store.countQuads() }, 'Vínculo is serving');

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'stopping: finishing in-flight requests');
      resolve();
    };
    // SIGHUP: the terminal went away; stopping cleanly beats the default abrupt exit.
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, stop);
  });
  await removeServerRecord(config.dataDir);
  await running.close();
  await store.close();
  logger.info('stopped');
}
