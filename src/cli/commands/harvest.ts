/** `vinculo harvest URL…` and `vinculo harvest PORTAL --catalog`: harvests Socrata datasets into the store, incrementally after the first time. */
import { loadConfig, type VinculoConfig } from '../../config/index.js';
import { datasetLocation, type HarvestResult, harvestClient, harvestDataset, listPortalDatasets, type SocrataClient, selectDatasets } from '../../harvest/index.js';
import { openConfiguredStore } from '../open-store.js';
import { startProgressBar } from '../progress.js';
import { harvestThroughServer, runningServerOf } from '../running-server.js';
import { commonOptions, commonUsage, configFlags, parseCommand, UsageError } from '../usage.js';

const spec = {
  name: 'harvest',
  usage: `usage: vinculo harvest URL... [--full] [--page-size N]
       vinculo harvest PORTAL --catalog [--agency NAME]... [--category NAME]... [--dry-run] [--full] [--page-size N]

Harvests each Socrata dataset URL (…/d/abcd-1234, …/resource/abcd-1234.json or the portal page)
into the store. The first harvest reads the view metadata, drafts a mapping when the data
directory has none (DATA_DIR/harvest/ID/mapping.yml, from the portal's column types; edit it and
harvest again with --full), fetches every row through SODA ($order=:id paging) and imports it
with DCAT from the portal's metadata. Later harvests fetch only the rows updated since the last
one, compare :id sets for deletions, and replace exactly those rows' triples in one store version.
A failure keeps the previous version; the next run starts again from it. While \`vinculo serve\`
holds the data directory, the server harvests (after any sync it is running).
With --catalog, PORTAL's DCAT-US catalog (/data.json) lists its datasets; --agency (part of the
publisher's name) and --category (a portal category, whole) select some, without regard to case
or accents (repeat a flag for several; any one matches). The selection is printed to stderr and
each dataset harvested in turn; one's failure does not stop the others.
Only the hosts of the URLs given, of the configured harvest datasets and the configuration's
"harvest.hosts" are contacted (redirects are checked too). The app token, when set, is read from
VINCULO_SOCRATA_APP_TOKEN.
--full           fetch and map every row again
--page-size N    rows per SODA request (default 10000)
--catalog        PORTAL is a portal: harvest the datasets of its /data.json
--agency NAME    with --catalog: only datasets whose publisher's name contains NAME
--category NAME  with --catalog: only datasets in the portal category NAME
--dry-run        with --catalog: print the selection (JSON lines on stdout), harvest nothing
${commonUsage}`,
  options: {
    ...commonOptions,
    full: { type: 'boolean' },
    'page-size': { type: 'string' },
    catalog: { type: 'boolean' },
    agency: { type: 'string', multiple: true },
    category: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
  },
  minPositionals: 1,
} as const;

/** Harvests one URL, in this process or through the server that holds the data directory. */
type Harvest = (url: string) => Promise<HarvestResult>;

/** The dataset URLs of the portal's catalog that pass the filters; each listed on stderr. */
async function catalogSelection(portal: string, client: SocrataClient, filter: { agencies?: string[]; categories?: string[] }, say: (message: string) => void): Promise<string[]> {
  const listing = await listPortalDatasets(portal, client);
  const selected = selectDatasets(listing.datasets, filter);
  say(`${portal}: ${listing.datasets.length} datasets in /data.json${listing.skipped > 0 ? ` (${listing.skipped} entries without a Socrata dataset id skipped)` : ''}, ${selected.length} selected`);
  for (const dataset of selected) say(`  ${dataset.socrataId}  ${dataset.title}  (${[dataset.agency ?? 'no publisher', ...dataset.categories].join('; ')})`);
  return selected.map((dataset) => dataset.url);
}

export async function harvestCommand(args: string[]): Promise<void> {
  const parsed = parseCommand(spec, args);
  if (!parsed) return;
  const { values, positionals } = parsed;
  const pageSize = values['page-size'] === undefined ? undefined : Number(values['page-size']);
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize > 0)) throw new UsageError('--page-size takes a positive whole number', spec.usage);
  if (values.catalog && positionals.length !== 1) throw new UsageError('--catalog takes one portal URL', spec.usage);
  if (!values.catalog && (values.agency || values.category || values['dry-run'])) throw new UsageError('--agency, --category and --dry-run go with --catalog', spec.usage);
  const config = await loadConfig({ cwd: process.cwd(), configFile: values.config, flags: configFlags(values) });
  const progress = startProgressBar(process.stderr);
  const say = (message: string) => progress.line(message);
  // The user naming a URL (or a portal) allows its host for this run; nothing else is reachable unless configured.
  const named = values.catalog ? positionals : positionals.map((url) => datasetLocation(url).origin);
  const client = harvestClient(config, named, { say });
  let failures = 0;
  try {
    const urls = values.catalog ? await catalogSelection(positionals[0] as string, client, { agencies: values.agency, categories: values.category }, say) : positionals;
    if (values['dry-run']) {
      for (const url of urls) process.stdout.write(`${JSON.stringify({ url, socrataId: datasetLocation(url).id })}\n`);
      return;
    }
    failures = await harvestEach(urls, config, { client, say, pageSize, full: values.full ?? false, checkHosts: values.catalog ?? false });
  } finally {
    progress.stop();
  }
  if (failures > 0) process.exitCode = 1;
}

/** Harvests each URL in turn, printing each result (stdout) or failure (stderr); how many failed. */
async function harvestEach(urls: readonly string[], config: VinculoConfig, options: { client: SocrataClient; say: (message: string) => void; pageSize: number | undefined; full: boolean; checkHosts: boolean }): Promise<number> {
  const { client, say, pageSize, full } = options;
  const server = config.store.type === 'embedded' ? await runningServerOf(config.dataDir) : undefined;
  const store = server ? undefined : await openConfiguredStore(config, say);
  const harvest: Harvest = store ? (url) => harvestDataset(url, { config, store, client, say, pageSize, full }) : (url) => harvestThroughServer(server as NonNullable<typeof server>, url, { full, pageSize, say });
  let failures = 0;
  try {
    for (const url of urls) {
      try {
        // A catalog's entries were not named by the user: their hosts must be allowed already (the server would allow whatever it is sent).
        if (options.checkHosts) client.checkHost(new URL(url));
        process.stdout.write(`${JSON.stringify({ url, ...(await harvest(url)) })}\n`);
      } catch (error) {
        failures++;
        say(`${url}: harvest failed, the previous version stays published: ${(error as Error).message}`);
      }
    }
  } finally {
    await store?.close();
  }
  return failures;
}
