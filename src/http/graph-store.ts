/** The SPARQL 1.1 Graph Store HTTP Protocol at /graph-store (?graph=IRI or ?default). */
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import express, { type Request, type Response, type Router } from 'express';
import { BadRequest, NotAcceptable, NotFound } from '../errors/index.js';
import { DataFactory, findRdfFormat, mediaTypesOf, negotiate, parseRdfToArray, rdfFormat, serializeRdf, whenDone } from '../rdf/index.js';
import { reservedGraphs, type VinculoStore } from '../store/index.js';
import { authorizeWrite, requireGraph, type WriteTokens } from './write-auth.js';

export interface GraphStoreDeps {
  readonly store: VinculoStore;
  readonly tokens: WriteTokens;
  readonly baseIRI: string;
  readonly maxBodyBytes: number;
}

const offers = mediaTypesOf(['turtle', 'ntriples', 'jsonld', 'rdfxml', 'nquads', 'trig']);

/** The graph a request addresses (§4.1 direct naming is not used: indirect `?graph=` / `?default`). */
function targetGraph(request: Request, baseIRI: string): RDF.NamedNode | RDF.DefaultGraph {
  const params = request.query as Record<string, unknown>;
  const graph = params.graph;
  const isDefault = params.default !== undefined;
  if (isDefault && graph !== undefined) throw new BadRequest('use either ?graph=IRI or ?default, not both');
  if (isDefault) return DataFactory.defaultGraph();
  if (typeof graph !== 'string' || graph === '') throw new BadRequest('name the graph with ?graph=IRI, or use ?default');
  try {
    return DataFactory.namedNode(new URL(graph, baseIRI).href);
  } catch {
    throw new BadRequest(`not an IRI: ${graph}`);
  }
}

/**
 * The parts of a multipart/form-data body (RFC 7578), which GSP §5.5 allows for POST: each part
 * is an RDF document named by its own Content-Type.
 * @throws BadRequest without a boundary or with a part that names no content type.
 */
function multipartParts(body: string, contentType: string): Array<{ contentType: string; text: string }> {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw new BadRequest('multipart/form-data without a boundary');
  const parts: Array<{ contentType: string; text: string }> = [];
  for (const chunk of body.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith('--')) break;
    const separator = /\r?\n\r?\n/.exec(chunk);
    if (!separator) continue;
    const head = chunk.slice(0, separator.index);
    const text = chunk.slice(separator.index + separator[0].length).replace(/\r?\n$/, '');
    const partType = /^content-type:\s*(.+)$/im.exec(head)?.[1]?.trim();
    if (!partType) throw new BadRequest('a multipart part has no Content-Type');
    parts.push({ contentType: partType, text });
  }
  return parts;
}

function exists(store: RDF.Store<RDF.Quad> & { countQuads?: VinculoStore['countQuads'] }, graph: RDF.Term, named: boolean): boolean {
  if (!named) return true;
  return (store.countQuads?.(null, null, null, graph) ?? 0) > 0;
}

/**
 * The router for `/graph-store`: GET and HEAD read a graph in a negotiated syntax; PUT replaces,
 * POST merges, DELETE drops it. Writes need a bearer token covering the graph and run in one
 * `store.write()`. `?default` is the store's own default graph, whatever the SPARQL default is.
 * @throws nothing itself; request errors reach the error middleware as typed errors.
 */
export function graphStore(deps: GraphStoreDeps): Router {
  const { store, tokens, baseIRI } = deps;
  const router = express.Router();
  const body = express.text({ type: () => true, limit: deps.maxBodyBytes });

  async function read(request: Request, response: Response, head: boolean): Promise<void> {
    const graph = targetGraph(request, baseIRI);
    const mediaType = negotiate(request.get('accept'), offers);
    if (!mediaType) throw new NotAcceptable(`none of ${offers.join(', ')} is acceptable`);
    if (!exists(store, graph, graph.termType === 'NamedNode')) throw new NotFound(`no graph <${graph.value}>`);
    response.status(200).setHeader('Content-Type', `${mediaType}; charset=utf-8`);
    response.setHeader('Vary', 'Accept');
    if (head) {
      response.end();
      return;
    }
    const format = findRdfFormat(mediaType)?.name ?? 'turtle';
    const quads = async function* () {
      for await (const quad of store.exportQuads(graph)) {
        // Named graphs are served as triples: the graph is the resource itself.
        yield format === 'nquads' || format === 'trig' ? quad : DataFactory.quad(quad.subject, quad.predicate, quad.object);
      }
    };
    for await (const chunk of serializeRdf(quads(), { format })) {
      if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve));
    }
    response.end();
  }

  async function parseBody(request: Request, graph: RDF.NamedNode | RDF.DefaultGraph): Promise<RDF.Quad[]> {
    const contentType = request.get('content-type') ?? 'no content type';
    const text = typeof request.body === 'string' ? request.body : '';
    const base = graph.termType === 'NamedNode' ? graph.value : baseIRI;
    const parts = /^multipart\/form-data/i.test(contentType) ? multipartParts(text, contentType) : [{ contentType, text }];
    const quads: RDF.Quad[] = [];
    for (const part of parts) {
      const format = rdfFormat(part.contentType);
      for (const quad of await parseRdfToArray(part.text, { format: format.name, baseIRI: base })) {
        quads.push(DataFactory.quad(quad.subject, quad.predicate, quad.object, graph));
      }
    }
    return quads;
  }

  async function change(request: Request, response: Response, mode: 'put' | 'post' | 'delete'): Promise<void> {
    const grant = authorizeWrite(request.get('authorization'), tokens);
    const graph = targetGraph(request, baseIRI);
    requireGraph(grant, graph.termType === 'NamedNode' ? graph.value : undefined, reservedGraphs(store.baseIRI));
    const quads = mode === 'delete' ? [] : await parseBody(request, graph);
    const named = graph.termType === 'NamedNode';
    const existed = await store.write(async (target) => {
      const before = exists(store, graph, named);
      if (mode === 'delete' && !before) throw new NotFound(`no graph <${graph.value}>`);
      if (mode !== 'post') await whenDone(target.deleteGraph(graph));
      if (quads.length > 0) {
        await whenDone(target.import(Readable.from(quads)));
      }
      return before;
    });
    response.status(existed || !named ? 204 : 201).end();
  }

  router.use('/graph-store', (_request, response, next) => {
    response.setHeader('Access-Control-Allow-Origin', '*');
    next();
  });
  router.get('/graph-store', (request, response) => read(request, response, false));
  router.head('/graph-store', (request, response) => read(request, response, true));
  router.put('/graph-store', body, (request, response) => change(request, response, 'put'));
  router.post('/graph-store', body, (request, response) => change(request, response, 'post'));
  router.delete('/graph-store', (request, response) => change(request, response, 'delete'));
  return router;
}
