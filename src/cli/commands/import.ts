/** `vinculo import MAPPING…`: maps datasets and loads them into the persistent store, with provenance. */
import { resolve } from 'node:path';
import { loadConfig } from '../../config/index.js';
import { commandLineConfig, errorPolicyOf, sourceDirOption, sourceDirUsage } from '../mapping-options.js';
import { publishMapping } from '../../publish/index.js';
import { openConfiguredStore } from '../open-store.js';
import { startProgressBar } from '../progress.js';
import { importThroughServer, runningServerOf } from '../running-server.js';
import { commonOptions, commonUsage, configFlags, parseCommand } from '../usage.js';

const spec = {
  name: 'import',
  usage: `usage: vinculo import MAPPING... [--force] [--on-error skip-term|skip-row|fail] [--source-dir DIR]...

Maps each MAPPING and replaces its dataset in the store atomically. A dataset whose mapping and
sources have not changed since its last import is skipped (--force re-imports it). If a mapping
fails, that dataset keeps its previous version and the command exits 1. While \`vinculo serve\`
runs on the same data directory, the server does the import (found through DATA_DIR/server.json)
and answers with the new data as soon as each dataset is replaced; then only the server's
"sourceDirs" are allowed. Otherwise sources may also lie in the mapping's folder or a --source-dir folder.
${commonUsage}
${sourceDirUsage}`,
  options: { ...commonOptions, ...sourceDirOption, force: { type: 'boolean' }, 'on-error': { type: 'string' } },
  minPositionals: 1,
} as const;

export async function importCommand(args: string[]): Promise<void> {
  const parsed = parseCommand(spec, args);
  if (!parsed) return;
  const { values, positionals } = parsed;
  const config = await loadConfig({ cwd: process.cwd(), configFile: values.config, flags: configFlags(values) });
  const errorPolicy = errorPolicyOf(values['on-error'], spec.usage);
  const progress = startProgressBar(process.stderr);
  const say = (message: string) => progress.line(message);
  const options = { say, force: values.force, errorPolicy };
  // A serving process holds the data directory: it does the import, and answers with the new data at once.
  const server = config.store.type === 'embedded' ? await runningServerOf(config.dataDir) : undefined;
  const store = server ? undefined : await openConfiguredStore(config, say);
  let failures = 0;
  try {
    for (const file of positionals) {
      try {
        if (server) await importThroughServer(server, resolve(file), options);
        else if (store) await publishMapping(resolve(file), { ...options, config: commandLineConfig(config, file, values['source-dir']), store });
      } catch (error) {
        failures++;
        say(`${file}: import failed, the previous version stays published: ${(error as Error).message}`);
      }
    }
  } finally {
    progress.stop();
    await store?.close();
  }
  if (failures > 0) process.exitCode = 1;
}
