/**
 * The harvests `serve` runs on its own: each configured dataset on its interval (or the portal's
 * declared frequency), one harvest at a time through the server's store, with jitter, back-off
 * after failures, and a durable record of each dataset's last sync and last error.
 */
import { frequencyOf } from '../catalog/index.js';
import type { HarvestSchedule, VinculoConfig } from '../config/index.js';
import { ConfigError, VinculoError } from '../errors/index.js';
import type { VinculoStore } from '../store/index.js';
import { type HarvestResult, harvestDataset } from './harvest-dataset.js';
import { type DatasetLocation, datasetLocation, SocrataClient, type SocrataClientOptions } from './socrata-client.js';
import { type HarvestDatasetStatus, type HarvestObserver, type HarvestRecord, intervalText, publicMessage, readHarvestRecord, writeHarvestRecord } from './status.js';

/**
 * A client for harvests under `config`: it may reach the configured hosts, the hosts of the
 * configured datasets and those of `urls` (named by the user for this run), nothing else.
 */
export function harvestClient(config: VinculoConfig, urls: readonly string[], options: Omit<SocrataClientOptions, 'allowedHosts' | 'appToken'> = {}): SocrataClient {
  const named = [...config.harvest.datasets.map((dataset) => dataset.url), ...urls].map((url) => new URL(url).host);
  return new SocrataClient({ allowedHosts: [...new Set([...config.harvest.hosts, ...named])], appToken: config.harvest.appToken, ...options });
}

export interface HarvestSchedulerOptions {
  readonly config: VinculoConfig;
  /** The store the server serves: scheduled syncs write through it, so they never contend for the data directory. */
  readonly store: VinculoStore;
  readonly client: SocrataClient;
  readonly observer?: HarvestObserver;
  /** Progress lines of the harvests. */
  readonly say: (message: string) => void;
  /** Failures (the dataset's previous version stays published). */
  readonly warn: (message: string) => void;
  readonly pageSize?: number;
  /** Uniform in [0, 1): spreads the runs (tests may fix it). */
  readonly random?: () => number;
}

export interface HarvestNowOptions {
  readonly full?: boolean;
  readonly pageSize?: number;
  /** Another client (one that may also reach the host of a URL the user named). */
  readonly client?: SocrataClient;
  readonly say?: (message: string) => void;
}

interface ScheduledDataset {
  readonly url: string;
  readonly location: DatasetLocation;
  readonly schedule: HarvestSchedule;
  record: HarvestRecord;
  nextSyncAt?: number;
  timer?: NodeJS.Timeout;
  /** Waiting in the queue or running: a timer that fires meanwhile adds nothing. */
  queued: boolean;
  running: boolean;
}

/** Each run is delayed by up to this share of its interval, so that datasets on one interval do not all hit the portal at once. */
const jitterShare = 0.1;
/** The first retry after a failure waits at most this long; each further failure doubles the wait. */
const firstRetryMs = 5 * 60_000;
/** Retries back off up to this, or the dataset's interval when that is longer. */
const longestRetryMs = 6 * 3_600_000;
/** `setTimeout` takes at most 2^31 − 1 ms (24.8 days); longer waits are chained. */
const longestTimerMs = 2 ** 31 - 1;

/**
 * The wait before a dataset's next run: its interval after a success; after the n-th failure in a
 * row a back-off from min(interval, 5 min) that doubles each time, up to the interval or 6 h,
 * whichever is longer; each stretched by up to 10 % (`random` in [0, 1)).
 */
export function nextDelay(intervalMs: number, failuresInARow: number, random: number): number {
  const base = failuresInARow === 0 ? intervalMs : Math.min(Math.min(intervalMs, firstRetryMs) * 2 ** (failuresInARow - 1), Math.max(intervalMs, longestRetryMs));
  return base * (1 + jitterShare * random);
}

/** The declared update frequency of the dataset's view metadata (datos.gov.co's "Información de Datos" custom fields). */
async function declaredFrequency(client: SocrataClient, location: DatasetLocation): Promise<{ word?: string; intervalMs?: number }> {
  const view = await client.view(location);
  const word = view.metadata?.custom_fields?.['Información de Datos']?.['Frecuencia de Actualización'];
  const days = word === undefined ? undefined : frequencyOf(word)?.days;
  return { word, intervalMs: days === undefined ? undefined : days * 86_400_000 };
}

/** A harvest asked of a scheduler that is closing. */
export class HarvestsStopped extends VinculoError {
  override readonly code = 'harvests-stopped';
  override readonly status = 503;
}

const sameDataset = (a: DatasetLocation, b: DatasetLocation): boolean => a.id === b.id && a.origin === b.origin;

export class HarvestScheduler {
  readonly #options: HarvestSchedulerOptions;
  readonly #datasets: ScheduledDataset[];
  readonly #random: () => number;
  /** Every harvest, scheduled or asked for, runs after the previous one: never two at once. */
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  /** @throws ConfigError for a configured URL that names no Socrata dataset, or two that name the same one. */
  constructor(options: HarvestSchedulerOptions) {
    this.#options = options;
    this.#random = options.random ?? Math.random;
    this.#datasets = options.config.harvest.datasets.map((dataset, index) => {
      let location: DatasetLocation;
      try {
        location = datasetLocation(dataset.url);
      } catch (error) {
        throw new ConfigError(`harvest.datasets[${index}]: ${(error as Error).message}`);
      }
      return { url: dataset.url, location, schedule: dataset.schedule, record: { failuresInARow: 0 }, queued: false, running: false };
    });
    const ids = this.#datasets.map((dataset) => dataset.location.id);
    const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
    if (repeated) throw new ConfigError(`harvest.datasets: the dataset ${repeated} is configured twice`);
  }

  /** Reads each dataset's record and schedules its next sync: now for one never harvested, else one interval after its last run. */
  async start(): Promise<void> {
    for (const dataset of this.#datasets) {
      dataset.record = await readHarvestRecord(this.#options.config.dataDir, dataset.location.id);
      const lastRun = [dataset.record.lastSync?.finishedAt, dataset.record.lastError?.at].filter((time): time is string => time !== undefined).sort().pop();
      this.#arm(dataset, lastRun === undefined ? Date.now() : Date.parse(lastRun) + this.#delayAfter(dataset));
    }
  }

  /** Each configured dataset's state, in configuration order. */
  status(): HarvestDatasetStatus[] {
    return this.#datasets.map((dataset) => ({
      ...dataset.record,
      url: dataset.url,
      socrataId: dataset.location.id,
      schedule: dataset.schedule.kind === 'declared' ? 'declared' : intervalText(dataset.schedule.intervalMs),
      intervalMs: this.#intervalOf(dataset),
      nextSyncAt: dataset.nextSyncAt === undefined ? undefined : new Date(dataset.nextSyncAt).toISOString(),
      running: dataset.running,
    }));
  }

  /**
   * Harvests `url` now, after whatever harvest is running (for `vinculo harvest` through the
   * server). A configured dataset's record and schedule follow, as after a scheduled sync.
   * @throws HarvestsStopped once the scheduler is closing; the harvest's own errors.
   */
  harvestNow(url: string, options: HarvestNowOptions = {}): Promise<HarvestResult> {
    const location = datasetLocation(url);
    const configured = this.#datasets.find((dataset) => sameDataset(dataset.location, location));
    if (configured) {
      clearTimeout(configured.timer);
      configured.queued = true;
    }
    return this.#enqueue(() => this.#run(url, location, configured, options));
  }

  /** Stops scheduling: pending timers are cleared at once; a harvest under way finishes (a failure keeps the previous version anyway). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const dataset of this.#datasets) {
      clearTimeout(dataset.timer);
      dataset.nextSyncAt = undefined;
    }
    await this.#queue.catch(() => undefined);
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(() => {
      if (this.#closed) throw new HarvestsStopped('the server is stopping: no more harvests');
      return task();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #intervalOf(dataset: ScheduledDataset): number {
    if (dataset.schedule.kind === 'interval') return dataset.schedule.intervalMs;
    return dataset.record.declaredIntervalMs ?? this.#options.config.harvest.defaultIntervalMs;
  }

  #delayAfter(dataset: ScheduledDataset): number {
    return nextDelay(this.#intervalOf(dataset), dataset.record.failuresInARow, this.#random());
  }

  #arm(dataset: ScheduledDataset, at: number): void {
    if (this.#closed) return;
    clearTimeout(dataset.timer);
    dataset.nextSyncAt = at;
    const wait = Math.max(0, Math.min(at - Date.now(), longestTimerMs));
    dataset.timer = setTimeout(() => {
      dataset.timer = undefined;
      if (Date.now() < at) return this.#arm(dataset, at);
      if (dataset.queued) return;
      dataset.queued = true;
      // A failure is recorded and logged by the run itself.
      this.#enqueue(() => this.#run(dataset.url, dataset.location, dataset, {})).catch(() => undefined);
    }, wait);
    // A pending sync never keeps the process alive: stopping the server is enough to exit.
    dataset.timer.unref();
  }

  async #run(url: string, location: DatasetLocation, dataset: ScheduledDataset | undefined, options: HarvestNowOptions): Promise<HarvestResult> {
    const { config, store, observer, warn } = this.#options;
    const client = options.client ?? this.#options.client;
    const started = new Date();
    if (dataset) dataset.running = true;
    observer?.harvestStarted?.(location.id);
    try {
      const result = await harvestDataset(url, { config, store, client, say: options.say ?? this.#options.say, pageSize: options.pageSize ?? this.#options.pageSize, full: options.full });
      const finished = new Date();
      const durationMs = finished.getTime() - started.getTime();
      observer?.harvestFinished({ socrataId: location.id, outcome: result.kind, rowsAdded: result.rowsAdded, rowsChanged: result.rowsChanged, rowsDeleted: result.rowsDeleted, durationSeconds: durationMs / 1000, finishedAt: finished });
      if (dataset) {
        const { kind, datasetId, rowsAdded, rowsChanged, rowsDeleted } = result;
        const declared = dataset.schedule.kind === 'declared' ? await this.#declared(dataset, client) : {};
        await this.#record(dataset, { ...dataset.record, ...declared, failuresInARow: 0, lastSync: { datasetId, kind, startedAt: started.toISOString(), finishedAt: finished.toISOString(), durationMs, rowsAdded, rowsChanged, rowsDeleted } });
      }
      return result;
    } catch (error) {
      const finished = new Date();
      observer?.harvestFinished({ socrataId: location.id, outcome: 'failed', rowsAdded: 0, rowsChanged: 0, rowsDeleted: 0, durationSeconds: (finished.getTime() - started.getTime()) / 1000, finishedAt: finished });
      const message = publicMessage(error, [config.harvest.appToken]);
      warn(`${url}: harvest failed, the previous version stays published: ${message}`);
      if (dataset) await this.#record(dataset, { ...dataset.record, failuresInARow: dataset.record.failuresInARow + 1, lastError: { at: finished.toISOString(), message } });
      throw error;
    } finally {
      if (dataset) {
        dataset.running = false;
        dataset.queued = false;
        this.#arm(dataset, Date.now() + this.#delayAfter(dataset));
      }
    }
  }

  /** The declared frequency, read again (portals change it); when the view cannot be read, the one known before. */
  async #declared(dataset: ScheduledDataset, client: SocrataClient): Promise<Pick<HarvestRecord, 'declaredFrequency' | 'declaredIntervalMs'>> {
    try {
      const { word, intervalMs } = await declaredFrequency(client, dataset.location);
      return { declaredFrequency: word, declaredIntervalMs: intervalMs };
    } catch (error) {
      this.#options.warn(`${dataset.url}: the declared update frequency could not be read (${publicMessage(error, [this.#options.config.harvest.appToken])}); keeping ${intervalText(this.#intervalOf(dataset))}`);
      return {};
    }
  }

  async #record(dataset: ScheduledDataset, record: HarvestRecord): Promise<void> {
    dataset.record = record;
    try {
      await writeHarvestRecord(this.#options.config.dataDir, dataset.location.id, record);
    } catch (error) {
      this.#options.warn(`${dataset.url}: the harvest status could not be written: ${(error as Error).message}`);
    }
  }
}
