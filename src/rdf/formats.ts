/** The registry of syntaxes Vínculo reads and writes: media type, short name, file suffix. */
import { NotAcceptable, UnsupportedMediaType } from '../errors/index.js';

export type RdfFormatName = 'turtle' | 'trig' | 'ntriples' | 'nquads' | 'jsonld' | 'rdfxml' | 'n3';
export type ResultsFormatName = 'json' | 'xml' | 'csv' | 'tsv';

export interface RdfFormat {
  readonly name: RdfFormatName;
  readonly mediaType: string;
  /** Other media types that mean the same syntax. */
  readonly aliases: readonly string[];
  readonly suffix: string;
  /** The syntax's name for people (download links, distribution titles). */
  readonly label: string;
  /** Whether the syntax can carry named graphs. */
  readonly graphs: boolean;
}

export interface ResultsFormat {
  readonly name: ResultsFormatName;
  readonly mediaType: string;
  readonly aliases: readonly string[];
  readonly suffix: string;
}

export const rdfFormats: readonly RdfFormat[] = [
  { name: 'turtle', mediaType: 'text/turtle', aliases: ['application/x-turtle'], suffix: 'ttl', label: 'Turtle', graphs: false },
  { name: 'jsonld', mediaType: 'application/ld+json', aliases: [], suffix: 'jsonld', label: 'JSON-LD', graphs: true },
  { name: 'rdfxml', mediaType: 'application/rdf+xml', aliases: [], suffix: 'rdf', label: 'RDF/XML', graphs: false },
  { name: 'ntriples', mediaType: 'application/n-triples', aliases: ['text/plain'], suffix: 'nt', label: 'N-Triples', graphs: false },
  { name: 'nquads', mediaType: 'application/n-quads', aliases: ['text/x-nquads'], suffix: 'nq', label: 'N-Quads', graphs: true },
  { name: 'trig', mediaType: 'application/trig', aliases: ['application/x-trig'], suffix: 'trig', label: 'TriG', graphs: true },
  { name: 'n3', mediaType: 'text/n3', aliases: ['text/rdf+n3'], suffix: 'n3', label: 'Notation3', graphs: false },
];

export const resultsFormats: readonly ResultsFormat[] = [
  { name: 'json', mediaType: 'application/sparql-results+json', aliases: ['application/json'], suffix: 'srj' },
  { name: 'xml', mediaType: 'application/sparql-results+xml', aliases: ['application/xml', 'text/xml'], suffix: 'srx' },
  { name: 'csv', mediaType: 'text/csv', aliases: [], suffix: 'csv' },
  { name: 'tsv', mediaType: 'text/tab-separated-values', aliases: [], suffix: 'tsv' },
];

function bareMediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

function lookup<F extends RdfFormat | ResultsFormat>(formats: readonly F[], key: string): F | undefined {
  const wanted = bareMediaType(key);
  return formats.find(
    (format) => format.name === wanted || format.suffix === wanted || format.mediaType === wanted || format.aliases.includes(wanted),
  );
}

/** @throws UnsupportedMediaType when no RDF syntax has that name, suffix or media type. */
export function rdfFormat(key: string): RdfFormat {
  const format = lookup(rdfFormats, key);
  if (!format) throw new UnsupportedMediaType(`not an RDF syntax Vínculo reads or writes: ${key}`);
  return format;
}

/** @throws NotAcceptable when no results syntax has that name, suffix or media type. */
export function resultsFormat(key: string): ResultsFormat {
  const format = lookup(resultsFormats, key);
  if (!format) throw new NotAcceptable(`not a SPARQL results syntax: ${key}`);
  return format;
}

/** The media types of the named syntaxes, in the order given (an endpoint's offers, most preferred first). */
export function mediaTypesOf(names: readonly RdfFormatName[]): string[] {
  return names.map((name) => rdfFormat(name).mediaType);
}

export function findRdfFormat(key: string): RdfFormat | undefined {
  return lookup(rdfFormats, key);
}

export function findResultsFormat(key: string): ResultsFormat | undefined {
  return lookup(resultsFormats, key);
}

/** The format named by a file name's extension (`data.ttl` → turtle), if any. */
export function rdfFormatOfPath(path: string): RdfFormat | undefined {
  const suffix = path.replace(/\.gz$/, '').split('.').pop() ?? '';
  const aliases: Record<string, string> = { owl: 'rdfxml', xml: 'rdfxml', json: 'jsonld', rq: '' };
  return lookup(rdfFormats, aliases[suffix] ?? suffix);
}
