/** `vinculo serve`: maps what changed, loads the store and serves everything (imports included) until SIGINT, SIGTERM or SIGHUP. */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { loadConfig, type VinculoConfig } from '../../config/index.js';
import { harvestClient, HarvestScheduler } from '../../harvest/index.js';
import { createRequestHandler, type HarvestRequest, type ImportRequest, MetricsRegistry, serve } from '../../http/index.js';
import { configuredMappings, type PublishObserver, publishMapping, publishVocabularies } from '../../publish/index.js';
import type { VinculoStore } from '../../store/index.js';
import { UsageCounter } from '../../usage/index.js';
import { createConfiguredEngine, openConfiguredStore } from '../open-store.js';
import { removeServerRecord, writeServerRecord } from '../running-server.js';
import { commonOptions, commonUsage, configFlags, parseCommand } from '../usage.js';

const spec = {
  name: 'serve',
  usage: `usage: vinculo serve [--port 3030] [--host 127.0.0.1]

Loads the store from its snapshots, re-imports the configured mappings whose mapping or sources
changed, loads the vocabularies, and serves SPARQL (/sparql, /graph-store), linked data
(/id/…, /doc/…) and /health. A mapping that fails keeps its dataset's previous version.
While it runs, \`vinculo import\` and \`vinculo harvest\` on the same data directory work through it
(the address and a per-run token are in DATA_DIR/server.json, readable only by its owner).
The datasets of "harvest.datasets" are synced on their schedules, one at a time; /harvest shows
each one's last sync, next sync and last error.
Stops gracefully on SIGINT, SIGTERM or SIGHUP: in-flight requests finish, the store is flushed.
${commonUsage}
  --port PORT        (env VINCULO_PORT)
  --host HOST        address to listen on (env VINCULO_HOST)`,
  options: { ...commonOptions, port: { type: 'string' }, host: { type: 'string' } },
  maxPositionals: 0,
} as const;

async function publishConfigured(config: VinculoConfig, store: VinculoStore, logger: pino.Logger, observer: PublishObserver): Promise<void> {
  const say = (message: string) => logger.info(message);
  await publishVocabularies({ config, store, say });
  for (const file of await configuredMappings(config)) {
    try {
      await publishMapping(file, { config, store, say, observer });
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
  // One registry for /metrics: imports count into it from the start.
  const registry = new MetricsRegistry();
  const observer = registry.importObserver();
  await publishConfigured(config, store, logger, observer);
  const engine = createConfiguredEngine(store, config);
  const adminImport = {
    token: randomBytes(32).toString('hex'),
    importMapping: ({ mapping, force, errorPolicy, say }: ImportRequest) => publishMapping(mapping, { config, store, say, force, errorPolicy, observer }),
  };
  const harvestLog = logger.child({ harvest: true });
  const say = (message: string) => harvestLog.info(message);
  const harvests = new HarvestScheduler({ config, store, client: harvestClient(config, [], { say }), observer: registry.harvestObserver(), say, warn: (message) => harvestLog.warn(message) });
  // A URL sent by `vinculo harvest` is named by its user, as on the command line: its host is allowed for that harvest.
  const harvestUrl = ({ url, full, pageSize, say: relay }: HarvestRequest) =>
    harvests.harvestNow(url, { full, pageSize, say: relay, client: harvestClient(config, [url], { say: relay }) });
  // Usage counting (issue 23): its journal in DATA_DIR/usage/, published in the catalog graph.
  const usage = config.usage.enabled
    ? await UsageCounter.open({
        store,
        baseIRI: config.baseIRI,
        dataDir: config.dataDir,
        defaultGraph: config.sparql.defaultGraph,
        excludeAgents: config.usage.excludeAgents,
        publishIntervalMs: config.usage.publishIntervalMs,
        warn: (message, error) => logger.warn({ err: error }, message),
      })
    : undefined;
  const running = await serve(createRequestHandler({ store, engine, config, logger, adminImport, harvests, harvestUrl, registry, usage }), { host: config.host, port: config.port, logger });
  await harvests.start();
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
  await harvests.close();
  await running.close();
  await usage?.close();
  await store.close();
  logger.info('stopped');
}
