/**
 * The usage counter `serve` hands the HTTP layer: it wraps the server's request listener (so the
 * representation cache's answers, given before Express, are counted too), counts each finished
 * response per dataset and UTC day, journals the counts every second and publishes them in the
 * catalog graph every `publishIntervalMs`, each finished day once more for good.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import type { QueryResult } from '../sparql/index.js';
import type { VinculoStore } from '../store/index.js';
import { Attribution } from './attribution.js';
import { ClientHasher, declinesTracking } from './client-hash.js';
import { writeUsage, type UsageEntry } from './publish-usage.js';
import { harvesterAgents, hitOf, type QueryFacts } from './request-hits.js';
import { type DayUsage, UsageBook } from './usage-book.js';
import type { ClientHash } from './hyperloglog.js';
import { UsageJournal } from './usage-journal.js';
import { counterSlot, type SlotCounts } from './usage-metrics.js';

/** What the HTTP layer is given: a listener wrapper and the SPARQL protocol's hook. */
export interface UsageObserver {
  /** `handler` with every response it finishes counted. */
  wrap(handler: RequestListener): RequestListener;
  /**
   * Tells the counter of a query the protocol is answering; the result it returns counts the rows
   * as they are sent. The text stays in memory: it is never written.
   */
  countQuery(request: IncomingMessage, query: Omit<QueryFacts, 'rows'>, result: QueryResult): QueryResult;
  /**
   * Counts an answer the representation cache gave from `entry`; `wrap` then leaves that response
   * alone. What the entry's answers count is worked out on its first one of the day and kept on it.
   */
  countCachedAnswer(request: IncomingMessage, response: ServerResponse, entry: TalliedAnswer): void;
}

/**
 * What a cached representation's answers count, for the URL, day and kind of client it was worked
 * out for: a crawler's hit from the cache is counted from the entry it was answered from, with no
 * lookup of its path (looked up between two answers, the counting's code and data were cold, and
 * a hit cost 5.7 µs where the same count repeated at once cost 1.3 µs).
 */
export interface AnswerTally {
  readonly url: string;
  readonly day: string;
  readonly harvester: boolean;
  readonly counts: SlotCounts;
  /** The day's usage of each dataset the answer counts for (none when it counts as nothing). */
  readonly usages: readonly DayUsage[];
}

/** A cache entry as the counter sees it: a slot for its tally. */
export interface TalliedAnswer {
  usageTally?: AnswerTally;
}

export interface UsageCounterOptions {
  readonly store: VinculoStore;
  readonly baseIRI: string;
  /** The journal goes to `{dataDir}/usage/`. */
  readonly dataDir: string;
  readonly defaultGraph: 'union' | 'store';
  /** User-agent substrings (any case) whose requests are not counted at all. */
  readonly excludeAgents: readonly string[];
  readonly publishIntervalMs: number;
  readonly warn: (message: string, error?: unknown) => void;
  /** How often counts are appended to the journal and fsync'd (1 s unless said). */
  readonly flushIntervalMs?: number;
  /** The clock (tests move it to another day). */
  readonly now?: () => number;
}

const dayMs = 86_400_000;

const harvestCounts: SlotCounts = [counterSlot.portalHarvests, 1];

/**
 * What the counter knows of a connection: its requests all send the same user agent, so it is
 * classified once; its client is hashed once a day. Nothing outlives the connection.
 */
interface Connection {
  readonly agent: string;
  readonly excluded: boolean;
  readonly harvester: boolean;
  /** The day `hash` was made with that day's key. */
  hashDay: string;
  hash: ClientHash | undefined;
  /** The usages its client was last recognised in: a crawl of one dataset's documents adds its hash to the sketch once. */
  recognisedIn: readonly DayUsage[] | undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class UsageCounter implements UsageObserver {
  readonly #options: UsageCounterOptions;
  readonly #now: () => number;
  readonly #book = new UsageBook();
  readonly #journal: UsageJournal;
  /** What `hitOf` reads a path against (one object, not one per request). */
  readonly #site: { readonly attribution: Attribution; readonly baseIRI: string };
  readonly #hasher = new ClientHasher();
  readonly #excluded: RegExp | undefined;
  readonly #queries = new WeakMap<IncomingMessage, QueryFacts>();
  /** Per connection, never per address: nothing is kept once the connection is gone. */
  readonly #connections = new WeakMap<Socket, Connection>();
  /** Today's usage of each list of datasets a hit named (the attribution interns its lists: one array per combination). */
  #usagesToday = new WeakMap<readonly string[], readonly DayUsage[]>();
  #usagesDay = '';
  /** The revision of each day's usage last written to the catalog. */
  readonly #published = new WeakMap<DayUsage, number>();
  readonly #timers: NodeJS.Timeout[] = [];
  #day = '';
  #dayEnds = 0;
  #publishing: Promise<void> | undefined;
  #closed = false;
  /** The response `countCachedAnswer` counted while the wrapped handler ran: `wrap` does not count it again. */
  #countedAnswer: ServerResponse | undefined;

  private constructor(options: UsageCounterOptions, journal: UsageJournal) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#journal = journal;
    this.#site = { attribution: new Attribution(options.store, options), baseIRI: options.baseIRI };
    const agents = options.excludeAgents.filter((agent) => agent !== '');
    this.#excluded = agents.length === 0 ? undefined : new RegExp(agents.map(escapeRegExp).join('|'), 'i');
  }

  /**
   * Replays and compacts the journal, publishes what it held (finished days for good), and
   * starts the flush and publish timers.
   * @throws StorageError when the journal cannot be read or written.
   */
  static async open(options: UsageCounterOptions): Promise<UsageCounter> {
    const { journal, records } = await UsageJournal.open(join(options.dataDir, 'usage'), options.warn);
    const counter = new UsageCounter(options, journal);
    counter.#book.replay(records);
    await journal.rewrite(counter.#book.wholeRecords());
    await counter.publish();
    const every = (ms: number, work: () => Promise<void>) => {
      const timer = setInterval(() => {
        work().catch((error: unknown) => options.warn('usage counting could not save its counts', error));
      }, ms);
      timer.unref();
      counter.#timers.push(timer);
    };
    every(options.flushIntervalMs ?? 1000, () => counter.flush());
    every(options.publishIntervalMs, () => counter.publish());
    return counter;
  }

  wrap(handler: RequestListener): RequestListener {
    return (request: IncomingMessage, response: ServerResponse) => {
      handler(request, response);
      if (this.#countedAnswer === response) {
        this.#countedAnswer = undefined;
        return;
      }
      // A cached answer is complete by now: counted at once, without a listener. Otherwise on
      // 'close', once its status went out: a client that has a Content-Length body closes the
      // connection before the server's end(), and then 'finish' never comes.
      if (response.writableEnded) this.#count(request, response);
      else response.once('close', () => response.headersSent && this.#count(request, response));
    };
  }

  countQuery(request: IncomingMessage, query: Omit<QueryFacts, 'rows'>, result: QueryResult): QueryResult {
    const facts: QueryFacts = { ...query, rows: 0 };
    this.#queries.set(request, facts);
    if (result.type === 'boolean') return result;
    const truncated = () => result.truncated();
    if (result.type === 'bindings') return { type: 'bindings', variables: result.variables, bindings: countRows(result.bindings, facts), truncated };
    return { type: 'quads', quads: countRows(result.quads, facts), truncated };
  }

  countCachedAnswer(request: IncomingMessage, response: ServerResponse, entry: TalliedAnswer): void {
    this.#countedAnswer = response;
    // A HEAD counts as nothing, and must not leave a tally of nothing for the GETs.
    if (this.#closed || request.method !== 'GET') return;
    const connection = this.#connectionOf(request);
    if (connection.excluded) return;
    const day = this.#today();
    const url = request.url ?? '/';
    let tally = entry.usageTally;
    if (tally === undefined || tally.day !== day || tally.harvester !== connection.harvester || tally.url !== url) {
      const hit = hitOf(request, response, this.#site, this.#queries, connection.harvester);
      tally = { url, day, harvester: connection.harvester, counts: hit?.counts ?? [], usages: hit ? this.#usagesOn(day, hit.datasets) : [] };
      entry.usageTally = tally;
    }
    this.#add(tally.usages, tally.counts, connection, request, day);
  }

  /** Appends the counts since the last flush to the journal and fsyncs it. @throws StorageError. */
  async flush(): Promise<void> {
    await this.#journal.append(this.#book.takeChanges());
  }

  /**
   * Writes every day whose counts changed since it was last written to the catalog graph; then
   * days before today are published for good: marked in the journal, forgotten, the journal compacted.
   * @throws StorageError when the store or the journal cannot be written.
   */
  publish(): Promise<void> {
    this.#publishing ??= this.#publishOnce().finally(() => {
      this.#publishing = undefined;
    });
    return this.#publishing;
  }

  /** Stops the timers, publishes and flushes what is left, closes the journal. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    await this.publish();
    await this.flush();
    await this.#journal.close();
  }

  async #publishOnce(): Promise<void> {
    const today = this.#today();
    const entries: Array<UsageEntry & { readonly revision: number }> = [];
    for (const day of this.#book.days()) {
      for (const [dataset, usage] of this.#book.datasetsOn(day)) {
        if (!usage.isEmpty() && this.#published.get(usage) !== usage.revision) entries.push({ day, dataset, usage, revision: usage.revision });
      }
    }
    if (entries.length > 0) {
      await writeUsage(this.#options.store, this.#options.baseIRI, entries);
      for (const entry of entries) this.#published.set(entry.usage, entry.revision);
    }
    const finished = this.#book.days().filter((day) => day < today);
    if (finished.length === 0) return;
    await this.flush();
    await this.#journal.append(finished.map((day) => ({ published: day })));
    for (const day of finished) this.#book.drop(day);
    await this.#journal.rewrite(this.#book.wholeRecords());
  }

  #count(request: IncomingMessage, response: ServerResponse): void {
    if (this.#closed) return;
    const connection = this.#connectionOf(request);
    if (connection.excluded) return;
    const hit = hitOf(request, response, this.#site, this.#queries, connection.harvester);
    if (!hit || hit.datasets.length === 0) return;
    const day = this.#today();
    this.#add(this.#usagesOn(day, hit.datasets), hit.counts, connection, request, day);
  }

  #add(usages: readonly DayUsage[], counts: SlotCounts, connection: Connection, request: IncomingMessage, day: string): void {
    for (const usage of usages) {
      usage.addCounts(counts);
      if (connection.harvester) usage.addCounts(harvestCounts);
    }
    // A request that declines tracking is counted but never recognised, and does not stand for the connection's next one.
    if (usages.length === 0 || connection.recognisedIn === usages || declinesTracking(request)) return;
    const client = this.#clientHash(connection, request.socket, day);
    for (const usage of usages) usage.recognise(client);
    connection.recognisedIn = usages;
  }

  /** The request's connection as counted, classified again only when its user agent changed. */
  #connectionOf(request: IncomingMessage): Connection {
    const agent = request.headers['user-agent'] ?? '';
    const known = this.#connections.get(request.socket);
    if (known?.agent === agent) return known;
    const connection: Connection = { agent, excluded: this.#excluded?.test(agent) ?? false, harvester: harvesterAgents.test(agent), hashDay: '', hash: undefined, recognisedIn: undefined };
    this.#connections.set(request.socket, connection);
    return connection;
  }

  #clientHash(connection: Connection, socket: Socket, day: string): ClientHash {
    if (connection.hash === undefined || connection.hashDay !== day) {
      connection.hash = this.#hasher.hashOf(socket.remoteAddress ?? '', day);
      connection.hashDay = day;
    }
    return connection.hash;
  }

  #usagesOn(day: string, datasets: readonly string[]): readonly DayUsage[] {
    if (day !== this.#usagesDay) {
      this.#usagesDay = day;
      this.#usagesToday = new WeakMap();
    }
    let usages = this.#usagesToday.get(datasets);
    if (usages === undefined) {
      usages = datasets.map((dataset) => this.#book.usage(day, dataset));
      this.#usagesToday.set(datasets, usages);
    }
    return usages;
  }

  /** Today's UTC date, `YYYY-MM-DD` (worked out once a day). */
  #today(): string {
    const now = this.#now();
    if (now >= this.#dayEnds || now < this.#dayEnds - dayMs) {
      this.#day = new Date(now).toISOString().slice(0, 10);
      this.#dayEnds = (Math.floor(now / dayMs) + 1) * dayMs;
    }
    return this.#day;
  }
}

/** `items`, counting into `facts.rows` each one the serializer takes. */
function countRows<T>(items: AsyncIterable<T>, facts: QueryFacts): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = items[Symbol.asyncIterator]();
      return {
        next: () =>
          iterator.next().then((step) => {
            if (!step.done) facts.rows++;
            return step;
          }),
        return: (value?: unknown) => iterator.return?.(value) ?? Promise.resolve({ done: true as const, value: undefined }),
        throw: (error?: unknown) => iterator.throw?.(error) ?? Promise.reject(error),
      };
    },
  };
}
