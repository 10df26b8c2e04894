/** The usage metrics, by the local names they have in `vocabularies/vinculo.ttl` (`{base}def/vinculo#…`), and their order in a day's counters. */

/** The syntaxes a document or a dump is counted under, by the media type it was served as. */
export const syntaxOfMediaType = {
  'text/turtle': 'Turtle',
  'text/html': 'Html',
  'application/ld+json': 'JsonLd',
  'application/rdf+xml': 'RdfXml',
  'application/n-triples': 'NTriples',
  'application/n-quads': 'NQuads',
  'application/trig': 'TriG',
} as const;

export type Syntax = (typeof syntaxOfMediaType)[keyof typeof syntaxOfMediaType];

/** The dump syntaxes Vínculo serves (`/dumps/{id}.nt.gz|.ttl.gz|.nq.gz`, and `/graph/{id}`'s streaming syntaxes). */
const dumpSyntaxes = ['NTriples', 'Turtle', 'NQuads', 'TriG'] as const satisfies readonly Syntax[];

export type DumpSyntax = (typeof dumpSyntaxes)[number];

/** Every counted metric; `distinctClients` is the sketch's estimate, not a counter. */
export const usageMetrics = [
  'documentViews',
  'documentViewsHuman',
  'documentViewsMachine',
  'documentViewsTurtle',
  'documentViewsHtml',
  'documentViewsJsonLd',
  'documentViewsRdfXml',
  'documentViewsNTriples',
  'documentViewsNQuads',
  'documentViewsTriG',
  'sparqlQueries',
  'sparqlResultRows',
  'dumpDownloads',
  ...dumpSyntaxes.map((syntax) => `dumpDownloads${syntax}` as const),
  'fragmentPages',
  'ldesPages',
  'portalHarvests',
  'distinctClients',
] as const;

export type UsageMetric = (typeof usageMetrics)[number];

/** The metrics kept as counters (all but the estimate). */
export type CountedMetric = Exclude<UsageMetric, 'distinctClients'>;

export const countedMetrics = usageMetrics.filter((metric): metric is CountedMetric => metric !== 'distinctClients');

/** A counter's slot in a day's `Float64Array`. */
export const counterSlot: Readonly<Record<CountedMetric, number>> = Object.fromEntries(countedMetrics.map((metric, index) => [metric, index])) as Record<CountedMetric, number>;

/** What to add to a day's counters: pairs of counter slot and amount, flattened (one loop over numbers per dataset counted). */
export type SlotCounts = readonly number[];

export function isDumpSyntax(syntax: Syntax | undefined): syntax is DumpSyntax {
  return (dumpSyntaxes as readonly string[]).includes(syntax ?? '');
}

/** Content types already read (null: not one we count by). The server sets a handful, as the same strings each time. */
const syntaxOfContentType = new Map<string, Syntax | null>();
const maxContentTypes = 64;

/** The syntax of a `Content-Type` value (parameters ignored), when it is one we count by. */
export function syntaxOf(contentType: string | undefined): Syntax | undefined {
  if (contentType === undefined) return undefined;
  const known = syntaxOfContentType.get(contentType);
  if (known !== undefined) return known ?? undefined;
  const mediaType = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  const syntax = (syntaxOfMediaType as Readonly<Record<string, Syntax>>)[mediaType];
  if (syntaxOfContentType.size < maxContentTypes) syntaxOfContentType.set(contentType, syntax ?? null);
  return syntax;
}
