/** Command-line parsing shared by every subcommand: flags, `--help`, and usage errors (exit 2). */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in how the command was called; the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}

export interface CommandSpec<O extends ParseArgsConfig['options']> {
  readonly name: string;
  readonly usage: string;
  readonly options: O;
  readonly minPositionals?: number;
  readonly maxPositionals?: number;
}

export const commonOptions = {
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  'base-iri': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const commonUsage = `
common options:
  --config FILE      configuration file (default ./vinculo.config.json)
  --data-dir DIR     where the store keeps its files (default ./var; env VINCULO_DATA_DIR)
  --base-iri IRI     base of every minted IRI (default http://localhost:PORT/, from host and port;
                     env VINCULO_BASE_IRI)
  -h, --help         this help`;

/**
 * Parses a subcommand's arguments.
 * @returns undefined when `--help` was asked for (the help has been printed).
 * @throws UsageError for unknown flags, missing values or a wrong number of arguments.
 */
export function parseCommand<O extends NonNullable<ParseArgsConfig['options']>>(spec: CommandSpec<O>, args: string[]) {
  let parsed: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; args: string[]; strict: true }>>;
  try {
    parsed = parseArgs({ options: spec.options, allowPositionals: true, args, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message, spec.usage);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${spec.usage}\n`);
    return undefined;
  }
  const count = parsed.positionals.length;
  if (count < (spec.minPositionals ?? 0) || count > (spec.maxPositionals ?? Number.POSITIVE_INFINITY)) {
    throw new UsageError(`wrong number of arguments for "vinculo ${spec.name}"`, spec.usage);
  }
  return parsed;
}

export function configFlags(values: { 'data-dir'?: string; 'base-iri'?: string }): Record<string, string | undefined> {
  return { dataDir: values['data-dir'], baseIRI: values['base-iri'] };
}
