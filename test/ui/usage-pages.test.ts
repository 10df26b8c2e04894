/** The usage pages without a browser: the portal's rankings and department map, the dataset page's 90-day chart, places map and reuses, and the resource page's location map, read from usage measurements written as the counting publishes them. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory } from '../../src/rdf/index.ts';
import { type VinculoStore, openStore } from '../../src/store/index.ts';
import { datasetDetails, renderDatasetPage } from '../../src/web/dataset-page.ts';
import { renderResourcePage } from '../../src/web/resource-page.ts';
import { daysEnding } from '../../src/web/usage-chart.ts';
import { renderUsagePage, usageSummary } from '../../src/web/usage-page.ts';
import { type UsageFixture, writeUsageFixture } from './usage-fixture.ts';

const baseIRI = 'http://vinculo.test/';
const today = '2026-03-31';
const useKinds = ['documentViews', 'sparqlQueries', 'dumpDownloads', 'fragmentPages', 'ldesPages'];
let store: VinculoStore;
let fixture: UsageFixture;

/** The sum of what the fixture wrote, filtered. */
const written = (keep: (measurement: UsageFixture['measurements'][number]) => boolean) => fixture.measurements.filter(keep).reduce((sum, measurement) => sum + measurement.value, 0);
const es = (value: number) => value.toLocaleString('es-CO');

test.before(async () => {
  store = await openStore({ baseIRI });
  fixture = await writeUsageFixture(store, today);
});

test.after(async () => {
  await store.close();
});

test('the portal ranks datasets and agencies by their uses of the last 30 days, and maps them by the agency department', async () => {
  const from = daysEnding(today, 30)[0] ?? today;
  const usesOf = (dataset: string) => written((m) => m.dataset === dataset && m.date >= from && useKinds.includes(m.metric));
  const expected = ['municipios', 'estaciones', 'contratos', 'turismo'].map((dataset) => ({ dataset, uses: usesOf(dataset) })).filter((entry) => entry.uses > 0);
  expected.sort((a, b) => b.uses - a.uses);
  assert.ok(expected.length >= 3 && !expected.some((entry) => entry.dataset === 'turismo'), 'turismo was used only long ago');

  const summary = await usageSummary(store, { language: 'es', today });
  assert.equal(
    summary.datasets.map((row) => ({ dataset: row.key, uses: row.uses })),
    expected,
  );
  assert.equal(Object.fromEntries(summary.departments), { '05': usesOf('contratos'), '76': usesOf('estaciones') });
  assert.is(summary.national, usesOf('municipios'), 'DANE is of the national order, though its seat is in Bogotá');
  assert.is(summary.datasets.find((row) => row.key === 'estaciones')?.totals.portalHarvests, written((m) => m.dataset === 'estaciones' && m.metric === 'portalHarvests' && m.date >= from));

  const html = renderUsagePage({ summary, language: 'es', root: '/', baseIRI, ranking: 'uses', path: '/uso', otherPath: '/usage' });
  const datasetRows = [...html.matchAll(/<th scope="row"><a href="\/dataset\/([a-z-]+)">/g)].map((match) => match[1]);
  assert.equal(datasetRows, expected.map((entry) => entry.dataset));
  assert.match(html, /<h1>Uso de los datos<\/h1>/);
  assert.match(html, /<link rel="alternate" hreflang="en" href="\/usage">/);
  assert.match(html, new RegExp(`Entidades nacionales o sin departamento conocido: ${es(usesOf('municipios'))} usos`));
  // The busier of the two departments takes the darker class.
  const shade = (code: string) => Number(new RegExp(`class="department c(\\d)" data-code="${code}"`).exec(html)?.[1]);
  const busier = usesOf('contratos') > usesOf('estaciones') ? '05' : '76';
  assert.is(shade(busier), 5);
  assert.ok(shade('05') > 0 && shade('76') > 0 && shade('13') === 0);
  assert.match(html, /href="\/sparql#query=[^"]+"/);

  const bySparql = renderUsagePage({ summary, language: 'es', root: '/', baseIRI, ranking: 'sparqlQueries', path: '/uso', otherPath: '/usage' });
  const first = /<th scope="row"><a href="\/dataset\/([a-z-]+)">/.exec(bySparql)?.[1];
  const sparqlOf = (dataset: string) => written((m) => m.dataset === dataset && m.date >= from && m.metric === 'sparqlQueries');
  assert.is(first, sparqlOf('estaciones') > sparqlOf('municipios') ? 'estaciones' : 'municipios');
  assert.match(bySparql, /aria-current="true">Consultas SPARQL</);
});

test('the dataset page charts 90 days of use by kind, lists its reuses and maps its places', async () => {
  const details = await datasetDetails(store, 'municipios', 'es', { today });
  assert.ok(details);
  if (!details) return;
  assert.is(details.usage.length, fixture.measurements.filter((m) => m.dataset === 'municipios').length);
  const html = renderDatasetPage(details, { language: 'es', root: '/', baseIRI });
  const strips = [...html.matchAll(/<g class="usage-strip" data-kind="([A-Za-z]+)"><text class="strip-label"[^>]*>([^<]*)</g)].map((match) => ({ kind: match[1], label: match[2] }));
  // The views total is not charted beside its own split; rows and clients are not requests.
  assert.equal(strips.map((strip) => strip.kind), ['documentViewsHuman', 'documentViewsMachine', 'sparqlQueries', 'dumpDownloads']);
  for (const strip of strips) {
    const total = written((m) => m.dataset === 'municipios' && m.metric === strip.kind);
    assert.ok(strip.label?.includes(`${es(total)} en total`), `${strip.kind}: ${strip.label} has ${total}`);
  }
  const bars = [...html.matchAll(/<g class="usage-strip" data-kind="dumpDownloads">.*?<\/g>/g)][0]?.[0] ?? '';
  assert.is([...bars.matchAll(/<rect /g)].length, fixture.measurements.filter((m) => m.dataset === 'municipios' && m.metric === 'dumpDownloads').length, 'a bar per day with downloads');
  assert.match(html, /<svg class="usage-chart" role="img" aria-labelledby="usage-chart-title usage-chart-desc"/);
  const usedDays = new Set(fixture.measurements.filter((m) => m.dataset === 'municipios').map((m) => m.date));
  const tableRows = /<details class="usage-table">.*?<\/details>/s.exec(html)?.[0].match(/<tr><th scope="row">/g) ?? [];
  assert.is(tableRows.length, usedDays.size);

  assert.match(html, /<h2 id="reuses">Reutilizaciones<\/h2>/);
  assert.match(html, /<a href="https:\/\/example\.org\/articulo">Artículo: dónde vive Colombia<\/a>/);
  assert.match(html, /<a href="https:\/\/example\.org\/mapa-poblacion">Mapa de población por municipio<\/a>/);

  assert.is([...html.matchAll(/<circle class="place"/g)].length, fixture.municipalities.length);
  const perDepartment = new Map<string, number>();
  for (const place of fixture.municipalities) perDepartment.set(place.department, (perDepartment.get(place.department) ?? 0) + 1);
  const most = [...perDepartment.entries()].sort(([, a], [, b]) => b - a)[0]?.[0];
  assert.match(html, new RegExp(`<path class="department c\\d+" data-code="${most}"`));
  assert.match(html, new RegExp(`class="department c${Math.min(5, Math.max(...perDepartment.values()))}" data-code="${most}"`), 'the department with most codes is the darkest');
});

test('WKT points of a dataset are mapped; a dataset unused for 90 days says so', async () => {
  const stations = await datasetDetails(store, 'estaciones', 'en', { today });
  assert.ok(stations);
  if (!stations) return;
  assert.is(stations.places.points.length, 3);
  const html = renderDatasetPage(stations, { language: 'en', root: '/', baseIRI });
  assert.match(html, /Valle del Cauca: 3 points/);
  assert.match(html, /<h2 id="usage">Use<\/h2>/);

  const later = await datasetDetails(store, 'contratos', 'es', { today: '2027-01-01' });
  assert.ok(later);
  if (!later) return;
  assert.match(renderDatasetPage(later, { language: 'es', root: '/', baseIRI }), /No se ha contado ningún uso en los últimos 90 días\./);
});

test('a resource with coordinates gets a map with its point, its department outlined', () => {
  const { namedNode, literal, quad } = DataFactory;
  const medellin = namedNode(`${baseIRI}id/municipio/05001`);
  const decimal = namedNode('http://www.w3.org/2001/XMLSchema#decimal');
  const quads = [
    quad(medellin, namedNode('http://www.w3.org/2000/01/rdf-schema#label'), literal('Medellín', 'es')),
    quad(medellin, namedNode('http://www.w3.org/2003/01/geo/wgs84_pos#lat'), literal('6.2476', decimal)),
    quad(medellin, namedNode('http://www.w3.org/2003/01/geo/wgs84_pos#long'), literal('-75.5658', decimal)),
  ];
  const input = { topics: [medellin], quads, incoming: { count: 0, sample: [], allUrl: `${baseIRI}fragments` }, baseIRI, language: 'es' as const, alternates: [], jsonLd: '{}' };
  const html = renderResourcePage(input);
  assert.match(html, /<h2 id="location">Ubicación<\/h2>/);
  assert.is([...html.matchAll(/<circle class="place"/g)].length, 1);
  assert.match(html, /class="department highlight" data-code="05"/);
  assert.match(html, /latitud 6,2476, longitud -75,5658/);
  const without = renderResourcePage({ ...input, quads: quads.slice(0, 1) });
  assert.not.match(without, /id="location"/);
});

test.run();
