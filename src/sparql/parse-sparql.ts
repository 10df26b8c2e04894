/** Parsing SPARQL 1.1 query and update text into algebra, with the parser's line and column on errors. */
import type * as RDF from '@rdfjs/types';
import { toAlgebra } from '@traqula/algebra-sparql-1-1';
import { Parser } from '@traqula/parser-sparql-1-1';
import { SyntaxProblem } from '../errors/index.js';

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
  try {
    algebra = toAlgebra(ast, { quads: true, blankToVariable: true, baseIRI: options.baseIRI }) as unknown as AlgebraNode;
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
  };
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
