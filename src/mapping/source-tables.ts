/** The tables a mapping reads, as plain rows: what the catalog's quality metrics walk over. */
import { readCsv, readCsvHeader } from './csv-source.js';
import { readJson } from './json-source.js';
import type { MappingPlan } from './load-mapping.js';
import type { Expression, LogicalSource, TermMap, TriplesMap } from './plan.js';
import type { SourceRecord } from './source-record.js';

export type { SourceRecord, Value } from './source-record.js';

export interface SourceTable {
  /** Absolute path of the file. */
  readonly path: string;
  readonly formulation: 'CSV' | 'JSONPath';
  /** The CSV header, else (JSON) the references the mapping makes into the source. */
  readonly columns: readonly string[];
  /**
   * The references of the subject of the table's main triples map (the one with the most
   * predicate-object maps): the columns that identify a row, as far as the mapping says.
   */
  readonly keys: readonly string[];
  /** Streams the records again on each call. */
  records(): AsyncIterable<SourceRecord>;
}

function expressionReferences(expression: Expression, into: Set<string>): void {
  if (expression.kind === 'reference') into.add(expression.reference);
  else if (expression.kind === 'template') {
    for (const part of expression.parts) if ('reference' in part) into.add(part.reference);
  } else if (expression.kind === 'function') {
    for (const parameter of expression.call.parameters.values()) expressionReferences(parameter, into);
  }
}

function termMapReferences(map: TermMap, into: Set<string>): void {
  expressionReferences(map.expression, into);
  if (map.language) termMapReferences(map.language, into);
  if (map.datatype) termMapReferences(map.datatype, into);
}

function triplesMapReferences(map: TriplesMap, into: Set<string>): void {
  termMapReferences(map.subject, into);
  for (const pom of map.predicateObjectMaps) {
    for (const object of pom.objects) termMapReferences(object, into);
    for (const ref of pom.refObjects) for (const join of ref.joinConditions) termMapReferences(join.child, into);
  }
}

/**
 * The distinct source files of a mapping with their columns and guessed key, each readable as
 * records (streamed for CSV; JSON documents are parsed whole, as in the mapping engine).
 * @throws the file system's error, or CsvSyntaxError, when a CSV header cannot be read.
 */
export async function sourceTables(plan: MappingPlan): Promise<SourceTable[]> {
  const byPath = new Map<string, TriplesMap[]>();
  for (const map of plan.compiled.triplesMaps) byPath.set(map.source.path, [...(byPath.get(map.source.path) ?? []), map]);
  const tables: SourceTable[] = [];
  for (const [path, maps] of byPath) {
    const first = maps[0];
    if (!first) continue;
    const source: LogicalSource = first.source;
    const main = maps.reduce((best, map) => (map.predicateObjectMaps.length > best.predicateObjectMaps.length ? map : best), first);
    const keys = new Set<string>();
    if (main.subject.expression.kind !== 'fresh') termMapReferences(main.subject, keys);
    const references = new Set<string>();
    for (const map of maps) triplesMapReferences(map, references);
    const header = source.formulation === 'CSV' ? await readCsvHeader(source) : undefined;
    const naturalDatatypes = plan.compiled.naturalDatatypes;
    tables.push({
      path,
      formulation: source.formulation,
      columns: header ?? [...references],
      keys: [...keys],
      records: () => (source.formulation === 'CSV' ? readCsv(source) : readJson(source, naturalDatatypes)),
    });
  }
  return tables;
}
