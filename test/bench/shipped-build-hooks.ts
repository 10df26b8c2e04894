/**
 * A module resolution hook for the compiled bench. tsc emits src/ beside the bench into
 * dist-bench/, but src's modules find their assets (vocabularies, SHACL shapes, map shapes)
 * relative to their own place in `dist/`; and `dist/` is what `vinculo serve` runs. So every
 * import from the bench into src/ is answered with the same module in `dist/`.
 */
import type { ResolveHook } from 'node:module';

/** dist-bench/src/ (this file is dist-bench/test/bench/shipped-build-hooks.js). */
const compiledSources = new URL('../../src/', import.meta.url).href;
const shippedBuild = new URL('../../../dist/', import.meta.url).href;

export const resolve: ResolveHook = (specifier, context, nextResolve) => {
  if (context.parentURL !== undefined && /^\.\.?\//.test(specifier)) {
    const target = new URL(specifier, context.parentURL).href;
    // `.ts` too: import.meta.resolve() names src modules by their source file.
    if (target.startsWith(compiledSources)) return nextResolve(shippedBuild + target.slice(compiledSources.length).replace(/\.ts$/, '.js'), context);
  }
  return nextResolve(specifier, context);
};
