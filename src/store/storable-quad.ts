/**
 * Admission check for quads entering the store. Snapshots and the journal are N-Quads, so every
 * stored quad must survive an N-Quads round trip: a term that would not parse back would make
 * the next start-up fail. IRIs that N-Quads cannot carry are refused; blank node labels that it
 * cannot carry are re-encoded (injectively, so the same label always maps to the same node).
 */
import type * as RDF from '@rdfjs/types';
import { BadRequest } from '../errors/index.js';
import { Literal as N3Literal } from 'n3';
import { DataFactory } from '../rdf/index.js';
import { type CompactGraph, CompactGraphBuilder, type PermutationPieces, type Rotation } from './compact-graph.js';
import type { SharedEntities } from './id-index.js';

/**
 * ASCII code → 1 for the characters an IRIREF may not contain (RDF 1.1 N-Quads, production
 * IRIREF): controls, space, `<>"{}|^\`` and backslash. A table, not a regular expression: it is
 * consulted for every character of every IRI of every stored quad.
 */
const forbiddenInIri = new Uint8Array(128);
forbiddenInIri.fill(1, 0, 0x21);
for (const character of '<>"{}|^`\\') forbiddenInIri[character.charCodeAt(0)] = 1;

const caret = 0x5e;

/** Whether `text` from `start` on is an IRI N-Quads can carry. */
function isStorableIri(text: string, start = 0): boolean {
  if (start >= text.length) return false;
  for (let index = start; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 128 && forbiddenInIri[code] === 1) return false;
  }
  return true;
}

/** A BLANK_NODE_LABEL restricted to ASCII, which every N-Quads reader takes. */
const plainLabel = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$/;

/**
 * Checks a literal's datatype IRI. An N3 literal builds a new node each time its `datatype` is
 * read (a bulk load checks millions); its id ends with the IRI after the last quote and `^^`,
 * which is where N3 itself reads it, so it is checked there in place.
 */
function checkDatatype(literal: RDF.Literal): void {
  if (literal instanceof N3Literal) {
    const id = literal.id;
    const end = id.lastIndexOf('"') + 1;
    // Otherwise the literal is plain or language-tagged: xsd:string or rdf:langString.
    if (id.charCodeAt(end) !== caret || isStorableIri(id, end + 2)) return;
  }
  checkIri(literal.datatype.value);
}

function checkIri(iri: string): void {
  if (!isStorableIri(iri)) {
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
      checkDatatype(term as RDF.Literal);
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

/** Refuses a term that `storableTerm` would refuse; blank nodes pass (the loader relabels them first). */
function admitTerm(term: RDF.Term): void {
  if (term.termType !== 'BlankNode') storableTerm(term, '');
}

/** How often a loader reports its size: rarely enough to cost nothing, often enough to stop before memory runs out. */
export const sizeCheckEvery = 1 << 16;

/** Blank nodes come to the entity index already relabelled as `storableTerm` does. */
function admitRelabelled(): void {}

/** A predicate's id in a loader, and the last object seen with it and that object's id. */
interface PredicateMemo {
  readonly id: number;
  object: RDF.Term | undefined;
  objectId: number;
}

/** Predicates a loader remembers by term object before it starts afresh (a vocabulary is far smaller; parsed input may bring a new object per quad). */
const rememberedPredicates = 4096;

/**
 * Builds one graph's `CompactGraph` from quads, keeping them as `storableQuad` would, for bulk
 * loads of millions: no quad object is built per quad, and only terms new to the shared entity
 * index are checked (every term in it was admitted when it came in; N3's keys keep IRIs, blank
 * nodes and literals apart). A mapping reuses term objects — a row's subject on its quads, a
 * constant predicate or class on every row — so ids are remembered by object: the subject's
 * between quads, each predicate's, and the last object of each predicate. A remembered id stays
 * valid: a stage holds the dictionary (`SharedEntities.hold`), and the other loaders finish before
 * the checkpoint that could forget a term.
 */
export class GraphLoader {
  readonly #entities: SharedEntities;
  readonly #builder: CompactGraphBuilder;
  readonly #graph: RDF.Quad_Graph;
  readonly #graphId: number;
  readonly #blankPrefix: string;
  #subject: RDF.Quad_Subject | undefined;
  #subjectId = 0;
  readonly #predicates = new Map<RDF.Term, PredicateMemo>();
  #added = 0;
  readonly #checkSize: ((quads: number) => void) | undefined;

  /**
   * `graph` must be storable: the caller minted it or read it from a snapshot. `checkSize` is
   * told the count of quads added every `sizeCheckEvery` quads, before the next ones come in; it
   * may throw to stop the load. `expectedQuads`: room to reserve at once (see `CompactGraphBuilder`).
   */
  constructor(
    entities: SharedEntities,
    graph: RDF.Quad_Graph,
    blankPrefix: string,
    { checkSize, expectedQuads }: { readonly checkSize?: (quads: number) => void; readonly expectedQuads?: number } = {},
  ) {
    this.#builder = new CompactGraphBuilder({ expectedRows: expectedQuads });
    this.#checkSize = checkSize;
    this.#entities = entities;
    this.#graph = graph;
    this.#graphId = entities.admittedIdOf(graph, admitTerm);
    this.#blankPrefix = blankPrefix;
  }

  /** @throws BadRequest as `storableQuad` does. */
  add(quad: RDF.Quad): void {
    // `#subject` is set only once its id is known, so the two never disagree.
    if (quad.subject !== this.#subject) {
      this.#subjectId = this.#idOf(quad.subject);
      this.#subject = quad.subject;
    }
    let memo = this.#predicates.get(quad.predicate);
    if (memo === undefined) {
      if (this.#predicates.size === rememberedPredicates) this.#predicates.clear();
      memo = { id: this.#idOf(quad.predicate), object: undefined, objectId: 0 };
      this.#predicates.set(quad.predicate, memo);
    }
    if (quad.object !== memo.object) {
      memo.objectId = this.#idOf(quad.object);
      memo.object = quad.object;
    }
    this.#builder.add(this.#subjectId, memo.id, memo.objectId);
    if (++this.#added % sizeCheckEvery === 0) this.#checkSize?.(this.#added);
  }

  /** Adds every quad of an array. @throws BadRequest as `add` does. */
  addAll(quads: readonly RDF.Quad[]): void {
    for (let index = 0; index < quads.length; index++) this.add(quads[index] as RDF.Quad);
  }

  /** The graph of every quad added. */
  finish(): CompactGraph {
    return this.#builder.build(this.#entities, this.#graph, this.#graphId);
  }

  /** The id of the loader's graph. */
  get graphId(): number {
    return this.#graphId;
  }

  /** The graph's permutations one at a time as pieces computed while they are read, instead of `finish` (see `CompactGraphBuilder.pieces`). */
  permutations(): Generator<[Rotation, PermutationPieces]> {
    return this.#builder.pieces();
  }

  #idOf(term: RDF.Term): number {
    if (term.termType === 'BlankNode') return this.#entities.admittedIdOf(storableTerm(term, this.#blankPrefix), admitRelabelled);
    return this.#entities.admittedIdOf(term, admitTerm);
  }
}
