/**
 * The JSON-LD a resource page embeds, written in one pass over the triples the page already has:
 * jsonld.js's `fromRDF` and `compact` took most of a cold page's time (issue 21) to produce what
 * is, for a page's few dozen triples, one node object per subject with compact IRIs.
 */
import type * as RDF from '@rdfjs/types';

const rdfType = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const rdfLangString = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';
const xsdString = 'http://www.w3.org/2001/XMLSchema#string';

/**
 * An absolute IRI with nothing a JSON-LD reader would drop or read otherwise: a scheme, then none
 * of the characters RFC 3987 never allows (jsonld.js's `toRDF` skips relative and malformed IRIs).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what the class excludes.
const absoluteIri = /^[A-Za-z][A-Za-z0-9+.-]*:[^\u0000-\u0020<>"{}|^`\\]*$/u;

/** JSON-LD 1.1 (§4.1.2 Create Term Definition) uses a plain term as a prefix only when its IRI ends with one of these. */
const genDelims = new Set([':', '/', '?', '#', '[', ']', '@']);

/** Not written directly: the page falls back to jsonld.js, which refuses or writes it as before. */
class Unwritable extends Error {}

/** An absolute IRI that a prefix of the context would read as a compact IRI (`geo:4.6,-74` beside the prefix `geo`). */
class ConfusedWithPrefix extends Error {}

/** One subject's node object as it is written: `@type` values and every property's values, in arrival order. */
interface NodeObject {
  readonly id: string;
  readonly types: string[];
  readonly properties: Map<string, string[]>;
}

/** How IRIs are written: compacted under a context's prefixes, or (without a context) whole. */
interface IriStyle {
  /** Namespaces usable as JSON-LD prefixes, longest first, so an IRI takes its most specific one. */
  readonly namespaces: ReadonlyArray<readonly [string, string]>;
  /** Every prefix name, which an absolute IRI's scheme must not be (it would read as a compact IRI). */
  readonly prefixNames: ReadonlySet<string>;
  /** The `@context` member's text, with its comma. */
  readonly context: string;
}

const wholeIris: IriStyle = { namespaces: [], prefixNames: new Set(), context: '' };

/**
 * Writes a page's triples as JSON-LD whose expansion (what `jsonld.toRDF` reads) is exactly those
 * triples: a `@context` of the site's prefixes and a `@graph` of one node object per subject; if a
 * prefix would bend one of the IRIs, no context and every IRI whole. Made once per site (the
 * prefix table and the context's text), used for every page.
 */
export class PageJsonLdWriter {
  readonly #compact: IriStyle;

  constructor(prefixes: Readonly<Record<string, string>>) {
    this.#compact = {
      namespaces: Object.entries(prefixes)
        .filter(([, iri]) => genDelims.has(iri.at(-1) ?? ''))
        .sort(([, a], [, b]) => b.length - a.length),
      prefixNames: new Set(Object.keys(prefixes)),
      context: `"@context":${JSON.stringify(prefixes)},\n`,
    };
  }

  /**
   * The JSON-LD text of `triples` (graph names are ignored), or undefined for what this writer
   * does not carry — a term that is no absolute IRI, a literal with a base direction — which
   * jsonld.js is left to refuse or write.
   */
  write(triples: Iterable<RDF.Quad>): string | undefined {
    try {
      try {
        return this.#write(triples, this.#compact);
      } catch (error) {
        if (error instanceof ConfusedWithPrefix) return this.#write(triples, wholeIris);
        throw error;
      }
    } catch (error) {
      if (error instanceof Unwritable) return undefined;
      throw error;
    }
  }

  #write(triples: Iterable<RDF.Quad>, style: IriStyle): string {
    const nodes = new Map<string, NodeObject>();
    for (const { subject, predicate, object } of triples) {
      const id = this.#reference(subject, style);
      let node = nodes.get(id);
      if (!node) {
        node = { id, types: [], properties: new Map() };
        nodes.set(id, node);
      }
      if (predicate.value === rdfType && object.termType === 'NamedNode') {
        node.types.push(JSON.stringify(this.#iri(object.value, style)));
        continue;
      }
      const key = JSON.stringify(this.#iri(predicate.value, style));
      const values = node.properties.get(key);
      const value = this.#value(object, style);
      if (values) values.push(value);
      else node.properties.set(key, [value]);
    }
    const lines: string[] = [];
    for (const { id, types, properties } of nodes.values()) {
      let line = `{"@id":${JSON.stringify(id)}`;
      if (types.length > 0) line += `,"@type":[${types.join(',')}]`;
      for (const [key, values] of properties) line += `,${key}:[${values.join(',')}]`;
      lines.push(`${line}}`);
    }
    return `{${style.context}"@graph":[\n${lines.join(',\n')}\n]}\n`;
  }

  /** A subject or object node as an `@id` value: a blank node by its label, an IRI compacted. */
  #reference(term: RDF.Term, style: IriStyle): string {
    if (term.termType === 'BlankNode') return `_:${term.value}`;
    if (term.termType === 'NamedNode') return this.#iri(term.value, style);
    throw new Unwritable(`a ${term.termType} cannot be a node`);
  }

  #value(term: RDF.Term, style: IriStyle): string {
    if (term.termType !== 'Literal') return `{"@id":${JSON.stringify(this.#reference(term, style))}}`;
    if ((term as RDF.Literal & { readonly direction?: string }).direction) throw new Unwritable('a literal with a base direction');
    const value = JSON.stringify(term.value);
    if (term.language !== '') return `{"@value":${value},"@language":${JSON.stringify(term.language)}}`;
    const datatype = term.datatype.value;
    if (datatype === xsdString) return value;
    if (datatype === rdfLangString) throw new Unwritable('a language-tagged string without its language');
    return `{"@value":${value},"@type":${JSON.stringify(this.#iri(datatype, style))}}`;
  }

  /** `prefix:local` under the longest namespace that leaves a local part, else the IRI itself. */
  #iri(iri: string, style: IriStyle): string {
    if (!absoluteIri.test(iri)) throw new Unwritable(`not an absolute IRI: ${iri}`);
    for (const [prefix, namespace] of style.namespaces) {
      // A local part starting `//` would make the whole an absolute IRI again (IRI Expansion, step 6.2).
      if (iri.length > namespace.length && iri.startsWith(namespace) && !iri.startsWith('//', namespace.length)) return `${prefix}:${iri.slice(namespace.length)}`;
    }
    if (style.prefixNames.has(iri.slice(0, iri.indexOf(':')))) throw new ConfusedWithPrefix(iri);
    return iri;
  }
}
