/** Memory: repeated queries and re-imports must not grow the heap beyond a bound once warmed up. */
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { publishMapping } from '../../src/publish/index.ts';
import { repoRoot, startHostileSite } from './support/site.ts';

// Exposes gc() without a command-line flag, so the measurement is of live objects, not garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const queries = [
  'SELECT ?s ?o WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o } LIMIT 50',
  'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }',
  'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 100',
];

async function settledHeap(): Promise<number> {
  for (let round = 0; round < 3; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed;
}

test('heap stays within 25 MB across 150 queries and 10 re-imports after warm-up', async () => {
  const site = await startHostileSite({ queryTimeoutMs: 10_000 });
  const mapping = join(repoRoot, 'mappings/municipios.yml');
  const cycle = async (rounds: number, imports: number) => {
    for (let round = 0; round < rounds; round++) {
      const query = queries[round % queries.length] as string;
      const response = await fetch(`${site.url}/sparql`, {
        method: 'POST',
        headers: { 'content-type': 'application/sparql-query', accept: 'application/sparql-results+json, text/turtle' },
        body: query,
      });
      assert.is(response.status, 200);
      await response.arrayBuffer();
    }
    for (let index = 0; index < imports; index++) {
      await publishMapping(mapping, { config: site.config, store: site.store, say: () => undefined, force: true });
    }
  };
  try {
    await cycle(30, 2);
    const warm = await settledHeap();
    await cycle(150, 10);
    const after = await settledHeap();
    const growthMb = (after - warm) / 1024 / 1024;
    console.log(`memory: heap ${(warm / 1048576).toFixed(1)} MB after warm-up, ${(after / 1048576).toFixed(1)} MB after 150 queries + 10 imports (${growthMb.toFixed(1)} MB)`);
    assert.ok(growthMb < 25, `heap grew ${growthMb.toFixed(1)} MB`);
  } finally {
    await site.close();
  }
});

test.run();
