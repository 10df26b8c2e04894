/** Parsing every RDF syntax Vínculo accepts into RDF/JS quads, streaming where the syntax allows. */
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import jsonld from 'jsonld';
import { StreamParser } from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import { SyntaxProblem } from '../errors/index.js';
import { DataFactory } from './factory.js';
import { type RdfFormatName, rdfFormat } from './formats.js';

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

/** The syntaxes N3.js parses, by the media type it is told. */
const n3Formats: Record<string, string> = Object.fromEntries(
  (['turtle', 'trig', 'ntriples', 'nquads', 'n3'] as const).map((name) => [name, rdfFormat(name).mediaType]),
);

/**
 * Parses RDF text into quads.
 * @throws SyntaxProblem with the line (and file, when `source` is given) of the first error, and
 *   column where the parser reports one (RDF/XML, JSON); also for JSON-LD that needs a remote
 *   context or document, which is never fetched.
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
    if (parser instanceof RdfXmlParser) closeXml(parser);
  } catch (error) {
    throw asSyntaxProblem(error, options.source);
  }
}

interface SaxCloser {
  on(event: 'error', handler: (error: Error) => void): void;
  close(): void;
}

/**
 * rdfxml-streaming-parser never closes its XML tokenizer, so a truncated document (unclosed
 * elements) would pass as valid; closing it here surfaces "unclosed tag" as a syntax error.
 * @throws the tokenizer's error for a document that is not complete.
 */
function closeXml(parser: RdfXmlParser): void {
  const sax = (parser as unknown as { saxParser: SaxCloser }).saxParser;
  let failure: Error | undefined;
  sax.on('error', (error) => {
    failure ??= error;
  });
  sax.close();
  if (failure) throw failure;
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

async function parseJsonLd(input: TextInput, options: ParseOptions): Promise<RDF.Quad[]> {
  const text = await readText(input);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    // The search re-parses; past a size where that would take seconds, report no position.
    const position = text.length <= maxJsonSearch ? positionAt(text, jsonErrorOffset(text)) : {};
    throw new SyntaxProblem(`invalid JSON: ${(error as Error).message}`, { file: options.source, ...position }, { cause: error });
  }
  // JSON-LD never fetches remote contexts: an upload could otherwise make the server request any
  // URL (SSRF). jsonld.js wraps the loader's error in a vague one, so remember what was refused.
  let refused: string | undefined;
  const documentLoader = async (url: string): Promise<never> => {
    refused = url;
    throw new SyntaxProblem(`remote JSON-LD contexts are not fetched: ${url}`);
  };
  try {
    const expanded = await jsonld.expand(document as jsonld.JsonLdDocument, { base: options.baseIRI, documentLoader });
    keepDoubleLexicalForms(expanded);
    const dataset = (await jsonld.toRDF(expanded, { base: options.baseIRI, documentLoader })) as unknown as RDF.Quad[];
    return dataset.map((quad) => importQuad(quad));
  } catch (error) {
    if (refused !== undefined) {
      throw new SyntaxProblem(`remote JSON-LD contexts are not fetched (embed the context instead): ${refused}`, { file: options.source }, { cause: error });
    }
    throw asSyntaxProblem(error, options.source);
  }
}

const xsdDouble = 'http://www.w3.org/2001/XMLSchema#double';
/** A datatype no document uses, standing in for xsd:double while jsonld.js writes RDF. */
const doubleInDisguise = 'urn:x-vinculo:xsd-double-lexical-form';

/**
 * jsonld.js (9.0) rewrites every xsd:double value it turns into RDF in canonical form, strings
 * included, so `{"@value": "1E0", "@type": "xsd:double"}` became `"1.0E0"` and an ill-typed
 * `"n/a"` became `"NaN"`. JSON-LD 1.1 API §8.6 canonicalises only native JSON numbers: strings
 * keep their lexical form. Expanded value objects with a string value get a stand-in datatype
 * that `importTerm` turns back into xsd:double.
 */
function keepDoubleLexicalForms(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) keepDoubleLexicalForms(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const object = node as Record<string, unknown>;
  if ('@value' in object) {
    if (object['@type'] === xsdDouble && typeof object['@value'] === 'string') object['@type'] = doubleInDisguise;
    return;
  }
  for (const value of Object.values(object)) keepDoubleLexicalForms(value);
}

function importTerm(term: RDF.Term): RDF.Term {
  switch (term.termType) {
    case 'NamedNode':
      return DataFactory.namedNode(term.value);
    case 'BlankNode':
      return DataFactory.blankNode(term.value.replace(/^_:/, ''));
    case 'Literal':
      return DataFactory.literal(
        term.value,
        term.language || DataFactory.namedNode(term.datatype.value === doubleInDisguise ? xsdDouble : term.datatype.value),
      );
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

const maxJsonSearch = 16 * 1024 * 1024;

/**
 * Where JSON.parse gives up. V8 often names no position ("Unexpected token '}', ... is not valid
 * JSON"), so this searches for the shortest prefix that fails for a reason other than ending early:
 * every prefix of valid JSON either parses or ends early, so that prefix ends at the error. Only
 * runs on the error path; about log2(length) parses.
 */
function jsonErrorOffset(text: string): number {
  const failsInside = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (error) {
      const message = (error as Error).message;
      // Ending early reads as "end of JSON input" or as an error at the very end of the prefix.
      const at = /at position (\d+)/.exec(message);
      return !/end of JSON input/i.test(message) && (at === null || Number(at[1]) < length);
    }
  };
  let low = 0;
  let high = text.length;
  if (!failsInside(high)) return high;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (failsInside(middle)) high = middle;
    else low = middle + 1;
  }
  return Math.max(high - 1, 0);
}

function positionAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** The position each parser reports, in its own words, lifted into `SourcePosition`. */
const positionPatterns: readonly RegExp[] = [
  // rdfxml-streaming-parser with trackPosition: "Line 5 column 10: ..."
  /^Line (\d+) column (\d+): /,
  // saxes (the XML tokenizer under it): "5:10: ..."
  /^(\d+):(\d+): /,
];

function asSyntaxProblem(error: unknown, file: string | undefined): Error {
  if (error instanceof SyntaxProblem) return error;
  if (!(error instanceof Error)) return new SyntaxProblem(String(error), { file });
  for (const pattern of positionPatterns) {
    const match = pattern.exec(error.message);
    if (match) {
      const position = { file, line: Number(match[1]), column: Number(match[2]) };
      return new SyntaxProblem(error.message.slice(match[0].length), position, { cause: error });
    }
  }
  // N3.js puts the line in `context.line` and repeats it in the message ("... on line 3.").
  const context = (error as Error & { context?: { line?: number } }).context;
  const lineMatch = /line (\d+)/i.exec(error.message);
  const line = context?.line ?? (lineMatch ? Number(lineMatch[1]) : undefined);
  return new SyntaxProblem(error.message, { file, line }, { cause: error });
}
