/** Options and messages the mapping-running commands share. */
import { dirname, resolve } from 'node:path';
import type { VinculoConfig } from '../config/index.js';
import { type ErrorPolicy, errorPolicies, isErrorPolicy } from '../mapping/index.js';
import { UsageError } from './usage.js';

/** `--source-dir DIR`, repeatable: more folders `map` and `import` may read sources from. */
export const sourceDirOption = { 'source-dir': { type: 'string', multiple: true } } as const;

export const sourceDirUsage = `  --source-dir DIR   a further folder sources may be read from (repeatable; the mapping's own
                     folder and the configured "sourceDirs" are always allowed)`;

/**
 * The folders a mapping run by the user on the command line may read: the configured ones, the
 * `--source-dir` folders, and the mapping's own folder, since RMLMapper, Morph-KGC and SDM-RDFizer
 * read sources relative to the mapping. `serve` does not use this: it reads only `sourceDirs`.
 */
export function commandLineConfig(config: VinculoConfig, mappingFile: string, sourceDirs: readonly string[] | undefined): VinculoConfig {
  const extra = [...(sourceDirs ?? []).map((dir) => resolve(dir)), dirname(resolve(mappingFile))];
  return { ...config, sourceDirs: [...new Set([...config.sourceDirs, ...extra])] };
}

/** @throws UsageError for a policy name that does not exist. */
export function errorPolicyOf(value: string | undefined, usage: string): ErrorPolicy | undefined {
  if (value === undefined) return undefined;
  if (!isErrorPolicy(value)) throw new UsageError(`--on-error must be one of ${errorPolicies.join(', ')}`, usage);
  return value;
}

