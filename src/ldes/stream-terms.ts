/** The terms a dataset's Linked Data Event Stream uses and its paging (its IRIs are in the URI scheme, `src/rdf/uris.ts`). */
import { namespace, vinculoTerm } from '../rdf/index.js';

export const ldes = namespace('https://w3id.org/ldes#');
export const tree = namespace('https://w3id.org/tree#');
export const activityStreams = namespace('https://www.w3.org/ns/activitystreams#');

/**
 * Members per page. Fixed, because a full page is served as immutable: a different size would
 * change the members of pages clients have cached for a year.
 */
export const membersPerPage = 250;

/** The page that holds member `ordinal`. */
export function pageOfMember(ordinal: number): number {
  return Math.floor(ordinal / membersPerPage);
}

/** The marker's predicates (Vínculo's own: no standard term says "committed through batch k"). */
export const markerTerms = (baseIRI: string) => ({
  batch: vinculoTerm(baseIRI, 'ldesBatch'),
  members: vinculoTerm(baseIRI, 'ldesMembers'),
  datasetVersion: vinculoTerm(baseIRI, 'ldesDatasetVersion'),
});
