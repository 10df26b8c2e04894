/**
 * `node --import ./dist-bench/test/bench/shipped-build.js …`: the compiled bench imports Vínculo
 * from `dist/`, the build `vinculo serve` runs (see shipped-build-hooks.ts).
 */
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

// Worker threads inherit this flag, but they start from dist's own URLs and need no mapping.
if (isMainThread) register('./shipped-build-hooks.js', import.meta.url);
