/**
 * Compiles the SPARQL algebra into the fast path's operators over integer ids: BGPs (in the
 * default graph, a named graph or a graph variable), joins, OPTIONAL, UNION, MINUS, FILTER with
 * EXISTS and the function library, BIND, property paths, VALUES, GROUP BY with every aggregate,
 * ORDER BY, DISTINCT, slices, sub-selects, and the query forms with FROM / FROM NAMED. Anything
 * else throws `FastPathFallback`: the query then goes to Comunica.
 */
import type * as RDF from '@rdfjs/types';
import {
  booleanKey,
  checkCompatible,
  compareKeys,
  effectiveBoolean,
  equalAcrossClasses,
  equalKeys,
  ExpressionError,
  exactAsNumber,
  FastPathFallback,
  iriOfKey,
  kindOfKey,
  literalKey,
  literalParts,
  numericValue,
  stringArgument,
  valueClass,
  xsdString,
} from './fast-values.js';
import type { ComputedTerms } from './computed-terms.js';
import { type EvaluationContext, evaluateWith, pause } from './fast-eval.js';
import type { Aggregate, AggregateFunction, Evaluator, GraphPosition, Operator, PathExpression, Position, PushedFilter, Row, TriplePattern } from './fast-operators.js';
import { compareIds, equalIds } from './id-values.js';
import { cast, callFunction, type FunctionScope, stringLike } from './fast-functions.js';
import { xsdDateTime } from './xsd-datetime.js';
import type { AlgebraNode } from './parse-sparql.js';

/** A compiled expression: its key, and where they exist, shortcuts that skip making the key. */
interface CompiledExpression {
  readonly evaluate: Evaluator;
  readonly slots: number[];
  /** A variable's or constant's id (computed ids are negative). @throws ExpressionError when unbound */
  readonly id?: (row: Row) => number;
  /** A test's effective boolean value, without its key. */
  readonly truth?: (row: Row) => boolean;
}

const aggregateFunctions = new Set<string>(['count', 'sum', 'avg', 'min', 'max', 'sample', 'group_concat']);

export interface CompiledQuery {
  readonly root: Operator;
  /** Number of slots in a row. */
  readonly width: number;
  /** The result variables and their slots, in SELECT order. */
  readonly variables: readonly { readonly variable: RDF.Variable; readonly slot: number }[];
  /** DESCRIBE: the described terms (constants or variables of the WHERE clause). */
  readonly describe?: readonly Position[];
  /** CONSTRUCT: the template's triples. */
  readonly template?: readonly (readonly [TemplatePosition, TemplatePosition, TemplatePosition])[];
  /** FROM / FROM NAMED: the query's own dataset. */
  readonly dataset?: Dataset;
  /** Set by the caller before evaluation: EXISTS evaluates patterns in it. */
  readonly runtime: Runtime;
  readonly dependencies: PlanDependencies;
}

/**
 * What a compiled query depends on beyond its algebra, for the plan cache (fast-path.ts): the
 * constants the store did not hold when it was compiled (they became "matches nothing" or a
 * computed id, which a write that adds them makes wrong), and whether it reads the clock or
 * chance (NOW() is fixed when compiling; RAND(), UUID(), STRUUID() and BNODE() make new values each run).
 */
export interface PlanDependencies {
  readonly absentTerms: readonly RDF.Term[];
  readonly absentKeys: readonly string[];
  readonly volatile: boolean;
}

export interface Runtime {
  context: EvaluationContext | undefined;
}

/** A CONSTRUCT template position: a variable's slot, a blank node (fresh per solution), or a constant's key. */
export type TemplatePosition = { readonly slot: number } | { readonly blank: string } | { readonly key: string };

/** A dataset named by FROM (the default graph's parts) and FROM NAMED (the named graphs). */
export interface Dataset {
  readonly default: readonly string[];
  readonly named: readonly string[];
}

const defaultGraph: GraphPosition = { type: 'default' };

/** The functions of fast-functions.ts, by the algebra's operator name. */
const libraryFunctions = new Set(
  ('+ - * / uminus uplus abs ceil floor round strlen ucase lcase substr strbefore strafter concat encode_for_uri md5 sha1 sha256 sha384 sha512 ' +
    'year month day hours minutes seconds timezone tz datatype isnumeric sameterm langmatches strdt strlang iri uri now rand uuid struuid bnode').split(' '),
);
const volatileFunctions = new Set(['now', 'rand', 'uuid', 'struuid', 'bnode']);
const castTargets = new Set(['string', 'integer', 'decimal', 'float', 'double', 'boolean', 'dateTime', 'date'].map((name) => `http://www.w3.org/2001/XMLSchema#${name}`));

interface Scope {
  readonly slots: Map<string, number>;
}

const field = <T>(node: AlgebraNode, name: string): T => node[name] as T;

/**
 * Compiles a query's algebra.
 * @throws FastPathFallback for anything outside the fast path.
 */
export function compileQuery(algebra: AlgebraNode, terms: ComputedTerms): CompiledQuery {
  const runtime: Runtime = { context: undefined };
  const dependencies = { absentTerms: [] as RDF.Term[], absentKeys: [] as string[], volatile: false };
  /** A constant's store id (0: no graph holds it), each absent one noted for the plan cache. */
  const storedId = (term: RDF.Term): number => {
    const id = terms.index.idOf(term);
    if (id === undefined) dependencies.absentTerms.push(term);
    return id ?? 0;
  };
  /** `terms.intern`, each constant the store lacks (a computed id) noted for the plan cache. */
  const intern = (key: string): number => {
    const id = terms.intern(key);
    if (id < 0) dependencies.absentKeys.push(key);
    return id;
  };
  let blanks = 0;
  /** Volatile function calls compiled so far: an expression that adds none depends on its variables alone. */
  let volatileCalls = 0;
  const functionScope: FunctionScope = { now: literalKey(new Date().toISOString(), xsdDateTime), nextBlank: () => `_:fast_bnode_${blanks++}` };
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
    return { id: storedId(term) };
  }

  function graphPosition(scope: Scope, graph: RDF.Term): GraphPosition {
    if (graph.termType === 'DefaultGraph') return defaultGraph;
    if (graph.termType === 'NamedNode') return { type: 'named', id: intern(graph.value) };
    const name = nameOf(graph);
    if (name === undefined) throw new FastPathFallback(`graph ${graph.termType}`);
    return { type: 'variable', slot: slotOf(scope, name) };
  }

  function constantKey(term: RDF.Term): string {
    if (term.termType === 'NamedNode') return term.value;
    if (term.termType === 'Literal') {
      if (term.language) return `"${term.value}"@${term.language}`;
      return literalKey(term.value, term.datatype.value);
    }
    throw new FastPathFallback(`constant ${term.termType}`);
  }

  function expression(scope: Scope, node: AlgebraNode): CompiledExpression {
    const subType = field<string>(node, 'subType');
    if (subType === 'term') {
      const term = field<RDF.Term>(node, 'term');
      if (term.termType === 'Variable') {
        const slot = slotOf(scope, term.value);
        const id = (row: Row) => {
          const value = row[slot] ?? 0;
          if (value === 0) throw new ExpressionError(`?${term.value} is unbound`);
          return value;
        };
        return { slots: [slot], id, evaluate: (row) => terms.keyOf(id(row)) };
      }
      const key = constantKey(term);
      if (kindOfKey(key) === 'iri' && iriOfKey(key) !== key) throw new FastPathFallback('bracketed IRI constant');
      const id = intern(key);
      return { slots: [], id: () => id, evaluate: () => key };
    }
    if (subType === 'existence') {
      const pattern = field<AlgebraNode>(node, 'input');
      const inner = patternOperator(scope, pattern);
      const negated = field<boolean>(node, 'not');
      // Query §18.6 exists(): the pattern with the row's bindings substituted has a solution; a
      // pushed-down FILTER must wait for every variable the pattern shares with its group.
      return {
        slots: [...variableNames(pattern)].map((name) => slotOf(scope, name)),
        evaluate: (row) => {
          const context = runtime.context;
          if (!context) throw new FastPathFallback('EXISTS outside evaluation');
          let found = false;
          for (const step of evaluateWith(context, inner, row)) {
            if (step === pause) continue;
            found = true;
            break;
          }
          return booleanKey(found !== negated);
        },
      };
    }
    if (subType === 'named') {
      const args = field<AlgebraNode[]>(node, 'args').map((argument) => expression(scope, argument));
      const [argument] = args;
      const datatype = field<RDF.NamedNode>(node, 'name').value;
      if (args.length !== 1 || !argument || !castTargets.has(datatype)) {
        throw new FastPathFallback(`function <${datatype}>`);
      }
      return { slots: argument.slots, evaluate: (row) => cast(datatype, argument.evaluate(row)) as string };
    }
    if (subType !== 'operator') throw new FastPathFallback(`expression ${subType}`);
    const operator = field<string>(node, 'operator').toLowerCase();
    const args = field<AlgebraNode[]>(node, 'args').map((argument) => expression(scope, argument));
    const slots = args.flatMap((argument) => argument.slots);
    const [a, b] = args;
    const test = (predicate: (row: Row) => boolean): CompiledExpression => ({
      slots,
      truth: predicate,
      evaluate: (row) => booleanKey(predicate(row)),
    });
    const ebv = (argument: CompiledExpression | undefined) => need(argument).truth ?? ((row: Row) => effectiveBoolean(need(argument).evaluate(row)));
    // Two variables or constants compare by id, through the decoded values (id-values.ts).
    const ids = a?.id && b?.id ? ([a.id, b.id] as const) : undefined;
    const order = ids
      ? (row: Row) => compareIds(terms, ids[0](row), ids[1](row))
      : (row: Row) => compareKeys(need(a).evaluate(row), need(b).evaluate(row));
    const equal = ids ? (row: Row) => equalIds(terms, ids[0](row), ids[1](row)) : (row: Row) => equalKeys(need(a).evaluate(row), need(b).evaluate(row));
    switch (operator) {
      case '=':
        return test(equal);
      case '!=':
        return test((row) => !equal(row));
      case '<':
        return test((row) => order(row) < 0);
      case '>':
        return test((row) => order(row) > 0);
      case '<=':
        return test((row) => order(row) <= 0);
      case '>=':
        return test((row) => order(row) >= 0);
      case '!': {
        const inner = ebv(a);
        return test((row) => !inner(row));
      }
      case '&&':
      case '||': {
        const [left, right] = [ebv(a), ebv(b)];
        const decisive = operator === '||';
        // Query §17.2: an error on one side is overruled by the other side's decisive value.
        const sideValue = (side: (row: Row) => boolean, row: Row): boolean | ExpressionError => {
          try {
            return side(row);
          } catch (caught) {
            if (!(caught instanceof ExpressionError)) throw caught;
            return caught;
          }
        };
        return test((row) => {
          const first = sideValue(left, row);
          if (first === decisive) return decisive;
          const second = sideValue(right, row);
          if (second === decisive) return decisive;
          if (second instanceof ExpressionError) throw second;
          if (first instanceof ExpressionError) throw first;
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
        const expression = constantRegex(field<AlgebraNode[]>(node, 'args'), 1, 3);
        return test((row) => expression.test(stringArgument(need(a).evaluate(row)).lexical));
      }
      case 'replace': {
        const expression = constantRegex(field<AlgebraNode[]>(node, 'args'), 1, 4, 'g');
        const replacement = constantString(field<AlgebraNode[]>(node, 'args')[2]);
        // XPath fn:replace: $N is a group, \$ and \\ escape; a pattern matching "" is an error there.
        if (replacement === undefined || /\$(?!\d)|\\(?![$\\])/.test(replacement.replace(/\\[$\\]/g, '')) || expression.test('')) {
          throw new FastPathFallback('REPLACE with a computed or unusual replacement');
        }
        const parts = replacement.split(/(\$\d|\\[$\\])/).filter((part) => part !== '');
        // Past the groups, String.replace passes the offset: a reference to a missing group is empty.
        const groups = (new RegExp(`${expression.source}|`, 'u').exec('')?.length ?? 1) - 1;
        const group = (match: unknown[], index: number) => (index <= groups ? String(match[index] ?? '') : '');
        const replacer = (...match: unknown[]): string =>
          parts.map((part) => (part.startsWith('$') ? group(match, Number(part.slice(1))) : part.startsWith('\\') ? part.slice(1) : part)).join('');
        return {
          slots,
          evaluate: (row) => {
            const text = stringArgument(need(a).evaluate(row));
            return stringLike(text, text.lexical.replace(expression, replacer));
          },
        };
      }
      case 'in':
      case 'notin': {
        const member = membership(need(a), args.slice(1));
        return operator === 'in' ? test(member) : test((row) => !member(row));
      }
      case 'if': {
        const [condition, then, otherwise] = [ebv(a), need(b), need(args[2])];
        return { slots, evaluate: (row) => (condition(row) ? then : otherwise).evaluate(row) };
      }
      case 'coalesce':
        // The first argument without an error (an unbound variable is one).
        return {
          slots,
          evaluate: (row) => {
            for (const argument of args) {
              try {
                return argument.evaluate(row);
              } catch (error) {
                if (!(error instanceof ExpressionError)) throw error;
              }
            }
            throw new ExpressionError('COALESCE without a value');
          },
        };
      default: {
        if (!libraryFunctions.has(operator)) throw new FastPathFallback(`operator ${operator}`);
        if (volatileFunctions.has(operator)) {
          dependencies.volatile = true;
          volatileCalls++;
        }
        return { slots, evaluate: (row) => callFunction(operator, args.map((argument) => argument.evaluate(row)), functionScope) as string };
      }
    }
  }

  function constantString(argument: AlgebraNode | undefined): string | undefined {
    const term = argument?.subType === 'term' ? field<RDF.Term>(argument, 'term') : undefined;
    return term?.termType === 'Literal' && term.datatype.value === xsdString ? term.value : undefined;
  }

  /** The regular expression of REGEX or REPLACE: its pattern (and flags, if any) must be constant strings. */
  function constantRegex(args: readonly AlgebraNode[], patternAt: number, maxArgs: number, extraFlags = ''): RegExp {
    const pattern = constantString(args[patternAt]);
    const flags = args[maxArgs - 1] === undefined ? '' : constantString(args[maxArgs - 1]);
    if (pattern === undefined || flags === undefined || !/^[ism]*$/.test(flags) || args.length > maxArgs) {
      throw new FastPathFallback('REGEX with a non-constant pattern or XPath-only flags');
    }
    // XPath's \w, \d, \s and \b are Unicode classes (\w matches "í"); JavaScript's are ASCII.
    if (/\\[wWdDsSbB]/.test(pattern.replace(/\\\\/g, ''))) throw new FastPathFallback('REGEX with a character class escape');
    return new RegExp(pattern, `${flags}${extraFlags}u`);
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
    // A constant member that is an error (1/0) can only make a non-match an error.
    let memberError: unknown;
    const keys = new Set(
      members.flatMap((member) => {
        try {
          return [member.evaluate([])];
        } catch (error) {
          if (!(error instanceof ExpressionError)) throw error;
          memberError = error;
          return [];
        }
      }),
    );
    const literals = [...keys].filter((key) => kindOfKey(key) === 'literal').map((key) => ({ key, kind: valueClass(literalParts(key)) }));
    const numeric = literals.filter(({ kind }) => kind === 'numeric');
    const byNumber = (key: string) => exactAsNumber(literalParts(key)) && !Number.isNaN(numericValue(literalParts(key)));
    const numbers = new Set(numeric.flatMap(({ key }) => (byNumber(key) ? [numericValue(literalParts(key))] : [])));
    const classes = new Set(literals.map(({ kind }) => kind));
    // Same-class members that a key or number lookup cannot decide (dates with time zones, other datatypes, long numbers).
    const compared = literals.filter(({ key, kind }) => kind === 'dateTime' || kind === 'other' || kind === 'derivedString' || (kind === 'numeric' && !byNumber(key)));
    return (row) => {
      const key = needle.evaluate(row);
      if (keys.has(key)) return true;
      // An IRI or blank node equals only itself.
      if (kindOfKey(key) !== 'literal') {
        if (memberError) throw memberError;
        return false;
      }
      const parts = literalParts(key);
      const kind = valueClass(parts);
      if (kind === 'numeric' && numbers.has(numericValue(parts))) return true;
      // A long number may equal a member its nearest double does not.
      const longNeedle = kind === 'numeric' && !exactAsNumber(parts);
      let error: unknown = memberError;
      for (const member of longNeedle ? numeric : compared) {
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

  /** `operator`, under a name the expression compiler's own `operator` variable does not hide. */
  function patternOperator(scope: Scope, node: AlgebraNode): Operator {
    return operator(scope, node);
  }

  function pathExpression(node: AlgebraNode): PathExpression {
    const inputs = () => field<AlgebraNode[]>(node, 'input').map(pathExpression);
    const inner = () => pathExpression(field<AlgebraNode>(node, 'path'));
    const idOfIri = (iri: RDF.NamedNode) => storedId(iri);
    switch (node.type) {
      case 'link':
        return { type: 'link', id: idOfIri(field<RDF.NamedNode>(node, 'iri')) };
      case 'inv':
        return { type: 'inverse', path: inner() };
      case 'seq':
        return { type: 'sequence', paths: inputs() };
      case 'alt':
        return { type: 'alternative', paths: inputs() };
      case 'nps':
        return { type: 'negated', iris: field<RDF.NamedNode[]>(node, 'iris').map(idOfIri) };
      case 'ZeroOrOnePath':
        return { type: 'closure', path: inner(), min: 0, max: 1 };
      case 'ZeroOrMorePath':
        return { type: 'closure', path: inner(), min: 0, max: Number.POSITIVE_INFINITY };
      case 'OneOrMorePath':
        return { type: 'closure', path: inner(), min: 1, max: Number.POSITIVE_INFINITY };
      default:
        throw new FastPathFallback(`path ${node.type}`);
    }
  }

  function need<T>(value: T | undefined): T {
    if (value === undefined) throw new FastPathFallback('missing argument');
    return value;
  }

  /** A FILTER's test: errors are false (Query §17.2). */
  function filterTest(scope: Scope, node: AlgebraNode): PushedFilter {
    const volatileBefore = volatileCalls;
    const { evaluate, slots, truth } = expression(scope, node);
    const value = truth ?? ((row: Row) => effectiveBoolean(evaluate(row)));
    return {
      slots,
      perValue: volatileCalls === volatileBefore,
      test: (row) => {
        try {
          return value(row);
        } catch (error) {
          if (error instanceof ExpressionError) return false;
          throw error;
        }
      },
    };
  }

  function bgp(scope: Scope, node: AlgebraNode): Operator & { type: 'bgp' } {
    const patterns = field<RDF.Quad[]>(node, 'patterns').map(
      (quad): TriplePattern => ({
        positions: [position(scope, quad.subject), position(scope, quad.predicate), position(scope, quad.object)] as const,
        graph: graphPosition(scope, quad.graph),
      }),
    );
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
        let input = operator(scope, field<AlgebraNode>(node, 'input'));
        const keys = field<RDF.Variable[]>(node, 'variables').map((variable) => slotOf(scope, variable.value));
        const aggregates = field<AlgebraNode[]>(node, 'aggregates').map((aggregate): Aggregate => {
          const fn = field<string>(aggregate, 'aggregator');
          if (!aggregateFunctions.has(fn)) throw new FastPathFallback(`aggregate ${fn}`);
          const argument = field<AlgebraNode>(aggregate, 'expression');
          let slot: number | undefined;
          if (argument.subType === 'term' && field<RDF.Term>(argument, 'term').termType === 'Variable') {
            slot = slotOf(scope, field<RDF.Term>(argument, 'term').value);
          } else if (argument.subType === 'wildcard') {
            if (fn !== 'count') throw new FastPathFallback(`${fn}(*)`);
          } else {
            // An expression is bound to a slot of its own before grouping (an error leaves it unbound).
            slot = newSlot();
            input = { type: 'extend', input, slot, value: expression(scope, argument).evaluate };
          }
          return {
            slot: slotOf(scope, field<RDF.Variable>(aggregate, 'variable').value),
            function: fn as AggregateFunction,
            separator: field<string | undefined>(aggregate, 'separator') ?? ' ',
            distinct: field<boolean>(aggregate, 'distinct'),
            argument: slot,
          };
        });
        return { type: 'group', input, keys, aggregates };
      }
      case 'orderby': {
        let input = operator(scope, field<AlgebraNode>(node, 'input'));
        const keySlots: number[] = [];
        const keys = field<AlgebraNode[]>(node, 'expressions').map((key) => {
          const descending = key.subType === 'operator' && field<string>(key, 'operator') === 'desc';
          const inner = descending ? need(field<AlgebraNode[]>(key, 'args')[0]) : key;
          const { evaluate, id, slots } = expression(scope, inner);
          keySlots.push(...(id ? slots : [-1]));
          return id ? { value: evaluate, id, descending } : { value: evaluate, descending };
        });
        if (limit === undefined) return { type: 'orderby', input, keys };
        // Top-k under OPTIONAL: each left row gives at least one joined row with its own keys when
        // the left side binds every key, so the best `limit` joined rows come from its best `limit` rows.
        if (input.type === 'leftjoin') {
          const { left } = input;
          if (keySlots.every((slot) => bindsAlways(left, slot))) input = { ...input, left: { type: 'orderby', input: left, keys, limit } };
        }
        return { type: 'orderby', input, keys, limit };
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
      case 'path': {
        // A path's constant ends may be terms no graph holds: a zero-length path still binds them.
        const end = (term: RDF.Term): Position => (nameOf(term) === undefined ? { id: intern(constantKey(term)) } : position(scope, term));
        return {
          type: 'path',
          subject: end(field<RDF.Term>(node, 'subject')),
          object: end(field<RDF.Term>(node, 'object')),
          path: pathExpression(field<AlgebraNode>(node, 'predicate')),
          graph: graphPosition(scope, field<RDF.Term>(node, 'graph')),
        };
      }
      case 'minus': {
        const [left, right] = field<AlgebraNode[]>(node, 'input').map((input) => operator(scope, input));
        // Inside GRAPH ?g, both sides carry ?g: it does not count as a shared variable.
        const scopeVariable = field<RDF.Variable | undefined>(node, 'graphScopeVar');
        return { type: 'minus', left: need(left), right: need(right), unshared: scopeVariable ? slotOf(scope, scopeVariable.value) : -1 };
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
              if (term) row[need(slots[index])] = intern(constantKey(term));
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
  let body = algebra;
  let dataset: Dataset | undefined;
  if (body.type === 'from') {
    const iris = (name: string) => field<RDF.Term[]>(body, name).map((term) => term.value);
    dataset = { default: iris('default'), named: iris('named') };
    body = field<AlgebraNode>(body, 'input');
  }
  body = formInside(body);
  if (body.type === 'describe') {
    const described = field<RDF.Term[]>(body, 'terms').map((term) => position(root, term));
    const compiled = operator(root, field<AlgebraNode>(body, 'input'));
    return { root: compiled, width, variables: [], dataset, describe: described, runtime, dependencies };
  }
  if (body.type === 'construct') {
    const template = field<RDF.Quad[]>(body, 'template').map((quad) => {
      if (quad.graph.termType !== 'DefaultGraph') throw new FastPathFallback('CONSTRUCT template with a graph');
      return [templatePosition(root, quad.subject), templatePosition(root, quad.predicate), templatePosition(root, quad.object)] as const;
    });
    const compiled = operator(root, field<AlgebraNode>(body, 'input'));
    return { root: compiled, width, variables: [], dataset, template, runtime, dependencies };
  }
  if (body.type === 'ask') throw new FastPathFallback(`query form ${body.type}`);
  const compiled = operator(root, body);
  // ASK (turned into a one-row slice by the engine) has no projection: no variables.
  let top: AlgebraNode | undefined = body;
  while (top && top.type !== 'project') top = ['slice', 'distinct', 'reduced'].includes(top.type) ? field<AlgebraNode>(top, 'input') : undefined;
  const projected = top ? field<RDF.Variable[]>(top, 'variables') : [];
  const variables = projected.map((variable) => ({ variable, slot: slotOf(root, variable.value) }));
  return { root: compiled, width, variables, dataset, runtime, dependencies };

  function templatePosition(scope: Scope, term: RDF.Term): TemplatePosition {
    if (term.termType === 'Variable') return { slot: slotOf(scope, term.value) };
    if (term.termType === 'BlankNode') return { blank: term.value };
    return { key: constantKey(term) };
  }
}

/**
 * A slice around CONSTRUCT or DESCRIBE (where the algebra translation puts LIMIT and OFFSET)
 * applies to the solutions: it is moved inside, onto the WHERE clause's operator.
 */
function formInside(node: AlgebraNode): AlgebraNode {
  if (node.type !== 'slice') return node;
  const inner = formInside(field<AlgebraNode>(node, 'input'));
  if (inner.type !== 'construct' && inner.type !== 'describe') return node;
  return { ...inner, input: { ...node, input: field<AlgebraNode>(inner, 'input') } };
}

/** Whether every solution of `operator` binds `slot`: a BGP binds each variable of its patterns. */
function bindsAlways(operator: Operator, slot: number): boolean {
  return (
    operator.type === 'bgp' &&
    operator.patterns.some(({ positions, graph }) => positions.some((position) => 'slot' in position && position.slot === slot) || (graph.type === 'variable' && graph.slot === slot))
  );
}

/** The names of the variables (and blank nodes, which act as such) anywhere in an algebra node. */
function variableNames(node: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) variableNames(item, names);
  } else if (node !== null && typeof node === 'object') {
    const term = node as { termType?: string; value?: string };
    if (term.termType === 'Variable') names.add(term.value as string);
    else if (term.termType === 'BlankNode') names.add(`_:${term.value}`);
    else for (const value of Object.values(node)) variableNames(value, names);
  }
  return names;
}
