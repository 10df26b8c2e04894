/** The configuration's shape, defaults and validation; every error names the offending key. */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors/index.js';

export interface Limits {
  /** Per-query wall-clock limit. */
  readonly queryTimeoutMs: number;
  /** Rows (or quads) a query returns at most; a truncated result says so. */
  readonly maxResultRows: number;
  readonly maxQueryLength: number;
  readonly maxBodyBytes: number;
}

export interface ScopedToken {
  /** Environment variable that holds the token: secrets stay out of the config file. */
  readonly tokenEnv: string;
  readonly token: string | undefined;
  readonly datasets: readonly string[];
}

/** Where the quads live: the embedded store in `dataDir`, or an external SPARQL store. */
export type StoreConfig =
  | {
      readonly type: 'embedded';
      /** Memory the store may hold; an import that would need more is refused. Unset: 3/4 of the machine's. */
      readonly maxMemoryBytes?: number;
    }
  | {
      readonly type: 'sparql';
      /** SPARQL 1.1 Protocol query endpoint (e.g. Virtuoso's `http://host:8890/sparql`). */
      readonly queryUrl: string;
      /** Update endpoint; the query endpoint when not given. */
      readonly updateUrl: string;
      /** Graph Store Protocol endpoint, for the operator's reference (writes use SPARQL Update). */
      readonly graphStoreUrl: string | undefined;
      readonly user: string | undefined;
      /** Environment variable that holds the password: secrets stay out of the config file. */
      readonly passwordEnv: string | undefined;
      readonly password: string | undefined;
      /** Limit of one request to the store. */
      readonly timeoutMs: number;
      /** Quads per request while importing; undefined: the store's default (larger with a graph store URL). */
      readonly batchSize: number | undefined;
      /** How often other instances' writes are looked for (0: never). */
      readonly pollMs: number;
    };

export interface VinculoConfig {
  /** Ends with `/`; every minted IRI starts with it. */
  readonly baseIRI: string;
  /** Set when no file, variable or flag gave `baseIRI` (it was derived from host and port). */
  readonly baseIRIDerived?: true;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** Mapping files, or folders whose `.yml`, `.yaml` and `.ttl` files are mappings. */
  readonly mappings: readonly string[];
  /** The only folders mapping sources may read from. */
  readonly sourceDirs: readonly string[];
  /** Source files read instead of the ones mappings name (absolute → absolute): the full export instead of the sample. */
  readonly sourceOverrides: ReadonlyMap<string, string>;
  readonly vocabularies: string;
  readonly limits: Limits;
  readonly sparql: {
    readonly defaultGraph: 'union' | 'store';
    readonly serviceAllowlist: readonly string[];
    /** Answer the common queries on the store's id indexes; false sends every query to Comunica. */
    readonly fastPath: boolean;
  };
  readonly updateToken: string | undefined;
  readonly writeTokens: readonly ScopedToken[];
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly store: StoreConfig;
  readonly harvest: HarvestConfig;
  readonly ldes: LdesConfig;
  readonly usage: UsageConfig;
}

// --- usage (issue 23) ----------------------------------------------------------------------
/** Counting the use of the datasets (src/usage/). */
export interface UsageConfig {
  /** Count and publish use (default true). */
  readonly enabled: boolean;
  /** User-agent substrings (any case) whose requests are not counted (monitoring probes, the site's own checks). */
  readonly excludeAgents: readonly string[];
  /** How often today's counts are written to the catalog graph (default 60000). */
  readonly publishIntervalMs: number;
}

function usageConfig(raw: Raw, where: string): UsageConfig {
  const usage = section(raw, 'usage', where);
  const at = `${where} usage`;
  checkKeys(usage, ['enabled', 'excludeAgents', 'publishIntervalMs'], at);
  const enabled = usage.enabled ?? true;
  if (typeof enabled !== 'boolean') throw new ConfigError(`${at}: "enabled" must be true or false`);
  return { enabled, excludeAgents: stringList(usage, 'excludeAgents', [], at), publishIntervalMs: integer(usage, 'publishIntervalMs', 60_000, at, { min: 100 }) };
}
// --- end usage -----------------------------------------------------------------------------

/** When `serve` syncs a harvested dataset: every `intervalMs`, or as often as the portal declares the dataset is updated. */
export type HarvestSchedule = { readonly kind: 'interval'; readonly intervalMs: number } | { readonly kind: 'declared' };

export interface HarvestDatasetConfig {
  /** A Socrata dataset URL (`…/d/abcd-1234`, `…/resource/abcd-1234.json`, the portal page). */
  readonly url: string;
  readonly schedule: HarvestSchedule;
}

export interface HarvestConfig {
  /** Hosts (`www.datos.gov.co`, `host:port`) harvests may fetch from, besides those of the configured datasets and of URLs named on the command line. */
  readonly hosts: readonly string[];
  /** The datasets `serve` keeps in sync on its own. */
  readonly datasets: readonly HarvestDatasetConfig[];
  /** The interval of a `declared` schedule whose dataset declares no usable frequency. */
  readonly defaultIntervalMs: number;
  /** Socrata's app token (from `VINCULO_SOCRATA_APP_TOKEN`: secrets stay out of the config file). */
  readonly appToken: string | undefined;
}

export const defaults = {
  host: '127.0.0.1',
  port: 3030,
  dataDir: './var',
  mappings: ['mappings'],
  sourceDirs: ['data'],
  vocabularies: 'vocabularies',
  limits: { queryTimeoutMs: 30_000, maxResultRows: 100_000, maxQueryLength: 100_000, maxBodyBytes: 10 * 1024 * 1024 },
  sparql: { defaultGraph: 'union', serviceAllowlist: [] as string[], fastPath: true },
  logLevel: 'info',
} as const;

/** The vocabularies Vínculo ships (`src/` and `dist/` both sit one level below them). */
const shippedVocabularies = fileURLToPath(new URL('../../vocabularies', import.meta.url));

type Raw = Record<string, unknown>;

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(raw: Raw, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(`${where}: unknown key "${key}" (known keys: ${allowed.join(', ')})`);
    }
  }
}

function string(raw: Raw, key: string, fallback: string, where: string): string {
  const value = raw[key] ?? fallback;
  if (typeof value !== 'string' || value === '') throw new ConfigError(`${where}: "${key}" must be a non-empty string`);
  return value;
}

function integer(raw: Raw, key: string, fallback: number, where: string, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}): number {
  const value = raw[key] ?? fallback;
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw new ConfigError(`${where}: "${key}" must be an integer between ${min} and ${max}, got ${JSON.stringify(value)}`);
  }
  return number;
}

function stringList(raw: Raw, key: string, fallback: readonly string[], where: string): string[] {
  const value = raw[key] ?? fallback;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item !== '')) {
    throw new ConfigError(`${where}: "${key}" must be a list of non-empty strings`);
  }
  return value as string[];
}

function oneOf<T extends string>(raw: Raw, key: string, options: readonly T[], fallback: T, where: string): T {
  const value = raw[key] ?? fallback;
  if (!options.includes(value as T)) throw new ConfigError(`${where}: "${key}" must be one of ${options.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

function section(raw: Raw, key: string, where: string): Raw {
  const value = raw[key] ?? {};
  if (!isObject(value)) throw new ConfigError(`${where}: "${key}" must be an object`);
  return value;
}

function httpUrl(raw: Raw, key: string, where: string, fallback?: string): string {
  const value = raw[key] ?? fallback;
  if (typeof value !== 'string' || !/^https?:\/\/[^\s]+$/.test(value)) {
    throw new ConfigError(`${where}: "${key}" must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  return value;
}

const intervalUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `200ms`, `30s`, `15m`, `1h`, `1d`, `2w` in milliseconds. */
function intervalMs(value: unknown, key: string, where: string, alternative = ''): number {
  const match = typeof value === 'string' ? /^(\d+)(ms|s|m|h|d|w)$/.exec(value.trim()) : null;
  const ms = match ? Number(match[1]) * (intervalUnits[match[2] as string] as number) : 0;
  if (!(ms > 0)) throw new ConfigError(`${where}: "${key}" must be ${alternative}an interval such as "15m", "1h" or "1d" (units ms, s, m, h, d, w), got ${JSON.stringify(value)}`);
  return ms;
}

function harvestConfig(raw: Raw, where: string, env: NodeJS.ProcessEnv): HarvestConfig {
  const harvest = section(raw, 'harvest', where);
  const at = `${where} harvest`;
  checkKeys(harvest, ['hosts', 'datasets', 'defaultSchedule'], at);
  const datasets = harvest.datasets ?? [];
  if (!Array.isArray(datasets)) throw new ConfigError(`${at}: "datasets" must be a list of { "url", "schedule" } objects`);
  return {
    hosts: stringList(harvest, 'hosts', [], at),
    datasets: datasets.map((entry, index): HarvestDatasetConfig => {
      const entryAt = `${at} datasets[${index}]`;
      if (!isObject(entry)) throw new ConfigError(`${entryAt} must be an object with "url" and an optional "schedule"`);
      checkKeys(entry, ['url', 'schedule'], entryAt);
      const schedule = entry.schedule ?? 'declared';
      return { url: httpUrl(entry, 'url', entryAt), schedule: schedule === 'declared' ? { kind: 'declared' } : { kind: 'interval', intervalMs: intervalMs(schedule, 'schedule', entryAt, '"declared" or ') } };
    }),
    defaultIntervalMs: intervalMs(harvest.defaultSchedule ?? '1d', 'defaultSchedule', at),
    appToken: env.VINCULO_SOCRATA_APP_TOKEN || undefined,
  };
}

// --- ldes (src/ldes): the event streams' retention policy -----------------------------------

/**
 * What each event stream's view promises to keep (LDES §Retention policies): the latest
 * `versionAmount` versions of every resource and the whole log of the last `fullLogDuration`
 * (ISO 8601); `"all"`: every member, and no policy is stated.
 */
export type LdesRetention = 'all' | { readonly versionAmount: number; readonly fullLogDuration: string };

export interface LdesConfig {
  readonly retention: LdesRetention;
}

function ldesConfig(raw: Raw, where: string): LdesConfig {
  const ldes = section(raw, 'ldes', where);
  const at = `${where} ldes`;
  checkKeys(ldes, ['retention'], at);
  if (ldes.retention === 'all') return { retention: 'all' };
  const retention = ldes.retention === undefined ? {} : ldes.retention;
  if (!isObject(retention)) throw new ConfigError(`${at}: "retention" must be "all" or { "versionAmount", "fullLogDuration" }`);
  checkKeys(retention, ['versionAmount', 'fullLogDuration'], `${at} retention`);
  const fullLogDuration = string(retention, 'fullLogDuration', 'P30D', `${at} retention`);
  if (!/^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$/.test(fullLogDuration)) {
    throw new ConfigError(`${at} retention: "fullLogDuration" must be an ISO 8601 duration such as "P30D" or "P1Y", got ${JSON.stringify(fullLogDuration)}`);
  }
  return { retention: { versionAmount: integer(retention, 'versionAmount', 1, `${at} retention`), fullLogDuration } };
}
// --- end ldes ----------------------------------------------------------------------------

const storeKeys = ['type', 'maxMemoryBytes', 'queryUrl', 'updateUrl', 'graphStoreUrl', 'user', 'passwordEnv', 'timeoutMs', 'batchSize', 'pollMs'];

function storeConfig(raw: Raw, where: string, env: NodeJS.ProcessEnv): StoreConfig {
  const store = section(raw, 'store', where);
  const at = `${where} store`;
  checkKeys(store, storeKeys, at);
  const type = oneOf(store, 'type', ['embedded', 'sparql'] as const, 'embedded', at);
  if (type === 'embedded') {
    const extra = Object.keys(store).filter((key) => key !== 'type' && key !== 'maxMemoryBytes');
    if (extra.length > 0) throw new ConfigError(`${at}: "${extra[0]}" applies only to "type": "sparql"`);
    return store.maxMemoryBytes === undefined ? { type } : { type, maxMemoryBytes: integer(store, 'maxMemoryBytes', 0, at, { min: 1 << 20 }) };
  }
  if (store.maxMemoryBytes !== undefined) throw new ConfigError(`${at}: "maxMemoryBytes" applies only to "type": "embedded"`);
  const queryUrl = httpUrl(store, 'queryUrl', at);
  const optional = (key: string) => (store[key] === undefined ? undefined : string(store, key, '', at));
  const passwordEnv = optional('passwordEnv');
  const user = optional('user');
  if (passwordEnv !== undefined && user === undefined) throw new ConfigError(`${at}: "passwordEnv" needs "user"`);
  return {
    type,
    queryUrl,
    updateUrl: httpUrl(store, 'updateUrl', at, queryUrl),
    graphStoreUrl: store.graphStoreUrl === undefined ? undefined : httpUrl(store, 'graphStoreUrl', at),
    user,
    passwordEnv,
    password: passwordEnv === undefined ? undefined : env[passwordEnv] || undefined,
    timeoutMs: integer(store, 'timeoutMs', 60_000, at),
    batchSize: store.batchSize === undefined ? undefined : integer(store, 'batchSize', 0, at, { max: 1_000_000 }),
    pollMs: integer(store, 'pollMs', 5000, at, { min: 0 }),
  };
}

function validBaseIRI(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${where}: "baseIRI" must be an absolute http(s) IRI, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${where}: "baseIRI" must use http or https, got ${JSON.stringify(value)}`);
  }
  if (url.search !== '' || url.hash !== '') throw new ConfigError(`${where}: "baseIRI" must not have a query or fragment`);
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** Addresses that mean "this machine": a browser on it reaches the server as `localhost`. */
const localHosts = new Set(['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::']);

/**
 * The base IRI when none is configured: where the server answers, so that `VINCULO_PORT=4100`
 * alone gives IRIs that dereference. A system-chosen port (0) is unknown until the server
 * listens and changes every run, so persistent IRIs keep the default port instead.
 */
function derivedBaseIRI(host: string, port: number, where: string): string {
  const name = localHosts.has(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const derived = `http://${name}:${port === 0 ? defaults.port : port}/`;
  if (!URL.canParse(derived)) throw new ConfigError(`${where}: "host" ${JSON.stringify(host)} cannot name the base IRI; set "baseIRI"`);
  return new URL(derived).href;
}

/** The sample DIVIPOLA file that `VINCULO_DIVIPOLA_SOURCE` replaces with the official export. */
const divipolaSample = 'data/divipola.csv';

function sourceOverridesOf(raw: Raw, env: NodeJS.ProcessEnv, inRoot: (path: string) => string, where: string): Map<string, string> {
  const overrides = section(raw, 'sourceOverrides', where);
  const pairs = Object.entries(overrides).map(([from, to]): [string, string] => {
    if (typeof to !== 'string' || to === '') throw new ConfigError(`${where} sourceOverrides: "${from}" must name a file`);
    return [inRoot(from), inRoot(to)];
  });
  const divipola = env.VINCULO_DIVIPOLA_SOURCE;
  if (divipola) pairs.push([inRoot(divipolaSample), inRoot(divipola)]);
  return new Map(pairs);
}

/**
 * Validates a merged raw configuration (file, then environment, then flags applied on top).
 * @throws ConfigError naming the key and what is wrong with it.
 */
export function validateConfig(raw: unknown, root: string, where: string, env: NodeJS.ProcessEnv): VinculoConfig {
  if (!isObject(raw)) throw new ConfigError(`${where}: the configuration must be a JSON object`);
  const topKeys = ['$schema', 'baseIRI', 'host', 'port', 'dataDir', 'mappings', 'sourceDirs', 'sourceOverrides', 'vocabularies', 'limits', 'sparql', 'updateToken', 'writeTokens', 'logLevel', 'store', 'harvest', 'ldes', 'usage'];
  checkKeys(raw, topKeys, where);
  const limits = section(raw, 'limits', where);
  checkKeys(limits, Object.keys(defaults.limits), `${where} limits`);
  const sparql = section(raw, 'sparql', where);
  checkKeys(sparql, Object.keys(defaults.sparql), `${where} sparql`);
  const inRoot = (path: string) => (isAbsolute(path) ? path : resolve(root, path));

  const serviceAllowlist = stringList(sparql, 'serviceAllowlist', defaults.sparql.serviceAllowlist, `${where} sparql`);
  for (const endpoint of serviceAllowlist) {
    if (!/^https?:\/\//.test(endpoint)) throw new ConfigError(`${where} sparql: "serviceAllowlist" entry is not an http(s) URL: ${endpoint}`);
  }
  const fastPath = sparql.fastPath ?? defaults.sparql.fastPath;
  if (typeof fastPath !== 'boolean') throw new ConfigError(`${where} sparql: "fastPath" must be true or false`);
  const writeTokensRaw = raw.writeTokens ?? [];
  if (!Array.isArray(writeTokensRaw)) throw new ConfigError(`${where}: "writeTokens" must be a list`);
  const writeTokens = writeTokensRaw.map((entry, index): ScopedToken => {
    const at = `${where} writeTokens[${index}]`;
    if (!isObject(entry)) throw new ConfigError(`${at} must be an object`);
    checkKeys(entry, ['tokenEnv', 'datasets'], at);
    const tokenEnv = string(entry, 'tokenEnv', '', at);
    return { tokenEnv, token: env[tokenEnv] || undefined, datasets: stringList(entry, 'datasets', [], at) };
  });
  const updateToken = raw.updateToken;
  if (updateToken !== undefined && (typeof updateToken !== 'string' || updateToken.length < 16)) {
    throw new ConfigError(`${where}: "updateToken" must be a string of at least 16 characters`);
  }

  const host = string(raw, 'host', defaults.host, where);
  // Port 0 asks the system for a free port (tests, several instances on one host).
  const port = integer(raw, 'port', defaults.port, where, { min: 0, max: 65_535 });
  return {
    baseIRI: raw.baseIRI === undefined ? derivedBaseIRI(host, port, where) : validBaseIRI(string(raw, 'baseIRI', '', where), where),
    ...(raw.baseIRI === undefined ? { baseIRIDerived: true as const } : {}),
    host,
    port,
    dataDir: inRoot(string(raw, 'dataDir', defaults.dataDir, where)),
    // A folder with no configuration (a mapping and its CSV, as RMLMapper users start) can still
    // be served: default folders it lacks mean no configured mappings and the shipped vocabularies.
    mappings: raw.mappings === undefined ? defaults.mappings.map(inRoot).filter((path) => existsSync(path)) : stringList(raw, 'mappings', defaults.mappings, where).map(inRoot),
    sourceDirs: stringList(raw, 'sourceDirs', defaults.sourceDirs, where).map(inRoot),
    sourceOverrides: sourceOverridesOf(raw, env, inRoot, where),
    vocabularies: raw.vocabularies === undefined && !existsSync(inRoot(defaults.vocabularies)) ? shippedVocabularies : inRoot(string(raw, 'vocabularies', defaults.vocabularies, where)),
    limits: {
      queryTimeoutMs: integer(limits, 'queryTimeoutMs', defaults.limits.queryTimeoutMs, `${where} limits`),
      maxResultRows: integer(limits, 'maxResultRows', defaults.limits.maxResultRows, `${where} limits`),
      maxQueryLength: integer(limits, 'maxQueryLength', defaults.limits.maxQueryLength, `${where} limits`),
      maxBodyBytes: integer(limits, 'maxBodyBytes', defaults.limits.maxBodyBytes, `${where} limits`),
    },
    sparql: {
      defaultGraph: oneOf(sparql, 'defaultGraph', ['union', 'store'] as const, defaults.sparql.defaultGraph, `${where} sparql`),
      serviceAllowlist,
      fastPath,
    },
    updateToken: updateToken as string | undefined,
    writeTokens,
    logLevel: oneOf(raw, 'logLevel', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, defaults.logLevel, where),
    store: storeConfig(raw, where, env),
    harvest: harvestConfig(raw, where, env),
    ldes: ldesConfig(raw, where),
    usage: usageConfig(raw, where),
  };
}
