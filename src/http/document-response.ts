/** Serving one document in the representation the client asked for: suffix or `Accept`, alternates, 404/410 in that representation. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as RDF from '@rdfjs/types';
import type { Request, Response } from 'express';
import { NotAcceptable } from '../errors/index.js';
import {
  DataFactory,
  type QuadSource,
  basePrefixes,
  findRdfFormat,
  negotiate,
  prefixes as knownPrefixes,
  type RdfFormat,
  rdfFormats,
  serializeRdf,
  serializeRdfToString,
  TurtleDocumentWriter,
} from '../rdf/index.js';
import { type Alternate, PageJsonLdWriter, pickLanguage, renderNotFoundPage } from '../web/index.js';

export const htmlType = 'text/html';

/** The syntaxes a document is offered in; N3 adds nothing a reader of Turtle lacks. */
export const documentFormats: readonly RdfFormat[] = rdfFormats.filter((format) => format.name !== 'n3');

const formatLabels: Record<string, string> = {
  turtle: 'Turtle',
  jsonld: 'JSON-LD',
  rdfxml: 'RDF/XML',
  ntriples: 'N-Triples',
  nquads: 'N-Quads',
  trig: 'TriG',
};

/** Syntaxes written as the quads arrive, for whole graphs that must not be held in memory. */
export const streamingFormats: readonly RdfFormat[] = documentFormats.filter((format) => format.name !== 'jsonld' && format.name !== 'rdfxml');

export interface RepresentationOptions {
  /** Whether an HTML page exists for the document. */
  readonly html: boolean;
  /** The RDF syntaxes offered; every document syntax unless said. */
  readonly formats?: readonly RdfFormat[];
}

export type Representation = { readonly kind: 'html'; readonly suffix: 'html' } | { readonly kind: 'rdf'; readonly suffix: string; readonly format: RdfFormat };

const suffixPattern = /\.(html|ttl|jsonld|rdf|nt|nq|trig)$/;

/** Splits a known representation suffix (`.ttl`, `.html`, …) off a path. */
export function splitSuffix(path: string): { readonly path: string; readonly suffix: string | undefined } {
  const match = suffixPattern.exec(path);
  if (!match?.[1]) return { path, suffix: undefined };
  return { path: path.slice(0, -match[1].length - 1), suffix: match[1] };
}

function representationOf(key: string, options: RepresentationOptions): Representation | undefined {
  if (key === 'html' || key === htmlType) return options.html ? { kind: 'html', suffix: 'html' } : undefined;
  const format = findRdfFormat(key);
  return format && (options.formats ?? documentFormats).includes(format) ? { kind: 'rdf', suffix: format.suffix, format } : undefined;
}

/**
 * The representation to send: the one a suffix names, else the best match for `Accept`
 * (RFC 9110 §12.5.1); HTML is offered only where a page exists.
 * @throws NotAcceptable when nothing offered matches `Accept`, or the suffix names a syntax not offered here (406).
 */
export function chooseRepresentation(request: Pick<IncomingMessage, 'headers'>, suffix: string | undefined, options: RepresentationOptions): Representation {
  if (suffix !== undefined) {
    const named = representationOf(suffix, options);
    if (!named) throw new NotAcceptable(`this document is not offered as .${suffix}`);
    return named;
  }
  const offers = [...(options.html ? [htmlType] : []), ...(options.formats ?? documentFormats).map((format) => format.mediaType)];
  const accept = request.headers.accept;
  const chosen = negotiate(accept, offers);
  const representation = chosen === undefined ? undefined : representationOf(chosen, options);
  if (!representation) throw new NotAcceptable(`no representation matches Accept: ${accept}; offered: ${offers.join(', ')}`);
  return representation;
}

/** The alternates of a document at `path` (site path without suffix), HTML first when there is a page. */
export function alternatesOf(path: string, options: RepresentationOptions): Alternate[] {
  return [
    ...(options.html ? [{ href: `${path}.html`, type: htmlType, label: 'HTML' }] : []),
    ...(options.formats ?? documentFormats).map((format) => ({ href: `${path}.${format.suffix}`, type: format.mediaType, label: formatLabels[format.name] ?? format.name })),
  ];
}

/** `Vary`, `Content-Location` and one `Link: rel="alternate"` per representation (RFC 8288). */
export function setDocumentHeaders(response: ServerResponse, rawPath: string, representation: Representation, options: RepresentationOptions): void {
  // The path comes decoded from the request: CR, LF or non-ASCII in a header would throw (a 500) or split it.
  const path = rawPath.replace(/[^\x21-\x7e]/gu, (char) => encodeURIComponent(char));
  response.setHeader('Vary', options.html ? 'Accept, Accept-Language' : 'Accept');
  response.setHeader('Content-Location', `${path}.${representation.suffix}`);
  response.setHeader('Link', alternatesOf(path, options).map((alternate) => `<${alternate.href}>; rel="alternate"; type="${alternate.type}"`).join(', '));
}

/** The prefixes documents are written with: the well-known ones, the site's own, and Hydra's (fragments, incoming links). */
export function documentPrefixes(baseIRI: string): Record<string, string> {
  return { ...basePrefixes(baseIRI), hydra: 'http://www.w3.org/ns/hydra/core#' };
}

/** One `make(baseIRI)` per base IRI: a site's writers, their prefix tables made once, not per document. */
function perBaseIRI<T>(make: (baseIRI: string) => T): (baseIRI: string) => T {
  const made = new Map<string, T>();
  return (baseIRI) => {
    let value = made.get(baseIRI);
    if (value === undefined) {
      value = make(baseIRI);
      made.set(baseIRI, value);
    }
    return value;
  };
}

/** The Turtle writer of a site's documents. */
const turtleWriterOf = perBaseIRI((baseIRI) => new TurtleDocumentWriter(documentPrefixes(baseIRI)));

/** The writer of a site's embedded JSON-LD, with the prefixes the JSON-LD syntax is written with (the well-known ones too). */
const jsonLdWriterOf = perBaseIRI((baseIRI) => new PageJsonLdWriter({ ...knownPrefixes, ...documentPrefixes(baseIRI) }));

/**
 * The JSON-LD a resource page embeds: written in one pass, or by jsonld.js for the few terms the
 * direct writer does not carry (which jsonld.js refuses, or writes, as it always did).
 * @throws NotAcceptable when the triples cannot be written in JSON-LD.
 */
export async function pageJsonLd(triples: readonly RDF.Quad[], baseIRI: string): Promise<string> {
  return jsonLdWriterOf(baseIRI).write(triples) ?? (await serializeRdfToString(triples, { format: 'jsonld', prefixes: documentPrefixes(baseIRI) }));
}

/** Drops graph names (and the duplicates that leaves) for syntaxes that carry one graph. */
export function asTriples(quads: Iterable<RDF.Quad>): RDF.Quad[] {
  const unique = new Map<string, RDF.Quad>();
  for (const quad of quads) {
    const { subject, predicate, object } = quad;
    const objectKey = object.termType === 'Literal' ? `"${object.value}"@${object.language}^^${object.datatype.value}` : `${object.termType}:${object.value}`;
    unique.set(`${subject.termType}:${subject.value} ${predicate.value} ${objectKey}`, DataFactory.quad(subject, predicate, object));
  }
  return [...unique.values()];
}

/** Arrays are deduplicated as triples; streams (one dataset graph, so no duplicates) lose graph names as they pass. */
function triplesOf(quads: QuadSource): QuadSource {
  if (Array.isArray(quads)) return asTriples(quads);
  return (async function* () {
    for await (const quad of quads) yield DataFactory.quad(quad.subject, quad.predicate, quad.object);
  })();
}

/**
 * The whole text of `quads` in `format` (a document or a page, small enough to hold), graph names
 * kept only where the syntax has them.
 * @throws NotAcceptable when the data cannot be written in that syntax.
 */
export async function rdfBody(quads: readonly RDF.Quad[], format: RdfFormat, baseIRI: string): Promise<string> {
  if (format.name === 'turtle') return turtleWriterOf(baseIRI).write(quads);
  return serializeRdfToString(format.graphs ? quads : asTriples(quads), { format: format.name, prefixes: documentPrefixes(baseIRI) });
}

/**
 * Writes quads in `format`, streaming the serializer's chunks; graph names are kept only where
 * the syntax has them. HEAD gets the headers without the work of serialising.
 * @throws NotAcceptable when the data cannot be written in that syntax (before any byte is sent).
 */
export async function sendRdf(request: Request, response: Response, quads: QuadSource, format: RdfFormat, baseIRI: string): Promise<void> {
  response.type(`${format.mediaType}; charset=utf-8`);
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const body = serializeRdf(format.graphs ? quads : triplesOf(quads), { format: format.name, prefixes: documentPrefixes(baseIRI) });
  for await (const chunk of body) response.write(chunk);
  response.end();
}

/**
 * A 404 (or 410) in the representation the client asked for: an HTML page, or an empty graph in
 * the RDF syntax, so a crawler's parser still gets what it asked for.
 * @throws NotAcceptable when the empty graph cannot be written (never for the offered syntaxes).
 */
export async function sendMissing(
  request: Request,
  response: Response,
  representation: Representation,
  options: { readonly iri: string; readonly baseIRI: string; readonly gone?: boolean },
): Promise<void> {
  response.status(options.gone ? 410 : 404);
  response.setHeader('Cache-Control', 'no-cache');
  if (representation.kind === 'html') {
    response.type('text/html; charset=utf-8');
    response.send(renderNotFoundPage({ iri: options.iri, baseIRI: options.baseIRI, language: pickLanguage(request.get('Accept-Language')), gone: options.gone }));
    return;
  }
  await sendRdf(request, response, [], representation.format, options.baseIRI);
}
