/** The whole app (createApp) over a durable store in a temporary folder, loaded with the sample mapping; port 0 on 127.0.0.1. */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { publishMapping, publishVocabularies } from '../../../src/publish/index.ts';
import { loadConfig, type VinculoConfig } from '../../../src/config/index.ts';
import { createRequestHandler, MetricsRegistry, serve } from '../../../src/http/index.ts';
import { serializeRdfToString } from '../../../src/rdf/index.ts';
import { createConfiguredEngine } from '../../../src/cli/open-store.ts';
import { openStore, type VinculoStore } from '../../../src/store/index.ts';

export const repoRoot = resolve(fileURLToPath(new URL('../../../', import.meta.url)));
export const updateToken = 'hostile-suite-token-0123456789';

export interface HostileSite {
  readonly url: string;
  readonly config: VinculoConfig;
  readonly store: VinculoStore;
  /** Raw request without URL normalisation (fetch would resolve `..` before sending). */
  raw(path: string, init?: { method?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawResponse>;
  close(): Promise<void>;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** Store fingerprint: quad count, version, and the SHA-256 of its sorted N-Quads export. */
export async function fingerprint(store: VinculoStore): Promise<string> {
  const quads = [];
  for await (const quad of store.exportQuads()) quads.push(quad);
  const text = await serializeRdfToString(quads, { format: 'nquads' });
  const lines = text.split('\n').filter((line) => line !== '').sort();
  const hash = createHash('sha256').update(lines.join('\n')).digest('hex');
  return `${store.countQuads()} quads, version ${store.version}, ${hash}`;
}

export async function testConfig(dataDir: string, limits: Partial<VinculoConfig['limits']> = {}): Promise<VinculoConfig> {
  const base = await loadConfig({ cwd: repoRoot, env: {}, flags: { dataDir, baseIRI: 'http://vinculo.test/' } });
  return {
    ...base,
    updateToken,
    logLevel: 'silent',
    limits: { ...base.limits, queryTimeoutMs: 1_000, maxQueryLength: 20_000, maxBodyBytes: 200_000, ...limits },
  };
}

/** Starts the site with the vocabularies and `mappings/municipios.yml` imported. */
export async function startHostileSite(limits: Partial<VinculoConfig['limits']> = {}): Promise<HostileSite> {
  const dataDir = await mkdtemp(join(tmpdir(), 'vinculo-hostile-'));
  const config = await testConfig(dataDir, limits);
  const store = await openStore({ baseIRI: config.baseIRI, dataDir });
  const say = () => undefined;
  await publishVocabularies({ config, store, say });
  // As `serve` does: one registry, told of the start-up import through its observer.
  const registry = new MetricsRegistry();
  await publishMapping(join(repoRoot, 'mappings/municipios.yml'), { config, store, say, observer: registry.importObserver() });
  const engine = createConfiguredEngine(store, config);
  const logger = pino({ level: 'silent' });
  // The server's own handler, cache front included, so hostile clients also meet cached answers.
  const running = await serve(createRequestHandler({ store, engine, config, logger, registry }), { host: '127.0.0.1', port: 0, logger });
  const { port } = running.server.address() as AddressInfo;
  return {
    url: running.url,
    config,
    store,
    raw: (path, init = {}) => rawRequest(port, path, init),
    async close() {
      running.server.closeAllConnections();
      await running.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function rawRequest(port: number, path: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawResponse> {
  const { request } = await import('node:http');
  return new Promise((resolvePromise, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolvePromise({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(init.body);
  });
}

/** A server on 127.0.0.1 port 0 that records every request it gets: SSRF canaries must stay silent. */
export async function startCanary(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((request, response) => {
    hits.push(`${request.method} ${request.url}`);
    response.setHeader('Content-Type', 'application/ld+json');
    response.end('{"@context": {"name": "http://schema.org/name"}}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise((resolvePromise) => {
        server.closeAllConnections();
        server.close(() => resolvePromise());
      }),
  };
}

/** Tally of inputs tried, for the summary line each test file prints. */
export class Tally {
  tried = 0;
  asIntended = 0;
  readonly surprises: string[] = [];

  /** Records one input; `ok` is whether it got the intended answer. */
  record(what: string, ok: boolean, detail = ''): void {
    this.tried += 1;
    if (ok) this.asIntended += 1;
    else this.surprises.push(`${what}${detail ? `: ${detail}` : ''}`);
  }

  summary(name: string, crashes: number, storeChanges: number): string {
    return `${name}: ${this.tried} inputs tried, ${this.asIntended} answered as intended, ${crashes} crashes, ${storeChanges} store changes`;
  }
}
