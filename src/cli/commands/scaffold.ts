/** `vinculo scaffold`: drafting a mapping from a CSV or Socrata export — not built yet, and it says so. */
import { NotImplemented } from '../../errors/index.js';
import { commonOptions, commonUsage, parseCommand } from '../usage.js';

const spec = {
  name: 'scaffold',
  usage: `usage: vinculo scaffold CSV_OR_SOCRATA_EXPORT

Drafts a YARRRML mapping with a DCAT metadata block. Not implemented yet (issue 7).
${commonUsage}`,
  options: { ...commonOptions },
  minPositionals: 1,
  maxPositionals: 1,
} as const;

export async function scaffoldCommand(args: string[]): Promise<void> {
  if (!parseCommand(spec, args)) return;
  throw new NotImplemented('scaffolding mappings is not implemented yet (issue 7)');
}
