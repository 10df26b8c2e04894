/**
 * Known reuses of a dataset (an app, a paper, a news story), recorded by an agency through an
 * authorised write — `POST /dataset/{id}/reuses` with the write tokens (a scoped token only for
 * its datasets) — as `<dataset> dct:isReferencedBy <reuse>` in the catalog graph, which no SPARQL
 * update may write. `GET /dataset/{id}/reuses` lists them as JSON.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import express, { type Request, type Router } from 'express';
import { BadRequest, NotFound } from '../errors/index.js';
import { catalogGraph, DataFactory, datasetGraph, datasetIri, datasetPart, matchQuads, ns, vinculoTerm, whenDone } from '../rdf/index.js';
import type { VinculoStore } from '../store/index.js';

export const reuseKinds = ['app', 'paper', 'news', 'other'] as const;
export type ReuseKind = (typeof reuseKinds)[number];

/** The class each kind is typed with (`dct:type`), defined with labels in `vocabularies/vinculo.ttl`. */
const kindClass: Readonly<Record<ReuseKind, string>> = { app: 'ReuseApp', paper: 'ReusePaper', news: 'ReuseNews', other: 'ReuseOther' };

export interface Reuse {
  readonly iri: string;
  readonly title: string;
  readonly url: string;
  readonly kind: ReuseKind;
  /** When it was recorded (ISO 8601). */
  readonly recorded: string;
}

const { namedNode, literal, quad } = DataFactory;

/** One reuse per dataset and URL: recording the same URL again replaces its title and kind. */
function reuseIri(baseIRI: string, datasetId: string, url: string): RDF.NamedNode {
  return datasetPart(baseIRI, datasetId, `reuse/${createHash('sha256').update(url).digest('hex').slice(0, 16)}`);
}

function text(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** @throws BadRequest naming the field that is missing or wrong. */
function reuseOf(body: Record<string, unknown>): Omit<Reuse, 'iri' | 'recorded'> {
  const title = text(body, 'title');
  const url = text(body, 'url');
  const kind = text(body, 'kind') || 'other';
  if (title === '' || title.length > 500) throw new BadRequest('a reuse needs a "title" of 1 to 500 characters');
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new BadRequest(`a reuse needs a "url" that is an absolute http(s) URL, got ${JSON.stringify(url)}`);
  if (!(reuseKinds as readonly string[]).includes(kind)) throw new BadRequest(`"kind" must be one of ${reuseKinds.join(', ')}, got ${JSON.stringify(kind)}`);
  return { title, url: new URL(url).href, kind: kind as ReuseKind };
}

/**
 * The reuses recorded for a dataset, oldest first (the dataset page lists them).
 * @throws whatever the store's stream raises.
 */
export async function reusesOf(store: VinculoStore, datasetId: string): Promise<Reuse[]> {
  const baseIRI = store.baseIRI;
  const graph = catalogGraph(baseIRI);
  const classes = new Map(reuseKinds.map((kind) => [vinculoTerm(baseIRI, kindClass[kind]).value, kind]));
  const reuses: Reuse[] = [];
  for await (const link of matchQuads(store, datasetIri(baseIRI, datasetId), ns.dct('isReferencedBy'), null, graph)) {
    const values = new Map<string, string>();
    for await (const fact of matchQuads(store, link.object, null, null, graph)) values.set(fact.predicate.value, fact.object.value);
    const url = values.get(ns.foaf('page').value);
    const title = values.get(ns.dct('title').value);
    if (url === undefined || title === undefined) continue;
    reuses.push({ iri: link.object.value, title, url, kind: classes.get(values.get(ns.dct('type').value) ?? '') ?? 'other', recorded: values.get(ns.dct('created').value) ?? '' });
  }
  return reuses.sort((a, b) => a.recorded.localeCompare(b.recorded));
}

export interface ReusesOptions {
  readonly store: VinculoStore;
  readonly baseIRI: string;
  readonly maxBodyBytes: number;
  /**
   * Checks the request's `Authorization` may write the dataset's graph.
   * @throws Unauthorized (401) without a token, Forbidden (403) with one that may not.
   */
  readonly authorize: (authorization: string | undefined, graph: string) => void;
}

/**
 * `POST` and `GET /dataset/{id}/reuses`.
 * @throws from its handlers: Unauthorized, Forbidden, NotFound (no such dataset), BadRequest (a bad field).
 */
export function reusesRouter({ store, baseIRI, maxBodyBytes, authorize }: ReusesOptions): Router {
  const router = express.Router();
  const datasetOf = (request: Request): string => {
    const id = String(request.params.id);
    if (!store.dataset(id)) throw new NotFound(`no dataset ${id}`);
    return id;
  };

  router.get('/dataset/:id/reuses', async (request, response) => {
    response.json({ reuses: await reusesOf(store, datasetOf(request)) });
  });

  router.post(
    '/dataset/:id/reuses',
    (request, _response, next) => {
      // The token is checked before the body is read: a client that may not write sends nothing more.
      authorize(request.get('authorization'), datasetGraph(baseIRI, String(request.params.id)).value);
      next();
    },
    express.json({ limit: maxBodyBytes }),
    express.urlencoded({ extended: false, limit: maxBodyBytes, parameterLimit: 10 }),
    async (request, response) => {
      const id = datasetOf(request);
      const reuse = reuseOf((request.body ?? {}) as Record<string, unknown>);
      const graph = catalogGraph(baseIRI);
      const node = reuseIri(baseIRI, id, reuse.url);
      const recorded = new Date().toISOString();
      const quads = [
        quad(datasetIri(baseIRI, id), ns.dct('isReferencedBy'), node, graph),
        quad(node, ns.rdf('type'), vinculoTerm(baseIRI, 'Reuse'), graph),
        quad(node, ns.dct('title'), literal(reuse.title), graph),
        quad(node, ns.foaf('page'), namedNode(reuse.url), graph),
        quad(node, ns.dct('type'), vinculoTerm(baseIRI, kindClass[reuse.kind]), graph),
        quad(node, ns.dct('created'), literal(recorded, ns.xsd('dateTime')), graph),
      ];
      await store.write(async (target) => {
        await whenDone(target.removeMatches(node, null, null, graph));
        await whenDone(target.import(Readable.from(quads)));
      });
      response.status(201).setHeader('Location', node.value);
      response.json({ ...reuse, iri: node.value, recorded } satisfies Reuse);
    },
  );
  return router;
}
