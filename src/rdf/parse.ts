/** Parsing every RDF syntax Vínculo accepts into RDF/JS quads, streaming where the syntax allows. */
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import jsonld from 'jsonld';
import { StreamParser } from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import { SyntaxProblem } from '../errors/index.js';
import { DataFactory } from './factory.js';
import type { RdfFormatName } from './formats.js';

export interface ParseOptions {
  readonly format: RdfFormatName;
  readonly baseIRI?: string;
  /** Named in error messages. */
  readonly source?: string;
}

type TextInput = string | NodeJS.ReadableStream;

function toReadable(input: TextInput): NodeJS.ReadableStream {
  return typeof input === 'string' ? Readable.from([input]) : input;
}

const n3Formats: Record<string, string> = {
  turtle: 'text/turtle',
  trig: 'application/trig',
  ntriples: 'application/n-triples',
  nquads: 'application/n-quads',
  n3: 'text/n3',
};

/**
 * Parses RDF text into quads.
 * @throws SyntaxProblem with the line (and file, when `source` is given) of the first error.
 */
export async function* parseRdf(input: TextInput, options: ParseOptions): AsyncGenerator<RDF.Quad> {
  if (options.format === 'jsonld') {
    yield* await parseJsonLd(input, options);
    return;
  }
  const parser =
    options.format === 'rdfxml'
      ? new RdfXmlParser({ baseIRI: options.baseIRI ?? '', dataFactory: DataFactory, trackPosition: true })
      : new StreamParser({ format: n3Formats[options.format], baseIRI: options.baseIRI, factory: DataFactory });
  const source = toReadable(input);
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  try {
    for await (const quad of parser as AsyncIterable<RDF.Quad>) yield quad;
  } catch (error) {
    throw asSyntaxProblem(error, options.source);
  }
}

/** Parses a whole document into an array; for small inputs (uploads, vocabularies, test data). */
export async function parseRdfToArray(input: TextInput, options: ParseOptions): Promise<RDF.Quad[]> {
  const quads: RDF.Quad[] = [];
  for await (const quad of parseRdf(input, options)) quads.push(quad);
  return quads;
}

async function readText(input: TextInput): Promise<string> {
  if (typeof input === 'string') return input;
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** JSON-LD never fetches remote contexts: a document that needs one is refused (SSRF). */
const refuseRemoteDocuments = async (url: string): Promise<never> => {
  throw new SyntaxProblem(`remote JSON-LD contexts are not fetched: ${url}`);
};

async function parseJsonLd(input: TextInput, options: ParseOptions): Promise<RDF.Quad[]> {
  let document: unknown;
  try {
    document = JSON.parse(await readText(input));
  } catch (error) {
    throw new SyntaxProblem(`invalid JSON: ${(error as Error).message}`, { file: options.source });
  }
  try {
    const dataset = (await jsonld.toRDF(document as jsonld.JsonLdDocument, {
      base: options.baseIRI,
      documentLoader: refuseRemoteDocuments,
    })) as unknown as RDF.Quad[];
    return dataset.map((quad) => importQuad(quad));
  } catch (error) {
    throw asSyntaxProblem(error, options.source);
  }
}

function importTerm(term: RDF.Term): RDF.Term {
  switch (term.termType) {
    case 'NamedNode':
      return DataFactory.namedNode(term.value);
    case 'BlankNode':
      return DataFactory.blankNode(term.value.replace(/^_:/, ''));
    case 'Literal':
      return DataFactory.literal(term.value, term.language || DataFactory.namedNode(term.datatype.value));
    case 'DefaultGraph':
      return DataFactory.defaultGraph();
    default:
      return term;
  }
}

function importQuad(quad: RDF.Quad): RDF.Quad {
  return DataFactory.quad(
    importTerm(quad.subject) as RDF.Quad_Subject,
    importTerm(quad.predicate) as RDF.Quad_Predicate,
    importTerm(quad.object) as RDF.Quad_Object,
    importTerm(quad.graph) as RDF.Quad_Graph,
  );
}

function asSyntaxProblem(error: unknown, file: string | undefined): Error {
  if (error instanceof SyntaxProblem) return error;
  if (!(error instanceof Error)) return new SyntaxProblem(String(error), { file });
  const context = (error as Error & { context?: { line?: number } }).context;
  const lineMatch = /line (\d+)/i.exec(error.message);
  const line = context?.line ?? (lineMatch ? Number(lineMatch[1]) : undefined);
  return new SyntaxProblem(error.message, { file, line }, { cause: error });
}
