/**
 * Runs a compiled mapping: one streaming pass per triples map, hash joins on parent tables,
 * row-level problems handled by the error policy. Quads carry their logical targets.
 */
import { randomUUID } from 'node:crypto';
import type * as RDF from '@rdfjs/types';
import { DataFactory } from '../rdf/index.js';
import { CsvSyntaxError, readCsv } from './csv-source.js';
import { runCsvw } from './csvw.js';
import { DuplicateFilter } from './duplicate-filter.js';
import { FunctionProblem, functions } from './functions.js';
import { readJson } from './json-source.js';
import { isLanguageTag, isValidLexicalForm } from './literal-check.js';
import { MappingError } from './mapping-error.js';
import type { CompiledMapping, Expression, LogicalSource, MappingProblem, MappingReport, RunOptions, TargetedQuad, TermMap, TriplesMap } from './plan.js';
import { ReferenceValueError, type SourceRecord, type Value } from './source-record.js';
import { referencesOf } from './references.js';
import { hasScheme, iriSafe, isAbsoluteIri } from './template.js';

const rdfType = DataFactory.namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type');
const defaultGraphIri = 'http://w3id.org/rml/defaultGraph';
const xsdString = 'http://www.w3.org/2001/XMLSchema#string';
const xsdDouble = 'http://www.w3.org/2001/XMLSchema#double';

/** The canonical `xsd:double` form (`33` → `3.3E1`), for JSON numbers mapped to doubles. */
function canonicalDouble(number: number): string {
  if (!Number.isFinite(number)) return Number.isNaN(number) ? 'NaN' : number > 0 ? 'INF' : '-INF';
  const [mantissa = '0', exponent = '0'] = number.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}
const noTargets: readonly string[] = [];


/** Problems found while generating one record's terms. */
class Row {
  problems: MappingProblem[] = [];
  constructor(
    readonly record: SourceRecord,
    readonly context: Context,
  ) {}

  problem(kind: string, message: string, column?: string): void {
    const problem: MappingProblem = {
      kind,
      message,
      file: this.context.source.path,
      line: this.record.line,
      column,
      triplesMap: this.context.triplesMap.name,
    };
    this.context.report(problem);
    this.problems.push(problem);
  }
}

interface Context {
  readonly triplesMap: TriplesMap;
  readonly source: LogicalSource;
  readonly naturalDatatypes: boolean;
  /** Blank nodes made from values are labelled per run, so two runs' nodes never merge in a store. */
  readonly blankPrefix: string;
  report(problem: MappingProblem): void;
}

function read(source: LogicalSource, naturalDatatypes: boolean, matched?: Set<string>): AsyncGenerator<SourceRecord> {
  return source.formulation === 'CSV' ? readCsv(source) : readJson(source, naturalDatatypes, matched);
}

/** A reference's values; a value the source cannot give (non-scalar, not decodable) is a problem of the cell. */
function lookup(row: Row, reference: string): readonly Value[] | undefined {
  try {
    return row.record.lookup(reference);
  } catch (error) {
    if (!(error instanceof ReferenceValueError)) throw error;
    row.problem(error.kind, error.message, reference);
    return [];
  }
}

/** Evaluates an expression to lexical values; `undefined` entries never appear. */
function evaluate(expression: Expression, row: Row, termType: TermMap['termType'] | 'value'): Value[] {
  switch (expression.kind) {
    case 'constant':
      return [{ text: expression.term.value }];
    case 'fresh':
      return [];
    case 'reference': {
      const values = lookup(row, expression.reference);
      if (values === undefined) {
        row.problem('missing-reference', `"${expression.reference}" is not a column of the source`, expression.reference);
        return [];
      }
      return values as Value[];
    }
    case 'template': {
      const encode = termType === 'IRI' || termType === 'URI';
      const identifies = termType !== 'Literal' && termType !== 'value';
      // One value per reference is the common case: build one string, no cartesian product.
      let single = '';
      let results: string[] | undefined;
      for (const part of expression.parts) {
        if ('text' in part) {
          if (results) results = results.map((prefix) => prefix + part.text);
          else single += part.text;
          continue;
        }
        const values = lookup(row, part.reference);
        if (values === undefined) {
          row.problem('missing-reference', `"${part.reference}" is not a column of the source`, part.reference);
          return [];
        }
        // An identifier with an empty part (`kos/divipola/` from an empty cell) identifies nothing.
        if (values.length === 0 || (identifies && values.some((value) => value.text === ''))) return [];
        const texts = values.map((value) => (encode ? iriSafe(value.text, termType === 'URI') : value.text));
        if (!results && texts.length === 1) single += texts[0];
        else results = (results ?? [single]).flatMap((prefix) => texts.map((text) => prefix + text));
      }
      return results ? results.map((text) => ({ text })) : [{ text: single }];
    }
    case 'function': {
      const implementation = functions.get(expression.call.function);
      if (!implementation) {
        row.problem('unknown-function', `unknown function <${expression.call.function}>`);
        return [];
      }
      const parameters = new Map<string, string[]>();
      for (const [name, parameter] of expression.call.parameters) {
        parameters.set(
          name,
          evaluate(parameter, row, 'value').map((value) => value.text),
        );
      }
      try {
        return implementation(parameters).map((text) => ({ text }));
      } catch (error) {
        if (!(error instanceof FunctionProblem)) throw error;
        const column = firstReference(expression);
        row.problem('invalid-value', error.message, column);
        return [];
      }
    }
  }
}

function firstReference(expression: Expression): string | undefined {
  if (expression.kind === 'reference') return expression.reference;
  if (expression.kind === 'template') return expression.parts.find((part) => 'reference' in part)?.toString();
  if (expression.kind === 'function') {
    for (const parameter of expression.call.parameters.values()) {
      const found = firstReference(parameter);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Constant IRIs without a scheme (`def/territorio#Municipio` in YARRRML) are relative to the base IRI. */
function resolveConstant(term: RDF.Term, baseIRI: string): RDF.Term {
  if (term.termType !== 'NamedNode') return term;
  // Constants repeat on every record: resolve each once per base IRI.
  const cached = resolvedConstants.get(term);
  if (cached?.base === baseIRI) return cached.term;
  const resolved = hasScheme(term.value) ? term : DataFactory.namedNode(baseIRI + term.value);
  resolvedConstants.set(term, { base: baseIRI, term: resolved });
  return resolved;
}

const resolvedConstants = new WeakMap<RDF.Term, { readonly base: string; readonly term: RDF.Term }>();
const validLanguages = new Set<string>();

function blankLabel(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, (char) => `_${char.codePointAt(0)!.toString(16)}_`);
}

/** Generates the RDF terms of a term map for one record (R2RML §7 / RML-Core §8). */
function generate(map: TermMap, row: Row, baseIRI: string): RDF.Term[] {
  const { expression } = map;
  if (expression.kind === 'constant') return [resolveConstant(expression.term, baseIRI)];
  if (expression.kind === 'fresh') return [DataFactory.blankNode()];
  const values = evaluate(expression, row, map.termType);
  if (values.length === 0) return [];
  const terms: RDF.Term[] = [];
  const column = firstReference(expression);
  for (const value of values) {
    switch (map.termType) {
      case 'UnsafeIRI':
        // RML-Core's UnsafeIRI: the value is used as is, without encoding or validation.
        terms.push(DataFactory.namedNode(hasScheme(value.text) ? value.text : baseIRI + value.text));
        break;
      case 'IRI':
      case 'URI': {
        const iri = hasScheme(value.text) ? value.text : baseIRI + value.text;
        if (!isAbsoluteIri(iri)) {
          row.problem('invalid-iri', `"${iri}" is not a valid IRI`, column);
          continue;
        }
        terms.push(DataFactory.namedNode(iri));
        break;
      }
      case 'BlankNode':
        terms.push(DataFactory.blankNode(row.context.blankPrefix + blankLabel(value.text)));
        break;
      case 'Literal': {
        const literal = makeLiteral(map, value, row, baseIRI, column);
        if (literal) terms.push(literal);
        break;
      }
    }
  }
  return terms;
}

function makeLiteral(map: TermMap, value: Value, row: Row, baseIRI: string, column: string | undefined): RDF.Literal | undefined {
  if (map.language) {
    const tag = generate(map.language, row, baseIRI)[0]?.value;
    if (tag === undefined) return DataFactory.literal(value.text);
    if (!validLanguages.has(tag) && !isLanguageTag(tag)) {
      row.problem('invalid-language', `"${tag}" is not a valid language tag`, firstReference(map.language.expression));
      return undefined;
    }
    if (validLanguages.size < 1000) validLanguages.add(tag);
    return DataFactory.literal(value.text, tag.toLowerCase());
  }
  let datatype: string | undefined;
  if (map.datatype) {
    const term = map.datatype.expression.kind === 'constant' ? map.datatype.expression.term : generateIri(map.datatype, row, baseIRI);
    datatype = term?.value;
  } else if (value.datatype !== undefined) datatype = value.datatype;
  if (datatype === undefined || datatype === xsdString) return DataFactory.literal(value.text);
  if (datatype === xsdDouble && value.datatype !== undefined && value.datatype !== xsdDouble) {
    return DataFactory.literal(canonicalDouble(Number(value.text)), DataFactory.namedNode(datatype));
  }
  if (!isValidLexicalForm(value.text, datatype)) {
    row.problem('invalid-datatype-value', `"${value.text}" is not a valid <${datatype}>`, column);
    return undefined;
  }
  return DataFactory.literal(value.text, DataFactory.namedNode(datatype));
}

function generateIri(map: TermMap, row: Row, baseIRI: string): RDF.Term | undefined {
  return generate({ ...map, termType: 'IRI' }, row, baseIRI)[0];
}

interface GraphTerm {
  readonly graph: RDF.Quad_Graph;
  readonly targets: readonly string[];
}

const defaultGraphs: readonly GraphTerm[] = [{ graph: DataFactory.defaultGraph(), targets: noTargets }];

function graphTerms(maps: readonly TermMap[], row: Row, baseIRI: string, targetsFor: typeof targetsOf): GraphTerm[] {
  const graphs: GraphTerm[] = [];
  for (const map of maps) {
    for (const term of generate(map, row, baseIRI)) {
      graphs.push({ graph: (term.value === defaultGraphIri ? DataFactory.defaultGraph() : term) as RDF.Quad_Graph, targets: targetsFor(map) });
    }
  }
  return graphs;
}

function targetsOf(...maps: ReadonlyArray<TermMap | undefined>): readonly string[] {
  let targets: string[] | undefined;
  for (const map of maps) {
    if (!map) continue;
    const own = [...map.targets, ...(map.language?.targets ?? []), ...(map.datatype?.targets ?? [])];
    if (own.length > 0) targets = [...(targets ?? []), ...own];
  }
  return targets ? [...new Set(targets)] : noTargets;
}

type ParentIndex = Map<string, RDF.Term[]>;

/** Every combination of the join values of a record, as hash keys. */
function joinKeys(maps: readonly TermMap[], row: Row): string[] {
  let keys = [''];
  for (const map of maps) {
    const values = evaluate(map.expression, row, 'value').map((value) => value.text);
    if (values.length === 0) return [];
    keys = keys.flatMap((key) => values.map((value) => `${key}\u0000${value}`));
  }
  return keys;
}

/**
 * Generates quads for every triples map, tagged with their targets, one batch per record
 * (one await per record rather than per quad).
 * @throws MappingError under the `fail` policy, for an unknown parent triples map, or for an unreadable source.
 */
export async function* runMapping(
  plan: CompiledMapping,
  file: string,
  options: RunOptions,
  report: MappingReport,
): AsyncGenerator<TargetedQuad[]> {
  if (plan.csvw) {
    yield* runCsvw(plan.csvw, { ...options, mode: options.csvwMode }, report);
    return;
  }
  const byId = new Map(plan.triplesMaps.map((map) => [map.id, map]));
  // One filter for the run: two records (or two triples maps) stating the same triple write it once.
  const duplicates = new DuplicateFilter();
  const blankPrefix = `m${randomUUID().slice(0, 8)}_`;
  // Most mappings name no logical target: then no quad needs its targets computed.
  const targetsFor = plan.targets.size > 0 ? targetsOf : () => noTargets;
  const indexes = new Map<string, ParentIndex>();
  // References that matched in some record, per triples map (parent indexes read the same source).
  const matchedSets = new Map<string, Set<string>>();
  const matchedFor = (id: string): Set<string> => {
    const existing = matchedSets.get(id);
    if (existing) return existing;
    const created = new Set<string>();
    matchedSets.set(id, created);
    return created;
  };
  const record = (problem: MappingProblem) => {
    report.problems[problem.kind] = (report.problems[problem.kind] ?? 0) + 1;
    options.onProblem?.(problem);
    if (options.errorPolicy === 'fail') {
      throw new MappingError(problem.message, { file: problem.file, line: problem.line, column: problem.column, triplesMap: problem.triplesMap, kind: problem.kind });
    }
  };

  const parentIndex = async (parent: TriplesMap, parentMaps: readonly TermMap[]): Promise<ParentIndex> => {
    const cacheKey = JSON.stringify([parent.id, parentMaps.map((map) => map.node + JSON.stringify(map.expression))]);
    const cached = indexes.get(cacheKey);
    if (cached) return cached;
    const index: ParentIndex = new Map();
    // Problems of the parent's own rows are reported when the parent map itself runs.
    const context: Context = { triplesMap: parent, source: parent.source, naturalDatatypes: plan.naturalDatatypes, blankPrefix, report: () => {} };
    for await (const parentRecord of readSource(parent, context, matchedFor(parent.id))) {
      if (dropsRow(parentRecord)) continue;
      const row = new Row(parentRecord, context);
      const subjects = generate(parent.subject, row, parent.baseIRI);
      if (subjects.length === 0) continue;
      for (const key of joinKeys(parentMaps, row)) {
        const list = index.get(key);
        if (list) list.push(...subjects);
        else index.set(key, [...subjects]);
      }
    }
    indexes.set(cacheKey, index);
    return index;
  };

  const readSource = async function* (map: TriplesMap, context: Context, matched?: Set<string>): AsyncGenerator<SourceRecord> {
    try {
      yield* read(map.source, plan.naturalDatatypes, matched);
    } catch (error) {
      if (error instanceof MappingError) throw error;
      const line = error instanceof CsvSyntaxError ? error.line : undefined;
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'source file does not exist' : (error as Error).message;
      throw new MappingError(reason, { file: map.source.path, line, triplesMap: context.triplesMap.name, kind: 'source' }, { cause: error });
    }
  };

  // Several triples maps may iterate one source; an agency's "rows read" counts each row once.
  const rowsBySource = new Map<string, number>();
  // Likewise a row dropped by two triples maps is one dropped row: record numbers per source.
  const droppedBySource = new Map<string, Set<number>>();
  const dropRow = (sourceKey: string, recordNumber: number) => {
    const dropped = droppedBySource.get(sourceKey) ?? new Set<number>();
    droppedBySource.set(sourceKey, dropped);
    if (dropped.has(recordNumber)) return;
    dropped.add(recordNumber);
    report.rowsDropped++;
  };
  for (const triplesMap of plan.triplesMaps) {
    const context: Context = { triplesMap, source: triplesMap.source, naturalDatatypes: plan.naturalDatatypes, blankPrefix, report: record };
    const base = triplesMap.baseIRI;
    const classes = triplesMap.classes.map((type) => resolveConstant(type, base) as RDF.NamedNode);
    const joins = new Map<string, ParentIndex | 'same-row'>();
    for (const pom of triplesMap.predicateObjectMaps) {
      for (const ref of pom.refObjects) {
        const parent = byId.get(ref.parent);
        if (!parent) throw new MappingError(`parent triples map <${ref.parent}> does not exist`, { file, triplesMap: triplesMap.name });
        if (ref.joinConditions.length === 0 && parent.source.key === triplesMap.source.key) joins.set(ref.node, 'same-row');
        else {
          joins.set(
            ref.node,
            await parentIndex(
              parent,
              ref.joinConditions.map((condition) => condition.parent),
            ),
          );
        }
      }
    }
    const matched = matchedFor(triplesMap.id);
    let records = 0;
    for await (const sourceRecord of readSource(triplesMap, context, matched)) {
      records++;
      if (records > (rowsBySource.get(triplesMap.source.key) ?? 0)) {
        rowsBySource.set(triplesMap.source.key, records);
        report.rowsRead++;
        options.onRecord?.(triplesMap.source, sourceRecord);
      }
      const row = new Row(sourceRecord, context);
      for (const problem of sourceRecord.problems) row.problem(problem.kind, problem.message, problem.column);
      if (dropsRow(sourceRecord)) {
        dropRow(triplesMap.source.key, records);
        continue;
      }
      const out: TargetedQuad[] = [];
      const subjects = generate(triplesMap.subject, row, base) as RDF.Quad_Subject[];
      if (subjects.length > 0) {
        const subjectGraphs = graphTerms(triplesMap.subjectGraphs, row, base, targetsFor);
        for (const subject of subjects) {
          const classGraphs = subjectGraphs.length > 0 ? subjectGraphs : defaultGraphs;
          const classTargets = targetsFor(triplesMap.subject);
          for (const type of classes) {
            for (const { graph, targets } of classGraphs) {
              out.push({ quad: DataFactory.quad(subject, rdfType, type, graph), targets: mergeTargets(classTargets, targets) });
            }
          }
        }
        for (const pom of triplesMap.predicateObjectMaps) {
          const pomGraphs = graphTerms(pom.graphs, row, base, targetsFor);
          const graphs = subjectGraphs.length + pomGraphs.length > 0 ? [...subjectGraphs, ...pomGraphs] : defaultGraphs;
          for (const predicateMap of pom.predicates) {
            const predicates = generate(predicateMap, row, base) as RDF.Quad_Predicate[];
            if (predicates.length === 0) continue;
            for (const objectMap of pom.objects) {
              const targets = targetsFor(triplesMap.subject, predicateMap, objectMap);
              for (const object of generate(objectMap, row, base)) emit(out, subjects, predicates, object, graphs, targets);
            }
            for (const ref of pom.refObjects) {
              const parent = byId.get(ref.parent)!;
              const join = joins.get(ref.node)!;
              const targets = mergeTargets(targetsFor(triplesMap.subject, predicateMap), ref.targets);
              if (join === 'same-row') {
                for (const object of generate(parent.subject, row, parent.baseIRI)) emit(out, subjects, predicates, object, graphs, targets);
                continue;
              }
              const seen = new Set<string>();
              for (const key of joinKeys(
                ref.joinConditions.map((condition) => condition.child),
                row,
              )) {
                for (const object of join.get(key) ?? []) {
                  const id = `${object.termType}:${object.value}`;
                  if (seen.has(id)) continue;
                  seen.add(id);
                  emit(out, subjects, predicates, object, graphs, targets);
                }
              }
            }
          }
        }
      }
      if (options.errorPolicy === 'skip-row' && row.problems.length > 0) {
        dropRow(triplesMap.source.key, records);
        continue;
      }
      const fresh = out.filter((item) => duplicates.isNew(item.quad, item.targets));
      if (fresh.length === 0) continue;
      report.triplesWritten += fresh.length;
      yield fresh;
    }
    if (triplesMap.source.formulation === 'JSONPath' && records > 0) {
      for (const reference of referencesOf(triplesMap, plan.triplesMaps)) {
        if (matched.has(reference)) continue;
        record({
          kind: 'missing-reference',
          message: `reference "${reference}" matches nothing in any of the ${records} records`,
          file: triplesMap.source.path,
          column: reference,
          triplesMap: triplesMap.name,
        });
      }
    }
  }
}

function dropsRow(record: SourceRecord): boolean {
  return record.problems.some((problem) => problem.dropsRow === true);
}

/** Pushes every subject × predicate × graph combination for one object. */
function emit(
  out: TargetedQuad[],
  subjects: readonly RDF.Quad_Subject[],
  predicates: readonly RDF.Quad_Predicate[],
  object: RDF.Term,
  graphs: readonly GraphTerm[],
  targets: readonly string[],
): void {
  for (const subject of subjects) {
    for (const predicate of predicates) {
      for (const graph of graphs) {
        out.push({ quad: DataFactory.quad(subject, predicate, object as RDF.Quad_Object, graph.graph), targets: mergeTargets(targets, graph.targets) });
      }
    }
  }
}

function mergeTargets(a: readonly string[], b: readonly string[]): readonly string[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return [...new Set([...a, ...b])];
}
