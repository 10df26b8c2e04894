/**
 * What a crawl must not starve: `/health` asked every 50 ms and an aggregate SPARQL query every
 * 2 s, for a given time, each answer timed. Run as a script (`crawl-probe.ts ORIGIN SECONDS QUERY`)
 * it prints its figures as JSON, so that the bench probes from a process of its own.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ProbeFigures {
  readonly health: { readonly probes: number; readonly answered: number; readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number };
  readonly aggregate: { readonly runs: number; readonly answered: number; readonly medianMs: number; readonly maxMs: number; readonly rows: readonly number[] };
}

export interface ProbeOptions {
  readonly seconds: number;
  /** A SELECT query; its answers' row counts are reported. */
  readonly query: string;
  readonly healthEveryMs?: number;
  readonly queryEveryMs?: number;
}

function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? Number.NaN;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Probes `origin` for `seconds`; a probe that fails or answers other than 200 counts as not answered. */
export async function probe(origin: string, { seconds, query, healthEveryMs = 50, queryEveryMs = 2000 }: ProbeOptions): Promise<ProbeFigures> {
  const until = Date.now() + seconds * 1000;
  const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));
  const timed = async (request: () => Promise<Response>): Promise<{ ms: number; response?: Response; text?: string }> => {
    const started = performance.now();
    try {
      const response = await request();
      const text = await response.text();
      return { ms: performance.now() - started, response, text };
    } catch {
      return { ms: performance.now() - started };
    }
  };
  const health: number[] = [];
  let healthAnswered = 0;
  const healthLoop = async () => {
    while (Date.now() < until) {
      const { ms, response } = await timed(() => fetch(`${origin}/health`));
      health.push(ms);
      if (response?.status === 200) healthAnswered++;
      await pause(healthEveryMs);
    }
  };
  const aggregate: number[] = [];
  const rows: number[] = [];
  const queryLoop = async () => {
    while (Date.now() < until) {
      const { ms, response, text } = await timed(() =>
        fetch(`${origin}/sparql`, { method: 'POST', headers: { 'content-type': 'application/sparql-query', accept: 'application/sparql-results+json' }, body: query }),
      );
      aggregate.push(ms);
      if (response?.status === 200 && text !== undefined) rows.push((JSON.parse(text) as { results: { bindings: unknown[] } }).results.bindings.length);
      await pause(queryEveryMs);
    }
  };
  await Promise.all([healthLoop(), queryLoop()]);
  return {
    health: { probes: health.length, answered: healthAnswered, p50Ms: round(percentile(health, 0.5)), p99Ms: round(percentile(health, 0.99)), maxMs: round(Math.max(...health)) },
    aggregate: { runs: aggregate.length, answered: rows.length, medianMs: round(percentile(aggregate, 0.5)), maxMs: round(Math.max(...aggregate)), rows },
  };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [origin, seconds, query] = process.argv.slice(2);
  if (!origin || !seconds || !query) {
    console.error('usage: crawl-probe.ts ORIGIN SECONDS QUERY');
    process.exit(2);
  }
  // No top-level await: the linked-data tests import this file through a CommonJS hook.
  void probe(origin, { seconds: Number(seconds), query }).then((figures) => process.stdout.write(`${JSON.stringify(figures)}\n`));
}
