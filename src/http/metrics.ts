/** Prometheus metrics at `/metrics` (text exposition format 0.0.4): requests, query times, timeouts, store size, imports, harvests. */
import { type ErrorRequestHandler, type RequestHandler, Router } from 'express';
import { QueryTimeout } from '../errors/index.js';
import type { HarvestObserver, HarvestRun } from '../harvest/index.js';
import type { PublishObserver } from '../publish/index.js';
import type { VinculoStore } from '../store/index.js';
import { requestStart } from './request-log.js';

// Route labels come from a fixed list so that hostile or crawled paths cannot grow the series without bound.
const knownRoutes = new Set([
  'sparql',
  'graph-store',
  'fragments',
  'id',
  'doc',
  'def',
  'kos',
  'dataset',
  'graph',
  'dumps',
  'catalog',
  'health',
  'metrics',
  '.well-known',
  'sitemap.xml',
  'robots.txt',
  'search',
  'static',
  'yasgui',
  'harvest',
]);

/** Upper bounds (seconds) of the query-time histogram buckets. */
export const queryTimeBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;

/** The route label of a path: `/` plus its first segment when that is one of ours, else `other`. */
export function routeOf(path: string): string {
  if (path === '/' || path === '') return '/';
  const first = path.split('/')[1] ?? '';
  return knownRoutes.has(first) ? `/${first}` : 'other';
}

// Backslashes, double quotes and newlines are the only characters the format escapes in label values.
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(pairs: Record<string, string>): string {
  const inner = Object.entries(pairs)
    .map(([name, value]) => `${name}="${escapeLabel(value)}"`)
    .join(',');
  return inner === '' ? '' : `{${inner}}`;
}

interface ImportCounts {
  runs: number;
  failures: number;
}


/** What a representation cache reports (see `representation-cache.ts`). */
export interface CacheCounters {
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
  readonly bytes: number;
  readonly maxBytes: number;
  readonly entries: number;
  /** Request keys that lead to an entry without negotiation (each counted in its entry's bytes). */
  readonly aliases: number;
}

// The linked-data router owns its cache and the metrics router only sees the store: the store joins them.
const cacheCounters = new WeakMap<object, () => CacheCounters>();

/** Makes `counters` part of the `/metrics` of every app over `store`. */
export function reportCacheFigures(store: object, counters: () => CacheCounters): void {
  cacheCounters.set(store, counters);
}

function cacheLines(counters: CacheCounters): string[] {
  const series: Array<[string, string, string, number]> = [
    ['vinculo_representation_cache_hits_total', 'counter', 'Requests answered from the representation cache.', counters.hits],
    ['vinculo_representation_cache_misses_total', 'counter', 'Cacheable requests the representation cache could not answer.', counters.misses],
    ['vinculo_representation_cache_evictions_total', 'counter', 'Representations dropped to stay within the byte bound.', counters.evictions],
    ['vinculo_representation_cache_bytes', 'gauge', 'Bytes the representation cache holds.', counters.bytes],
    ['vinculo_representation_cache_max_bytes', 'gauge', 'The byte bound of the representation cache.', counters.maxBytes],
    ['vinculo_representation_cache_entries', 'gauge', 'Representations the cache holds.', counters.entries],
    ['vinculo_representation_cache_aliases', 'gauge', 'Request keys that lead to a cached representation.', counters.aliases],
  ];
  return series.flatMap(([name, type, help, value]) => [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`]);
}

/** Upper bounds (seconds) of the harvest-duration histogram: a sync of a few rows to a full harvest of a large dataset. */
export const harvestTimeBuckets = [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600] as const;

/** The harvest series of one registry, by the portal's 4x4 id. */
interface HarvestCounts {
  readonly syncs: Map<string, number>;
  readonly rows: Map<string, number>;
  readonly lastSuccess: Map<string, number>;
  readonly durationBuckets: number[];
  durationCount: number;
  durationSum: number;
  /** Set once a scheduler counts here: from then on the series are listed, at zero before the first run. */
  reported: boolean;
}

function harvestLines(counts: HarvestCounts): string[] {
  const keyed = (map: Map<string, number>, name: string, labelNames: readonly string[]) =>
    [...map].sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => `${name}${labels(Object.fromEntries(key.split('\u0000').map((part, index) => [labelNames[index] ?? '', part])))} ${value}`);
  return [
    '# HELP vinculo_harvest_syncs_total Harvest runs, by dataset (portal id) and outcome (full, sync, unchanged, failed).',
    '# TYPE vinculo_harvest_syncs_total counter',
    ...keyed(counts.syncs, 'vinculo_harvest_syncs_total', ['dataset', 'outcome']),
    '# HELP vinculo_harvest_rows_total Rows harvests added, changed and deleted, by dataset (portal id).',
    '# TYPE vinculo_harvest_rows_total counter',
    ...keyed(counts.rows, 'vinculo_harvest_rows_total', ['dataset', 'change']),
    '# HELP vinculo_harvest_last_success_timestamp_seconds When the dataset last harvested without error (Unix time).',
    '# TYPE vinculo_harvest_last_success_timestamp_seconds gauge',
    ...keyed(counts.lastSuccess, 'vinculo_harvest_last_success_timestamp_seconds', ['dataset']),
    '# HELP vinculo_harvest_duration_seconds Time a harvest run took, failed ones included.',
    '# TYPE vinculo_harvest_duration_seconds histogram',
    ...harvestTimeBuckets.map((bound, index) => `vinculo_harvest_duration_seconds_bucket${labels({ le: String(bound) })} ${counts.durationBuckets[index] ?? 0}`),
    `vinculo_harvest_duration_seconds_bucket${labels({ le: '+Inf' })} ${counts.durationCount}`,
    `vinculo_harvest_duration_seconds_sum ${counts.durationSum}`,
    `vinculo_harvest_duration_seconds_count ${counts.durationCount}`,
  ];
}

/** Counters and the query-time histogram of one app; `render` writes them in the text format. */
export class MetricsRegistry {
  private readonly requests = new Map<string, number>();
  private readonly queryBuckets = queryTimeBuckets.map(() => 0);
  private queryCount = 0;
  private querySum = 0;
  private timeoutCount = 0;
  private readonly harvests: HarvestCounts = { syncs: new Map(), rows: new Map(), lastSuccess: new Map(), durationBuckets: harvestTimeBuckets.map(() => 0), durationCount: 0, durationSum: 0, reported: false };

  /** Runs of the import pipeline (`src/publish/`) by dataset, told through `importObserver()`. */
  private readonly imports = new Map<string, ImportCounts>();

  /** The observer `serve` hands the publish layer, counting its runs (skipped, unchanged imports are not runs). */
  importObserver(): PublishObserver {
    return {
      importFinished: ({ datasetId, failed }) => {
        const key = datasetId === '' ? 'unknown' : datasetId;
        const counts = this.imports.get(key) ?? { runs: 0, failures: 0 };
        counts.runs += 1;
        if (failed) counts.failures += 1;
        this.imports.set(key, counts);
      },
    };
  }

  /** Counts one finished request. */
  observeRequest(method: string, route: string, status: number): void {
    const key = `${method}\u0000${route}\u0000${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  /** Adds one SPARQL request's duration to the histogram. */
  observeQuery(seconds: number): void {
    this.queryCount += 1;
    this.querySum += seconds;
    queryTimeBuckets.forEach((bound, index) => {
      if (seconds <= bound) this.queryBuckets[index] = (this.queryBuckets[index] ?? 0) + 1;
    });
  }

  /** Counts one query stopped by the timeout. */
  observeTimeout(): void {
    this.timeoutCount += 1;
  }

  /** Counts one harvest run (scheduled or asked for). */
  observeHarvest(run: HarvestRun): void {
    const { syncs, rows, lastSuccess, durationBuckets } = this.harvests;
    this.harvests.reported = true;
    const add = (map: Map<string, number>, key: string, amount: number) => map.set(key, (map.get(key) ?? 0) + amount);
    add(syncs, `${run.socrataId}\u0000${run.outcome}`, 1);
    for (const [change, amount] of [['added', run.rowsAdded], ['changed', run.rowsChanged], ['deleted', run.rowsDeleted]] as const) add(rows, `${run.socrataId}\u0000${change}`, amount);
    if (run.outcome !== 'failed') lastSuccess.set(run.socrataId, Math.floor(run.finishedAt.getTime() / 1000));
    this.harvests.durationCount += 1;
    this.harvests.durationSum += run.durationSeconds;
    harvestTimeBuckets.forEach((bound, index) => {
      if (run.durationSeconds <= bound) durationBuckets[index] = (durationBuckets[index] ?? 0) + 1;
    });
  }

  /** The observer a harvest scheduler counts into this registry through. */
  harvestObserver(): HarvestObserver {
    this.harvests.reported = true;
    return { harvestFinished: (run) => this.observeHarvest(run) };
  }

  /** The exposition text, with the store's per-dataset sizes read now. */
  render(store: Pick<VinculoStore, 'listDatasets' | 'countQuads' | 'version'>): string {
    const lines: string[] = [];
    lines.push('# HELP vinculo_http_requests_total HTTP requests answered, by method, route and status.');
    lines.push('# TYPE vinculo_http_requests_total counter');
    for (const [key, count] of [...this.requests].sort(([a], [b]) => a.localeCompare(b))) {
      const [method = '', route = '', status = ''] = key.split('\u0000');
      lines.push(`vinculo_http_requests_total${labels({ method, route, status })} ${count}`);
    }
    lines.push('# HELP vinculo_sparql_request_duration_seconds Time to answer a /sparql request.');
    lines.push('# TYPE vinculo_sparql_request_duration_seconds histogram');
    queryTimeBuckets.forEach((bound, index) => {
      lines.push(`vinculo_sparql_request_duration_seconds_bucket${labels({ le: String(bound) })} ${this.queryBuckets[index] ?? 0}`);
    });
    lines.push(`vinculo_sparql_request_duration_seconds_bucket${labels({ le: '+Inf' })} ${this.queryCount}`);
    lines.push(`vinculo_sparql_request_duration_seconds_sum ${this.querySum}`);
    lines.push(`vinculo_sparql_request_duration_seconds_count ${this.queryCount}`);
    lines.push('# HELP vinculo_sparql_timeouts_total Queries stopped by the query timeout.');
    lines.push('# TYPE vinculo_sparql_timeouts_total counter');
    lines.push(`vinculo_sparql_timeouts_total ${this.timeoutCount}`);
    lines.push('# HELP vinculo_store_quads Quads in the store, by dataset (named graph).');
    lines.push('# TYPE vinculo_store_quads gauge');
    for (const dataset of store.listDatasets()) lines.push(`vinculo_store_quads${labels({ dataset: dataset.id })} ${dataset.quads}`);
    lines.push('# HELP vinculo_store_quads_total Quads in the whole store, every graph included.');
    lines.push('# TYPE vinculo_store_quads_total gauge');
    lines.push(`vinculo_store_quads_total ${store.countQuads()}`);
    lines.push('# HELP vinculo_store_version Version of the store (grows with every write).');
    lines.push('# TYPE vinculo_store_version gauge');
    lines.push(`vinculo_store_version ${store.version}`);
    lines.push('# HELP vinculo_import_runs_total Runs of the import pipeline, by dataset.');
    lines.push('# TYPE vinculo_import_runs_total counter');
    for (const [dataset, counts] of this.imports) lines.push(`vinculo_import_runs_total${labels({ dataset })} ${counts.runs}`);
    lines.push('# HELP vinculo_import_failures_total Failed runs of the import pipeline, by dataset.');
    lines.push('# TYPE vinculo_import_failures_total counter');
    for (const [dataset, counts] of this.imports) lines.push(`vinculo_import_failures_total${labels({ dataset })} ${counts.failures}`);
    const cache = cacheCounters.get(store)?.();
    if (cache) lines.push(...cacheLines(cache));
    if (this.harvests.reported) lines.push(...harvestLines(this.harvests));
    return `${lines.join('\n')}\n`;
  }
}

// The collector leaves its registry here so the error tap, mounted after the routes, counts into the same one.
const registryLocal = 'vinculoMetrics';

/** Middleware counting every request when its response finishes (and timing `/sparql` from when the outermost handler took it). */
export function metricsCollector(registry: MetricsRegistry): RequestHandler {
  return (request, response, next) => {
    const started = requestStart(request);
    const route = routeOf(request.path);
    response.locals[registryLocal] = registry;
    response.on('finish', () => {
      registry.observeRequest(request.method, route, response.statusCode);
      if (route === '/sparql') registry.observeQuery(Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}

/**
 * Error middleware that only looks: counts query timeouts into the request's registry, then passes
 * the error on to the error handler. Mount it after the routes, before `errorHandler`.
 */
export const metricsErrorTap: ErrorRequestHandler = (error: unknown, _request, response, next) => {
  const registry: unknown = response.locals[registryLocal];
  if (error instanceof QueryTimeout && registry instanceof MetricsRegistry) registry.observeTimeout();
  next(error);
};

/**
 * The collector and `GET /metrics` (Prometheus text format) over one new registry. Mount it first,
 * so every request is counted.
 */
export function metrics({ store, registry = new MetricsRegistry() }: { store: VinculoStore; registry?: MetricsRegistry }): Router {
  const router = Router();
  router.use(metricsCollector(registry));
  router.get('/metrics', (_request, response) => {
    response.setHeader('Cache-Control', 'no-store');
    response.type('text/plain; version=0.0.4; charset=utf-8').send(registry.render(store));
  });
  return router;
}
