/**
 * Where the bench's own files are and which build of Vínculo it measures, whether it runs compiled
 * (`npm run bench`: dist-bench/, importing dist/) or as TypeScript under tsx.
 */
import { execFileSync } from 'node:child_process';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const compiled = !import.meta.url.endsWith('.ts');
/** The repository: two folders up from test/bench/, three from dist-bench/test/bench/. */
export const repositoryRoot = new URL(compiled ? '../../../' : '../../', import.meta.url);

/** A file of the repository (tsc emits only JavaScript: the bench's data files stay in test/bench/). */
export const repositoryFile = (path: string): URL => new URL(path, repositoryRoot);

export interface BuildInfo {
  /** The module the engine came from, relative to the repository: `dist/sparql/index.js` when compiled. */
  readonly engineModule: string;
  readonly compiled: boolean;
  readonly commit: string;
  readonly uncommittedChanges: boolean;
}

export function buildInfo(): BuildInfo {
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: repositoryRoot, encoding: 'utf8' }).trim();
  return {
    engineModule: relative(fileURLToPath(repositoryRoot), fileURLToPath(import.meta.resolve('../../src/sparql/index.ts'))),
    compiled,
    commit: git('rev-parse', '--short', 'HEAD'),
    uncommittedChanges: git('status', '--porcelain', '--untracked-files=no', '--', 'src').length > 0,
  };
}

/** The bench header's build line. */
export function describeBuild({ engineModule, compiled, commit, uncommittedChanges }: BuildInfo): string {
  const how = compiled ? 'compiled by tsc, as `npm start` runs it' : 'TypeScript under tsx, whose esbuild keepNames makes it slower than the shipped build';
  return `Build: \`${engineModule}\`, ${how}; commit ${commit}${uncommittedChanges ? ' with uncommitted changes in src/' : ''}.`;
}
