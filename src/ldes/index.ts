/** Linked Data Event Streams: each dataset's changes as members (row versions and tombstones), logged durably and paged by time. */
export { ldesVoidQuads } from './catalog.js';
export { type CompactedPage, eventStreamDocument, pageDocument, type StreamDocument, viewDocument } from './documents.js';
export { type DatasetEventStream, datasetEventStream, type PendingMembers, publishDatasetChanges, publishSyncChanges, type StreamPlace, streamPlace } from './event-stream.js';
export { clockSkewAllowanceMs, type RetentionPolicy, subtractDuration } from './retention.js';
export { membersPerPage, pageOfMember } from './stream-terms.js';
