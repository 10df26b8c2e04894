/** A document's JSON-LD is its default graph, as its Turtle is: rdflib's `Graph().parse` (a real client) reads every triple of it. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRdfToArray } from '../../src/rdf/index.ts';
import { type TestSite, startSite } from './support/server.ts';

const run = promisify(execFile);
const python = '/usr/bin/python3';

async function rdflibAvailable(): Promise<boolean> {
  try {
    await run(python, ['-c', 'import rdflib']);
    return true;
  } catch {
    return false;
  }
}

let site: TestSite;
test.before(async () => {
  site = await startSite({ datasets: ['municipios', 'departamentos', 'categorias', 'contratos'] });
});
test.after(async () => {
  await site.close();
});

// Documents whose triples come from several graphs (a municipality links its department and concept).
for (const path of ['/doc/municipio/05001', '/doc/departamento/05', '/doc/kos/categoria/especial', '/dataset/municipios']) {
  test(`rdflib's Graph().parse reads every triple of ${path} in JSON-LD`, async () => {
    if (!(await rdflibAvailable())) {
      console.log(`skipped: ${python} cannot import rdflib`);
      return;
    }
    const turtle = await site.fetch(`${path}.ttl`);
    assert.is(turtle.status, 200);
    const expected = new Set((await parseRdfToArray(await turtle.text(), { format: 'turtle', baseIRI: site.baseIRI })).map((quad) => `${quad.subject.value} ${quad.predicate.value} ${quad.object.value}`)).size;
    const url = new URL(`${path.slice(1)}.jsonld`, site.baseIRI).href;
    const { stdout } = await run(python, ['-c', 'import rdflib, sys; g = rdflib.Graph(); g.parse(sys.argv[1], format="json-ld"); print(len(g))', url]);
    assert.ok(expected > 5, `the Turtle has ${expected} triples`);
    assert.is(Number(stdout.trim()), expected);
  });
}

test.run();
