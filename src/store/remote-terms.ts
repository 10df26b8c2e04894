/**
 * Terms between Vínculo and a remote SPARQL store: SPARQL text for terms and quads, JSON results
 * back to RDF/JS terms, and blank nodes as skolem IRIs (RDF 1.1 §3.5). Skolemising is needed
 * because stores scope blank-node labels to one request (Virtuoso refuses them in INSERT DATA),
 * so a dataset loaded in batches would otherwise split its blank nodes.
 */
import type * as RDF from '@rdfjs/types';
import { DataFactory, internalGraphIri, skolemSpace } from '../rdf/index.js';

/** The JSON shape of one term in SPARQL 1.1 Query Results JSON (§3.2.2), with Virtuoso's `typed-literal`. */
export interface JsonTerm {
  readonly type: 'uri' | 'bnode' | 'literal' | 'typed-literal';
  readonly value: string;
  readonly datatype?: string;
  readonly 'xml:lang'?: string;
}

const xsdString = 'http://www.w3.org/2001/XMLSchema#string';
const xsdBoolean = 'http://www.w3.org/2001/XMLSchema#boolean';

/** Skolem IRIs and graph-name mapping of one store. */
export class RemoteTerms {
  /** `{base}.well-known/genid/` — the prefix of skolem IRIs. */
  readonly genid: string;
  /** The remote graph that stands for the RDF/JS default graph (remote stores have no writable one). */
  readonly defaultGraphIri: string;

  constructor(baseIRI: string) {
    this.genid = skolemSpace(baseIRI);
    this.defaultGraphIri = internalGraphIri(baseIRI, 'default');
  }

  /** The term as the remote store keeps it: blank nodes become skolem IRIs, the default graph its stand-in. */
  skolem(term: RDF.Term): RDF.Term {
    if (term.termType === 'BlankNode') return DataFactory.namedNode(`${this.genid}${term.value}`);
    if (term.termType === 'DefaultGraph') return DataFactory.namedNode(this.defaultGraphIri);
    return term;
  }

  /** The inverse of `skolem` for a term read back. */
  unskolem(term: RDF.Term): RDF.Term {
    if (term.termType === 'Literal' && term.datatype.value === xsdBoolean && (term.value === '0' || term.value === '1')) {
      // Virtuoso keeps booleans as numbers and answers "0"/"1": valid, but not the canonical form.
      return DataFactory.literal(term.value === '1' ? 'true' : 'false', term.datatype);
    }
    if (term.termType !== 'NamedNode') return term;
    if (term.value.startsWith(this.genid)) return DataFactory.blankNode(term.value.slice(this.genid.length));
    if (term.value === this.defaultGraphIri) return DataFactory.defaultGraph();
    return term;
  }

  /** A term from a JSON result, unskolemised. */
  fromJson(json: JsonTerm): RDF.Term {
    switch (json.type) {
      case 'uri':
        return this.unskolem(DataFactory.namedNode(json.value));
      case 'bnode':
        return DataFactory.blankNode(json.value);
      default: {
        const language = json['xml:lang'];
        if (language) return DataFactory.literal(json.value, language);
        if (json.datatype && json.datatype !== xsdString) return this.unskolem(DataFactory.literal(json.value, DataFactory.namedNode(json.datatype)));
        return DataFactory.literal(json.value);
      }
    }
  }

  /** SPARQL text of a (skolemised) term. Variables stay variables. */
  text(term: RDF.Term): string {
    const stored = this.skolem(term);
    switch (stored.termType) {
      case 'NamedNode':
        return `<${escapeIri(stored.value)}>`;
      case 'Literal': {
        const lexical = `"${escapeString(stored.value)}"`;
        if (stored.language) return `${lexical}@${stored.language}`;
        if (stored.datatype.value === xsdString) return lexical;
        return `${lexical}^^<${escapeIri(stored.datatype.value)}>`;
      }
      case 'Variable':
        return `?${stored.value}`;
      default:
        throw new Error(`no SPARQL text for a ${stored.termType}`);
    }
  }

  /** One triple pattern / data triple (subject, predicate, object) in SPARQL text. */
  triple(quad: RDF.Quad): string {
    return `${this.text(quad.subject)} ${this.text(quad.predicate)} ${this.text(quad.object)} .`;
  }

  /** `GRAPH <g> { … }` blocks for INSERT DATA / DELETE DATA, quads grouped by graph. */
  dataBlock(quads: readonly RDF.Quad[]): string {
    const byGraph = new Map<string, string[]>();
    for (const quad of quads) {
      const graph = this.text(quad.graph.termType === 'DefaultGraph' ? DataFactory.defaultGraph() : quad.graph);
      const lines = byGraph.get(graph) ?? [];
      lines.push(this.triple(quad));
      byGraph.set(graph, lines);
    }
    return [...byGraph].map(([graph, lines]) => `GRAPH ${graph} {\n${lines.join('\n')}\n}`).join('\n');
  }
}

function escapeIri(iri: string): string {
  let escaped = '';
  for (const char of iri) {
    // IRIREF excludes these (SPARQL 1.1 §19.8); a UCHAR escape carries them.
    escaped += char <= ' ' || '<>"{}|^`\\'.includes(char) ? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}` : char;
  }
  return escaped;
}

function escapeString(value: string): string {
  return value.replace(/[\\"\n\r\t]/g, (char) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[char] ?? char);
}
