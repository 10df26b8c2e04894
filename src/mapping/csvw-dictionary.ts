/** The column dictionary of a mapping as CSVW metadata (structural metadata for the catalog, DWBP Best Practice 2). */
import { basename } from 'node:path';
import { builtinDatatypes } from './csvw-datatypes.js';
import type { MappingPlan } from './load-mapping.js';
import type { Expression, TermMap, TriplesMap } from './plan.js';
import { referencesOf } from './references.js';
import { hasScheme } from './template.js';

/** One column of the dictionary (CSVW `Column` description). */
export interface DictionaryColumn {
  readonly name: string;
  readonly titles: readonly string[];
  /** A CSVW built-in datatype name (`integer`, `date`, ...), else `{ "@id": IRI }`. */
  readonly datatype?: string | { readonly '@id': string };
  readonly propertyUrl?: string;
}

/** A CSVW table group: one table per source, `tableSchema.columns` each. */
export interface ColumnDictionary {
  readonly '@context': 'http://www.w3.org/ns/csvw';
  readonly tables: ReadonlyArray<{
    readonly url: string;
    readonly tableSchema: { readonly columns: readonly DictionaryColumn[] };
  }>;
}

const builtinNames = new Map([...builtinDatatypes].filter(([name]) => !['number', 'binary', 'datetime', 'any'].includes(name)).map(([name, iri]) => [iri, name]));

/** The CSVW form of a datatype IRI: its built-in name, else a datatype description with `@id`. */
function csvwDatatype(iri: string): string | { readonly '@id': string } {
  return builtinNames.get(iri) ?? { '@id': iri };
}

function directReference(expression: Expression): string | undefined {
  if (expression.kind === 'reference') return expression.reference;
  if (expression.kind === 'function') {
    for (const parameter of expression.call.parameters.values()) {
      const found = directReference(parameter);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function constantIri(map: TermMap | undefined): string | undefined {
  return map?.expression.kind === 'constant' ? map.expression.term.value : undefined;
}

function rmlColumns(map: TriplesMap, all: readonly TriplesMap[], columns: Map<string, DictionaryColumn>): void {
  for (const name of referencesOf(map, all)) if (!columns.has(name)) columns.set(name, { name, titles: [name] });
  for (const pom of map.predicateObjectMaps) {
    const predicate = pom.predicates.length === 1 ? constantIri(pom.predicates[0]) : undefined;
    // YARRRML constants without a scheme (`def/territorio#poblacion`) are relative to the base IRI, as when mapping.
    const propertyUrl = predicate === undefined || hasScheme(predicate) ? predicate : map.baseIRI + predicate;
    for (const object of pom.objects) {
      const name = directReference(object.expression);
      if (name === undefined) continue;
      const existing = columns.get(name) ?? { name, titles: [name] };
      const iri = constantIri(object.datatype);
      const datatype = existing.datatype ?? (iri !== undefined ? csvwDatatype(iri) : object.termType === 'Literal' ? 'string' : undefined);
      columns.set(name, {
        ...existing,
        ...(datatype !== undefined ? { datatype } : {}),
        ...(existing.propertyUrl === undefined && propertyUrl !== undefined ? { propertyUrl } : {}),
      });
    }
  }
}

/**
 * The columns a mapping reads, as CSVW: for CSVW mappings the table schemas themselves; for
 * RML/YARRRML the referenced columns of each source (named by its file name), with the datatype
 * and predicate of the term maps that use them directly.
 * @throws never.
 */
export function columnDictionary(plan: MappingPlan): ColumnDictionary {
  const { csvw } = plan.compiled;
  if (csvw) {
    return {
      '@context': 'http://www.w3.org/ns/csvw',
      tables: csvw.tables.map(({ table, columns }) => ({
        url: table.url,
        tableSchema: {
          columns: columns.map((column) => ({
            name: decodeURIComponent(column.name),
            titles: column.titles.map((title) => title.value),
            datatype: csvwDatatype(column.datatype.iri),
            ...(column.propertyUrl !== undefined ? { propertyUrl: column.propertyUrl } : {}),
          })),
        },
      })),
    };
  }
  const bySource = new Map<string, Map<string, DictionaryColumn>>();
  for (const map of plan.compiled.triplesMaps) {
    const columns = bySource.get(map.source.path) ?? new Map<string, DictionaryColumn>();
    bySource.set(map.source.path, columns);
    rmlColumns(map, plan.compiled.triplesMaps, columns);
  }
  return {
    '@context': 'http://www.w3.org/ns/csvw',
    // The file name only: a catalog must not publish the server's folders.
    tables: [...bySource].map(([path, columns]) => ({ url: basename(path), tableSchema: { columns: [...columns.values()] } })),
  };
}
