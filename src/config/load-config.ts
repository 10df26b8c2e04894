/** Merges config file, `VINCULO_*` environment variables and flags, in that order of precedence (last wins). */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../errors/index.js';
import { type VinculoConfig, validateConfig } from './schema.js';

export interface ConfigSources {
  /** Folder that relative paths resolve against when there is no config file. */
  readonly cwd: string;
  /** Explicit config file (`--config`); otherwise `vinculo.config.json` in `cwd`, if present. */
  readonly configFile?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Values from command-line flags, already named as config keys. */
  readonly flags?: Readonly<Record<string, string | number | undefined>>;
}

/** Environment variables and the config keys they set. */
const environmentKeys: Record<string, string> = {
  VINCULO_BASE_IRI: 'baseIRI',
  VINCULO_HOST: 'host',
  VINCULO_PORT: 'port',
  VINCULO_DATA_DIR: 'dataDir',
  VINCULO_UPDATE_TOKEN: 'updateToken',
  VINCULO_LOG_LEVEL: 'logLevel',
};

async function readConfigFile(path: string, required: boolean): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`${path}: not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Builds the one configuration object the rest of Vínculo reads.
 * @throws ConfigError naming the file or variable and the key that is wrong.
 */
export async function loadConfig(sources: ConfigSources): Promise<VinculoConfig> {
  const env = sources.env ?? process.env;
  const file = resolve(sources.cwd, sources.configFile ?? 'vinculo.config.json');
  const raw = await readConfigFile(file, sources.configFile !== undefined);
  const merged: Record<string, unknown> = { ...raw };
  const origins = new Map<string, string>();
  for (const [variable, key] of Object.entries(environmentKeys)) {
    const value = env[variable];
    if (value !== undefined && value !== '') {
      merged[key] = value;
      origins.set(key, `environment variable ${variable}`);
    }
  }
  for (const [key, value] of Object.entries(sources.flags ?? {})) {
    if (value !== undefined) {
      merged[key] = value;
      origins.set(key, 'command-line flag');
    }
  }
  const where = Object.keys(raw).length > 0 ? file : 'configuration';
  try {
    return validateConfig(merged, dirname(file), where, env);
  } catch (error) {
    const origin = [...origins].find(([key]) => error instanceof ConfigError && error.message.includes(`"${key}"`));
    if (origin) throw new ConfigError(`${(error as Error).message} (set by ${origin[1]})`);
    throw error;
  }
}
