/** The persistent-URI rules of the linked-open-data guide, checked on an IRI's path under the base IRI. */

/** What is wrong with a URI; one kind per rule so that many sampled IRIs fold into one line each. */
export type UriProblemKind = 'space' | 'shape' | 'not-lowercase' | 'extension' | 'query' | 'version';

export interface UriProblem {
  readonly kind: UriProblemKind;
  readonly message: string;
}

/** The URI spaces of the architecture: things, terms, code lists, datasets and their graphs. */
const spaces: Record<string, { readonly pattern: string; readonly segments: readonly number[] }> = {
  id: { pattern: 'id/{concept}/{ref}', segments: [3] },
  kos: { pattern: 'kos/{scheme}/{code}', segments: [2, 3] },
  def: { pattern: 'def/{vocab}#{Term}', segments: [2] },
  dataset: { pattern: 'dataset/{id}', segments: [2] },
  graph: { pattern: 'graph/{id}', segments: [2] },
};

const lowercaseAscii = /^[a-z0-9_-]+$/;
const fileExtension = /\.(csv|tsv|json|jsonld|geojson|xml|rdf|owl|ttl|nt|nq|n3|trig|html?|xhtml|xlsx?|ods|zip|gz|pdf|php|aspx?|jsp|cgi)$/i;
// `v1`, `v2.0`, `api-v3`: a version in a URI breaks it at the next version (ISA rule: no versions).
const version = /(^|[-_.])v\d+(\.\d+)*$/i;

/**
 * The guide's rule breaches of one IRI path relative to the base IRI (`id/municipio/05001`):
 * the URI space, the segment count of its pattern, lowercase ASCII segments (digits, `-`, `_`),
 * no file extension, no query string, no version segment. Empty when the path follows the rules.
 */
export function uriPatternProblems(relative: string): UriProblem[] {
  const problems: UriProblem[] = [];
  const queryAt = relative.indexOf('?');
  if (queryAt >= 0) problems.push({ kind: 'query', message: `query string "${relative.slice(queryAt)}"` });
  const withoutQuery = queryAt >= 0 ? relative.slice(0, queryAt) : relative;
  const hashAt = withoutQuery.indexOf('#');
  const path = hashAt >= 0 ? withoutQuery.slice(0, hashAt) : withoutQuery;
  const fragment = hashAt >= 0 ? withoutQuery.slice(hashAt + 1) : undefined;
  const segments = path.split('/');
  const spaceName = segments[0] ?? '';
  const space = spaces[spaceName];
  if (!space) {
    problems.push({ kind: 'space', message: `"${path}" is outside the URI spaces ${Object.keys(spaces).map((name) => `${name}/`).join(', ')}` });
  } else if (!space.segments.includes(segments.length) || (fragment !== undefined && spaceName !== 'def')) {
    problems.push({ kind: 'shape', message: `"${withoutQuery}" does not follow ${space.pattern}` });
  }
  for (const segment of segments) {
    if (segment === '') problems.push({ kind: 'shape', message: `empty segment in "${path}"` });
    else if (fileExtension.test(segment)) problems.push({ kind: 'extension', message: `file extension in "${segment}"` });
    else if (version.test(segment)) problems.push({ kind: 'version', message: `version number in "${segment}"` });
    else if (!lowercaseAscii.test(segment)) problems.push({ kind: 'not-lowercase', message: `"${segment}" is not lowercase ASCII [a-z0-9_-]` });
  }
  // Term names in `def/{vocab}#{Term}` are CamelCase or camelCase by convention, so only their characters are checked.
  if (fragment !== undefined && spaceName === 'def' && !/^[A-Za-z][A-Za-z0-9_-]*$/.test(fragment)) {
    problems.push({ kind: 'not-lowercase', message: `term name "${fragment}" is not ASCII letters and digits` });
  }
  return problems;
}

/** What to do about each kind of breach, for the warning's suggestion. */
export const uriProblemAdvice: Record<UriProblemKind, string> = {
  space: 'mint things as {base}id/{concept}/{ref}',
  shape: 'use exactly the pattern of the URI space, e.g. {base}id/{concept}/{ref}',
  'not-lowercase': 'use an official code as the reference, or slug the value with vfn:slug',
  extension: 'drop the file extension: /doc/ pages negotiate the format',
  query: 'put the key in the path, not in a query string',
  version: 'keep versions out of URIs (describe them with dcat:version)',
};
