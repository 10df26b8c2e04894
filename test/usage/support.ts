/** Helpers for the usage tests: requests from chosen loopback addresses, and the published counts read back through `/sparql`. */
import { type Agent, request } from 'node:http';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/**
 * A request whose socket is bound to `from`: Linux routes all of 127.0.0.0/8 to the loopback
 * device, so the server sees each simulated client at its own address.
 */
export function send(
  url: string,
  { from = '127.0.0.1', method = 'GET', headers = {}, body, agent }: { from?: string; method?: string; headers?: Record<string, string>; body?: string; agent?: Agent } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // Without an agent, a connection of its own.
    const outgoing = request(url, { method, headers, localAddress: from, agent: agent ?? false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: response.headers }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** The `index`-th simulated client's address: 127.0.1.1, 127.0.1.2, … (250 per /24). */
export function clientAddress(index: number): string {
  return `127.0.${1 + Math.floor(index / 250)}.${1 + (index % 250)}`;
}

/** The published usage of `day`, read through `/sparql`: dataset id → metric local name → value. */
export async function publishedUsage(origin: string, baseIRI: string, day: string): Promise<Map<string, Map<string, number>>> {
  const query = `PREFIX dqv: <http://www.w3.org/ns/dqv#> PREFIX dct: <http://purl.org/dc/terms/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?dataset ?metric ?value WHERE { GRAPH <${baseIRI}graph/catalog> {
  ?m a dqv:QualityMeasurement ; dqv:computedOn ?dataset ; dqv:isMeasurementOf ?metric ; dqv:value ?value ; dct:date "${day}"^^xsd:date } }`;
  const reply = await send(`${origin}/sparql?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/sparql-results+json' } });
  if (reply.status !== 200) throw new Error(`usage query failed: ${reply.status} ${reply.body}`);
  const rows = (JSON.parse(reply.body) as { results: { bindings: Array<Record<string, { value: string }>> } }).results.bindings;
  const usage = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const dataset = (row.dataset?.value ?? '').slice(`${baseIRI}dataset/`.length);
    const metric = (row.metric?.value ?? '').slice(`${baseIRI}def/vinculo#`.length);
    if (!usage.has(dataset)) usage.set(dataset, new Map());
    usage.get(dataset)?.set(metric, Number(row.value?.value));
  }
  return usage;
}

/** Every file under `dir`, recursively, as bytes with its path (gzip files unpacked, so dumps are searched too). */
export async function filesUnder(dir: string): Promise<Array<{ readonly path: string; readonly bytes: Buffer }>> {
  const files: Array<{ path: string; bytes: Buffer }> = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const bytes = await readFile(path);
    files.push({ path, bytes: path.endsWith('.gz') ? gunzipSync(bytes) : bytes });
  }
  return files;
}

/** The files under `dir` that hold any of `secrets` (as UTF-8 bytes), with the secret found. */
export async function filesHolding(dir: string, secrets: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of await filesUnder(dir)) {
    for (const secret of secrets) if (file.bytes.includes(Buffer.from(secret, 'utf8'))) found.push(`${file.path}: ${secret}`);
  }
  return found;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Stops a test's server (its keep-alive connections too), then its counter and store, and removes its data directory. */
export async function stopServing(parts: {
  readonly running: { readonly server: { closeAllConnections(): void }; close(): Promise<void> };
  readonly usage: { close(): Promise<void> };
  readonly store: { close(): Promise<void> };
  readonly dataDir: string;
}): Promise<void> {
  parts.running.server.closeAllConnections();
  await parts.running.close();
  await parts.usage.close();
  await parts.store.close();
  await rm(parts.dataDir, { recursive: true, force: true });
}
