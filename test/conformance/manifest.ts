/** Reading W3C-style test manifests (`manifest.ttl`, `mf:entries` lists) with N3. */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type * as RDF from '@rdfjs/types';
import { Store } from 'n3';
import { parseRdfToArray } from '../../src/rdf/index.ts';

export const mf = 'http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#';
const rdfNs = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';

export interface Manifest {
  readonly store: Store;
  readonly iri: string;
  /** The value of one property of a subject, if any. */
  one(subject: RDF.Term, predicate: string): RDF.Term | undefined;
  all(subject: RDF.Term, predicate: string): RDF.Term[];
  list(head: RDF.Term | undefined): RDF.Term[];
  entries(): RDF.Term[];
  includes(): string[];
}

/** Loads a Turtle manifest with its file URL as base, so test IRIs resolve to local files. */
export async function loadManifest(path: string): Promise<Manifest> {
  const iri = pathToFileURL(path).href;
  const store = new Store(await parseRdfToArray(await readFile(path, 'utf8'), { format: 'turtle', baseIRI: iri, source: path }));
  const manifestNode = store.getSubjects(`${rdfNs}type`, `${mf}Manifest`, null)[0];
  const one = (subject: RDF.Term, predicate: string) => store.getObjects(subject, predicate, null)[0];
  const all = (subject: RDF.Term, predicate: string) => store.getObjects(subject, predicate, null);
  const list = (head: RDF.Term | undefined): RDF.Term[] => {
    const items: RDF.Term[] = [];
    let node = head;
    while (node && node.value !== `${rdfNs}nil`) {
      const first = one(node, `${rdfNs}first`);
      if (first) items.push(first);
      node = one(node, `${rdfNs}rest`);
    }
    return items;
  };
  return {
    store,
    iri,
    one,
    all,
    list,
    entries: () => (manifestNode ? all(manifestNode, `${mf}entries`).flatMap((head) => list(head)) : []),
    includes: () => (manifestNode ? all(manifestNode, `${mf}include`).flatMap((head) => list(head).map((term) => term.value)) : []),
  };
}
