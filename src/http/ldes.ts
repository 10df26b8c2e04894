/**
 * `/ldes/{id}`: each dataset's Linked Data Event Stream — the stream, its time view
 * (`/by-time`), the pages (`/by-time/{n}`: full pages immutable for a year, the newest 60 s;
 * a page compaction removed: 303 to the page the stream continues at) and the members
 * (`/member/{n}`: 303 to their page, 410 once compacted away), in Turtle, JSON-LD, N-Triples,
 * TriG or N-Quads. Reading never writes: the writers (import, harvest) publish their members.
 */
import { type Request, type Response, Router } from 'express';
import { Gone, NotFound } from '../errors/index.js';
import { datasetEventStream, eventStreamDocument, pageDocument, pageOfMember, type StreamDocument, type StreamPlace, viewDocument } from '../ldes/index.js';
import { rdfFormats } from '../rdf/index.js';
import { preconditionsFresh } from './caching.js';
import { chooseRepresentation, rdfBody, splitSuffix } from './document-response.js';

export type LdesOptions = StreamPlace;

const streamFormats = ['turtle', 'jsonld', 'ntriples', 'trig', 'nquads'].flatMap((name) => rdfFormats.filter((format) => format.name === name));

/** Seconds a client may reuse the stream, its view and the open page: new members show within a minute. */
const openMaxAge = 60;

async function send(request: Request, response: Response, suffix: string | undefined, document: StreamDocument, baseIRI: string): Promise<void> {
  const representation = chooseRepresentation(request, suffix, { html: false, formats: streamFormats });
  if (representation.kind !== 'rdf') throw new NotFound('no HTML page for an event stream');
  const etag = `"${document.tag}-${representation.format.name}"`;
  response.setHeader('Vary', 'Accept');
  response.setHeader('ETag', etag);
  response.setHeader('Cache-Control', document.immutable ? 'public, max-age=31536000, immutable' : `public, max-age=${openMaxAge}`);
  if (preconditionsFresh(request, { etag })) {
    response.status(304).end();
    return;
  }
  response.type(`${representation.format.mediaType}; charset=utf-8`);
  if (request.method === 'HEAD') response.end();
  else response.send(await rdfBody([...document.quads], representation.format, baseIRI));
}

export function ldesRouter(options: LdesOptions): Router {
  const router = Router();
  const { baseIRI, store } = options;
  /** The dataset's stream as its writers last published it. */
  const streamOf = async (datasetId: string) => {
    if (!store.dataset(datasetId)) throw new NotFound(`no dataset "${datasetId}"`);
    return datasetEventStream(options, datasetId);
  };
  router.get('/ldes/:id', async (request, response) => {
    const { path, suffix } = splitSuffix(request.params.id);
    await send(request, response, suffix, eventStreamDocument(baseIRI, await streamOf(path)), baseIRI);
  });
  router.get('/ldes/:id/by-time', async (request, response) => {
    await send(request, response, undefined, viewDocument(baseIRI, await streamOf(request.params.id), options.retention), baseIRI);
  });
  router.get('/ldes/:id/by-time/:page', async (request, response) => {
    const { path, suffix } = splitSuffix(request.params.page);
    const page = /^\d+$/.test(path) ? Number(path) : Number.NaN;
    const document = await pageDocument(baseIRI, await streamOf(request.params.id), page);
    if (!document) throw new NotFound(`no page ${path} in the event stream of "${request.params.id}"`);
    // LDES server primer, log compaction: an immutable page is never changed; a removed one points onward (a client follows redirects, a 410 would end its walk).
    if ('continuesAt' in document) response.redirect(303, `/ldes/${request.params.id}/by-time/${document.continuesAt}${suffix === undefined ? '' : `.${suffix}`}`);
    else await send(request, response, suffix, document, baseIRI);
  });
  router.get('/ldes/:id/member/:ordinal', async (request, response) => {
    const stream = await streamOf(request.params.id);
    const ordinal = /^\d+$/.test(request.params.ordinal) ? Number(request.params.ordinal) : Number.NaN;
    if (!(ordinal < stream.log.count)) throw new NotFound(`no member ${request.params.ordinal} in the event stream of "${request.params.id}"`);
    if (stream.log.pageState(pageOfMember(ordinal)) === 'pruned') throw new Gone(`member ${ordinal} of the event stream of "${request.params.id}" is outside its retention policy and was removed`);
    response.redirect(303, `/ldes/${request.params.id}/by-time/${pageOfMember(ordinal)}`);
  });
  return router;
}
