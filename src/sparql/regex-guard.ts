/** Refuses REGEX/REPLACE patterns that can backtrack catastrophically: JavaScript runs a regex synchronously, out of the query timeout's reach. */
import type * as RDF from '@rdfjs/types';
import { BadRequest } from '../errors/index.js';
import { type AlgebraNode, walkAlgebra } from './parse-sparql.js';

interface Group {
  /** The group's body holds a quantifier (its own or a nested quantified group's). */
  quantified: boolean;
  alternation: boolean;
}

/**
 * Why a pattern is unsafe, or undefined when it is not: a quantified group whose body has a
 * quantifier or an alternation (star height above one, as `(a+)+` or `(a|a)*`), or a
 * backreference. The scan is syntactic and errs on the side of refusing.
 */
export function unsafeRegexReason(pattern: string): string | undefined {
  const stack: Group[] = [{ quantified: false, alternation: false }];
  let index = 0;
  while (index < pattern.length) {
    const char = pattern[index];
    const current = stack[stack.length - 1]!;
    if (char === '\\') {
      if (/[1-9k]/.test(pattern[index + 1] ?? '')) return 'backreferences are not allowed';
      index += 2;
      continue;
    }
    if (char === '[') {
      index += 1;
      if (pattern[index] === '^') index += 1;
      if (pattern[index] === ']') index += 1;
      while (index < pattern.length && pattern[index] !== ']') index += pattern[index] === '\\' ? 2 : 1;
      index += 1;
      continue;
    }
    if (char === '(') {
      stack.push({ quantified: false, alternation: false });
      index += 1;
      continue;
    }
    if (char === '|') current.alternation = true;
    if (char === '*' || char === '+' || char === '?' || (char === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(index)))) {
      current.quantified = true;
    }
    if (char === ')' && stack.length > 1) {
      const group = stack.pop()!;
      const parent = stack[stack.length - 1]!;
      const after = pattern.slice(index + 1);
      const quantifier = /^(\*|\+|\?|\{\d+(,\d*)?\})/.exec(after)?.[0];
      if (quantifier !== undefined && quantifier !== '?') {
        if (group.quantified) return `the group ending at character ${index + 1} repeats a repetition (nested quantifiers)`;
        if (group.alternation) return `the group ending at character ${index + 1} repeats an alternation`;
      }
      if (group.quantified || quantifier !== undefined) parent.quantified = true;
      parent.alternation ||= group.alternation && quantifier === undefined;
    }
    index += 1;
  }
  return undefined;
}

function constantString(node: unknown): string | undefined {
  const record = node as { subType?: string; term?: RDF.Term } | undefined;
  if (record?.subType !== 'term' || record.term?.termType !== 'Literal') return undefined;
  return record.term.value;
}

/**
 * Checks every REGEX and REPLACE of a parsed query or update: the pattern must be a constant
 * string and must not be able to backtrack catastrophically (the `q` flag, a literal match, is
 * always safe).
 * @throws BadRequest naming the pattern and why it is refused.
 */
export function checkRegexes(algebra: AlgebraNode): void {
  for (const node of walkAlgebra(algebra)) {
    if (node.type !== 'expression' || node.subType !== 'operator') continue;
    const operator = String(node.operator).toLowerCase();
    if (operator !== 'regex' && operator !== 'replace') continue;
    const args = (node.args ?? []) as unknown[];
    const pattern = constantString(args[1]);
    const flags = constantString(args[operator === 'regex' ? 2 : 3]);
    if (pattern === undefined) {
      throw new BadRequest(`${operator.toUpperCase()}: the pattern must be a constant string, so that it can be checked before it runs`);
    }
    if (flags?.includes('q')) continue;
    const reason = unsafeRegexReason(pattern);
    if (reason) throw new BadRequest(`${operator.toUpperCase()} pattern "${pattern}" is refused: ${reason}, which can take exponential time`);
  }
}
