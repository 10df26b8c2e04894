/** Writing quads in every RDF syntax Vínculo serves; line-based syntaxes stream. */
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import jsonld from 'jsonld';
import { StreamWriter } from 'n3';
import { NotAcceptable } from '../errors/index.js';
import type { RdfFormatName } from './formats.js';
import { prefixes as knownPrefixes } from './namespaces.js';

export type QuadSource = AsyncIterable<RDF.Quad> | Iterable<RDF.Quad>;

export interface SerializeOptions {
  readonly format: RdfFormatName;
  /** Prefixes to declare (Turtle, TriG) or to compact with (JSON-LD). */
  readonly prefixes?: Readonly<Record<string, string>>;
}

const n3Formats: Partial<Record<RdfFormatName, string>> = {
  turtle: 'Turtle',
  trig: 'TriG',
  ntriples: 'N-Triples',
  nquads: 'N-Quads',
  n3: 'N3',
};

/**
 * Serialises quads as text chunks. N-Triples, N-Quads, Turtle and TriG stream; RDF/XML streams
 * per subject; JSON-LD needs the whole graph to compact it.
 * @throws NotAcceptable for a syntax that cannot carry the data (named graphs in RDF/XML).
 */
export async function* serializeRdf(quads: QuadSource, options: SerializeOptions): AsyncGenerator<string> {
  const prefixes = { ...knownPrefixes, ...options.prefixes };
  if (options.format === 'jsonld') {
    yield await toJsonLd(quads, prefixes);
    return;
  }
  if (options.format === 'rdfxml') {
    yield* toRdfXml(quads, prefixes);
    return;
  }
  const lineBased = options.format === 'ntriples' || options.format === 'nquads';
  const writer = new StreamWriter({ format: n3Formats[options.format], prefixes: lineBased ? {} : prefixes });
  const input = Readable.from(quads as AsyncIterable<RDF.Quad>, { objectMode: true });
  input.on('error', (error) => writer.destroy(error));
  input.pipe(writer);
  for await (const chunk of writer as AsyncIterable<string | Buffer>) yield chunk.toString();
}

export async function serializeRdfToString(quads: QuadSource, options: SerializeOptions): Promise<string> {
  let text = '';
  for await (const chunk of serializeRdf(quads, options)) text += chunk;
  return text;
}

async function collect(quads: QuadSource): Promise<RDF.Quad[]> {
  const all: RDF.Quad[] = [];
  for await (const quad of quads) all.push(quad);
  return all;
}

const rdfLangString = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';
const xsdString = 'http://www.w3.org/2001/XMLSchema#string';

async function toJsonLd(quads: QuadSource, prefixes: Record<string, string>): Promise<string> {
  const all = await collect(quads);
  const expanded = await jsonld.fromRDF(all as unknown as Parameters<typeof jsonld.fromRDF>[0], { useNativeTypes: false });
  const compacted = await jsonld.compact(expanded, { '@context': prefixes } as jsonld.ContextDefinition, {
    documentLoader: async (url: string) => {
      throw new Error(`remote JSON-LD contexts are not fetched: ${url}`);
    },
  });
  return `${JSON.stringify(compacted, null, 2)}\n`;
}

const xmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => xmlEscapes[char] ?? char);
}

/** Splits an IRI into namespace and an XML NCName local part, as RDF/XML needs for properties. */
function splitForXml(iri: string): [string, string] | undefined {
  const match = /[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*$/.exec(iri);
  if (!match || match.index === 0) return undefined;
  return [iri.slice(0, match.index), match[0]];
}

async function* toRdfXml(quads: QuadSource, prefixes: Record<string, string>): AsyncGenerator<string> {
  const all = await collect(quads);
  if (all.some((quad) => quad.graph.termType !== 'DefaultGraph')) {
    const graphs = new Set(all.map((quad) => quad.graph.value));
    if (graphs.size > 1) throw new NotAcceptable('RDF/XML cannot carry several named graphs; ask for TriG or N-Quads');
  }
  const namespaces = new Map(Object.entries(prefixes).map(([prefix, iri]) => [iri, prefix]));
  const bySubject = new Map<string, RDF.Quad[]>();
  for (const quad of all) {
    const key = `${quad.subject.termType}:${quad.subject.value}`;
    const list = bySubject.get(key) ?? [];
    list.push(quad);
    bySubject.set(key, list);
    const split = splitForXml(quad.predicate.value);
    if (!split) throw new NotAcceptable(`predicate cannot be written in RDF/XML: <${quad.predicate.value}>`);
    if (!namespaces.has(split[0])) namespaces.set(split[0], `ns${namespaces.size}`);
  }
  const declarations = [...namespaces].map(([iri, prefix]) => `\n    xmlns:${prefix}="${escapeXml(iri)}"`).join('');
  yield `<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF${declarations}>\n`;
  for (const group of bySubject.values()) {
    const subject = group[0]?.subject;
    if (!subject) continue;
    const about =
      subject.termType === 'BlankNode' ? `rdf:nodeID="b${escapeXml(subject.value)}"` : `rdf:about="${escapeXml(subject.value)}"`;
    let text = `  <rdf:Description ${about}>\n`;
    for (const quad of group) {
      const [namespaceIri, local] = splitForXml(quad.predicate.value) as [string, string];
      const element = `${namespaces.get(namespaceIri)}:${local}`;
      const object = quad.object;
      if (object.termType === 'NamedNode') text += `    <${element} rdf:resource="${escapeXml(object.value)}"/>\n`;
      else if (object.termType === 'BlankNode') text += `    <${element} rdf:nodeID="b${escapeXml(object.value)}"/>\n`;
      else if (object.termType === 'Literal') {
        const attributes =
          object.language !== ''
            ? ` xml:lang="${escapeXml(object.language)}"`
            : object.datatype.value !== xsdString && object.datatype.value !== rdfLangString
              ? ` rdf:datatype="${escapeXml(object.datatype.value)}"`
              : '';
        text += `    <${element}${attributes}>${escapeXml(object.value)}</${element}>\n`;
      }
    }
    yield `${text}  </rdf:Description>\n`;
  }
  yield '</rdf:RDF>\n';
}
