/** The HTML views: language choice, escaping, labels instead of IRIs, links kept inside the site. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory } from '../../src/rdf/index.ts';
import { labelIndex, pickLanguage, renderResourcePage, scriptJson, shortName, siteHref } from '../../src/web/index.ts';
import { type TestSite, startSite } from './support/server.ts';

const base = 'https://datos.example.gov.co/vinculo/';
const { namedNode, literal, quad } = DataFactory;
const label = namedNode('http://www.w3.org/2000/01/rdf-schema#label');

test('Accept-Language picks Spanish or English, Spanish by default', () => {
  const rows: Array<[string | undefined, string]> = [
    [undefined, 'es'],
    ['', 'es'],
    ['en-US,en;q=0.9', 'en'],
    ['es-CO,es;q=0.9,en;q=0.8', 'es'],
    ['fr-FR,fr;q=0.9,en;q=0.5', 'en'],
    ['de', 'es'],
    ['en;q=0.3, es;q=0.7', 'es'],
    ['es;q=0, en', 'en'],
  ];
  for (const [header, expected] of rows) assert.is(pickLanguage(header), expected, String(header));
});

test('scriptJson keeps the JSON meaning and leaves no way out of the script element', () => {
  const value = { text: '</script><script>alert(1)</script><!-- & \u2028' };
  const safe = scriptJson(JSON.stringify(value));
  assert.not.match(safe, /[<>&\u2028]/);
  assert.equal(JSON.parse(safe), value);
});

test('links to IRIs under the base stay on the site; /id/ goes straight to /doc/', () => {
  assert.is(siteHref(`${base}id/municipio/05001`, base), '/vinculo/doc/municipio/05001');
  assert.is(siteHref(`${base}def/territorio#Municipio`, base), '/vinculo/def/territorio#Municipio');
  assert.is(siteHref('http://schema.org/geo', base), 'http://schema.org/geo');
  assert.is(shortName(`${base}def/territorio#Municipio`, base), 'def:territorio#Municipio');
  assert.is(shortName('http://www.w3.org/2000/01/rdf-schema#label', base), 'rdfs:label');
});

test('labels prefer the reader’s language, then untagged, then any', () => {
  const thing = namedNode(`${base}id/x/1`);
  const quads = [quad(thing, label, literal('Cosa', 'es')), quad(thing, label, literal('Thing', 'en')), quad(thing, label, literal('Ding', 'de'))];
  assert.is(labelIndex(quads, 'es')(thing.value), 'Cosa');
  assert.is(labelIndex(quads, 'en')(thing.value), 'Thing');
  assert.is(labelIndex([quads[2] as (typeof quads)[number]], 'en')(thing.value), 'Ding');
  assert.is(labelIndex(quads, 'en')(`${base}id/x/2`), undefined);
});

test('the resource page escapes every value and names things by their labels', () => {
  const topic = namedNode(`${base}id/municipio/05001`);
  const other = namedNode(`${base}id/departamento/05`);
  const property = namedNode(`${base}def/territorio#departamento`);
  const quads = [
    quad(topic, label, literal('Medellín <b>', 'es')),
    quad(topic, property, other),
    quad(other, label, literal('Antioquia', 'es')),
    quad(property, label, literal('departamento', 'es')),
  ];
  const html = renderResourcePage({ topics: [topic], quads, incoming: { count: 0, sample: [], allUrl: '' }, baseIRI: base, language: 'es', alternates: [], jsonLd: '{"x":"</script>"}' });
  assert.match(html, /<html lang="es">/);
  assert.match(html, /<h1>Medellín &lt;b&gt;<\/h1>/);
  assert.match(html, /<a href="\/vinculo\/doc\/departamento\/05"[^>]*>Antioquia<\/a>/);
  assert.match(html, />departamento<\/a><\/th>/);
  assert.not.match(html, /<\/script>"/);
  assert.match(html, /Ningún recurso enlaza a este/);
});

let site: TestSite;
test('served pages follow Accept-Language and say so in Vary', async () => {
  site = await startSite();
  try {
    const english = await site.fetch('/doc/municipio/05001', { headers: { Accept: 'text/html', 'Accept-Language': 'en-GB,en;q=0.9' } });
    const englishBody = await english.text();
    assert.match(englishBody, /<html lang="en">/);
    assert.match(englishBody, /<h1>Medellin<\/h1>/);
    assert.match(englishBody, />Municipality<\/a>/);
    assert.match(english.headers.get('vary') ?? '', /Accept-Language/);
    const spanish = await (await site.fetch('/doc/municipio/05001', { headers: { Accept: 'text/html' } })).text();
    assert.match(spanish, /<html lang="es">/);
    assert.match(spanish, />Municipio<\/a>/);
    assert.match(spanish, /3 enlaces entrantes/);
    // Every link of the page stays on this site, except those to other vocabularies' own IRIs.
    for (const [, href] of spanish.matchAll(/href="([^"]*)"/g)) {
      assert.ok(href?.startsWith('/') || href?.startsWith('#') || !href?.startsWith(site.baseIRI), href);
    }
    const tpf = await site.fetch('/fragments?object=' + encodeURIComponent(`${site.baseIRI}id/municipio/05001`), { headers: { Accept: 'text/html' } });
    assert.is(tpf.status, 200);
    assert.match(await tpf.text(), /<form method="get" action="\/fragments">/);
  } finally {
    await site.close();
  }
});

test.run();
