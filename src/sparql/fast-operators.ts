/** The fast path's operator tree over integer ids, what `fast-plan.ts` compiles and `fast-eval.ts` evaluates. */

/** A solution: one id per variable slot, 0 when unbound. Computed values have negative ids. */
export type Row = number[];

/** A pattern position: a variable's slot, or a constant's id (0: a term no graph holds). */
export type Position = { readonly slot: number } | { readonly id: number };

/** The graphs a pattern matches: the default graph, one named graph (by its name's id), or the named graph in a variable. */
export type GraphPosition = { readonly type: 'default' } | { readonly type: 'named'; readonly id: number } | { readonly type: 'variable'; readonly slot: number };

export interface TriplePattern {
  readonly positions: readonly [Position, Position, Position];
  readonly graph: GraphPosition;
}

/** Evaluates an expression on a row to an entity key. @throws ExpressionError, FastPathFallback */
export type Evaluator = (row: Row) => string;

export type AggregateFunction = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'sample' | 'group_concat';

export interface Aggregate {
  readonly slot: number;
  readonly function: AggregateFunction;
  /** GROUP_CONCAT's separator. */
  readonly separator: string;
  readonly distinct: boolean;
  /** The argument's slot; undefined for COUNT(*). */
  readonly argument: number | undefined;
}

/** An ORDER BY key: its expression, and a variable's or constant's id when it is one. */
export interface OrderKey {
  readonly value: Evaluator;
  readonly id?: (row: Row) => number;
  readonly descending: boolean;
}

export interface PushedFilter {
  readonly slots: readonly number[];
  readonly test: (row: Row) => boolean;
  /** Whether its answer depends on its slots' values alone (no RAND(), NOW()…), so one test serves every row with those values. */
  readonly perValue: boolean;
}

export type Operator =
  | { readonly type: 'bgp'; readonly patterns: readonly TriplePattern[]; readonly filters: readonly PushedFilter[] }
  | { readonly type: 'join'; readonly left: Operator; readonly right: Operator }
  | { readonly type: 'leftjoin'; readonly left: Operator; readonly right: Operator; readonly test?: (row: Row) => boolean }
  | { readonly type: 'union'; readonly inputs: readonly Operator[] }
  | { readonly type: 'filter'; readonly input: Operator; readonly test: (row: Row) => boolean }
  | { readonly type: 'extend'; readonly input: Operator; readonly slot: number; readonly value: Evaluator }
  | { readonly type: 'group'; readonly input: Operator; readonly keys: readonly number[]; readonly aggregates: readonly Aggregate[] }
  | { readonly type: 'orderby'; readonly input: Operator; readonly keys: readonly OrderKey[]; readonly limit?: number }
  | { readonly type: 'project'; readonly input: Operator; readonly slots: readonly number[] }
  | { readonly type: 'distinct'; readonly input: Operator }
  | { readonly type: 'slice'; readonly input: Operator; readonly start: number; readonly length?: number }
  | { readonly type: 'values'; readonly rows: readonly Row[] }
  | { readonly type: 'path'; readonly subject: Position; readonly object: Position; readonly path: PathExpression; readonly graph: GraphPosition }
  | { readonly type: 'minus'; readonly left: Operator; readonly right: Operator; readonly unshared: number };

/** A property path (Query §9) over predicate ids; closures are `?` (0..1), `*` (0..∞) and `+` (1..∞). */
export type PathExpression =
  | { readonly type: 'link'; readonly id: number }
  | { readonly type: 'inverse'; readonly path: PathExpression }
  | { readonly type: 'sequence'; readonly paths: readonly PathExpression[] }
  | { readonly type: 'alternative'; readonly paths: readonly PathExpression[] }
  | { readonly type: 'negated'; readonly iris: readonly number[] }
  | { readonly type: 'closure'; readonly path: PathExpression; readonly min: 0 | 1; readonly max: number };
