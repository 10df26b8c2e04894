/** `vinculo harvest URL…`: harvests Socrata datasets into the store, incrementally after the first time. */
import { loadConfig } from '../../config/index.js';
import { datasetLocation, harvestDataset, SocrataClient } from '../../harvest/index.js';
import { openConfiguredStore } from '../open-store.js';
import { startProgressBar } from '../progress.js';
import { commonOptions, commonUsage, configFlags, parseCommand, UsageError } from '../usage.js';

const appTokenVariable = 'VINCULO_SOCRATA_APP_TOKEN';

const spec = {
  name: 'harvest',
  usage: `usage: vinculo harvest URL... [--full] [--page-size N]

Harvests each Socrata dataset URL (…/d/abcd-1234, …/resource/abcd-1234.json or the portal page)
into the store. The first harvest reads the view metadata, drafts a mapping when the data
directory has none (DATA_DIR/harvest/ID/mapping.yml, from the portal's column types; edit it and
harvest again with --full), fetches every row through SODA ($order=:id paging) and imports it
with DCAT from the portal's metadata. Later harvests fetch only the rows updated since the last
one, compare :id sets for deletions, and replace exactly those rows' triples in one store version.
A failure keeps the previous version; the next run starts again from it.
Only the hosts of the URLs given and the configuration's "harvest.hosts" are contacted (redirects
are checked too). The app token, when set, is read from ${appTokenVariable}.
--full         fetch and map every row again
--page-size N  rows per SODA request (default 10000)
${commonUsage}`,
  options: { ...commonOptions, full: { type: 'boolean' }, 'page-size': { type: 'string' } },
  minPositionals: 1,
} as const;

export async function harvestCommand(args: string[]): Promise<void> {
  const parsed = parseCommand(spec, args);
  if (!parsed) return;
  const { values, positionals } = parsed;
  const pageSize = values['page-size'] === undefined ? undefined : Number(values['page-size']);
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize > 0)) throw new UsageError('--page-size takes a positive whole number', spec.usage);
  const config = await loadConfig({ cwd: process.cwd(), configFile: values.config, flags: configFlags(values) });
  // The user naming a URL allows its host for this run; nothing else is reachable unless configured.
  const named = positionals.map((url) => new URL(datasetLocation(url).origin).host);
  const progress = startProgressBar(process.stderr);
  const say = (message: string) => progress.line(message);
  const client = new SocrataClient({ allowedHosts: [...new Set([...config.harvest.hosts, ...named])], appToken: process.env[appTokenVariable] || undefined, say });
  const store = await openConfiguredStore(config, say);
  let failures = 0;
  try {
    for (const url of positionals) {
      try {
        const result = await harvestDataset(url, { config, store, client, say, pageSize, full: values.full });
        process.stdout.write(`${JSON.stringify({ url, ...result })}\n`);
      } catch (error) {
        failures++;
        say(`${url}: harvest failed, the previous version stays published: ${(error as Error).message}`);
      }
    }
  } finally {
    progress.stop();
    await store.close();
  }
  if (failures > 0) process.exitCode = 1;
}
