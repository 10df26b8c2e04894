/**
 * Admission check for quads entering the store. Snapshots and the journal are N-Quads, so every
 * stored quad must survive an N-Quads round trip: a term that would not parse back would make
 * the next start-up fail. IRIs that N-Quads cannot carry are refused; blank node labels that it
 * cannot carry are re-encoded (injectively, so the same label always maps to the same node).
 */
import type * as RDF from '@rdfjs/types';
import { BadRequest } from '../errors/index.js';
import { DataFactory } from '../rdf/index.js';

/** Characters an IRIREF may not contain (RDF 1.1 N-Quads, production IRIREF): controls, space, `<>"{}|^\`` and backslash. */
const forbiddenInIri = /[^\u0021-\uffff]|[<>"{}|^`\\]/;
/** A BLANK_NODE_LABEL restricted to ASCII, which every N-Quads reader takes. */
const plainLabel = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$/;

function checkIri(iri: string): void {
  if (iri === '' || forbiddenInIri.test(iri)) {
    throw new BadRequest(`not a storable IRI (N-Quads cannot carry it): <${iri.slice(0, 200)}>`);
  }
}

/** A label N-Quads can carry: unchanged when it already is one, else `x` + hex of its UTF-8. */
export function storableLabel(label: string): string {
  return plainLabel.test(label) ? label : `x${Buffer.from(label, 'utf8').toString('hex')}`;
}

function storableTerm<T extends RDF.Term>(term: T, blankPrefix: string): T {
  switch (term.termType) {
    case 'NamedNode':
      checkIri(term.value);
      return term;
    case 'BlankNode': {
      const label = storableLabel(`${blankPrefix}${term.value}`);
      return (label === term.value ? term : DataFactory.blankNode(label)) as T;
    }
    case 'Literal':
      checkIri(term.datatype.value);
      return term;
    case 'DefaultGraph':
      return term;
    default:
      throw new BadRequest(`a ${term.termType} cannot be stored in a quad`);
  }
}

/**
 * The quad as the store keeps it: in `graph` when given, blank nodes labelled `{blankPrefix}{label}`.
 * @throws BadRequest for IRIs N-Quads cannot carry, variables, literals as graph names, and
 *   quoted triples (not stored).
 */
export function storableQuad(quad: RDF.Quad, graph: RDF.Quad_Graph = quad.graph, blankPrefix = ''): RDF.Quad {
  const subject = storableTerm(quad.subject, blankPrefix);
  const predicate = storableTerm(quad.predicate, blankPrefix);
  const object = storableTerm(quad.object, blankPrefix);
  const graphName = storableTerm(graph, blankPrefix);
  if ((graphName as RDF.Term).termType === 'Literal') throw new BadRequest('a literal cannot name a graph');
  const unchanged =
    subject === quad.subject && predicate === quad.predicate && object === quad.object && graphName === quad.graph;
  return unchanged ? quad : DataFactory.quad(subject, predicate, object, graphName);
}
