/** A guarded SODA client: allowlisted hosts (redirects re-checked), per-request size and time limits, retries honouring Retry-After. */
import { BadRequest, Forbidden, VinculoError } from '../errors/index.js';
import type { SocrataView } from '../catalog/index.js';

/** The portal did not answer usably after every retry (5xx, 429, a cut connection, a body past the limit). */
export class HarvestFailed extends VinculoError {
  override readonly code = 'harvest-failed';
  override readonly status = 502;
}

export interface SocrataClientOptions {
  /** Host names (`www.datos.gov.co`, `127.0.0.1:8080`) requests and redirects may reach; nothing else. */
  readonly allowedHosts: readonly string[];
  /** Socrata's `X-App-Token`, which raises the portal's rate limits (read from an environment variable by callers). */
  readonly appToken?: string;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  /** Attempts after the first, for 429, 5xx and network failures. */
  readonly retries?: number;
  /** The first back-off; it doubles per attempt unless the portal says `Retry-After`. */
  readonly backoffMs?: number;
  readonly say?: (message: string) => void;
}

/** A row as SODA returns it with `$select=:id,:updated_at,*`: cells are strings (SODA writes numbers as strings). */
export type SodaRow = Readonly<Record<string, unknown>>;

/** Where a dataset lives: the portal's origin and the dataset's 4x4 id. */
export interface DatasetLocation {
  readonly origin: string;
  readonly id: string;
}

const fourByFour = /^[a-z0-9]{4}-[a-z0-9]{4}$/;
const maxRedirects = 5;

/**
 * The portal and 4x4 id of a Socrata dataset URL: `…/d/abcd-1234`, `…/resource/abcd-1234.json`,
 * `…/api/views/abcd-1234.json` or a portal page `…/Category/Name/abcd-1234`.
 * @throws BadRequest when the URL names no dataset id.
 */
export function datasetLocation(url: string): DatasetLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BadRequest(`${url}: not a URL (a Socrata dataset URL such as https://www.datos.gov.co/d/abcd-1234)`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new BadRequest(`${url}: only http and https portals are harvested`);
  const id = parsed.pathname
    .split('/')
    .map((segment) => segment.replace(/\.(json|csv)$/, ''))
    .reverse()
    .find((segment) => fourByFour.test(segment));
  if (!id) throw new BadRequest(`${url}: no Socrata dataset id (abcd-1234) in the path`);
  return { origin: parsed.origin, id };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `Retry-After` in seconds or as an HTTP date, in milliseconds (capped: a portal asking for an hour is a failure). */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 120_000) : undefined;
}

export class SocrataClient {
  readonly #options: Required<Omit<SocrataClientOptions, 'appToken' | 'say'>> & Pick<SocrataClientOptions, 'appToken' | 'say'>;

  constructor(options: SocrataClientOptions) {
    this.#options = { timeoutMs: 60_000, maxBytes: 64 * 1024 * 1024, retries: 4, backoffMs: 1000, ...options };
  }

  /** @throws Forbidden for a host outside the allowlist. */
  checkHost(url: URL): void {
    if (!this.#options.allowedHosts.includes(url.host)) {
      throw new Forbidden(`${url.host} is not an allowed harvest host: add it to "harvest.hosts" in the configuration or name it on the command line (allowed: ${this.#options.allowedHosts.join(', ') || 'none'})`);
    }
  }

  /** The view metadata, `/api/views/ID.json`. */
  async view(location: DatasetLocation): Promise<SocrataView> {
    const view = await this.getJson(new URL(`/api/views/${location.id}.json`, location.origin));
    if (typeof view !== 'object' || view === null || Array.isArray(view)) throw new HarvestFailed(`${location.origin}: /api/views/${location.id}.json is not a view metadata object`);
    return view as SocrataView;
  }

  /**
   * Every row (or every row updated after `since`), in `:id` order, page by page: `$order=:id`
   * keeps `$offset` paging stable while the dataset changes.
   */
  async *rows(location: DatasetLocation, options: { readonly since?: string; readonly select?: string; readonly pageSize?: number } = {}): AsyncGenerator<SodaRow[]> {
    const pageSize = options.pageSize ?? 10_000;
    for (let offset = 0; ; offset += pageSize) {
      const url = new URL(`/resource/${location.id}.json`, location.origin);
      url.searchParams.set('$select', options.select ?? ':id,:updated_at,*');
      url.searchParams.set('$order', ':id');
      url.searchParams.set('$limit', String(pageSize));
      url.searchParams.set('$offset', String(offset));
      if (options.since) url.searchParams.set('$where', `:updated_at > '${options.since}'`);
      const page = await this.getJson(url);
      if (!Array.isArray(page)) throw new HarvestFailed(`${url.href}: a SODA page is a JSON array`);
      yield page as SodaRow[];
      if (page.length < pageSize) return;
    }
  }

  /** @throws Forbidden (host), HarvestFailed (after the retries). */
  async getJson(url: URL): Promise<unknown> {
    const text = await this.getText(url);
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new HarvestFailed(`${url.href}: the answer is not JSON`, { cause: error });
    }
  }

  async getText(url: URL): Promise<string> {
    let lastProblem = '';
    for (let attempt = 0; attempt <= this.#options.retries; attempt++) {
      const outcome = await this.#attempt(url);
      if (typeof outcome === 'string') return outcome;
      lastProblem = outcome.problem;
      if (attempt === this.#options.retries) break;
      const wait = outcome.retryAfterMs ?? this.#options.backoffMs * 2 ** attempt;
      this.#options.say?.(`${url.host}: ${outcome.problem}; retrying in ${(wait / 1000).toFixed(1)} s`);
      await sleep(wait);
    }
    throw new HarvestFailed(`${url.href}: ${lastProblem} (after ${this.#options.retries + 1} attempts)`);
  }

  /** One request, redirects followed by hand so that each target is checked against the allowlist. */
  async #attempt(start: URL): Promise<string | { problem: string; retryAfterMs?: number }> {
    let url = start;
    const signal = AbortSignal.timeout(this.#options.timeoutMs);
    for (let hop = 0; hop <= maxRedirects; hop++) {
      this.checkHost(url);
      let response: Response;
      try {
        const headers: Record<string, string> = { accept: 'application/json' };
        if (this.#options.appToken) headers['x-app-token'] = this.#options.appToken;
        response = await fetch(url, { headers, redirect: 'manual', signal });
      } catch (error) {
        return { problem: `request failed: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}` };
      }
      if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
        await response.body?.cancel();
        url = new URL(response.headers.get('location') as string, url);
        continue;
      }
      if (response.status === 429 || response.status >= 500) {
        await response.body?.cancel();
        return { problem: `HTTP ${response.status}`, retryAfterMs: retryAfterMs(response.headers.get('retry-after')) };
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new HarvestFailed(`${url.href}: HTTP ${response.status}`);
      }
      try {
        return await this.#boundedText(response, url);
      } catch (error) {
        if (error instanceof HarvestFailed) throw error;
        return { problem: `connection cut while reading: ${(error as Error).message}` };
      }
    }
    throw new HarvestFailed(`${start.href}: more than ${maxRedirects} redirects`);
  }

  async #boundedText(response: Response, url: URL): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      if (size > this.#options.maxBytes) throw new HarvestFailed(`${url.href}: the answer passes the ${this.#options.maxBytes}-byte limit`);
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}
