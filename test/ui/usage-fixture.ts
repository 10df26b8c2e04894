/** Data for the usage and map tests: four datasets (points, WKT points, DIVIPOLA codes, none) with their DCAT, agencies in three departments and one national, a reuse, and 90 days of usage measurements written as the counting publishes them. */
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import { parse } from 'csv-parse/sync';
import { DataFactory, catalogGraph, parseRdfToArray } from '../../src/rdf/index.ts';
import type { VinculoStore } from '../../src/store/index.ts';
import { daysEnding } from '../../src/web/usage-chart.ts';

const { namedNode, literal, quad } = DataFactory;

/** One measurement as the fixture wrote it: the tests compare pages with these. */
export interface WrittenMeasurement {
  readonly dataset: string;
  readonly date: string;
  readonly metric: string;
  readonly value: number;
}

export interface UsageFixture {
  readonly today: string;
  readonly measurements: readonly WrittenMeasurement[];
  /** The sample municipalities (data/municipios.csv) with their department codes. */
  readonly municipalities: ReadonlyArray<{ readonly code: string; readonly department: string; readonly latitude: number; readonly longitude: number }>;
}

const prefixes = `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> . @prefix gsp: <http://www.opengis.net/ont/geosparql#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix vin: <def/vinculo#> .
`;

const catalogTurtle = `${prefixes}
<dataset/municipios> a dcat:Dataset ; dct:title "Municipios de Colombia"@es, "Municipalities of Colombia"@en ; dct:publisher <id/entidad/899999027> ;
  dct:isReferencedBy <reuse/mapa-poblacion>, <reuse/articulo> .
<id/entidad/899999027> foaf:name "Departamento Administrativo Nacional de Estadística (DANE)"@es ; vin:orden "nacional"@es ; vin:departamento "Bogotá D.C."@es .
<reuse/mapa-poblacion> dct:title "Mapa de población por municipio"@es ; foaf:page <https://example.org/mapa-poblacion> .
<reuse/articulo> dct:title "Artículo: dónde vive Colombia"@es ; foaf:page <https://example.org/articulo> .
<dataset/estaciones> a dcat:Dataset ; dct:title "Estaciones de calidad del aire de Cali"@es, "Cali air-quality stations"@en ; dct:publisher <id/entidad/805000427> .
<id/entidad/805000427> foaf:name "Departamento Administrativo de Gestión del Medio Ambiente (DAGMA)"@es ; vin:orden "municipal"@es ; vin:departamento "Valle del Cauca"@es ; vin:municipio "76001" .
<dataset/contratos> a dcat:Dataset ; dct:title "Contratos de la Gobernación de Antioquia"@es, "Contracts of the Antioquia governorate"@en ; dct:publisher <id/entidad/890900286> .
<id/entidad/890900286> foaf:name "Gobernación de Antioquia"@es ; vin:orden "departamental"@es ; vin:departamento "05" .
<dataset/turismo> a dcat:Dataset ; dct:title "Sitios turísticos de Cartagena"@es, "Tourist sites of Cartagena"@en ; dct:publisher <id/entidad/800000001> ; dct:spatial <kos/divipola/13001> .
<id/entidad/800000001> foaf:name "Corporación de Turismo de Cartagena"@es .
`;

const stationsTurtle = `${prefixes}
<id/estacion/univalle> rdfs:label "Univalle"@es ; geo:hasGeometry [ gsp:asWKT "POINT(-76.5330 3.3760)"^^gsp:wktLiteral ] .
<id/estacion/compartir> rdfs:label "Compartir"@es ; geo:hasGeometry [ gsp:asWKT "<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT(-76.4830 3.4360)"^^gsp:wktLiteral ] .
<id/estacion/era-obrero> rdfs:label "Era Obrero"@es ; geo:hasGeometry [ gsp:asWKT "<http://www.opengis.net/def/crs/EPSG/0/4326> POINT(3.4700 -76.5150)"^^gsp:wktLiteral ] .
`;

/** The daily figures of each dataset, `daysAgo` from 0 (today) to 89: varied, with quiet days, so strips and classes differ. */
function dailyFigures(dataset: string, daysAgo: number): Record<string, number> {
  switch (dataset) {
    case 'municipios':
      return { documentViewsHuman: (daysAgo % 7) + 1, documentViewsMachine: daysAgo % 2 === 0 ? 3 : 0, sparqlQueries: daysAgo % 3 === 0 ? 4 : 0, sparqlResultRows: daysAgo % 3 === 0 ? 52 : 0, dumpDownloads: daysAgo % 10 === 0 ? 1 : 0, distinctClients: 2 };
    case 'estaciones':
      return { documentViewsHuman: daysAgo < 30 ? 2 : 0, sparqlQueries: daysAgo % 2 === 0 ? 20 : 0, portalHarvests: daysAgo === 5 ? 1 : 0, distinctClients: 1 };
    case 'contratos':
      return { documentViewsMachine: daysAgo % 5 === 0 ? 1 : 0, fragmentPages: daysAgo < 10 ? 3 : 0 };
    default:
      // Used only long ago: outside the portal's 30 days, inside the dataset page's 90.
      return { documentViewsHuman: daysAgo >= 60 ? 1 : 0 };
  }
}

/** With the views total the counting also publishes (human + machine). */
function withTotal(figures: Record<string, number>): Record<string, number> {
  const views = (figures.documentViewsHuman ?? 0) + (figures.documentViewsMachine ?? 0);
  return views > 0 ? { ...figures, documentViews: views } : figures;
}

async function graphOf(text: string, baseIRI: string, graph: RDF.NamedNode): Promise<RDF.Quad[]> {
  return (await parseRdfToArray(text, { format: 'turtle', baseIRI })).map((parsed) => quad(parsed.subject, parsed.predicate, parsed.object, graph));
}

/** Fills `store` (the datasets through `putDataset`, the catalog through `store.write`) and says what it wrote. */
export async function writeUsageFixture(store: VinculoStore, today = new Date().toISOString().slice(0, 10)): Promise<UsageFixture> {
  const base = store.baseIRI;
  const rows = parse(await readFile(new URL('../../data/municipios.csv', import.meta.url), 'utf8'), { columns: true }) as Array<Record<string, string>>;
  const municipalities = rows.map((row) => ({ code: row.codigo_municipio ?? '', department: row.codigo_departamento ?? '', latitude: Number(row.latitud), longitude: Number(row.longitud) }));
  const municipios = municipalities.flatMap((place) => {
    const subject = namedNode(`${base}id/municipio/${place.code}`);
    const graph = namedNode(`${base}graph/municipios`);
    const row = rows.find((candidate) => candidate.codigo_municipio === place.code);
    return [
      quad(subject, namedNode('http://www.w3.org/2000/01/rdf-schema#label'), literal(row?.municipio ?? place.code, 'es'), graph),
      quad(subject, namedNode('http://www.w3.org/2003/01/geo/wgs84_pos#lat'), literal(String(place.latitude), namedNode('http://www.w3.org/2001/XMLSchema#decimal')), graph),
      quad(subject, namedNode('http://www.w3.org/2003/01/geo/wgs84_pos#long'), literal(String(place.longitude), namedNode('http://www.w3.org/2001/XMLSchema#decimal')), graph),
      quad(subject, namedNode('http://www.w3.org/2004/02/skos/core#exactMatch'), namedNode(`${base}kos/divipola/${place.code}`), graph),
    ];
  });
  await store.putDataset('municipios', municipios);
  await store.putDataset('estaciones', await graphOf(stationsTurtle, base, namedNode(`${base}graph/estaciones`)));
  await store.putDataset('contratos', [quad(namedNode(`${base}id/contrato/1`), namedNode('http://www.w3.org/2000/01/rdf-schema#label'), literal('Contrato 1'), namedNode(`${base}graph/contratos`))]);
  await store.putDataset('turismo', [quad(namedNode(`${base}id/sitio/1`), namedNode('http://www.w3.org/2000/01/rdf-schema#label'), literal('Castillo San Felipe'), namedNode(`${base}graph/turismo`))]);

  const catalog = catalogGraph(base);
  const quads = await graphOf(catalogTurtle, base, catalog);
  const measurements: WrittenMeasurement[] = [];
  const days = daysEnding(today, 90);
  const dqv = (local: string) => namedNode(`http://www.w3.org/ns/dqv#${local}`);
  for (const dataset of ['municipios', 'estaciones', 'contratos', 'turismo']) {
    days.forEach((date, index) => {
      for (const [metric, value] of Object.entries(withTotal(dailyFigures(dataset, days.length - 1 - index)))) {
        if (value === 0) continue;
        measurements.push({ dataset, date, metric, value });
        const node = namedNode(`${base}usage/${dataset}/${date}/${metric}`);
        quads.push(
          quad(node, namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type'), dqv('QualityMeasurement'), catalog),
          quad(node, dqv('computedOn'), namedNode(`${base}dataset/${dataset}`), catalog),
          quad(node, dqv('isMeasurementOf'), namedNode(`${base}def/vinculo#${metric}`), catalog),
          quad(node, dqv('value'), literal(String(value), namedNode('http://www.w3.org/2001/XMLSchema#integer')), catalog),
          quad(node, namedNode('http://purl.org/dc/terms/date'), literal(date, namedNode('http://www.w3.org/2001/XMLSchema#date')), catalog),
        );
      }
    });
  }
  await store.write(async (target) => {
    await once(target.import(Readable.from(quads, { objectMode: true })), 'end');
  });
  return { today, measurements, municipalities };
}
