/** Streaming: a 200,000-row CSV maps in one pass with flat memory; prints rows/s and peak RSS. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { executeMapping } from '../../src/mapping/index.ts';
import { workspace, yarrrml } from './helpers.ts';

const rows = 200_000;

// RSS follows the garbage collector's mood; the live heap after a full collection is what
// streaming keeps flat. `--expose-gc` set at run time makes `gc` visible in new contexts.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

async function writeBigCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write('codigo,nombre,poblacion,fecha\n');
  for (let start = 0; start < rows; start += 1000) {
    let chunk = '';
    for (let i = start; i < start + 1000; i++) {
      chunk += `${String(i).padStart(6, '0')},"Municipio ${i}, Colombia",${(i * 37).toLocaleString('es-CO')},${String((i % 28) + 1).padStart(2, '0')}/0${(i % 9) + 1}/2020\n`;
    }
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

test(`a ${rows.toLocaleString('en')}-row CSV streams with a flat live heap`, async () => {
  const mapping = yarrrml('big.csv~csv', 'id/municipio/$(codigo)', [
    '[a, ex:Municipio~iri]',
    '[ex:nombre, $(nombre), es~lang]',
    `p: ex:poblacion
        o:
          function: vfn:toInteger
          parameters:
            - [vfn:value, $(poblacion)]
            - [vfn:decimalSeparator, ',']
          datatype: xsd:integer`,
    `p: ex:fecha
        o:
          function: vfn:toDate
          parameters:
            - [vfn:value, $(fecha)]
          datatype: xsd:date`,
  ]);
  const space = await workspace({ 'm.yml': mapping });
  try {
    await writeBigCsv(join(space.dir, 'big.csv'));
    const plan = await space.load('m.yml');
    const { quads, report } = executeMapping(plan, { errorPolicy: 'fail' });
    const started = performance.now();
    let count = 0;
    const heap: number[] = [];
    let peakRss = 0;
    for await (const _quad of quads) {
      count++;
      if (count % 100_000 === 0) {
        collectGarbage();
        heap.push(process.memoryUsage().heapUsed);
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const summary = await report;
    assert.is(summary.rowsRead, rows);
    assert.is(summary.triplesWritten, rows * 4);
    assert.is(count, rows * 4);
    const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    // From the first checkpoint (100,000 quads) on, the live heap may not grow with the input.
    const growth = Math.max(...heap) - heap[0]!;
    console.log(
      `  streaming: ${rows} rows, ${count} quads in ${seconds.toFixed(2)} s = ${Math.round(rows / seconds)} rows/s; ` +
        `peak RSS ${mib(peakRss)} MiB; live heap after GC ${heap.map(mib).join(' → ')} MiB (growth ${mib(growth)} MiB)`,
    );
    assert.ok(growth < 8 * 2 ** 20, `live heap grew by ${mib(growth)} MiB`);
  } finally {
    await space.close();
  }
});

test.run();
