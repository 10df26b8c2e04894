/** Parsing SPARQL 1.1 query and update text into algebra, with the parser's line and column on errors. */
import type * as RDF from '@rdfjs/types';
import { toAlgebra } from '@traqula/algebra-sparql-1-1';
import { Parser } from '@traqula/parser-sparql-1-1';
import { SyntaxProblem } from '../errors/index.js';
import { DataFactory } from '../rdf/index.js';

/** A SPARQL algebra node as produced by the parser; engine.ts hands it to Comunica unchanged. */
export interface AlgebraNode {
  readonly type: string;
  readonly [key: string]: unknown;
}

export interface ParsedSparql {
  readonly kind: 'query' | 'update';
  /** select, ask, construct, describe (queries) or update. */
  readonly form: 'select' | 'ask' | 'construct' | 'describe' | 'update';
  readonly algebra: AlgebraNode;
  /** The base IRI in effect at the end of the prologue (BASE, else the caller's); IRI() resolves against it. */
  readonly baseIRI: string | undefined;
  /** An update names its own dataset (USING, USING NAMED or WITH), which protocol parameters may not override. */
  readonly namesDataset: boolean;
  /** The query has a `GRAPH ?g {}` (see withGraphNames). */
  readonly listsGraphs: boolean;
}

// Building a Chevrotain parser is expensive (grammar recording), so one instance serves every call;
// parsing is synchronous, so sharing it is safe.
const parser = new Parser({ lexerConfig: { positionTracking: 'full' } });

/**
 * The parser reports "Parse error on line N", the line, a caret under the column, then the message;
 * this turns that into a message and a position (the end of the text when no token was left).
 */
function syntaxProblemOf(message: string, text: string, cause: unknown): SyntaxProblem {
  const lines = message.split('\n');
  const onLine = /^Parse error on line (\d+)/.exec(lines[0] ?? '');
  if (onLine) {
    const caret = lines.findIndex((line) => /^-*\^$/.test(line));
    const column = caret >= 0 ? (lines[caret]?.length ?? 0) : undefined;
    const detail = lines.slice(caret >= 0 ? caret + 1 : 2).join(' ').trim();
    return new SyntaxProblem(detail || lines[0] || 'parse error', { line: Number(onLine[1]), column }, { cause });
  }
  const offset = /offset:\s*(\d+)/.exec(message);
  const atEnd = lines[0] === 'Parse error';
  const position = offset ? positionOfOffset(text, Number(offset[1])) : atEnd ? positionOfOffset(text, text.length) : {};
  const detail = atEnd ? lines.slice(1).join(' ').trim() : (lines[0] ?? message);
  return new SyntaxProblem(detail || 'parse error', position, { cause });
}

function positionOfOffset(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function formOf(algebra: AlgebraNode): ParsedSparql['form'] {
  // Solution modifiers wrap the query form's operation; the form is found under them.
  let node: AlgebraNode | undefined = algebra;
  while (node) {
    if (node.type === 'ask' || node.type === 'construct' || node.type === 'describe') return node.type;
    if (!['slice', 'distinct', 'reduced', 'orderby', 'from'].includes(node.type)) break;
    node = node.input as AlgebraNode | undefined;
  }
  return 'select';
}

/**
 * Parses SPARQL 1.1 (Query §19 grammar) and translates it to algebra (Query §18).
 * @throws SyntaxProblem with line and column when the text is not SPARQL 1.1, or is a query where
 *   an update is expected (and the reverse).
 */
export function parseSparql(text: string, options: { baseIRI?: string; expect: 'query' | 'update' }): ParsedSparql {
  let ast: Parameters<typeof toAlgebra>[0];
  try {
    ast = parser.parse(text, options.baseIRI === undefined ? {} : { baseIRI: options.baseIRI });
  } catch (error) {
    throw syntaxProblemOf(error instanceof Error ? error.message : String(error), text, error);
  }
  const kind = ast.type === 'update' ? 'update' : 'query';
  if (kind !== options.expect) {
    throw new SyntaxProblem(
      kind === 'update' ? 'an update was sent where a query is expected' : 'a query was sent where an update is expected',
    );
  }
  let algebra: AlgebraNode;
  const emptyGraphs = markEmptyGraphPatterns(ast);
  try {
    algebra = toAlgebra(ast, { quads: true, blankToVariable: true, baseIRI: options.baseIRI }) as unknown as AlgebraNode;
    if (emptyGraphs > 0) algebra = graphNamesForMarks(algebra);
  } catch (error) {
    // The translation rejects what the grammar allows but the spec forbids (e.g. unbound
    // variables in SELECT expressions with GROUP BY), which is still a syntax error to the client.
    throw new SyntaxProblem(error instanceof Error ? error.message : String(error), {}, { cause: error });
  }
  if (isSelectAll(ast)) algebra = projectInQueryOrder(algebra, variablesInQueryOrder((ast as { where?: unknown }).where));
  return {
    kind,
    form: kind === 'update' ? 'update' : formOf(algebra),
    algebra,
    baseIRI: prologueBase(ast, options.baseIRI),
    namesDataset: updateNamesDataset(ast),
    listsGraphs: emptyGraphs > 0,
  };
}

// `GRAPH ?g {}` is one solution per named graph (Query §18.6), but the algebra translation drops a
// graph pattern with an empty group. Each such group gets one marked triple pattern before the
// translation; afterwards the marked pattern becomes DISTINCT ?g over it, so `SELECT ?g WHERE
// { GRAPH ?g {} }` lists the graphs (rdflib's SPARQLStore.contexts() asks exactly that).
const graphMark = 'vinculo_graph_mark_';

function markEmptyGraphPatterns(ast: unknown): number {
  let marked = 0;
  const variable = (name: string) => ({ type: 'term', subType: 'variable', value: name, loc: { sourceLocationType: 'autoGenerate' } });
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const pattern = node as { type?: string; subType?: string; name?: { subType?: string }; patterns?: unknown[] };
    if (pattern.type === 'pattern' && pattern.subType === 'graph' && pattern.name?.subType === 'variable' && pattern.patterns?.length === 0) {
      const mark = `${graphMark}${marked++}_`;
      const triple = { type: 'triple', subject: variable(`${mark}s`), predicate: variable(`${mark}p`), object: variable(`${mark}o`), loc: { sourceLocationType: 'autoGenerate' } };
      pattern.patterns.push({ type: 'pattern', subType: 'bgp', triples: [triple], loc: { sourceLocationType: 'autoGenerate' } });
      return;
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(ast);
  return marked;
}

function graphNamesForMarks(node: AlgebraNode): AlgebraNode {
  if (node.type === 'bgp') {
    const patterns = node.patterns as RDF.Quad[];
    const isMark = (quad: RDF.Quad) => quad.subject.termType === 'Variable' && quad.subject.value.startsWith(graphMark);
    const marks = patterns.filter(isMark);
    if (marks.length === 0) return node;
    // Only named graphs: a variable graph must not bind the default graph (Comunica's match does).
    const named = (quad: RDF.Quad) => ({
      type: 'filter',
      input: { type: 'bgp', patterns: [quad] },
      expression: { type: 'expression', subType: 'operator', operator: 'isiri', args: [{ type: 'expression', subType: 'term', term: quad.graph }] },
    });
    const names = marks.map((quad) => ({
      type: 'distinct',
      input: { type: 'project', input: named(quad), variables: [quad.graph] },
    }));
    const rest = patterns.filter((quad) => !isMark(quad));
    const inputs: AlgebraNode[] = rest.length > 0 ? [{ ...node, patterns: rest }, ...names] : names;
    return inputs.length === 1 ? (inputs[0] as AlgebraNode) : { type: 'join', input: inputs };
  }
  const copy = withChildren(node, graphNamesForMarks);
  // SELECT * counts the marked variables in scope; they are not the query's.
  if (node.type !== 'project') return copy;
  return { ...copy, variables: (node.variables as RDF.Variable[]).filter((variable) => !variable.value.startsWith(graphMark)) };
}

/** `node` with each child operation (not terms) replaced by `rewrite(child)`. */
function withChildren(node: AlgebraNode, rewrite: (child: AlgebraNode) => AlgebraNode): AlgebraNode {
  const copy: Record<string, unknown> = { ...node };
  for (const [key, value] of Object.entries(node)) {
    if (Array.isArray(value)) copy[key] = value.map((item) => (isAlgebraNode(item) ? rewrite(item) : item));
    else if (isAlgebraNode(value)) copy[key] = rewrite(value);
  }
  return copy as AlgebraNode;
}

/**
 * The graph listings of `GRAPH ?g {}` answered from the store's own list of named graphs, so
 * they need no scan of every quad.
 */
export function withGraphNames(algebra: AlgebraNode, graphs: readonly string[]): AlgebraNode {
  const listing = (node: AlgebraNode): RDF.Variable | undefined => {
    const project = node.type === 'distinct' ? (node.input as AlgebraNode) : undefined;
    const filter = project?.type === 'project' ? (project.input as AlgebraNode) : undefined;
    const bgp = filter?.type === 'filter' ? (filter.input as AlgebraNode) : undefined;
    const [quad, ...others] = bgp?.type === 'bgp' ? (bgp.patterns as RDF.Quad[]) : [];
    const marked = quad?.subject.termType === 'Variable' && quad.subject.value.startsWith(graphMark);
    return marked && others.length === 0 && quad.graph.termType === 'Variable' ? quad.graph : undefined;
  };
  const visit = (node: AlgebraNode): AlgebraNode => {
    const name = listing(node);
    if (name) {
      return { type: 'values', variables: [name], bindings: graphs.map((graph) => ({ [name.value]: DataFactory.namedNode(graph) })) };
    }
    return withChildren(node, visit);
  };
  return visit(algebra);
}

function isAlgebraNode(value: unknown): value is AlgebraNode {
  return value !== null && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string' && !('termType' in value);
}

function isSelectAll(ast: unknown): boolean {
  const select = ast as { type?: string; subType?: string; variables?: Array<{ type?: string }> };
  return select.type === 'query' && select.subType === 'select' && select.variables?.[0]?.type === 'wildcard';
}

/** The variables of a query's WHERE clause in the order the text first mentions them (the parser's tree keeps source order). */
function variablesInQueryOrder(where: unknown): string[] {
  const seen = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as { subType?: unknown; value?: unknown };
    if (record.subType === 'variable' && typeof record.value === 'string') seen.add(record.value);
    for (const value of Object.values(node)) visit(value);
  };
  visit(where);
  return [...seen];
}

/**
 * `SELECT *` projects the in-scope variables; the algebra translation sorts them by name, but a
 * reader expects the columns in the order the query mentions them (as Oxigraph and Jena answer).
 */
function projectInQueryOrder(node: AlgebraNode, order: readonly string[]): AlgebraNode {
  if (node.type === 'project') {
    const rank = (variable: RDF.Variable) => {
      const at = order.indexOf(variable.value);
      return at < 0 ? order.length : at;
    };
    const variables = [...(node.variables as RDF.Variable[])].sort((a, b) => rank(a) - rank(b));
    return { ...node, variables };
  }
  if (node.type === 'slice' || node.type === 'distinct' || node.type === 'reduced') {
    return { ...node, input: projectInQueryOrder(node.input as AlgebraNode, order) };
  }
  return node;
}

function updateNamesDataset(ast: unknown): boolean {
  const updates = (ast as { updates?: Array<{ operation?: { graph?: unknown; from?: { clauses?: unknown[] } } }> }).updates ?? [];
  return updates.some(({ operation }) => operation?.graph !== undefined || (operation?.from?.clauses?.length ?? 0) > 0);
}

function prologueBase(ast: unknown, initial: string | undefined): string | undefined {
  let base = initial;
  const context = (ast as { context?: Array<{ subType?: string; value?: { value?: unknown } }> }).context ?? [];
  for (const definition of context) {
    const value = definition.value?.value;
    if (definition.subType !== 'base' || typeof value !== 'string') continue;
    try {
      base = new URL(value, base).href;
    } catch {
      base = value;
    }
  }
  return base;
}

/** Every node of an algebra tree, depth first (for checks such as SERVICE allowlists). */
export function* walkAlgebra(node: unknown): Generator<AlgebraNode> {
  if (Array.isArray(node)) {
    for (const item of node) yield* walkAlgebra(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  if (typeof record.termType === 'string') return;
  if (typeof record.type === 'string') yield record as AlgebraNode;
  for (const value of Object.values(record)) yield* walkAlgebra(value);
}
