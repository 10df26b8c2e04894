/** The references (column names, JSONPaths) a triples map reads, for checks before and after a run. */
import type { Expression, TermMap, TriplesMap } from './plan.js';

function references(expression: Expression): string[] {
  switch (expression.kind) {
    case 'reference':
      return [expression.reference];
    case 'template':
      return expression.parts.flatMap((part) => ('reference' in part ? [part.reference] : []));
    case 'function':
      return [...expression.call.parameters.values()].flatMap(references);
    default:
      return [];
  }
}

function termMapReferences(map: TermMap | undefined): string[] {
  if (!map) return [];
  return [...references(map.expression), ...termMapReferences(map.language), ...termMapReferences(map.datatype)];
}

/** Every reference evaluated on `map`'s own source, including join sides where it is the parent. */
export function referencesOf(map: TriplesMap, all: readonly TriplesMap[]): string[] {
  const found = [...termMapReferences(map.subject), ...map.subjectGraphs.flatMap(termMapReferences)];
  for (const pom of map.predicateObjectMaps) {
    for (const term of [...pom.predicates, ...pom.objects, ...pom.graphs]) found.push(...termMapReferences(term));
    for (const ref of pom.refObjects) for (const condition of ref.joinConditions) found.push(...termMapReferences(condition.child));
  }
  for (const other of all) {
    for (const pom of other.predicateObjectMaps) {
      for (const ref of pom.refObjects) {
        if (ref.parent === map.id) for (const condition of ref.joinConditions) found.push(...termMapReferences(condition.parent));
      }
    }
  }
  return [...new Set(found)];
}
