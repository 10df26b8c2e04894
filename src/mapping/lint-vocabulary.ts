/** What the linter knows about vocabularies: the terms the vocabulary files define and the standard namespaces. */
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseRdf, prefixes, rdfFormatOfPath } from '../rdf/index.js';

export interface LintVocabulary {
  /** Every IRI that is the subject of a triple in a vocabulary file: a term defined there. */
  readonly defined: ReadonlySet<string>;
  /** Terms declared a sub-property, sub-class or equivalent of a standard term: deliberate specialisations. */
  readonly specialised: ReadonlySet<string>;
  /** Files that could not be read, and why; the linter works on without them. */
  readonly unreadable: ReadonlyArray<{ readonly file: string; readonly message: string }>;
}

/** Namespaces whose terms every reader knows; they need no vocabulary file. */
export const coreNamespaces: readonly string[] = [prefixes.rdf, prefixes.rdfs, prefixes.owl, prefixes.xsd];

/** The standard vocabularies the guide asks agencies to reuse (W3C, DCMI, EU ISA, schema.org, OGC). */
export const standardNamespaces: readonly string[] = [
  ...Object.values(prefixes),
  'http://purl.org/dc/elements/1.1/',
  'http://www.w3.org/ns/adms#',
  'http://www.w3.org/ns/locn#',
  'http://www.opengis.net/ont/geosparql#',
  'http://purl.org/linked-data/cube#',
  'https://schema.org/',
];

/** Whether an IRI lies in one of the namespaces. */
export function inNamespaces(iri: string, namespaces: readonly string[]): boolean {
  return namespaces.some((namespace) => iri.startsWith(namespace));
}

const specialising = new Set([
  `${prefixes.rdfs}subPropertyOf`,
  `${prefixes.rdfs}subClassOf`,
  `${prefixes.owl}equivalentProperty`,
  `${prefixes.owl}equivalentClass`,
]);

/**
 * Reads every RDF file of the vocabularies folder (Turtle, N-Triples, RDF/XML, JSON-LD, ...),
 * relative IRIs resolved against the base IRI as when they are published. A file that does not
 * parse is listed in `unreadable` rather than thrown: a broken vocabulary copy must not make
 * every mapping invalid.
 * @throws nothing for missing or broken files (they are reported in `unreadable`).
 */
export async function readLintVocabulary(folder: string, baseIRI: string): Promise<LintVocabulary> {
  const defined = new Set<string>();
  const specialised = new Set<string>();
  const unreadable: Array<{ file: string; message: string }> = [];
  let names: string[];
  try {
    names = (await readdir(folder)).sort();
  } catch (error) {
    return { defined, specialised, unreadable: [{ file: folder, message: (error as Error).message }] };
  }
  for (const name of names) {
    const format = rdfFormatOfPath(name);
    // Compressed copies would need unpacking; the vocabularies folder holds plain files.
    if (!format || name.endsWith('.gz')) continue;
    const file = join(folder, name);
    try {
      for await (const quad of parseRdf(createReadStream(file, 'utf8'), { format: format.name, baseIRI, source: file })) {
        if (quad.subject.termType !== 'NamedNode') continue;
        defined.add(quad.subject.value);
        if (specialising.has(quad.predicate.value) && inNamespaces(quad.object.value, standardNamespaces)) specialised.add(quad.subject.value);
      }
    } catch (error) {
      unreadable.push({ file, message: (error as Error).message });
    }
  }
  return { defined, specialised, unreadable };
}
