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

/** A predicate's id in a loader, and the last object seen with it and that object's id. */
interface PredicateMemo {
  id: number;
  object: RDF.Term | undefined;
  objectId: number;
}

/** Predicates a loader remembers by term object before it starts afresh (a vocabulary is far smaller; parsed input may bring a new object per quad). */
const rememberedPredicates = 4096;

/**
 * Quads a loader looks up the new terms of in one batch: enough for the dictionary's cache
 * misses to overlap (`TermDictionary.addBatch`), few enough for what they bring in to stay cached.
 */
const lookupBatch = 128;

/** In a loader's batch, a term waiting for its id is referred to by its place in the pending terms, as a negative number (ids are positive). */
function pendingRef(index: number): number {
  return -index - 1;
}

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
  /** The batch being added: its terms that need the dictionary, their ids once looked up, the memos that refer to them. */
  readonly #pending: RDF.Term[] = [];
  readonly #pendingIds = new Uint32Array(3 * lookupBatch);
  readonly #pendingMemos: PredicateMemo[] = [];
  /** Per quad of the batch: subject, predicate and object, each an id or a `pendingRef`. */
  readonly #rows = new Float64Array(3 * lookupBatch);
  readonly #single: RDF.Quad[] = [];
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
    this.#single[0] = quad;
    this.addAll(this.#single);
  }

  /** Adds every quad of an array. @throws BadRequest as `add` does; the quads of the failing batch are then not added. */
  addAll(quads: readonly RDF.Quad[]): void {
    for (let from = 0; from < quads.length; from += lookupBatch) this.#addBatch(quads, from, Math.min(quads.length, from + lookupBatch));
  }

  /**
   * Adds `quads[from, to)` in two passes: the first decides by the remembered terms which terms
   * need the dictionary and collects them, the dictionary looks them all up in one batch, the
   * second adds the rows. Until then a remembered id may be a `pendingRef`.
   */
  #addBatch(quads: readonly RDF.Quad[], from: number, to: number): void {
    const rows = this.#rows;
    const memos = this.#pendingMemos;
    this.#pending.length = 0;
    memos.length = 0;
    for (let at = from, row = 0; at < to; at++, row += 3) {
      const quad = quads[at] as RDF.Quad;
      // `#subject` is set only once its id is known, so the two never disagree.
      if (quad.subject !== this.#subject) {
        this.#subjectId = this.#refOf(quad.subject);
        this.#subject = quad.subject;
      }
      let memo = this.#predicates.get(quad.predicate);
      if (memo === undefined) {
        if (this.#predicates.size === rememberedPredicates) this.#predicates.clear();
        memo = { id: this.#refOf(quad.predicate), object: undefined, objectId: 0 };
        this.#predicates.set(quad.predicate, memo);
        memos.push(memo);
      }
      if (quad.object !== memo.object) {
        memo.objectId = this.#refOf(quad.object);
        memo.object = quad.object;
        memos.push(memo);
      }
      rows[row] = this.#subjectId;
      rows[row + 1] = memo.id;
      rows[row + 2] = memo.objectId;
    }
    const pending = this.#pending;
    const ids = this.#pendingIds;
    if (pending.length > 0) {
      try {
        this.#entities.admittedIdsOf(pending, pending.length, ids, admitTerm);
      } catch (error) {
        // The remembered ids of this batch were never given.
        this.#subject = undefined;
        this.#predicates.clear();
        throw error;
      }
    }
    const idOf = (ref: number): number => (ref < 0 ? (ids[-ref - 1] as number) : ref);
    this.#subjectId = idOf(this.#subjectId);
    for (const memo of memos) {
      memo.id = idOf(memo.id);
      memo.objectId = idOf(memo.objectId);
    }
    for (let row = 0; row < 3 * (to - from); row += 3) {
      this.#builder.add(idOf(rows[row] as number), idOf(rows[row + 1] as number), idOf(rows[row + 2] as number));
      if (++this.#added % sizeCheckEvery === 0) this.#checkSize?.(this.#added);
    }
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

  /** Puts `term` (blank nodes relabelled) among the batch's pending terms. */
  #refOf(term: RDF.Term): number {
    return pendingRef(this.#pending.push(term.termType === 'BlankNode' ? storableTerm(term, this.#blankPrefix) : term) - 1);
  }
}
