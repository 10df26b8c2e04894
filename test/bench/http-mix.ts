/**
 * The query mix over HTTP (issue 19): each query sent to Vínculo's `/sparql` and to Oxigraph
 * behind a bare `node:http` handler (the same store, results serialised by Oxigraph itself), one
 * request at a time on a kept-alive connection; the median latency of each and their ratio.
 * A third column runs Vínculo's engine and serialiser behind a bare handler too, so that what
 * the HTTP stack (Express, middleware, negotiation) costs per request shows apart from the engine.
 */
import { once } from 'node:events';
import { Agent, createServer, type RequestListener, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as oxigraph from 'oxigraph';
import { type SparqlEngine, serializeResults } from '../../src/sparql/index.ts';
import type { BenchQuery } from './query-mix.ts';

export interface HttpMixOptions {
  /** Vínculo's whole request handler (as `vinculo serve` runs it). */
  readonly handler: RequestListener;
  readonly engine: SparqlEngine;
  readonly oxigraph: oxigraph.Store;
  readonly queries: readonly BenchQuery[];
  /** A measurement is repeated until it has run this long (at least `minimumRuns` times). */
  readonly minimumMs?: number;
  readonly minimumRuns?: number;
  readonly log: (message: string) => void;
}

/** One query's medians over HTTP, in milliseconds. */
export interface HttpMixRow {
  readonly id: string;
  readonly label: string;
  readonly vinculoMs: number;
  readonly oxigraphMs: number;
  /** Vínculo's engine and serialiser behind a bare handler (solutions only: graph results need the HTTP layer's serialiser). */
  readonly engineBareMs?: number;
}

/** The rows and the Markdown table made of them. */
export interface HttpMix {
  readonly rows: readonly HttpMixRow[];
  readonly lines: readonly string[];
}

const resultsJson = 'application/sparql-results+json';
const nTriples = 'application/n-triples';

async function listen(listener: RequestListener): Promise<{ server: Server; port: number }> {
  // No idle timeout: while one server answers a long query synchronously (Oxigraph's NOT EXISTS
  // takes seconds at 150k quads), the others' kept-alive sockets idle past Node's 5 s default, and
  // a socket closed just as the next request reuses it fails that request with ECONNRESET.
  const server = createServer(listener);
  server.keepAliveTimeout = 0;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

const queryOf = (url: string | undefined): string => new URL(url ?? '/', 'http://bench').searchParams.get('query') ?? '';

/**
 * Runs the mix and returns its rows and their Markdown table.
 * @throws when a server answers a query with another status than 200.
 */
/** Past this much time on one query's warm-ups or timed runs, no more are made. */
const slowQueryMs = 10_000;

export async function httpMixTable({ handler, engine, oxigraph: store, queries, minimumMs = 500, minimumRuns = 7, log }: HttpMixOptions): Promise<HttpMix> {
  const graphQueries = new Set(queries.filter((query) => query.graph).map((query) => query.text));
  const vinculo = await listen(handler);
  const bareOxigraph = await listen((incoming, reply) => {
    const text = queryOf(incoming.url);
    const format = graphQueries.has(text) ? nTriples : resultsJson;
    const body = store.query(text, { use_default_graph_as_union: true, results_format: format }) as string;
    reply.writeHead(200, { 'content-type': format, 'content-length': Buffer.byteLength(body) });
    reply.end(body);
  });
  const bareVinculo = await listen(async (incoming, reply) => {
    const result = await engine.query(queryOf(incoming.url));
    // Graph results are not measured here (their serialiser is the HTTP layer's).
    if (result.type === 'quads') {
      reply.writeHead(406);
      reply.end();
      return;
    }
    reply.writeHead(200, { 'content-type': resultsJson });
    for await (const chunk of serializeResults(result, { format: 'json' })) reply.write(chunk);
    reply.end();
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const get = (port: number, path: string, accept: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const sent = request({ host: '127.0.0.1', port, path, agent, headers: { accept } }, (response) => {
        response.resume();
        response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${response.statusCode} for ${path.slice(0, 80)}`))));
      });
      sent.on('error', reject);
      sent.end();
    });
  const medianMs = async (port: number, path: string, accept: string): Promise<number> => {
    const times: number[] = [];
    let spent = 0;
    // A query that takes seconds (Oxigraph's NOT EXISTS at 1M: 99 s) is timed once, not minimumRuns times.
    while ((times.length < minimumRuns || spent < minimumMs) && spent < slowQueryMs) {
      const started = performance.now();
      await get(port, path, accept);
      const took = performance.now() - started;
      times.push(took);
      spent += took;
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)] as number;
  };
  const rows: HttpMixRow[] = [];
  const lines = [
    '| HTTP, one connection | Vínculo `/sparql` | Oxigraph, bare handler | Vínculo ÷ Oxigraph | Vínculo engine, bare handler ÷ Oxigraph |',
    '|---|---:|---:|---:|---:|',
  ];
  try {
    for (const query of queries) {
      const path = `/sparql?query=${encodeURIComponent(query.text)}`;
      const accept = query.graph ? nTriples : resultsJson;
      // Cold code paths first, not counted.
      for (let warm = 0, spent = 0; warm < 3 && spent < slowQueryMs; warm++) {
        const started = performance.now();
        await get(vinculo.port, path, accept);
        await get(bareOxigraph.port, path, accept);
        spent += performance.now() - started;
      }
      const theirs = await medianMs(bareOxigraph.port, path, accept);
      const ours = await medianMs(vinculo.port, path, accept);
      const engineOnly = query.graph ? undefined : await medianMs(bareVinculo.port, path, accept);
      log(`http mix ${query.id}: Vínculo ${ours.toFixed(2)} ms, Oxigraph ${theirs.toFixed(2)} ms`);
      rows.push({ id: query.id, label: query.label, vinculoMs: ours, oxigraphMs: theirs, ...(engineOnly === undefined ? {} : { engineBareMs: engineOnly }) });
      lines.push(
        `| ${query.label} | ${ours.toFixed(2)} ms | ${theirs.toFixed(2)} ms | ${(ours / theirs).toFixed(2)}× | ${engineOnly === undefined ? '–' : `${(engineOnly / theirs).toFixed(2)}×`} |`,
      );
    }
  } finally {
    agent.destroy();
    for (const { server } of [vinculo, bareOxigraph, bareVinculo]) {
      server.closeAllConnections();
      server.close();
    }
  }
  return { rows, lines };
}
