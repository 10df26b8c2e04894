/**
 * Compiles the common SPARQL algebra (BGPs, joins, OPTIONAL, UNION, FILTER, BIND, GROUP BY with
 * COUNT/SUM/MIN/MAX, ORDER BY, DISTINCT, slices, DESCRIBE of IRIs) into the fast path's operators
 * over integer ids. Anything else throws `FastPathFallback`: the query then goes to Comunica.
 */
import type * as RDF from '@rdfjs/types';
import type { QuadIndex } from '../store/index.js';
import {
  booleanKey,
  checkCompatible,
  compareKeys,
  effectiveBoolean,
  equalAcrossClasses,
  equalKeys,
  ExpressionError,
  FastPathFallback,
  iriOfKey,
  kindOfKey,
  literalKey,
  literalParts,
  numericValue,
  stringArgument,
  valueClass,
  xsdInteger,
  xsdString,
} from './fast-values.js';
import type { AlgebraNode } from './parse-sparql.js';

/** A solution: one id per variable slot, 0 when unbound. Computed values have negative ids. */
export type Row = number[];

/** A pattern position: a variable's slot, or a constant's id (0: a term no graph holds). */
export type Position = { readonly slot: number } | { readonly id: number };

export interface TriplePattern {
  readonly positions: readonly [Position, Position, Position];
}

/** Evaluates an expression on a row to an entity key. @throws ExpressionError, FastPathFallback */
export type Evaluator = (row: Row) => string;

export interface Aggregate {
  readonly slot: number;
  readonly function: 'count' | 'sum' | 'min' | 'max';
  readonly distinct: boolean;
  /** The argument's slot; undefined for COUNT(*). */
  readonly argument: number | undefined;
}

export interface PushedFilter {
  readonly slots: readonly number[];
  readonly test: (row: Row) => boolean;
}

export type Operator =
  | { readonly type: 'bgp'; readonly patterns: readonly TriplePattern[]; readonly filters: readonly PushedFilter[] }
  | { readonly type: 'join'; readonly left: Operator; readonly right: Operator }
  | { readonly type: 'leftjoin'; readonly left: Operator; readonly right: Operator; readonly test?: (row: Row) => boolean }
  | { readonly type: 'union'; readonly inputs: readonly Operator[] }
  | { readonly type: 'filter'; readonly input: Operator; readonly test: (row: Row) => boolean }
  | { readonly type: 'extend'; readonly input: Operator; readonly slot: number; readonly value: Evaluator }
  | { readonly type: 'group'; readonly input: Operator; readonly keys: readonly number[]; readonly aggregates: readonly Aggregate[] }
  | { readonly type: 'orderby'; readonly input: Operator; readonly keys: readonly { value: Evaluator; descending: boolean }[]; readonly limit?: number }
  | { readonly type: 'project'; readonly input: Operator; readonly slots: readonly number[] }
  | { readonly type: 'distinct'; readonly input: Operator }
  | { readonly type: 'slice'; readonly input: Operator; readonly start: number; readonly length?: number }
  | { readonly type: 'values'; readonly rows: readonly Row[] };

export interface CompiledQuery {
  readonly root: Operator;
  /** Number of slots in a row. */
  readonly width: number;
  /** The result variables and their slots, in SELECT order. */
  readonly variables: readonly { readonly variable: RDF.Variable; readonly slot: number }[];
  /** DESCRIBE: the ids of the described IRIs. */
  readonly describe?: readonly number[];
}

/** Ids of values computed during one query (aggregates, BIND), negative so they never clash with the store's. */
export class ComputedTerms {
  readonly #ids = new Map<string, number>();
  readonly #keys: string[] = [''];

  constructor(readonly index: QuadIndex) {}

  /** The id of a key: the store's when it holds that term (so joins and DISTINCT compare ids), else a computed one. */
  intern(key: string): number {
    const stored = this.index.idOfKey(key);
    if (stored !== undefined) return stored;
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = -this.#keys.length;
      this.#keys.push(key);
      this.#ids.set(key, id);
    }
    return id;
  }

  keyOf(id: number): string {
    return id > 0 ? this.index.keyOf(id) : (this.#keys[-id] ?? '');
  }

  /** The value of an xsd:integer term, else undefined; remembered per store id (ids never change meaning). */
  integerOf(id: number): number | undefined {
    if (id <= 0) return integerValue(this.keyOf(id));
    let cache = integerCaches.get(this.index);
    if (!cache || id >= cache.known.length) {
      const size = Math.max(id + 1, (cache?.known.length ?? 1024) * 2);
      const grown = { known: new Uint8Array(size), values: new Float64Array(size) };
      if (cache) {
        grown.known.set(cache.known);
        grown.values.set(cache.values);
      }
      cache = grown;
      integerCaches.set(this.index, cache);
    }
    if (cache.known[id] === 0) {
      const value = integerValue(this.index.keyOf(id));
      cache.known[id] = value === undefined ? 2 : 1;
      cache.values[id] = value ?? 0;
    }
    return cache.known[id] === 1 ? cache.values[id] : undefined;
  }
}

const integerSuffix = `"^^${xsdInteger}`;

function integerValue(key: string): number | undefined {
  return key.endsWith(integerSuffix) ? numericValue({ lexical: key.slice(1, -integerSuffix.length), language: '', datatype: xsdInteger }) : undefined;
}

/** Integer values by id, per store: 1 = an integer (in `values`), 2 = not one, 0 = not read yet. */
const integerCaches = new WeakMap<QuadIndex, { known: Uint8Array; values: Float64Array }>();

interface Scope {
  readonly slots: Map<string, number>;
}

const field = <T>(node: AlgebraNode, name: string): T => node[name] as T;

/**
 * Compiles a query's algebra.
 * @throws FastPathFallback for anything outside the fast path.
 */
export function compileQuery(algebra: AlgebraNode, terms: ComputedTerms): CompiledQuery {
  let width = 0;
  const newSlot = (): number => width++;
  const slotOf = (scope: Scope, name: string): number => {
    let slot = scope.slots.get(name);
    if (slot === undefined) {
      slot = newSlot();
      scope.slots.set(name, slot);
    }
    return slot;
  };
  const nameOf = (term: RDF.Term): string | undefined =>
    term.termType === 'Variable' ? term.value : term.termType === 'BlankNode' ? `_:${term.value}` : undefined;

  function position(scope: Scope, term: RDF.Term): Position {
    const name = nameOf(term);
    if (name !== undefined) return { slot: slotOf(scope, name) };
    if (term.termType === 'Quad') throw new FastPathFallback('quoted triple pattern');
    return { id: terms.index.idOf(term) ?? 0 };
  }

  function constantKey(term: RDF.Term): string {
    if (term.termType === 'NamedNode') return term.value;
    if (term.termType === 'Literal') {
      if (term.language) return `"${term.value}"@${term.language}`;
      return literalKey(term.value, term.datatype.value);
    }
    throw new FastPathFallback(`constant ${term.termType}`);
  }

  function expression(scope: Scope, node: AlgebraNode): { evaluate: Evaluator; slots: number[] } {
    const subType = field<string>(node, 'subType');
    if (subType === 'term') {
      const term = field<RDF.Term>(node, 'term');
      if (term.termType === 'Variable') {
        const slot = slotOf(scope, term.value);
        return {
          slots: [slot],
          evaluate: (row) => {
            const id = row[slot] ?? 0;
            if (id === 0) throw new ExpressionError(`?${term.value} is unbound`);
            return terms.keyOf(id);
          },
        };
      }
      const key = constantKey(term);
      if (kindOfKey(key) === 'iri' && iriOfKey(key) !== key) throw new FastPathFallback('bracketed IRI constant');
      return { slots: [], evaluate: () => key };
    }
    if (subType !== 'operator') throw new FastPathFallback(`expression ${subType}`);
    const operator = field<string>(node, 'operator').toLowerCase();
    const args = field<AlgebraNode[]>(node, 'args').map((argument) => expression(scope, argument));
    const slots = args.flatMap((argument) => argument.slots);
    const [a, b] = args;
    const test = (predicate: (row: Row) => boolean): { evaluate: Evaluator; slots: number[] } => ({
      slots,
      evaluate: (row) => booleanKey(predicate(row)),
    });
    const ebv = (argument: { evaluate: Evaluator } | undefined) => (row: Row) => effectiveBoolean(need(argument).evaluate(row));
    switch (operator) {
      case '=':
        return test((row) => equalKeys(need(a).evaluate(row), need(b).evaluate(row)));
      case '!=':
        return test((row) => !equalKeys(need(a).evaluate(row), need(b).evaluate(row)));
      case '<':
        return test((row) => compareKeys(need(a).evaluate(row), need(b).evaluate(row)) < 0);
      case '>':
        return test((row) => compareKeys(need(a).evaluate(row), need(b).evaluate(row)) > 0);
      case '<=':
        return test((row) => compareKeys(need(a).evaluate(row), need(b).evaluate(row)) <= 0);
      case '>=':
        return test((row) => compareKeys(need(a).evaluate(row), need(b).evaluate(row)) >= 0);
      case '!': {
        const inner = ebv(a);
        return test((row) => !inner(row));
      }
      case '&&':
      case '||': {
        const [left, right] = [ebv(a), ebv(b)];
        const decisive = operator === '||';
        // Query §17.2: an error on one side is overruled by the other side's decisive value.
        return test((row) => {
          let error: unknown;
          for (const side of [left, right]) {
            try {
              if (side(row) === decisive) return decisive;
            } catch (caught) {
              if (!(caught instanceof ExpressionError)) throw caught;
              error = caught;
            }
          }
          if (error) throw error;
          return !decisive;
        });
      }
      case 'bound': {
        const slot = need(a).slots[0];
        if (args.length !== 1 || slot === undefined || field<AlgebraNode[]>(node, 'args')[0]?.subType !== 'term') {
          throw new FastPathFallback('BOUND of an expression');
        }
        return test((row) => (row[slot] ?? 0) !== 0);
      }
      case 'isiri':
      case 'isuri':
        return test((row) => kindOfKey(need(a).evaluate(row)) === 'iri');
      case 'isblank':
        return test((row) => kindOfKey(need(a).evaluate(row)) === 'blank');
      case 'isliteral':
        return test((row) => kindOfKey(need(a).evaluate(row)) === 'literal');
      case 'str':
        return {
          slots,
          evaluate: (row) => {
            const key = need(a).evaluate(row);
            const kind = kindOfKey(key);
            if (kind === 'blank') throw new ExpressionError('STR of a blank node');
            return literalKey(kind === 'iri' ? iriOfKey(key) : literalParts(key).lexical, xsdString);
          },
        };
      case 'lang':
        return {
          slots,
          evaluate: (row) => {
            const key = need(a).evaluate(row);
            if (kindOfKey(key) !== 'literal') throw new ExpressionError('LANG of a non-literal');
            return literalKey(literalParts(key).language, xsdString);
          },
        };
      case 'contains':
      case 'strstarts':
      case 'strends': {
        const check =
          operator === 'contains'
            ? (text: string, part: string) => text.includes(part)
            : operator === 'strstarts'
              ? (text: string, part: string) => text.startsWith(part)
              : (text: string, part: string) => text.endsWith(part);
        return test((row) => {
          const text = stringArgument(need(a).evaluate(row));
          const part = stringArgument(need(b).evaluate(row));
          checkCompatible(text, part);
          return check(text.lexical, part.lexical);
        });
      }
      case 'regex': {
        const patternNode = field<AlgebraNode[]>(node, 'args')[1];
        const flagsNode = field<AlgebraNode[]>(node, 'args')[2];
        const constant = (argument: AlgebraNode | undefined): string | undefined => {
          if (argument === undefined) return '';
          const term = argument.subType === 'term' ? field<RDF.Term>(argument, 'term') : undefined;
          return term?.termType === 'Literal' && term.datatype.value === xsdString ? term.value : undefined;
        };
        const pattern = constant(patternNode);
        const flags = constant(flagsNode);
        if (pattern === undefined || flags === undefined || !/^[ism]*$/.test(flags) || args.length > 3) {
          throw new FastPathFallback('REGEX with a non-constant pattern or XPath-only flags');
        }
        const expression = new RegExp(pattern, `${flags}u`);
        return test((row) => expression.test(stringArgument(need(a).evaluate(row)).lexical));
      }
      case 'in':
      case 'notin': {
        const member = membership(need(a), args.slice(1));
        return operator === 'in' ? test(member) : test((row) => !member(row));
      }
      default:
        throw new FastPathFallback(`operator ${operator}`);
    }
  }

  /**
   * `A IN (e1, …, en)`, which is `A = e1 || … || A = en` (Query §17.4.1.9): true on any equal
   * member, else an error if any comparison erred, else false. Constant members are looked up by
   * key and by numeric value, so a list of thousands costs one lookup per row instead of a
   * comparison per member; only members of another value class than A are compared one by one.
   */
  function membership(needle: { evaluate: Evaluator }, members: ReadonlyArray<{ evaluate: Evaluator; slots: number[] }>): (row: Row) => boolean {
    const constant = members.every((member) => member.slots.length === 0);
    if (!constant) {
      return (row) => {
        const key = needle.evaluate(row);
        let error: unknown;
        for (const member of members) {
          try {
            if (equalKeys(key, member.evaluate(row))) return true;
          } catch (caught) {
            if (!(caught instanceof ExpressionError)) throw caught;
            error = caught;
          }
        }
        if (error) throw error;
        return false;
      };
    }
    const keys = new Set(members.map((member) => member.evaluate([])));
    const literals = [...keys].filter((key) => kindOfKey(key) === 'literal').map((key) => ({ key, kind: valueClass(literalParts(key)) }));
    const numbers = new Set(literals.flatMap(({ key, kind }) => (kind === 'numeric' ? [numericValue(literalParts(key))] : [])));
    const classes = new Set(literals.map(({ kind }) => kind));
    // Same-class members that a key or number lookup cannot decide (dates with time zones, other datatypes).
    const compared = literals.filter(({ kind }) => kind === 'dateTime' || kind === 'other' || kind === 'derivedString');
    return (row) => {
      const key = needle.evaluate(row);
      if (keys.has(key)) return true;
      // An IRI or blank node equals only itself.
      if (kindOfKey(key) !== 'literal') return false;
      const parts = literalParts(key);
      const kind = valueClass(parts);
      if (kind === 'numeric' && numbers.has(numericValue(parts))) return true;
      let error: unknown;
      for (const member of compared) {
        try {
          if (member.kind === kind && equalKeys(key, member.key)) return true;
        } catch (caught) {
          if (!(caught instanceof ExpressionError)) throw caught;
          error = caught;
        }
      }
      for (const other of classes) {
        if (other === kind) continue;
        try {
          equalAcrossClasses(kind, other);
        } catch (caught) {
          if (!(caught instanceof ExpressionError)) throw caught;
          error = caught;
        }
      }
      if (error) throw error;
      return false;
    };
  }

  function need<T>(value: T | undefined): T {
    if (value === undefined) throw new FastPathFallback('missing argument');
    return value;
  }

  /** A FILTER's test: errors are false (Query §17.2). */
  function filterTest(scope: Scope, node: AlgebraNode): PushedFilter {
    const { evaluate, slots } = expression(scope, node);
    return {
      slots,
      test: (row) => {
        try {
          return effectiveBoolean(evaluate(row));
        } catch (error) {
          if (error instanceof ExpressionError) return false;
          throw error;
        }
      },
    };
  }

  function bgp(scope: Scope, node: AlgebraNode): Operator & { type: 'bgp' } {
    const patterns = field<RDF.Quad[]>(node, 'patterns').map((quad) => {
      if (quad.graph.termType !== 'DefaultGraph') throw new FastPathFallback('GRAPH patterns');
      return { positions: [position(scope, quad.subject), position(scope, quad.predicate), position(scope, quad.object)] as const };
    });
    return { type: 'bgp', patterns, filters: [] };
  }

  function operator(scope: Scope, node: AlgebraNode, limit?: number): Operator {
    switch (node.type) {
      case 'bgp':
        return bgp(scope, node);
      case 'join': {
        const inputs = field<AlgebraNode[]>(node, 'input').map((input) => operator(scope, input));
        return inputs.reduce((left, right) => ({ type: 'join', left, right }));
      }
      case 'leftjoin': {
        const [leftNode, rightNode] = field<AlgebraNode[]>(node, 'input');
        const left = operator(scope, need(leftNode));
        const right = operator(scope, need(rightNode));
        const condition = field<AlgebraNode | undefined>(node, 'expression');
        return condition ? { type: 'leftjoin', left, right, test: filterTest(scope, condition).test } : { type: 'leftjoin', left, right };
      }
      case 'union':
        return { type: 'union', inputs: field<AlgebraNode[]>(node, 'input').map((input) => operator(scope, input)) };
      case 'filter': {
        const input = operator(scope, field<AlgebraNode>(node, 'input'));
        const filter = filterTest(scope, field<AlgebraNode>(node, 'expression'));
        // Pushed into the BGP, the test runs as soon as its variables are bound.
        if (input.type === 'bgp') return { ...input, filters: [...input.filters, filter] };
        return { type: 'filter', input, test: filter.test };
      }
      case 'extend': {
        const input = operator(scope, field<AlgebraNode>(node, 'input'));
        const { evaluate } = expression(scope, field<AlgebraNode>(node, 'expression'));
        return { type: 'extend', input, slot: slotOf(scope, field<RDF.Variable>(node, 'variable').value), value: evaluate };
      }
      case 'group': {
        const input = operator(scope, field<AlgebraNode>(node, 'input'));
        const keys = field<RDF.Variable[]>(node, 'variables').map((variable) => slotOf(scope, variable.value));
        const aggregates = field<AlgebraNode[]>(node, 'aggregates').map((aggregate): Aggregate => {
          const fn = field<string>(aggregate, 'aggregator');
          if (fn !== 'count' && fn !== 'sum' && fn !== 'min' && fn !== 'max') throw new FastPathFallback(`aggregate ${fn}`);
          const argument = field<AlgebraNode>(aggregate, 'expression');
          let slot: number | undefined;
          if (argument.subType === 'term' && field<RDF.Term>(argument, 'term').termType === 'Variable') {
            slot = slotOf(scope, field<RDF.Term>(argument, 'term').value);
          } else if (!(argument.subType === 'wildcard' && fn === 'count')) {
            throw new FastPathFallback('aggregate of an expression');
          }
          return {
            slot: slotOf(scope, field<RDF.Variable>(aggregate, 'variable').value),
            function: fn,
            distinct: field<boolean>(aggregate, 'distinct'),
            argument: slot,
          };
        });
        return { type: 'group', input, keys, aggregates };
      }
      case 'orderby': {
        const input = operator(scope, field<AlgebraNode>(node, 'input'));
        const keys = field<AlgebraNode[]>(node, 'expressions').map((key) => {
          const descending = key.subType === 'operator' && field<string>(key, 'operator') === 'desc';
          const inner = descending ? need(field<AlgebraNode[]>(key, 'args')[0]) : key;
          const { evaluate } = expression(scope, inner);
          return { value: evaluate, descending };
        });
        return limit === undefined ? { type: 'orderby', input, keys } : { type: 'orderby', input, keys, limit };
      }
      case 'project': {
        // A sub-select sees only its projected variables from outside: the others get their own slots.
        const projected = field<RDF.Variable[]>(node, 'variables').map((variable) => variable.value);
        const inner: Scope = { slots: new Map(projected.map((name) => [name, slotOf(scope, name)])) };
        const input = operator(inner, field<AlgebraNode>(node, 'input'), limit);
        return { type: 'project', input, slots: projected.map((name) => slotOf(inner, name)) };
      }
      case 'distinct':
      case 'reduced':
        return { type: 'distinct', input: operator(scope, field<AlgebraNode>(node, 'input')) };
      case 'slice': {
        const start = field<number | undefined>(node, 'start') ?? 0;
        const length = field<number | undefined>(node, 'length');
        const input = operator(scope, field<AlgebraNode>(node, 'input'), length === undefined ? undefined : start + length);
        return length === undefined ? { type: 'slice', input, start } : { type: 'slice', input, start, length };
      }
      case 'values': {
        const variables = field<RDF.Variable[]>(node, 'variables');
        const slots = variables.map((variable) => slotOf(scope, variable.value));
        const bindings = field<Record<string, RDF.Term | undefined>[]>(node, 'bindings');
        return {
          type: 'values',
          rows: bindings.map((binding) => {
            const row: Row = [];
            variables.forEach((variable, index) => {
              const term = binding[variable.value];
              if (term) row[need(slots[index])] = terms.intern(constantKey(term));
            });
            return row;
          }),
        };
      }
      default:
        throw new FastPathFallback(`algebra ${node.type}`);
    }
  }

  const root: Scope = { slots: new Map() };
  if (algebra.type === 'describe') {
    const described = field<RDF.Term[]>(algebra, 'terms');
    const input = field<AlgebraNode>(algebra, 'input');
    if (described.some((term) => term.termType !== 'NamedNode') || input.type !== 'bgp' || field<unknown[]>(input, 'patterns').length > 0) {
      throw new FastPathFallback('DESCRIBE of variables');
    }
    return { root: { type: 'values', rows: [] }, width: 0, variables: [], describe: described.map((term) => terms.index.idOf(term) ?? 0) };
  }
  if (algebra.type === 'construct' || algebra.type === 'from' || algebra.type === 'ask') throw new FastPathFallback(`query form ${algebra.type}`);
  const compiled = operator(root, algebra);
  // ASK (turned into a one-row slice by the engine) has no projection: no variables.
  let top: AlgebraNode | undefined = algebra;
  while (top && top.type !== 'project') top = ['slice', 'distinct', 'reduced'].includes(top.type) ? field<AlgebraNode>(top, 'input') : undefined;
  const projected = top ? field<RDF.Variable[]>(top, 'variables') : [];
  const variables = projected.map((variable) => ({ variable, slot: slotOf(root, variable.value) }));
  return { root: compiled, width, variables };
}
