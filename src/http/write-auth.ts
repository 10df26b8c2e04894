/** Bearer tokens for writes (SPARQL Update, Graph Store): the all-graphs token and tokens scoped to graphs. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { VinculoConfig } from '../config/index.js';
import { Forbidden, Unauthorized } from '../errors/index.js';
import { datasetGraph, reservedGraphWrite, type VinculoStore } from '../store/index.js';

export interface WriteTokens {
  /** The all-graphs token: may change every graph, the default graph included. */
  readonly all?: string;
  /** Tokens that may change only the named graphs listed (IRIs). */
  readonly scoped: ReadonlyArray<{ readonly token: string; readonly graphs: readonly string[] }>;
}

/** What a presented token may change: `scope` undefined means every graph. */
export interface WriteGrant {
  readonly scope: readonly string[] | undefined;
}

// Hashing first gives equal-length inputs, so timingSafeEqual neither throws nor leaks the length.
function sameToken(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * Checks `Authorization: Bearer <token>` against the configured tokens, comparing in constant time
 * (every configured token is compared, whichever matches).
 * @throws Unauthorized (401) without a bearer token, Forbidden (403) when the token is not known
 *   or when writes are not configured at all.
 */
export function authorizeWrite(authorization: string | undefined, tokens: WriteTokens): WriteGrant {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) throw new Unauthorized('writes need Authorization: Bearer <token>');
  const presented = match[1];
  let grant: WriteGrant | undefined;
  if (tokens.all !== undefined && sameToken(presented, tokens.all)) grant = { scope: undefined };
  for (const scoped of tokens.scoped) {
    if (sameToken(presented, scoped.token) && grant === undefined) grant = { scope: scoped.graphs };
  }
  if (!grant) throw new Forbidden('this token may not write');
  return grant;
}

/**
 * @param reserved the graphs only Vínculo writes (the catalog, the vocabularies).
 * @throws Forbidden when the graph is reserved, or the grant does not cover it (undefined: the default graph).
 */
export function requireGraph(grant: WriteGrant, graph: string | undefined, reserved: readonly string[]): void {
  if (graph !== undefined && reserved.includes(graph)) {
    throw reservedGraphWrite(graph);
  }
  if (grant.scope === undefined) return;
  if (graph === undefined || !grant.scope.includes(graph)) {
    throw new Forbidden(`this token may not change ${graph === undefined ? 'the default graph' : `<${graph}>`}`);
  }
}

/**
 * The tokens the configuration names: `updateToken` is the all-graphs token; each `writeTokens`
 * entry whose environment variable is set may change its datasets' graphs.
 * @throws BadRequest (from datasetGraph) when a configured dataset id is not valid.
 */
export function writeTokensOf(
  config: Pick<VinculoConfig, 'updateToken' | 'writeTokens'>,
  store: Pick<VinculoStore, 'baseIRI'>,
): WriteTokens {
  const scoped = config.writeTokens.flatMap((entry) =>
    entry.token === undefined
      ? []
      : [{ token: entry.token, graphs: entry.datasets.map((id) => datasetGraph(store.baseIRI, id).value) }],
  );
  return config.updateToken === undefined ? { scoped } : { all: config.updateToken, scoped };
}
