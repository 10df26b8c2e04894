/** Failed write attempts (401/403) rate-limited per client: after too many, writes answer 429 with Retry-After. */
import type { Request, RequestHandler } from 'express';

export interface FailedWriteLimit {
  /** Failed attempts a client may make within `windowMs` before it is blocked. */
  readonly maxFailures: number;
  readonly windowMs: number;
  /** How long a blocked client's write attempts are refused. */
  readonly blockMs: number;
  /** Clients remembered at most; the oldest are forgotten first, so a flood of addresses cannot exhaust memory. */
  readonly maxClients: number;
  /** The clock, replaceable in tests. */
  readonly now: () => number;
}

const defaultLimit: FailedWriteLimit = { maxFailures: 10, windowMs: 60_000, blockMs: 60_000, maxClients: 10_000, now: Date.now };

interface ClientRecord {
  /** Times of the failures inside the current window. */
  failures: number[];
  blockedUntil: number;
}

const writeMethods = new Set(['PUT', 'POST', 'DELETE', 'PATCH']);

/**
 * A write attempt presents a token or uses a method that changes a graph store. Plain queries by
 * POST to /sparql present no token, so a blocked client can still read.
 */
function isWriteAttempt(request: Request): boolean {
  if (request.get('authorization') !== undefined) return true;
  if (request.method === 'POST') return request.path.startsWith('/graph-store');
  return writeMethods.has(request.method);
}

/** The client's address; `trust proxy` is off, so this is the socket's peer. */
function clientOf(request: Request): string {
  return request.socket.remoteAddress ?? 'unknown';
}

/**
 * Counts 401 and 403 answers to write attempts per client; after `maxFailures` inside `windowMs`
 * the client's write attempts get `429 Too Many Requests` with `Retry-After` (seconds) for
 * `blockMs`, before any token is compared. Reads are never blocked.
 */
export function rateLimitFailedWrites(options: Partial<FailedWriteLimit> = {}): RequestHandler {
  const limit = { ...defaultLimit, ...options };
  const clients = new Map<string, ClientRecord>();

  const recordFailure = (client: string) => {
    const now = limit.now();
    const record = clients.get(client) ?? { failures: [], blockedUntil: 0 };
    clients.delete(client);
    record.failures = record.failures.filter((time) => now - time < limit.windowMs);
    record.failures.push(now);
    if (record.failures.length >= limit.maxFailures) {
      record.blockedUntil = now + limit.blockMs;
      record.failures = [];
    }
    clients.set(client, record);
    while (clients.size > limit.maxClients) {
      const oldest = clients.keys().next().value;
      if (oldest === undefined) break;
      clients.delete(oldest);
    }
  };

  return (request, response, next) => {
    if (!isWriteAttempt(request)) return next();
    const client = clientOf(request);
    const blockedUntil = clients.get(client)?.blockedUntil ?? 0;
    const now = limit.now();
    if (blockedUntil > now) {
      response.setHeader('Retry-After', String(Math.ceil((blockedUntil - now) / 1000)));
      response.setHeader('Cache-Control', 'no-store');
      response.status(429).type('text/plain; charset=utf-8').send('too many failed write attempts; try again later\n');
      return;
    }
    response.on('finish', () => {
      if (response.statusCode === 401 || response.statusCode === 403) recordFailure(client);
    });
    next();
  };
}
