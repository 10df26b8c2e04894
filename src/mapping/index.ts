/** The mapping engine: RML-Core, legacy RML/R2RML, YARRRML and CSVW over CSV and JSON, streamed as RDF/JS quads. */
import type * as RDF from '@rdfjs/types';
import { runMapping } from './execute.js';
import type { MappingPlan } from './load-mapping.js';
import type { CsvwMode, ErrorPolicy, LogicalSource, MappingProblem, MappingReport, TargetedQuad } from './plan.js';
import type { SourceRecord } from './source-record.js';

export type { CsvwDocumentBase } from './csvw.js';
export { type ColumnDictionary, columnDictionary, type DictionaryColumn } from './csvw-dictionary.js';

export type { DatasetMetadata, LocalizedText, Publisher } from './dataset-metadata.js';
export { type CsvwMode, type ErrorPolicy, errorPolicies, isErrorPolicy, type LogicalSource, type MappingProblem, type MappingReport, problemLine } from './plan.js';
export { vfn } from './functions.js';
export { type LoadMappingOptions, loadMapping, type MappingPlan } from './load-mapping.js';
export { MappingError } from './mapping-error.js';
export { type SourceProgress, sourceProgress } from './read-text.js';

export interface ExecuteOptions {
  /** Overrides the mapping's own `errorPolicy`; `skip-term` when neither says. */
  readonly errorPolicy?: ErrorPolicy;
  readonly onProblem?: (problem: MappingProblem) => void;
  /** Each record of each source as the run reads it (see `RunOptions.onRecord`): measurements that need whole rows ride on this pass. */
  readonly onRecord?: (source: LogicalSource, record: SourceRecord) => void;
  /** csv2rdf mode for CSVW mappings (`standard` unless the plan was loaded with another). */
  readonly csvwMode?: CsvwMode;
}

/** Quads a mapping's `pages` hands over at once: about a hundred rows of a typical table. */
const pageQuads = 1000;

/**
 * Runs a mapping. Quads are generated lazily as `quads` is iterated, one record at a time, or
 * as `pages` is, in arrays of about `pageQuads` whole records: a consumer that takes batches (the
 * store's `stage`) then waits once a page, not once a quad, and looks up a page's terms together.
 * Iterate one of the two: each runs the mapping. `report` settles once the iteration has finished
 * or been stopped early (and rejects with the iteration's error). `rowsRead` counts each record
 * of each source once, however many triples maps iterate it.
 * @throws MappingError from the iterator: under `fail` for the first bad cell (file:line:column),
 * and under every policy for a source that cannot be read; `pages` then drops the page it was filling.
 */
export function executeMapping(
  plan: MappingPlan,
  options: ExecuteOptions = {},
): { quads: AsyncIterable<RDF.Quad>; pages: AsyncIterable<RDF.Quad[]>; report: Promise<MappingReport> } {
  const report: MappingReport = { rowsRead: 0, rowsDropped: 0, triplesWritten: 0, problems: {}, sources: plan.sources };
  let settle: { resolve: (report: MappingReport) => void; reject: (error: unknown) => void } | undefined;
  const done = new Promise<MappingReport>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // A caller that only iterates must not get an unhandled rejection from `report`.
  done.catch(() => {});
  const errorPolicy = options.errorPolicy ?? plan.errorPolicy ?? 'skip-term';
  async function* records(): AsyncGenerator<TargetedQuad[]> {
    try {
      yield* runMapping(plan.compiled, plan.file, { errorPolicy, onProblem: options.onProblem, onRecord: options.onRecord, csvwMode: options.csvwMode }, report);
    } catch (error) {
      settle?.reject(error);
      throw error;
    } finally {
      // Also when the consumer stops early: the report then covers what was generated.
      settle?.resolve(report);
    }
  }
  async function* quads(): AsyncGenerator<RDF.Quad> {
    for await (const batch of records()) for (const item of batch) yield item.quad;
  }
  async function* pages(): AsyncGenerator<RDF.Quad[]> {
    let page: RDF.Quad[] = [];
    for await (const batch of records()) {
      for (const item of batch) page.push(item.quad);
      if (page.length >= pageQuads) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }
  return { quads: quads(), pages: pages(), report: done };
}
export { type SourceRecord, type SourceTable, sourceTables, type Value } from './source-tables.js';
export { type LintOptions, type LintRule, type LintWarning, lintMapping } from './lint.js';
export { type LintVocabulary, readLintVocabulary } from './lint-vocabulary.js';
export { checkSubjectKeys, type SubjectKeyProblem } from './lint-subjects.js';
export { decodeText } from './read-text.js';
