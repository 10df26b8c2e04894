/** `vinculo catalog`: the DCAT catalog of the store — not built yet, and it says so. */
import { NotImplemented } from '../../errors/index.js';
import { commonOptions, commonUsage, parseCommand } from '../usage.js';

const spec = {
  name: 'catalog',
  usage: `usage: vinculo catalog [--format turtle]

Prints the DCAT catalog of the store. Not implemented yet: the DCAT-AP catalog is issue 7.
${commonUsage}`,
  options: { ...commonOptions, format: { type: 'string' } },
  maxPositionals: 0,
} as const;

export async function catalogCommand(args: string[]): Promise<void> {
  if (!parseCommand(spec, args)) return;
  throw new NotImplemented('the DCAT catalog is not implemented yet (issue 7); `vinculo dataset list` lists the datasets');
}
