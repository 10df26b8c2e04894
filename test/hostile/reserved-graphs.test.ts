/** The catalog and vocabulary graphs are written only by Vínculo: even the all-graphs token cannot change them, by SPARQL Update or the Graph Store Protocol. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { catalogGraph, vocabularyGraph } from '../../src/store/index.ts';
import { type HostileSite, startHostileSite, updateToken } from './support/site.ts';

let site: HostileSite;
test.before(async () => {
  site = await startHostileSite();
});
test.after(async () => {
  await site.close();
});

const admin = { authorization: `Bearer ${updateToken}` };

async function update(text: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${site.url}/sparql`, { method: 'POST', headers: { ...admin, 'content-type': 'application/sparql-update' }, body: text });
  return { status: response.status, body: await response.text() };
}

async function graphSize(graph: string): Promise<number> {
  const query = encodeURIComponent(`SELECT (COUNT(*) AS ?n) WHERE { GRAPH <${graph}> { ?s ?p ?o } }`);
  const response = await fetch(`${site.url}/sparql?query=${query}`, { headers: { accept: 'application/sparql-results+json' } });
  const json = (await response.json()) as { results: { bindings: Array<{ n: { value: string } }> } };
  return Number(json.results.bindings[0]?.n.value);
}

test('the same token still writes a dataset graph', async () => {
  const graph = `${site.config.baseIRI}graph/scratch`;
  assert.is((await update(`INSERT DATA { GRAPH <${graph}> { <urn:x> <urn:y> "z" } }`)).status, 204);
  assert.is(await graphSize(graph), 1);
  assert.is((await update(`CLEAR GRAPH <${graph}>`)).status, 204);
  assert.is(await graphSize(graph), 0);
});

test('updates of a reserved graph are 403 and change nothing', async () => {
  // Fewer than the rate limiter's ten failed writes a minute, so every answer is the refusal itself.
  const catalog = catalogGraph(site.config.baseIRI).value;
  const vocabulary = vocabularyGraph(site.config.baseIRI).value;
  const sizes = [await graphSize(catalog), await graphSize(vocabulary)];
  assert.ok(sizes.every((size) => size > 0), 'the reserved graphs should hold triples before the test');
  for (const text of [
    `CLEAR GRAPH <${catalog}>`,
    `DROP GRAPH <${vocabulary}>`,
    `INSERT DATA { GRAPH <${catalog}> { <urn:x> <urn:y> "z" } }`,
    `DELETE WHERE { GRAPH <${vocabulary}> { ?s ?p ?o } }`,
    'CLEAR ALL',
    `MOVE <${catalog}> TO <${site.config.baseIRI}graph/elsewhere>`,
  ]) {
    const answer = await update(text);
    assert.is(answer.status, 403, `${text}: ${answer.body}`);
    assert.match(answer.body, /reserved/);
  }
  const put = await fetch(`${site.url}/graph-store?graph=${encodeURIComponent(catalog)}`, {
    method: 'PUT',
    headers: { ...admin, 'content-type': 'text/turtle' },
    body: '<urn:x> <urn:y> "z" .',
  });
  assert.is(put.status, 403);
  const removal = await fetch(`${site.url}/graph-store?graph=${encodeURIComponent(vocabulary)}`, { method: 'DELETE', headers: admin });
  assert.is(removal.status, 403);
  assert.equal([await graphSize(catalog), await graphSize(vocabulary)], sizes, 'a reserved graph changed');
});

test.run();
