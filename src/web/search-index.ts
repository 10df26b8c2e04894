/** The site's search: an in-memory index over the labels and titles of everything in the store, accent- and case-insensitive, by word prefix. */
import type * as RDF from '@rdfjs/types';
import { matchQuads, ns } from '../rdf/index.js';

/** The predicates whose literals name a thing and are searched. */
export const searchedPredicates: readonly RDF.NamedNode[] = [ns.rdfs('label'), ns.skos('prefLabel'), ns.dct('title'), ns.foaf('name')];

const nonAscii = /[^ -~]/;

/** Lowercase, without diacritics (NFD then marks removed), so "Medellin" finds "Medellín". */
export function normalizeText(text: string): string {
  // Most labels are ASCII already; they skip the costlier decomposition.
  if (!nonAscii.test(text)) return text.toLowerCase();
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** The words of an already normalised text, plus the joined runs of single letters. */
function wordsOf(normalized: string): string[] {
  const separators = nonAscii.test(normalized) ? /[^\p{L}\p{N}]+/u : /[^a-z0-9]+/;
  const words = normalized.split(separators).filter((token) => token !== '');
  const joined: string[] = [];
  let run = '';
  for (const word of [...words, '']) {
    if (word.length === 1) {
      run += word;
      continue;
    }
    if (run.length > 1) joined.push(run);
    run = '';
  }
  return joined.length === 0 ? words : [...words, ...joined];
}

/**
 * The words of a text after normalisation (letters and digits). Runs of single letters also give
 * their joined form, so the abbreviation "D.C." is found as "dc" too.
 */
export function searchTokens(text: string): string[] {
  return wordsOf(normalizeText(text));
}

export interface SearchHit {
  readonly iri: string;
  readonly label: string;
  readonly language: string;
}

export interface SearchResult {
  readonly hits: readonly SearchHit[];
  /** How many distinct resources match in all (hits holds at most `limit` of them). */
  readonly total: number;
  /** The store version the index answered from. */
  readonly version: number;
}

export interface SearchOptions {
  readonly limit?: number;
  /** Preferred language of the label shown when a resource has several that match. */
  readonly language?: string;
}

export interface SearchIndex {
  /**
   * Resources whose labels contain, for every word of `query`, a word starting with it.
   * Rebuilds the index first when the store changed since it was built.
   * @throws whatever the store raises while the index is rebuilt.
   */
  search(query: string, options?: SearchOptions): Promise<SearchResult>;
  /** Labels indexed (after the last build). */
  readonly size: number;
}

interface Entry {
  readonly iri: number;
  readonly label: string;
  readonly normalized: string;
  readonly language: string;
}

interface Built {
  readonly version: number;
  /** Sorted by label length, then label: posting lists in entry order are already in display order. */
  readonly entries: readonly Entry[];
  readonly iris: readonly string[];
  /** Distinct words, sorted. */
  readonly words: readonly string[];
  /**
   * The entries whose label has `words[i]`, ascending, are `postings[starts[i]]` up to
   * `postings[starts[i + 1]]`: one flat array instead of one per word.
   */
  readonly starts: Int32Array;
  readonly postings: Int32Array;
}

/** Entries handled between two yields to the event loop: a rebuild must not stall the server's requests. */
const yieldEvery = 5_000;
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

async function build(store: RDF.Source<RDF.Quad> & { readonly version: number }): Promise<Built> {
  const version = store.version;
  const iris: string[] = [];
  const iriIds = new Map<string, number>();
  const found: Entry[] = [];
  let seen = 0;
  for (const predicate of searchedPredicates) {
    // The same label in several graphs gives several entries; the search merges them per resource.
    // Reading a match is microtasks only, which never let a request in: pause on every few thousand.
    for await (const quad of matchQuads(store, null, predicate, null, null)) {
      if (++seen % yieldEvery === 0) await pause();
      if (quad.subject.termType !== 'NamedNode' || quad.object.termType !== 'Literal') continue;
      let iri = iriIds.get(quad.subject.value);
      if (iri === undefined) {
        iri = iris.length;
        iris.push(quad.subject.value);
        iriIds.set(quad.subject.value, iri);
      }
      found.push({ iri, label: quad.object.value, normalized: normalizeText(quad.object.value), language: quad.object.language });
    }
  }
  const entries = found.sort((a, b) => a.label.length - b.label.length || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  const byWord = new Map<string, number[]>();
  for (let index = 0; index < entries.length; index++) {
    for (const word of new Set(wordsOf((entries[index] as Entry).normalized))) {
      const list = byWord.get(word);
      if (list) list.push(index);
      else byWord.set(word, [index]);
    }
    if (index % yieldEvery === yieldEvery - 1) await pause();
  }
  const words = [...byWord.keys()].sort();
  const starts = new Int32Array(words.length + 1);
  let size = 0;
  words.forEach((word, position) => {
    starts[position] = size;
    size += (byWord.get(word) as number[]).length;
  });
  starts[words.length] = size;
  const postings = new Int32Array(size);
  words.forEach((word, position) => {
    postings.set(byWord.get(word) as number[], starts[position] as number);
  });
  return { version, entries, iris, words, starts, postings };
}

/** First position whose word is not below `prefix`. */
function lowerBound(words: readonly string[], prefix: string): number {
  let low = 0;
  let high = words.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((words[middle] as string) < prefix) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The entries having a word that starts with `prefix`, ascending (so in display order). */
function entriesWithPrefix(built: Built, prefix: string): Int32Array {
  const first = lowerBound(built.words, prefix);
  let last = first;
  while (last < built.words.length && (built.words[last] as string).startsWith(prefix)) last++;
  // Matching words are neighbours, so their lists are one slice of the flat array.
  const slice = built.postings.subarray(built.starts[first] as number, built.starts[last] as number);
  if (last - first <= 1) return slice;
  // The slice joins several ascending lists; an entry sits in one list per distinct word of its label.
  const merged = Int32Array.from(slice).sort();
  let kept = 0;
  for (let position = 0; position < merged.length; position++) {
    if (position === 0 || merged[position] !== merged[position - 1]) merged[kept++] = merged[position] as number;
  }
  return merged.subarray(0, kept);
}

/** Lower is better: the whole label equals the query, starts with it, or merely contains its words. */
function matchRank(entry: Entry, normalizedQuery: string): number {
  return entry.normalized === normalizedQuery ? 0 : entry.normalized.startsWith(normalizedQuery) ? 1 : 2;
}

/** Lower is better: the reader's language, untagged, any other. */
function languageRank(entry: Entry, language: string | undefined): number {
  return language === undefined || entry.language === language ? 0 : entry.language === '' ? 1 : 2;
}

/**
 * An index over `store` that is built on first use and rebuilt whenever `store.version` changes,
 * so searching never scans triples: each query word is a binary search in the sorted word list,
 * and hits come out of posting lists already in display order.
 */
export function createSearchIndex(store: RDF.Source<RDF.Quad> & { readonly version: number }): SearchIndex {
  let built: Built | undefined;
  let building: Promise<Built> | undefined;

  async function current(): Promise<Built> {
    if (built && built.version === store.version) return built;
    // Requests arriving during a rebuild share it instead of starting their own.
    if (!building || (await building).version !== store.version) {
      building = build(store);
    }
    built = await building;
    return built;
  }

  return {
    get size() {
      return built?.entries.length ?? 0;
    },
    async search(query, options = {}) {
      const index = await current();
      const limit = options.limit ?? 20;
      const words = [...new Set(searchTokens(query))];
      if (words.length === 0 || limit <= 0) return { hits: [], total: 0, version: index.version };
      // The rarest word drives the walk; the others are marks to check against.
      const lists = words.map((word) => entriesWithPrefix(index, word)).sort((a, b) => a.length - b.length);
      const [driver, ...others] = lists as [Int32Array, ...Int32Array[]];
      const marks = others.map((list) => {
        const mark = new Uint8Array(index.entries.length);
        for (const position of list) mark[position] = 1;
        return mark;
      });
      const normalizedQuery = normalizeText(query).trim();
      // Nine buckets by (language, match); within each, entry order is label length then label.
      const buckets: number[][] = Array.from({ length: 9 }, () => []);
      const counted = new Uint8Array(index.iris.length);
      let total = 0;
      for (const position of driver) {
        if (!marks.every((mark) => mark[position] === 1)) continue;
        const entry = index.entries[position] as Entry;
        if (counted[entry.iri] === 0) {
          counted[entry.iri] = 1;
          total++;
        }
        const bucket = buckets[languageRank(entry, options.language) * 3 + matchRank(entry, normalizedQuery)] as number[];
        // A few more than needed, as a resource's other labels may take places in the same bucket.
        if (bucket.length < limit * 4) bucket.push(position);
      }
      const taken = new Set<number>();
      const hits: SearchHit[] = [];
      for (const bucket of buckets) {
        for (const position of bucket) {
          const entry = index.entries[position] as Entry;
          if (taken.has(entry.iri) || hits.length >= limit) continue;
          taken.add(entry.iri);
          hits.push({ iri: index.iris[entry.iri] as string, label: entry.label, language: entry.language });
        }
      }
      return { hits, total, version: index.version };
    },
  };
}
