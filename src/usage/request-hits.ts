/**
 * What a finished response counts as, read from its path, method, status and content type: a
 * document view, a dump download, a fragment or LDES page, a SPARQL query, or (for known portal
 * harvesters only) a read of the whole catalog.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { datasetIdOfGraph, type DumpKind } from '../rdf/index.js';
import type { Attribution } from './attribution.js';
import { type CountedMetric, counterSlot, type DumpSyntax, isDumpSyntax, type SlotCounts, type Syntax, syntaxOf, syntaxOfMediaType } from './usage-metrics.js';

export interface Hit {
  readonly datasets: readonly string[];
  readonly counts: SlotCounts;
}

function slotCounts(counts: ReadonlyArray<readonly [CountedMetric, number]>): SlotCounts {
  return counts.flatMap(([metric, amount]) => [counterSlot[metric], amount]);
}

/** What the SPARQL protocol told of a query: its text and protocol graphs (in memory only), and the rows sent so far. */
export interface QueryFacts {
  readonly text: string;
  readonly defaultGraphUris: readonly string[];
  readonly namedGraphUris: readonly string[];
  rows: number;
}

/**
 * User agents of other portals' harvesters and dataset crawlers: CKAN (ckanext-dcat, ckanext-harvest),
 * DKAN, Socrata, data.europa.eu (its piveau harvester), uData (data.gouv.fr), Opendatasoft,
 * Googlebot (Google Dataset Search reads schema.org/DCAT through it), LDES clients.
 */
export const harvesterAgents = /ckan|dkan|socrata|data\.europa\.eu|piveau|udata|opendatasoft|googlebot|ldes[-_ ]?client/i;

/** Site-wide descriptions a harvester reads to harvest every dataset at once. */
const catalogPaths = new Set(['/', '/catalog', '/catalog/data.json', '/.well-known/void', '/sitemap.xml']);

const countedStatus = new Set([200, 206, 304]);

const dumpSyntaxOfKind: Readonly<Record<DumpKind, DumpSyntax>> = { nt: 'NTriples', ttl: 'Turtle', nq: 'NQuads' };

const suffix = /\.[a-z]+$/;

// The counts of each kind of hit, made once: a crawler's every request makes one (and looks its
// counts up without building a key).
const documentCounts = new Map<boolean, Map<Syntax | undefined, SlotCounts>>();
for (const human of [true, false]) {
  const bySyntax = new Map<Syntax | undefined, SlotCounts>();
  for (const syntax of [undefined, ...Object.values(syntaxOfMediaType)]) {
    const counts: Array<readonly [CountedMetric, number]> = [['documentViews', 1], [human ? 'documentViewsHuman' : 'documentViewsMachine', 1]];
    if (syntax) counts.push([`documentViews${syntax}`, 1]);
    bySyntax.set(syntax, slotCounts(counts));
  }
  documentCounts.set(human, bySyntax);
}
const anyDumpCounts = slotCounts([['dumpDownloads', 1]]);
const dumpCounts = new Map<string, SlotCounts>(
  Object.values(syntaxOfMediaType).map((syntax) => [syntax, isDumpSyntax(syntax) ? slotCounts([['dumpDownloads', 1], [`dumpDownloads${syntax}`, 1]]) : anyDumpCounts]),
);
const fragmentCounts = slotCounts([['fragmentPages', 1]]);
const ldesCounts = slotCounts([['ldesPages', 1]]);

function documentHit(datasets: readonly string[], syntax: Syntax | undefined, request: IncomingMessage): Hit {
  // Human by Accept: a browser gets HTML (a 304 has no content type left to tell).
  const human = syntax === undefined ? (request.headers.accept ?? '').includes('text/html') : syntax === 'Html';
  return { datasets, counts: documentCounts.get(human)?.get(syntax) ?? [] };
}

function dumpHit(datasets: readonly string[], syntax: Syntax | undefined): Hit {
  return { datasets, counts: (syntax && dumpCounts.get(syntax)) || anyDumpCounts };
}

/** The first path segment after `prefix`, less a representation suffix. */
function segmentAfter(path: string, prefix: string): { readonly id: string; readonly rest: string } {
  const tail = path.slice(prefix.length);
  const slash = tail.indexOf('/');
  return { id: (slash < 0 ? tail : tail.slice(0, slash)).replace(suffix, ''), rest: slash < 0 ? '' : tail.slice(slash + 1) };
}

/**
 * The hit a finished response makes; undefined when it counts as nothing (a failure, a redirect,
 * a write, an asset, a HEAD).
 */
export function hitOf(
  request: IncomingMessage,
  response: ServerResponse,
  site: { readonly attribution: Attribution; readonly baseIRI: string },
  queries: { get(request: IncomingMessage): QueryFacts | undefined },
  harvester: boolean,
): Hit | undefined {
  if (!countedStatus.has(response.statusCode)) return undefined;
  const { attribution } = site;
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  // Looked up only for the endpoint's path: a crawler's documents need no lookup keyed by request.
  const query = path === '/sparql' ? queries.get(request) : undefined;
  if (query) {
    return { datasets: attribution.queryDatasets(query.text, query), counts: slotCounts([['sparqlQueries', 1], ['sparqlResultRows', query.rows]]) };
  }
  if (request.method !== 'GET') return undefined;
  const contentType = response.getHeader('content-type');
  const syntax = syntaxOf(typeof contentType === 'string' ? contentType : undefined);
  if (path.startsWith('/doc/') || path.startsWith('/kos/')) return documentHit(attribution.documentDatasets(path), syntax, request);
  if (path.startsWith('/dataset/')) {
    const { id, rest } = segmentAfter(path, '/dataset/');
    if (rest === '') return documentHit(attribution.datasetList(id), syntax, request);
    return rest.startsWith('dump') ? dumpHit(attribution.datasetList(id), syntax) : undefined;
  }
  if (path.startsWith('/dumps/')) {
    const dump = /^\/dumps\/([a-z0-9-]+)\.(nt|ttl|nq)\.gz$/.exec(path);
    return dump?.[1] && dump[2] ? dumpHit(attribution.datasetList(dump[1]), dumpSyntaxOfKind[dump[2] as DumpKind]) : undefined;
  }
  if (path.startsWith('/graph/')) return dumpHit(attribution.datasetList(segmentAfter(path, '/graph/').id), syntax);
  if (path === '/graph-store') {
    const graph = new URLSearchParams(url.slice(queryAt + 1)).get('graph');
    const id = graph === null ? undefined : datasetIdOfGraph(site.baseIRI, graph);
    return id === undefined ? undefined : dumpHit(attribution.datasetList(id), syntax);
  }
  if (path === '/fragments') return { datasets: attribution.fragmentDatasets(queryAt < 0 ? '' : url.slice(queryAt + 1)), counts: fragmentCounts };
  if (path.startsWith('/ldes/')) return { datasets: attribution.datasetList(segmentAfter(path, '/ldes/').id), counts: ldesCounts };
  if (harvester && catalogPaths.has(path)) return { datasets: attribution.allDatasets(), counts: [] };
  return undefined;
}
