/** The search index: accent- and case-insensitive word-prefix matching, ranking, rebuild on store changes, and its speed on a large store. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type * as RDF from '@rdfjs/types';
import { DataFactory, ns } from '../../src/rdf/index.ts';
import { openStore } from '../../src/store/index.ts';
import { createSearchIndex, normalizeText, searchTokens } from '../../src/web/index.ts';

const base = 'http://example.org/';
const { namedNode, literal, quad } = DataFactory;

async function* each(quads: readonly RDF.Quad[]): AsyncGenerator<RDF.Quad> {
  yield* quads;
}

function named(id: string, label: string, language = 'es'): RDF.Quad {
  return quad(namedNode(`${base}id/x/${id}`), ns.rdfs('label'), literal(label, language));
}

test('normalisation drops accents and case; tokens are words', () => {
  assert.is(normalizeText('Medellín'), 'medellin');
  assert.is(normalizeText('BOGOTÁ, D.C.'), 'bogota, d.c.');
  assert.equal(searchTokens('San José del Guaviare'), ['san', 'jose', 'del', 'guaviare']);
  assert.equal(searchTokens('Bogotá, D.C.'), ['bogota', 'd', 'c', 'dc']);
  assert.equal(searchTokens('  --  '), []);
});

test('finds by word prefix, without accents, every word required, best match first', async () => {
  const store = await openStore({ baseIRI: base });
  await store.putDataset(
    'lugares',
    each([
      named('1', 'Medellín'),
      named('2', 'Bogotá, D.C.'),
      named('3', 'Cali'),
      named('4', 'Caliche de Calima'),
      named('5', 'San José del Guaviare, Santuario'),
      quad(namedNode(`${base}id/x/6`), ns.skos('prefLabel'), literal('Estadística', 'es')),
      quad(namedNode(`${base}id/x/7`), ns.dct('title'), literal('Municipalities of Colombia', 'en')),
      quad(namedNode(`${base}id/x/8`), ns.foaf('name'), literal('Departamento Administrativo Nacional de Estadística')),
      quad(namedNode(`${base}id/x/9`), ns.rdfs('comment'), literal('Medellín aparece en un comentario')),
    ]),
  );
  const index = createSearchIndex(store);
  const iris = async (text: string) => (await index.search(text)).hits.map((hit) => hit.iri.slice(`${base}id/x/`.length));
  assert.equal(await iris('medellin'), ['1']);
  assert.equal(await iris('MEDELL'), ['1']);
  assert.equal(await iris('bogota dc'), ['2']);
  assert.equal(await iris('jose guav'), ['5']);
  assert.equal(await iris('santu'), ['5']);
  assert.equal(await iris('cali'), ['3', '4'], 'the exact label ranks first');
  assert.equal(await iris('estadistica'), ['6', '8'], 'skos:prefLabel and foaf:name are searched');
  assert.equal(await iris('municipalities'), ['7'], 'dct:title is searched');
  assert.equal(await iris('comentario'), [], 'other predicates are not');
  assert.equal(await iris('medellin bogota'), []);
  assert.equal(await iris(''), []);
  assert.equal(await iris('san'), ['5'], 'one hit even when several words of a label share the prefix');
  assert.is((await index.search('cali', { limit: 1 })).total, 2);
  assert.is((await index.search('cali', { limit: 1 })).hits.length, 1);
  await store.close();
});

test('the label in the reader’s language is the one shown', async () => {
  const store = await openStore({ baseIRI: base });
  await store.putDataset('paises', each([named('co', 'Colombia', 'es'), named('co', 'Colombia (country)', 'en')]));
  const index = createSearchIndex(store);
  assert.is((await index.search('colombia', { language: 'en' })).hits[0]?.label, 'Colombia (country)');
  assert.is((await index.search('colombia', { language: 'es' })).hits[0]?.label, 'Colombia');
  assert.is((await index.search('colombia')).total, 1, 'one resource, however many labels');
  await store.close();
});

test('the index follows the store: new datasets are found, dropped ones are not', async () => {
  const store = await openStore({ baseIRI: base });
  await store.putDataset('uno', each([named('1', 'Medellín')]));
  const index = createSearchIndex(store);
  assert.is((await index.search('ariari')).total, 0);
  await store.putDataset('dos', each([named('2', 'Medellín del Ariari')]));
  const after = await index.search('medellin');
  assert.is(after.total, 2);
  assert.is(after.version, store.version);
  await store.dropDataset('uno');
  assert.equal((await index.search('medellin')).hits.map((hit) => hit.label), ['Medellín del Ariari']);
  await store.close();
});

test('a large store is searched in milliseconds, not by scanning', async () => {
  const resources = 100_000;
  const words = ['Santa', 'San', 'Puerto', 'Villa', 'Nueva', 'La', 'El', 'Río', 'Monte', 'Valle'];
  const quads: RDF.Quad[] = [];
  for (let n = 0; n < resources; n++) {
    const subject = namedNode(`${base}id/lugar/${n}`);
    const label = `${words[n % 10]} ${words[Math.floor(n / 10) % 10]} Lugar${n}`;
    quads.push(quad(subject, ns.rdfs('label'), literal(label, 'es')));
    quads.push(quad(subject, ns.rdf('type'), namedNode(`${base}def/x#Lugar`)));
    quads.push(quad(subject, namedNode(`${base}def/x#n`), literal(String(n), ns.xsd('integer'))));
  }
  quads.push(named('medellin', 'Medellín'));
  const store = await openStore({ baseIRI: base });
  await store.putDataset('grande', each(quads));
  const index = createSearchIndex(store);
  const buildStart = performance.now();
  await index.search('');
  const buildMs = performance.now() - buildStart;
  const timings: number[] = [];
  for (const text of ['medellin', 'rio monte', 'lugar4242', 'santa', 'villa nueva lugar99']) {
    const start = performance.now();
    const result = await index.search(text);
    timings.push(performance.now() - start);
    assert.ok(result.total > 0, text);
  }
  assert.is((await index.search('medellin')).hits[0]?.label, 'Medellín');
  const slowest = Math.max(...timings);
  console.log(`  search index: ${index.size} labels of ${quads.length} triples built in ${buildMs.toFixed(0)} ms; slowest query ${slowest.toFixed(1)} ms`);
  // 'santa' matches 10% of all labels, so it sorts 10,000 hits: still far under a scan of the store.
  assert.ok(slowest < 250, `slowest query took ${slowest} ms`);
  await store.close();
});

test.run();
