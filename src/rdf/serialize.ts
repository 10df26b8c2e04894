/** Writing quads in every RDF syntax Vínculo serves; line-based syntaxes stream. */
import type * as RDF from '@rdfjs/types';
import jsonld from 'jsonld';
import { Writer } from 'n3';
import { NotAcceptable } from '../errors/index.js';
import { DataFactory } from './factory.js';
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
 * Serialises quads as text chunks. N-Triples, N-Quads, Turtle and TriG stream; RDF/XML collects the
 * graph to check it is writable (then writes per subject); JSON-LD needs the whole graph to compact it.
 * Blank node labels may be renamed so that every reader accepts them.
 * @throws NotAcceptable for data the syntax cannot carry, before any RDF/XML is written: several
 *   named graphs, a predicate without an XML-name ending or reserved by RDF/XML (`rdf:li`,
 *   `rdf:about`, ...), characters XML 1.0 forbids (U+0000–U+0008, U+FFFE, ...), quoted triples;
 *   in every syntax, a named node that is not an IRI (spaces, `<>"{}|^\``); the streaming
 *   syntaxes may have written earlier quads by then.
 */
export async function* serializeRdf(quads: QuadSource, options: SerializeOptions): AsyncGenerator<string> {
  const prefixes = () => ({ ...knownPrefixes, ...options.prefixes });
  if (options.format === 'jsonld') {
    yield await toJsonLd(quads, prefixes());
    return;
  }
  if (options.format === 'rdfxml') {
    yield* toRdfXml(quads, prefixes());
    return;
  }
  // N-Triples and N-Quads have no prefixes: none are gathered for them.
  const lineBased = options.format === 'ntriples' || options.format === 'nquads';
  yield* n3Chunks(quads, { format: n3Formats[options.format], prefixes: lineBased ? {} : prefixes() });
}

/** A chunk is handed on once it holds this many characters, or once this long has passed since the last (as N3.js's StreamWriter). */
const chunkCharacters = 16 * 1024;
const chunkDelayMs = 20;

/**
 * N3.js's writer fed directly, its text coalesced into chunks as its StreamWriter does: the same
 * bytes without a Readable, a pipe and a Transform per response, whose per-quad callbacks and
 * timers cost more than writing a DESCRIBE's few triples (issue 19). The delay is checked as
 * quads arrive: a source that pauses mid-chunk sends the chunk with its next quad or its end.
 * @throws NotAcceptable (see `serializeRdf`) and whatever the source throws, with the text of
 *   earlier chunks already handed on.
 */
async function* n3Chunks(quads: QuadSource, options: { readonly format: string | undefined; readonly prefixes: Record<string, string> }): AsyncGenerator<string> {
  let text = '';
  let failure: Error | undefined;
  const output = {
    write: (chunk: string, _encoding: string, done?: (error?: Error) => void) => {
      text += chunk;
      done?.();
    },
    end: (done?: () => void) => done?.(),
  };
  // The Turtle writer reports a term it cannot write through the callback instead of throwing.
  const noted = (error?: Error) => {
    failure ??= error;
  };
  const writer = new Writer(output, options);
  let chunkStarted = performance.now();
  const add = (quad: RDF.Quad): string | undefined => {
    const writable = writableQuad(quad);
    writer.addQuad(writable.subject, writable.predicate, writable.object, writable.graph, noted);
    if (failure) throw failure;
    if (text.length < chunkCharacters && performance.now() - chunkStarted < chunkDelayMs) return undefined;
    const chunk = text;
    text = '';
    chunkStarted = performance.now();
    return chunk;
  };
  // A sync source stays sync: a promise per quad is slow.
  if (Symbol.iterator in quads) {
    for (const quad of quads) {
      const chunk = add(quad);
      if (chunk !== undefined) yield chunk;
    }
  } else {
    for await (const quad of quads) {
      const chunk = add(quad);
      if (chunk !== undefined) yield chunk;
    }
  }
  writer.end();
  if (text !== '') yield text;
}

/**
 * N3.js writes blank node labels as they are, and labels minted from data (a mapping's
 * `rr:BlankNode` template over a CSV cell) may hold spaces or colons that no reader accepts.
 * Labels outside a conservative BLANK_NODE_LABEL subset get an injective hex spelling; the `esc_`
 * mark keeps the two spellings apart without seeing the whole stream first.
 */
const safeBlankLabel = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$/;

function writableLabel(label: string): string {
  return safeBlankLabel.test(label) && !label.startsWith('esc_') ? label : `esc_${Buffer.from(label, 'utf8').toString('hex')}`;
}

/** Characters RFC 3987 never allows in an IRI; Turtle's IRIREF cannot carry them even escaped. */
const notIriChar = /[^\u0021-\u{10FFFF}]|[<>"{}|^`\\]/u;

/**
 * Refuses a "named node" that is not an IRI (a mapping that put a raw cell value into an IRI),
 * which N3.js and jsonld.js would otherwise write as a document no reader accepts.
 */
function checkIri(term: RDF.Term): void {
  if (term.termType === 'NamedNode') checkIriText(term.value);
  else if (term.termType === 'Literal') checkIriText(term.datatype.value);
}

function checkIriText(iri: string): void {
  const bad = notIriChar.exec(iri);
  if (!bad) return;
  const code = (bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  throw new NotAcceptable(`not an IRI, so it cannot be written: <${iri}> contains U+${code} (percent-encode it where the IRI is made)`);
}

function checkIris(quad: RDF.Quad): void {
  checkIri(quad.subject);
  checkIri(quad.predicate);
  checkIri(quad.object);
  checkIri(quad.graph);
}

function writableTerm<T extends RDF.Term>(term: T): T {
  if (term.termType !== 'BlankNode') return term;
  const label = writableLabel(term.value);
  return (label === term.value ? term : DataFactory.blankNode(label)) as T;
}

function writableQuad(quad: RDF.Quad): RDF.Quad {
  checkIris(quad);
  const [subject, object, graph] = [writableTerm(quad.subject), writableTerm(quad.object), writableTerm(quad.graph)];
  return subject === quad.subject && object === quad.object && graph === quad.graph
    ? quad
    : DataFactory.quad(subject, quad.predicate, object, graph);
}

/** Collects `serializeRdf`'s chunks into one string; for small graphs and tests. */
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
const rdfType = `${knownPrefixes.rdf}type`;

/**
 * jsonld.js's `fromRDF` prefixes `_:` to blank subjects and objects itself but takes a graph name's
 * value as it is, so a blank graph name would come out as a relative IRI; give it its `_:` here.
 */
function forJsonLd(quad: RDF.Quad): RDF.Quad {
  if (quad.graph.termType !== 'BlankNode') return quad;
  const graph = { termType: 'BlankNode', value: `_:${quad.graph.value}` } as RDF.BlankNode;
  return { subject: quad.subject, predicate: quad.predicate, object: quad.object, graph } as RDF.Quad;
}

async function toJsonLd(quads: QuadSource, prefixes: Record<string, string>): Promise<string> {
  const all = await collect(quads);
  all.forEach(checkIris);
  const expanded = await jsonld.fromRDF(all.map(forJsonLd) as unknown as Parameters<typeof jsonld.fromRDF>[0], { useNativeTypes: false });
  const compacted = await jsonld.compact(expanded, { '@context': prefixes } as jsonld.ContextDefinition, {
    documentLoader: async (url: string) => {
      throw new Error(`remote JSON-LD contexts are not fetched: ${url}`);
    },
  });
  return `${JSON.stringify(compacted, null, 2)}\n`;
}

const xmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  // A raw CR would reach the reader as LF (XML 1.0 §2.11 end-of-line handling).
  '\r': '&#13;',
};

/** Escapes text for XML content or a double-quoted attribute (§2.4), keeping CRs as CRs. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"\r]/g, (char) => xmlEscapes[char] ?? char);
}

/** Attribute values are normalised on reading (§3.3.3): tabs and newlines must be references. */
function escapeAttribute(text: string): string {
  return escapeXml(text).replace(/[\t\n]/g, (char) => `&#${char.charCodeAt(0)};`);
}

// XML 1.0 (Fifth Edition) §2.3 NameStartChar and NameChar, without ':' (Namespaces in XML: NCName).
const nameStartChars =
  'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D' +
  '\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const nameChars = `${nameStartChars}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const ncName = new RegExp(`^[${nameStartChars}][${nameChars}]*$`, 'u');
const ncNameTail = new RegExp(`[${nameStartChars}][${nameChars}]*$`, 'u');
const allNameChars = new RegExp(`^[${nameChars}]+$`, 'u');
/** XML 1.0 §2.2 Char: anything else cannot appear in a document, not even as a reference. */
const notXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const rdfNamespace = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
/**
 * RDF/XML §7.2.5 propertyElementURIs exclude the syntax terms, rdf:Description and the old terms;
 * rdf:li is renumbered to rdf:_n by readers, so none of these can name a property element.
 */
const notPropertyElements = new Set(
  ['RDF', 'ID', 'about', 'parseType', 'resource', 'nodeID', 'datatype', 'Description', 'aboutEach', 'aboutEachPrefix', 'bagID', 'li'].map(
    (local) => rdfNamespace + local,
  ),
);

/** Splits an IRI into namespace and an XML NCName local part, as RDF/XML needs for properties. */
function splitForXml(iri: string): [string, string] | undefined {
  const match = ncNameTail.exec(iri);
  if (!match || match.index === 0) return undefined;
  return [iri.slice(0, match.index), match[0]];
}

function checkXmlText(text: string, what: string): void {
  const bad = notXmlChar.exec(text);
  if (!bad) return;
  const code = (bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  throw new NotAcceptable(`${what} cannot be written in RDF/XML: XML 1.0 does not allow the character U+${code}`);
}

function checkTermForXml(term: RDF.Term, place: string): void {
  if (term.termType === 'NamedNode') checkXmlText(term.value, `the ${place} <${term.value}>`);
  else if (term.termType === 'Literal') {
    const shown = JSON.stringify(term.value.length > 40 ? `${term.value.slice(0, 40)}…` : term.value);
    checkXmlText(term.value, `the literal ${shown}`);
    checkXmlText(term.language, `the language tag of ${shown}`);
    checkXmlText(term.datatype.value, `the datatype of ${shown}`);
  }
}

/**
 * Blank node labels become `rdf:nodeID` values, which must be NCNames (RDF/XML §7.2.21):
 * a label made of name characters keeps its name behind a `b`; any other gets a fresh `x<n>`.
 */
function nodeIds(): (label: string) => string {
  const ids = new Map<string, string>();
  return (label) => {
    let id = ids.get(label);
    if (id === undefined) {
      id = allNameChars.test(label) ? `b${label}` : `x${ids.size}`;
      ids.set(label, id);
    }
    return id;
  };
}

/** Prefixes usable as XML namespace prefixes; `rdf` is kept for the RDF namespace the syntax needs. */
function xmlPrefixes(prefixes: Record<string, string>): Map<string, string> {
  const namespaces = new Map<string, string>();
  for (const [prefix, iri] of Object.entries(prefixes)) {
    if (!ncName.test(prefix) || /^xml/i.test(prefix) || prefix === 'rdf') continue;
    namespaces.set(iri, prefix);
  }
  namespaces.set(rdfNamespace, 'rdf');
  return namespaces;
}

async function* toRdfXml(quads: QuadSource, prefixes: Record<string, string>): AsyncGenerator<string> {
  const all = await collect(quads);
  if (all.some((quad) => quad.graph.termType !== 'DefaultGraph')) {
    const graphs = new Set(all.map((quad) => quad.graph.value));
    if (graphs.size > 1) throw new NotAcceptable('RDF/XML cannot carry several named graphs; ask for TriG or N-Quads');
  }
  // Everything that could make the document unwritable is checked before the first byte goes out,
  // so a client gets a clean 406 instead of a truncated document.
  const namespaces = xmlPrefixes(prefixes);
  const usedPrefixes = new Set(['rdf']);
  const taken = new Set(namespaces.values());
  const elements = new Map<string, string>();
  const bySubject = new Map<string, RDF.Quad[]>();
  for (const quad of all) {
    const key = `${quad.subject.termType}:${quad.subject.value}`;
    const list = bySubject.get(key) ?? [];
    list.push(quad);
    bySubject.set(key, list);
    if (!['NamedNode', 'BlankNode'].includes(quad.subject.termType) || !['NamedNode', 'BlankNode', 'Literal'].includes(quad.object.termType)) {
      throw new NotAcceptable('RDF/XML cannot carry quoted triples or variables; ask for N-Quads');
    }
    checkIris(quad);
    checkTermForXml(quad.subject, 'subject');
    checkTermForXml(quad.predicate, 'predicate');
    checkTermForXml(quad.object, 'object');
    const predicate = quad.predicate.value;
    if (elements.has(predicate)) continue;
    const split = splitForXml(predicate);
    if (!split || notPropertyElements.has(predicate)) {
      throw new NotAcceptable(
        `predicate cannot be written in RDF/XML: <${predicate}> ${split ? 'is reserved by the RDF/XML syntax' : 'does not end in an XML name (NCName)'}; ask for Turtle or JSON-LD`,
      );
    }
    const [namespaceIri, local] = split;
    let prefix = namespaces.get(namespaceIri);
    if (prefix === undefined) {
      let counter = 0;
      while (taken.has(`ns${counter}`)) counter++;
      prefix = `ns${counter}`;
      namespaces.set(namespaceIri, prefix);
      taken.add(prefix);
    }
    usedPrefixes.add(prefix);
    elements.set(predicate, `${prefix}:${local}`);
  }
  const declarations = [...namespaces]
    .filter(([, prefix]) => usedPrefixes.has(prefix))
    .map(([iri, prefix]) => `\n    xmlns:${prefix}="${escapeAttribute(iri)}"`)
    .join('');
  const nodeId = nodeIds();
  const reference = (term: RDF.Term) =>
    term.termType === 'BlankNode' ? `rdf:nodeID="${nodeId(term.value)}"` : `rdf:about="${escapeAttribute(term.value)}"`;
  yield `<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF${declarations}>\n`;
  for (const group of bySubject.values()) {
    const subject = group[0]?.subject;
    if (!subject) continue;
    let text = `  <rdf:Description ${reference(subject)}>\n`;
    for (const quad of group) {
      const element = elements.get(quad.predicate.value) as string;
      const object = quad.object;
      if (object.termType === 'NamedNode') text += `    <${element} rdf:resource="${escapeAttribute(object.value)}"/>\n`;
      else if (object.termType === 'BlankNode') text += `    <${element} rdf:nodeID="${nodeId(object.value)}"/>\n`;
      else if (object.termType === 'Literal') {
        const attributes =
          object.language !== ''
            ? ` xml:lang="${escapeAttribute(object.language)}"`
            : object.datatype.value !== xsdString && object.datatype.value !== rdfLangString
              ? ` rdf:datatype="${escapeAttribute(object.datatype.value)}"`
              : '';
        text += `    <${element}${attributes}>${escapeXml(object.value)}</${element}>\n`;
      }
    }
    yield `${text}  </rdf:Description>\n`;
  }
  yield '</rdf:RDF>\n';
}

/** A local name that every Turtle reader takes after a prefix (a conservative PN_LOCAL: no escapes, no dots). */
const plainLocalName = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const turtleEscapes: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** A Turtle string body (STRING_LITERAL_QUOTE): quotes, backslashes, line ends and other controls escaped. */
function turtleString(text: string): string {
  // Everything outside the printable ranges less `"` and `\`: the controls, DEL, the quote and the backslash.
  return text.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e\x80-\u{10FFFF}]/gu, (char) => turtleEscapes[char] ?? `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** An IRI as a Turtle document writes it, and the namespace (IRI, prefix) it is shortened with. */
interface WrittenIri {
  readonly text: string;
  readonly namespace?: readonly [string, string];
}

/** Vocabulary terms a Turtle writer keeps written; a store with more writes the rest each time. */
const maxVocabulary = 4096;

/** An IRI up to and including its last `/` or `#`: a prefix's local name holds neither, so a namespace that shortens an IRI has the IRI's stem. */
function stemOf(iri: string): string {
  return iri.slice(0, Math.max(iri.lastIndexOf('/'), iri.lastIndexOf('#')) + 1);
}

/**
 * Writes small graphs (a document, a page) as Turtle in one synchronous pass: triples grouped by
 * subject and predicate, IRIs shortened with the prefixes given, only the prefixes used declared.
 * Made once per set of prefixes (the table of namespaces is sorted once), it costs a fraction of
 * N3.js's stream writer per document. Graph names are dropped and repeated triples written once.
 */
export class TurtleDocumentWriter {
  /**
   * Namespaces (with their prefix) by stem, longest first, so that the most specific prefix wins:
   * an IRI is compared with the few namespaces of its own stem, not with all of them (which was
   * most of the cost of writing a crawler's document).
   */
  readonly #namespacesByStem: ReadonlyMap<string, ReadonlyArray<readonly [string, string]>>;
  /**
   * Predicates, datatypes and classes as written, kept across documents (up to a bound): the
   * documents of a store share a small vocabulary and each repeats it.
   */
  readonly #vocabulary = new Map<string, WrittenIri>();

  constructor(prefixes: Readonly<Record<string, string>>) {
    const byStem = new Map<string, Array<readonly [string, string]>>();
    const namespaces = Object.entries({ ...knownPrefixes, ...prefixes })
      .filter(([prefix]) => /^[A-Za-z][A-Za-z0-9_-]*$/.test(prefix))
      .map(([prefix, iri]) => [iri, prefix] as const)
      .sort((a, b) => b[0].length - a[0].length);
    for (const namespace of namespaces) {
      const stem = stemOf(namespace[0]);
      const list = byStem.get(stem);
      if (list) list.push(namespace);
      else byStem.set(stem, [namespace]);
    }
    this.#namespacesByStem = byStem;
  }

  /**
   * An IRI as Turtle: prefixed where a namespace's local name is plain, else in angle brackets.
   * @throws NotAcceptable when it is not an IRI.
   */
  #written(value: string): WrittenIri {
    checkIriText(value);
    for (const namespace of this.#namespacesByStem.get(stemOf(value)) ?? []) {
      const [iri, prefix] = namespace;
      if (value.length > iri.length && value.startsWith(iri) && plainLocalName.test(value.slice(iri.length))) return { text: `${prefix}:${value.slice(iri.length)}`, namespace };
    }
    return { text: `<${value}>` };
  }

  #vocabularyTerm(value: string): WrittenIri {
    let written = this.#vocabulary.get(value);
    if (written === undefined) {
      written = this.#written(value);
      if (this.#vocabulary.size < maxVocabulary) this.#vocabulary.set(value, written);
    }
    return written;
  }

  /**
   * The Turtle text of `quads`.
   * @throws NotAcceptable for a named node that is not an IRI or a quoted triple, before any text is made.
   */
  write(quads: Iterable<RDF.Quad>): string {
    const used = new Map<string, string>();
    const declared = ({ text, namespace }: WrittenIri) => {
      if (namespace) used.set(namespace[1], namespace[0]);
      return text;
    };
    // Each other IRI checked and shortened once a document: a document names its topic and the
    // things it links to more than once.
    const written = new Map<string, string>();
    const iri = (value: string): string => {
      let text = written.get(value);
      if (text === undefined) {
        text = declared(this.#written(value));
        written.set(value, text);
      }
      return text;
    };
    const vocabulary = (node: RDF.Term) => (node.termType === 'NamedNode' ? declared(this.#vocabularyTerm(node.value)) : term(node));
    const term = (node: RDF.Term): string => {
      switch (node.termType) {
        case 'NamedNode':
          return iri(node.value);
        case 'BlankNode':
          return `_:${writableLabel(node.value)}`;
        case 'Literal': {
          const text = `"${turtleString(node.value)}"`;
          if (node.language !== '') return `${text}@${node.language}`;
          return node.datatype.value === xsdString ? text : `${text}^^${declared(this.#vocabularyTerm(node.datatype.value))}`;
        }
        default:
          throw new NotAcceptable(`a ${node.termType} cannot be written in a Turtle document; ask for N-Quads`);
      }
    };
    // Subject → predicate → objects, each written once, in the order they first appear.
    const subjects = new Map<string, Map<string, Set<string>>>();
    for (const quad of quads) {
      const subject = term(quad.subject);
      const typed = quad.predicate.value === rdfType;
      const predicate = typed ? 'a' : vocabulary(quad.predicate);
      const object = typed ? vocabulary(quad.object) : term(quad.object);
      let predicates = subjects.get(subject);
      if (!predicates) {
        predicates = new Map();
        subjects.set(subject, predicates);
      }
      let objects = predicates.get(predicate);
      if (!objects) {
        objects = new Set();
        predicates.set(predicate, objects);
      }
      objects.add(object);
    }
    let text = '';
    for (const [prefix, namespace] of used) text += `@prefix ${prefix}: <${namespace}> .\n`;
    if (text !== '') text += '\n';
    for (const [subject, predicates] of subjects) {
      text += subject;
      let first = true;
      for (const [predicate, objects] of predicates) {
        text += first ? ' ' : ' ;\n    ';
        first = false;
        text += predicate;
        let separator = ' ';
        for (const object of objects) {
          text += separator + object;
          separator = ', ';
        }
      }
      text += ' .\n';
    }
    return text;
  }
}
