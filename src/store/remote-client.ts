/**
 * The HTTP side of the remote SPARQL store: SPARQL 1.1 Protocol requests (query and update by
 * POST form), JSON results, optional basic credentials, a time limit per request, and a
 * synchronous variant for the one synchronous member of the store contract (`countQuads`).
 */
import { receiveMessageOnPort, MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { BadRequest, QueryTimeout, StorageError } from '../errors/index.js';
import type { JsonTerm } from './remote-terms.js';

export interface RemoteEndpoints {
  readonly queryUrl: string;
  readonly updateUrl: string;
  /** Graph Store Protocol endpoint; bulk loads go there when given (far faster than INSERT DATA). */
  readonly graphStoreUrl?: string;
  readonly user?: string;
  readonly password?: string;
  /** Limit of one request to the remote store. */
  readonly timeoutMs: number;
}

export interface SelectAnswer {
  readonly variables: readonly string[];
  readonly rows: ReadonlyArray<Readonly<Record<string, JsonTerm>>>;
}

export type JsonAnswer = SelectAnswer | { readonly boolean: boolean };

export interface RequestOptions {
  /** Extra protocol parameters (`default-graph-uri`, `named-graph-uri`), repeated as given. */
  readonly params?: ReadonlyArray<readonly [string, string]>;
  readonly signal?: AbortSignal;
  readonly accept?: string;
  readonly timeoutMs?: number;
  /** The text is the client's (a passed-through query): a 400 is then their fault, else the store's. */
  readonly clientText?: boolean;
}

interface JsonResults {
  readonly head?: { readonly vars?: readonly string[] };
  readonly boolean?: boolean;
  readonly results?: { readonly bindings?: ReadonlyArray<Record<string, JsonTerm>> };
}

/** The remote store answered with an error about the request itself (its SPARQL): the client's fault. */
export class RemoteRejected extends BadRequest {}

// A tiny worker that runs fetch for the synchronous path and wakes the waiting thread. Plain
// JavaScript evaluated from a string, so it needs no loader whatever runs the main thread.
const workerSource = `
const { workerData } = require('node:worker_threads');
const { port, shared } = workerData;
const flag = new Int32Array(shared);
port.on('message', async ({ url, init, timeoutMs }) => {
  let reply;
  const signal = AbortSignal.timeout(timeoutMs);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const response = await fetch(url, { ...init, signal });
      reply = { status: response.status, body: await response.text() };
      break;
    } catch (error) {
      // Queries only come this way, so a second try after a dropped connection is safe.
      reply = { error: String((error && error.message) || error) };
      if (signal.aborted) break;
    }
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

interface SyncReply {
  readonly status?: number;
  readonly body?: string;
  readonly error?: string;
}

function parseJson(text: string, url: string): JsonAnswer {
  let parsed: JsonResults;
  try {
    parsed = JSON.parse(text) as JsonResults;
  } catch (error) {
    throw new StorageError(`the remote store at ${url} sent results that are not JSON: ${text.slice(0, 200)}`, { cause: error });
  }
  if (typeof parsed.boolean === 'boolean') return { boolean: parsed.boolean };
  return { variables: parsed.head?.vars ?? [], rows: parsed.results?.bindings ?? [] };
}

/** A SPARQL Protocol client for one remote store. */
export class RemoteClient {
  readonly #endpoints: RemoteEndpoints;
  #sync: { worker: Worker; port: MessagePort; flag: Int32Array } | undefined;

  constructor(endpoints: RemoteEndpoints) {
    this.#endpoints = endpoints;
  }

  #headers(accept: string): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept };
    if (this.#endpoints.user !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`${this.#endpoints.user}:${this.#endpoints.password ?? ''}`).toString('base64')}`;
    }
    return headers;
  }

  #body(key: 'query' | 'update', text: string, params: RequestOptions['params']): string {
    const form = new URLSearchParams();
    form.append(key, text);
    for (const [name, value] of params ?? []) form.append(name, value);
    return form.toString();
  }

  /**
   * Sends a query or update and returns the response text.
   * @throws QueryTimeout when the time limit passes or `signal` aborts; RemoteRejected (400) when
   *   the store refuses the request as malformed; StorageError when it is unreachable or fails.
   */
  async #send(key: 'query' | 'update', text: string, options: RequestOptions): Promise<string> {
    const url = key === 'query' ? this.#endpoints.queryUrl : this.#endpoints.updateUrl;
    const timeoutMs = options.timeoutMs ?? this.#endpoints.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    let response: Response;
    let body: string;
    const attempt = async () => {
      const answer = await fetch(url, {
        method: 'POST',
        headers: this.#headers(options.accept ?? 'application/sparql-results+json'),
        body: this.#body(key, text, options.params),
        signal,
      });
      return { answer, text: await answer.text() };
    };
    try {
      let sent: { answer: Response; text: string };
      try {
        sent = await attempt();
      } catch (error) {
        // A kept-alive connection the store closed meanwhile fails at once; a query is safe to send
        // again, an update is not (it may have been applied).
        if (key !== 'query' || signal.aborted) throw error;
        sent = await attempt();
      }
      response = sent.answer;
      body = sent.text;
    } catch (error) {
      if (timeout.aborted) throw new QueryTimeout(`the remote store did not answer within ${timeoutMs} ms`, { cause: error });
      if (options.signal?.aborted) throw new QueryTimeout('query cancelled: the client went away', { cause: error });
      throw new StorageError(`the remote store at ${url} is unreachable: ${(error as Error).message}`, { cause: error });
    }
    return this.#checked(response.status, body, url, options.clientText === true);
  }

  #checked(status: number, body: string, url: string, clientText = false): string {
    if (status >= 200 && status < 300) return body;
    const detail = body.trim().split('\n').slice(0, 3).join(' ').slice(0, 500);
    if (status === 400 && clientText) throw new RemoteRejected(`the remote store refused the query: ${detail}`);
    throw new StorageError(`the remote store at ${url} answered ${status}: ${detail}`);
  }

  /**
   * A SELECT or ASK query, answered as SPARQL JSON results.
   * @throws as the other requests (QueryTimeout, RemoteRejected, StorageError).
   */
  async query(text: string, options: RequestOptions = {}): Promise<JsonAnswer> {
    return parseJson(await this.#send('query', text, options), this.#endpoints.queryUrl);
  }

  /** A SELECT query's rows. @throws as `query`, and StorageError when the answer is a boolean. */
  async select(text: string, options: RequestOptions = {}): Promise<SelectAnswer> {
    const answer = await this.query(text, options);
    if ('boolean' in answer) throw new StorageError('the remote store answered a SELECT with a boolean');
    return answer;
  }

  /** A CONSTRUCT or DESCRIBE query's N-Triples text. @throws as `query`. */
  async graph(text: string, options: RequestOptions = {}): Promise<string> {
    return this.#send('query', text, { ...options, accept: 'application/n-triples' });
  }

  /** Whether `postTriples` can be used. */
  get canPostTriples(): boolean {
    return this.#endpoints.graphStoreUrl !== undefined;
  }

  /**
   * Adds N-Triples to a graph with a Graph Store Protocol POST (§5.5, indirect `?graph=`).
   * @throws StorageError when there is no graph store URL or the store fails; QueryTimeout.
   */
  async postTriples(graph: string, ntriples: string): Promise<void> {
    const base = this.#endpoints.graphStoreUrl;
    if (base === undefined) throw new StorageError('no graph store URL is configured');
    const url = `${base}${base.includes('?') ? '&' : '?'}graph=${encodeURIComponent(graph)}`;
    const timeout = AbortSignal.timeout(this.#endpoints.timeoutMs);
    let response: Response;
    let body: string;
    try {
      const headers = { ...this.#headers('*/*'), 'content-type': 'application/n-triples' };
      response = await fetch(url, { method: 'POST', headers, body: ntriples, signal: timeout });
      body = await response.text();
    } catch (error) {
      if (timeout.aborted) throw new QueryTimeout(`the remote store did not answer within ${this.#endpoints.timeoutMs} ms`, { cause: error });
      throw new StorageError(`the remote store at ${base} is unreachable: ${(error as Error).message}`, { cause: error });
    }
    this.#checked(response.status, body, base);
  }

  /** A SPARQL Update request; the store runs it as one transaction. @throws as `query`. */
  async update(text: string, options: RequestOptions = {}): Promise<void> {
    await this.#send('update', text, options);
  }

  /**
   * A SELECT answered synchronously: the request runs on a helper thread while this one waits.
   * Blocks the event loop for one round trip, so callers cache what it returns.
   * @throws QueryTimeout, RemoteRejected or StorageError as `query`.
   */
  selectSync(text: string): SelectAnswer {
    const sync = this.#startSync();
    const url = this.#endpoints.queryUrl;
    Atomics.store(sync.flag, 0, 0);
    sync.port.postMessage({
      url,
      init: { method: 'POST', headers: this.#headers('application/sparql-results+json'), body: this.#body('query', text, []) },
      timeoutMs: this.#endpoints.timeoutMs,
    });
    const waited = Atomics.wait(sync.flag, 0, 0, this.#endpoints.timeoutMs + 1000);
    const message = receiveMessageOnPort(sync.port)?.message as SyncReply | undefined;
    if (waited === 'timed-out' || !message) throw new QueryTimeout(`the remote store did not answer within ${this.#endpoints.timeoutMs} ms`);
    if (message.error !== undefined) throw new StorageError(`the remote store at ${url} is unreachable: ${message.error}`);
    const answer = parseJson(this.#checked(message.status ?? 500, message.body ?? '', url), url);
    if ('boolean' in answer) throw new StorageError('the remote store answered a SELECT with a boolean');
    return answer;
  }

  #startSync(): { worker: Worker; port: MessagePort; flag: Int32Array } {
    if (this.#sync) return this.#sync;
    const shared = new SharedArrayBuffer(4);
    const channel = new MessageChannel();
    const worker = new Worker(workerSource, { eval: true, workerData: { port: channel.port2, shared }, transferList: [channel.port2] });
    // Neither the helper thread nor its port may keep the process alive.
    worker.unref();
    channel.port1.unref();
    this.#sync = { worker, port: channel.port1, flag: new Int32Array(shared) };
    return this.#sync;
  }

  /** Stops the helper thread. */
  async close(): Promise<void> {
    const sync = this.#sync;
    this.#sync = undefined;
    if (sync) {
      sync.port.close();
      await sync.worker.terminate();
    }
  }
}
