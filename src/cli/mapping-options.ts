/** Options and messages the mapping-running commands share. */
import type { ErrorPolicy, MappingProblem } from '../mapping/index.js';
import { UsageError } from './usage.js';

const policies: readonly ErrorPolicy[] = ['skip-term', 'skip-row', 'fail'];

/** @throws UsageError for a policy name that does not exist. */
export function errorPolicyOf(value: string | undefined, usage: string): ErrorPolicy | undefined {
  if (value === undefined) return undefined;
  if (!policies.includes(value as ErrorPolicy)) throw new UsageError(`--on-error must be one of ${policies.join(', ')}`, usage);
  return value as ErrorPolicy;
}

/** `file:line:column: kind: message`, the form editors and agencies can act on. */
export function problemLine(problem: MappingProblem): string {
  const where = [problem.file, problem.line, problem.column].filter((part) => part !== undefined).join(':');
  const map = problem.triplesMap ? ` (${problem.triplesMap})` : '';
  return `${where}: ${problem.kind}${map}: ${problem.message}`;
}
