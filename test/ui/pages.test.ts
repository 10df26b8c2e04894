/** The UI over HTTP, without a browser: catalog filters and counts, negotiation, dataset page and its example queries, search as JSON, language choice, the query page's policy and assets. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type UiSite, startUiSite } from './support/site.ts';

let site: UiSite;
const html = { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

async function page(path: string, headers: Record<string, string> = html): Promise<{ status: number; type: string; body: string; response: Response }> {
  const response = await fetch(`${site.url}${path}`, { headers, redirect: 'manual' });
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text(), response };
}

function decode(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

test.before(async () => {
  site = await startUiSite();
});

test.after(async () => {
  await site.close();
});

test('home lists the dataset with facets whose counts match the datasets they filter to', async () => {
  const home = await page('/');
  assert.is(home.status, 200);
  assert.match(home.type, /text\/html/);
  assert.match(home.body, /<h2 id="datasets-heading">1 conjunto de datos<\/h2>/);
  const facetLinks = [...home.body.matchAll(/<a href="(\/\?(?:theme|publisher|keyword)=[^"]+)">[^<]+<\/a> <span class="count">\((\d+)\)<\/span>/g)];
  assert.ok(facetLinks.length >= 3, 'facet values for themes, publishers and keywords');
  for (const [, href = '', count] of facetLinks) {
    const filtered = await page(decode(href));
    assert.match(filtered.body, new RegExp(`<h2 id="datasets-heading">${count} conjunto`), href);
    assert.match(filtered.body, /aria-current="true"/);
  }
  const none = await page('/?keyword=no-existe');
  assert.match(none.body, /Ningún conjunto de datos coincide/);
  assert.match(none.body, /<h2 id="datasets-heading">0 conjuntos de datos<\/h2>/);
});

test('/catalog is a page for browsers only; RDF clients pass through to the catalog router', async () => {
  const browser = await page('/catalog');
  assert.is(browser.status, 200);
  assert.match(browser.body, /<h1>Catálogo<\/h1>/);
  for (const accept of ['text/turtle', 'application/ld+json', '*/*']) {
    const rdf = await page('/catalog', { Accept: accept });
    assert.not.match(rdf.type, /text\/html/, accept);
  }
});

test('the dataset page shows metadata, downloads, samples, provenance, and example queries that run', async () => {
  const dataset = await page('/dataset/municipios');
  assert.is(dataset.status, 200);
  assert.match(dataset.body, /<h1>Municipios de Colombia<\/h1>/);
  assert.match(dataset.body, /<h2 id="downloads">Descargas<\/h2>/);
  assert.match(dataset.body, /<h2 id="provenance">Procedencia<\/h2>/);
  assert.match(dataset.body, /municipios\.csv/);
  assert.match(dataset.body, /href="\/doc\/municipio\/05001">Medellín<\/a>/);
  const examples = [...dataset.body.matchAll(/<a class="example-query" href="\/sparql#query=([^"]+)">/g)].map((match) => decodeURIComponent(decode(match[1] ?? '')));
  assert.ok(examples.length >= 2, 'example queries');
  for (const query of examples) {
    const response = await fetch(`${site.url}/sparql`, { method: 'POST', headers: { 'Content-Type': 'application/sparql-query', Accept: 'application/sparql-results+json' }, body: query });
    assert.is(response.status, 200, query);
    const results = (await response.json()) as { results: { bindings: unknown[] } };
    assert.ok(results.results.bindings.length > 0, `no rows for\n${query}`);
  }
  // Other representations stay with the linked-data router.
  const turtle = await page('/dataset/municipios.ttl');
  assert.match(turtle.type, /text\/turtle/);
  const missing = await page('/dataset/no-existe');
  assert.is(missing.status, 404);
});

test('search answers as JSON by Accept or ?format=json, accent-insensitively', async () => {
  const byAccept = await page('/search?q=medellin', { Accept: 'application/json' });
  assert.match(byAccept.type, /application\/json/);
  const found = JSON.parse(byAccept.body) as { total: number; hits: Array<{ label: string; href: string; kind?: string }> };
  assert.is(found.total, 1);
  assert.is(found.hits[0]?.label, 'Medellín');
  assert.is(found.hits[0]?.href, '/doc/municipio/05001');
  assert.is(found.hits[0]?.kind, 'Municipio');
  const byFormat = JSON.parse((await page('/search?q=BOGOTA&format=json')).body) as { total: number };
  assert.is(byFormat.total, 2, 'the municipality and the department');
  const htmlPage = await page('/search?q=popay');
  assert.match(htmlPage.body, />Popayán<\/a>/);
  assert.is((await page('/search?q=a&q=b')).status, 400);
  assert.is((await page('/search?q=x&format=xml')).status, 400);
});

test('Accept-Language picks the language; ?lang= switches it and a cookie keeps it', async () => {
  assert.match((await page('/', { ...html, 'Accept-Language': 'en-US,en;q=0.9' })).body, /<html lang="en">/);
  const switched = await page('/?lang=en');
  assert.match(switched.body, /<html lang="en">/);
  const cookie = switched.response.headers.get('set-cookie') ?? '';
  assert.match(cookie, /vinculo-lang=en/);
  const resource = await page('/doc/municipio/05001', { ...html, Cookie: cookie.split(';')[0] ?? '' });
  assert.match(resource.body, /<html lang="en">/);
  assert.match(resource.body, /aria-label="Breadcrumbs"/);
  assert.match((await page('/?lang=xx')).body, /<html lang="es">/);
});

test('the query page: YASGUI from our own server, its own CSP, prefixes and examples', async () => {
  const query = await page('/sparql');
  assert.is(query.status, 200);
  assert.match(query.type, /text\/html/);
  const policy = query.response.headers.get('content-security-policy') ?? '';
  assert.match(policy, /default-src 'self'/);
  assert.match(policy, /style-src 'self' 'unsafe-inline'/);
  assert.not.match(policy, /script-src/, 'scripts stay same-origin only');
  assert.match(query.body, /PREFIX territorio: &lt;http:\/\/127\.0\.0\.1:\d+\/def\/territorio#&gt;/);
  assert.match(query.body, /class="example-query"/);
  for (const [, src = ''] of query.body.matchAll(/(?:src|href)="([^"]*\.(?:js|css))"/g)) {
    assert.ok(src.startsWith('/'), `asset ${src} is served by us`);
    const asset = await fetch(`${site.url}${src}`);
    assert.is(asset.status, 200, src);
    assert.match(asset.headers.get('content-type') ?? '', src.endsWith('.js') ? /javascript/ : /text\/css/);
    await asset.arrayBuffer();
  }
  // Other pages keep the strict policy.
  assert.not.match((await page('/')).response.headers.get('content-security-policy') ?? '', /unsafe-inline/);
  // Machines still get the service description.
  assert.match((await page('/sparql', { Accept: 'text/turtle' })).type, /text\/turtle/);
});

test('pages load nothing from elsewhere', async () => {
  for (const path of ['/', '/catalog', '/dataset/municipios', '/search?q=cali', '/sparql', '/doc/municipio/05001']) {
    const { body } = await page(path);
    for (const [, url = ''] of body.matchAll(/<(?:script|link|img)[^>]*(?:src|href)="([^"]*)"/g)) {
      assert.ok(url.startsWith('/'), `${path} loads ${url}`);
    }
  }
});

test.run();
