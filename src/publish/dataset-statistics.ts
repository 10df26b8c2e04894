/** Per-dataset figures for VoID and the sitemap (entities, URI space, vocabularies, linksets), computed in one pass and kept per dataset version. */
import { basePrefixes, DataFactory } from '../rdf/index.js';
import type { DatasetInfo, VinculoStore } from '../store/index.js';

const rdfType = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

export interface Linkset {
  /** The dataset whose subjects the links point at. */
  readonly target: string;
  readonly predicate: string;
  readonly triples: number;
}

export interface DatasetStatistics {
  readonly id: string;
  readonly version: number;
  readonly triples: number;
  /** Distinct IRI subjects. */
  readonly entities: number;
  readonly distinctSubjects: number;
  readonly properties: number;
  readonly classes: readonly string[];
  /** The common prefix of the dataset's IRI subjects under the base (`{base}id/municipio/`). */
  readonly uriSpace: string | undefined;
  readonly examples: readonly string[];
  /** Namespaces of the predicates and classes used. */
  readonly vocabularies: readonly string[];
  readonly linksets: readonly Linkset[];
  /** IRI subjects under `{base}id/` — the dataset's documents, for the sitemap (bounded). */
  readonly documents: readonly string[];
}

export interface StatisticsOptions {
  readonly store: VinculoStore;
  readonly baseIRI: string;
  /** At most this many documents are listed per dataset (a sitemap holds 50 000 URLs). */
  readonly maxDocuments?: number;
}

/** `http://x/ns#term` → `http://x/ns#`, `http://x/ns/term` → `http://x/ns/`. */
export function namespaceOf(iri: string): string {
  const hash = iri.lastIndexOf('#');
  if (hash >= 0) return iri.slice(0, hash + 1);
  return iri.slice(0, iri.lastIndexOf('/') + 1);
}

function commonPrefix(a: string, b: string): string {
  let index = 0;
  while (index < a.length && index < b.length && a[index] === b[index]) index++;
  return a.slice(0, index);
}

/**
 * A function giving a dataset's statistics, recomputed only when its version changes. The pass
 * streams the graph; what it keeps is one entry per distinct subject and per outgoing link target.
 * @throws whatever the store raises while exporting.
 */
export function datasetStatistics({ store, baseIRI, maxDocuments = 10_000 }: StatisticsOptions): (info: DatasetInfo) => Promise<DatasetStatistics> {
  const cache = new Map<string, Promise<DatasetStatistics>>();
  const idRoot = basePrefixes(baseIRI).id;

  const compute = async (info: DatasetInfo): Promise<DatasetStatistics> => {
    const subjects = new Set<string>();
    let iriSubjects = 0;
    const predicates = new Set<string>();
    const classes = new Set<string>();
    const outgoing = new Map<string, Map<string, number>>();
    let uriSpace: string | undefined;
    const documents: string[] = [];
    let triples = 0;
    for await (const quad of store.exportQuads(info.graph)) {
      triples++;
      const subjectKey = `${quad.subject.termType}:${quad.subject.value}`;
      if (!subjects.has(subjectKey)) {
        subjects.add(subjectKey);
        if (quad.subject.termType === 'NamedNode') {
          iriSubjects++;
          const iri = quad.subject.value;
          if (iri.startsWith(baseIRI)) {
            const space = iri.startsWith(idRoot) ? iri.slice(0, iri.lastIndexOf('/') + 1) : iri;
            uriSpace = uriSpace === undefined ? space : commonPrefix(uriSpace, space);
          }
          if (iri.startsWith(idRoot) && documents.length < maxDocuments) documents.push(iri);
        }
      }
      predicates.add(quad.predicate.value);
      if (quad.predicate.value === rdfType && quad.object.termType === 'NamedNode') classes.add(quad.object.value);
      else if (quad.object.termType === 'NamedNode') {
        const byPredicate = outgoing.get(quad.object.value) ?? new Map<string, number>();
        byPredicate.set(quad.predicate.value, (byPredicate.get(quad.predicate.value) ?? 0) + 1);
        outgoing.set(quad.object.value, byPredicate);
      }
    }

    // A link goes to another dataset when its object is a subject there (and not here).
    const others = store.listDatasets().filter((other) => other.id !== info.id);
    const linksets = new Map<string, { target: string; predicate: string; triples: number }>();
    for (const [object, byPredicate] of outgoing) {
      if (subjects.has(`NamedNode:${object}`)) continue;
      const term = DataFactory.namedNode(object);
      for (const other of others) {
        if (store.countQuads(term, null, null, other.graph) === 0) continue;
        for (const [predicate, count] of byPredicate) {
          const key = `${other.id} ${predicate}`;
          const entry = linksets.get(key) ?? { target: other.id, predicate, triples: 0 };
          entry.triples += count;
          linksets.set(key, entry);
        }
      }
    }
    const vocabularies = new Set([...predicates, ...classes].map(namespaceOf).filter((ns) => ns !== ''));
    return {
      id: info.id,
      version: info.version,
      triples,
      entities: iriSubjects,
      distinctSubjects: subjects.size,
      properties: predicates.size,
      classes: [...classes].sort(),
      uriSpace: uriSpace === '' ? undefined : uriSpace,
      examples: documents.slice(0, 3),
      vocabularies: [...vocabularies].sort(),
      linksets: [...linksets.values()].sort((a, b) => `${a.target} ${a.predicate}`.localeCompare(`${b.target} ${b.predicate}`)),
      documents,
    };
  };

  return (info) => {
    // Linksets depend on the other datasets too, so the key is the store's version as well.
    const key = `${info.id}@${info.version}@${store.version}`;
    let statistics = cache.get(key);
    if (!statistics) {
      for (const old of cache.keys()) if (old.startsWith(`${info.id}@`)) cache.delete(old);
      statistics = compute(info);
      statistics.catch(() => cache.delete(key));
      cache.set(key, statistics);
    }
    return statistics;
  };
}
