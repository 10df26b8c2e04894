/** Every dataset page's sample resources and example queries come from what that dataset holds: DIVIPOLA's SKOS concepts have skos:prefLabel, not rdfs:label. */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startUiSite, type UiSite } from '../ui/support/site.ts';
import { projectRoot } from './support.ts';

let site: UiSite;

test.before(async () => {
  site = await startUiSite({ mappings: [join(projectRoot, 'mappings', 'divipola.yml')] });
});

test.after(async () => {
  await site.close();
});

const decode = (text: string) => text.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>');

async function select(query: string): Promise<Array<Record<string, { value: string }>>> {
  const response = await fetch(`${site.url}/sparql`, { method: 'POST', headers: { 'Content-Type': 'application/sparql-query', Accept: 'application/sparql-results+json' }, body: query });
  assert.is(response.status, 200, query);
  return ((await response.json()) as { results: { bindings: Array<Record<string, { value: string }>> } }).results.bindings;
}

for (const id of ['divipola', 'municipios']) {
  test(`${id}: the page links resources of the dataset and every example query returns rows with labels where it asks for them`, async () => {
    const response = await fetch(`${site.url}/dataset/${id}`);
    assert.is(response.status, 200);
    const body = await response.text();
    const samples = [...body.matchAll(/<section aria-labelledby="samples">[\s\S]*?<\/section>/g)].join('');
    const links = [...samples.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)];
    assert.ok(links.length > 0, `${id}: the page links some of its resources`);
    // Each linked resource is one the dataset's own graph describes (a site path /doc/x names /id/x).
    for (const [, href = ''] of links) {
      const path = decode(href).replace(/^\/doc\//, '/id/');
      const iri = new URL(path.slice(1), site.baseIRI).href;
      const held = await select(`SELECT ?p WHERE { GRAPH <${site.baseIRI}graph/${id}> { <${iri}> ?p ?o } } LIMIT 1`);
      assert.ok(held.length > 0, `${id}: ${iri} is in the dataset`);
    }

    const examples = [...body.matchAll(/<a class="example-query" href="\/sparql#query=([^"]+)">/g)].map((match) => decodeURIComponent(decode(match[1] ?? '')));
    assert.ok(examples.length >= 2, 'example queries');
    for (const query of examples) {
      const rows = await select(query);
      assert.ok(rows.length > 0, `no rows for\n${query}`);
      if (/\?label/.test(query.split('WHERE')[0] ?? '')) assert.ok(rows.every((row) => row.label !== undefined), `every row has a label:\n${query}`);
    }
  });
}

test('divipola: the example listing asks for skos:prefLabel, never rdfs:label', async () => {
  const body = await (await fetch(`${site.url}/dataset/divipola`)).text();
  const examples = [...body.matchAll(/<a class="example-query" href="\/sparql#query=([^"]+)">/g)].map((match) => decodeURIComponent(decode(match[1] ?? '')));
  const listing = examples.find((query) => /OPTIONAL \{ \?item /.test(query));
  assert.ok(listing, 'a listing query');
  assert.match(listing, /skos:prefLabel \?label/);
  assert.not.match(listing, /rdfs:label/);
});

test.run();
