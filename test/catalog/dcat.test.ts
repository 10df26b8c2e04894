/** The DCAT-AP catalog: the sample project validates cleanly; missing mandatory metadata is named; authority tables. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  datasetDescription,
  euThemeOf,
  formatValidationReport,
  frequencyOf,
  rangeTypes,
  spatialOf,
  storeCatalog,
  validateCatalog,
} from '../../src/catalog/index.ts';
import { publishMapping } from '../../src/publish/index.ts';
import { loadMapping } from '../../src/mapping/index.ts';
import { ns } from '../../src/rdf/index.ts';
import { catalogGraph } from '../../src/store/index.ts';
import { freshProject, projectRoot } from './support.ts';
import { rejection } from '../support/rejection.ts';

const say = () => {};


test('the sample project, imported, has a catalog with zero DCAT-AP and national-profile violations', async () => {
  const { config, store } = await freshProject();
  try {
    await publishMapping(join(projectRoot, 'mappings', 'municipios.yml'), { config, store, say });
    const quads = await storeCatalog(store, config.baseIRI);
    const dataset = `${config.baseIRI}dataset/municipios`;
    const types = (iri: string) => quads.filter((q) => q.subject.value === iri && q.predicate.equals(ns.rdf('type'))).map((q) => q.object.value);
    assert.ok(types(dataset).includes(ns.dcat('Dataset').value));
    assert.ok(types(`${config.baseIRI}catalog`).includes(ns.dcat('Catalog').value));
    const distributions = quads.filter((q) => q.subject.value === dataset && q.predicate.equals(ns.dcat('distribution')));
    assert.is(distributions.length, 5, 'three dumps, the SPARQL endpoint and the event stream');
    const downloads = quads.filter((q) => q.predicate.equals(ns.dcat('downloadURL'))).map((q) => q.object.value).sort();
    assert.equal(downloads, ['nq', 'nt', 'ttl'].map((kind) => `${config.baseIRI}dumps/municipios.${kind}.gz`));
    const themes = quads.filter((q) => q.subject.value === dataset && q.predicate.equals(ns.dcat('theme'))).map((q) => q.object.value);
    assert.ok(themes.includes(`${config.baseIRI}kos/tema/estadistica`));
    assert.ok(themes.includes('http://publications.europa.eu/resource/authority/data-theme/REGI'));
    assert.ok(quads.some((q) => q.subject.value === dataset && q.predicate.equals(ns.prov('wasGeneratedBy'))), 'provenance is in the catalog');
    assert.ok(quads.every((q) => q.graph.equals(catalogGraph(config.baseIRI))));

    const report = await validateCatalog(quads);
    assert.is(report.findings.filter((f) => f.severity === 'violation').length, 0, formatValidationReport(report));
    assert.ok(report.conforms);
  } finally {
    await store.close();
  }
});

test('the catalog publishes each dataset\'s column dictionary as CSVW', async () => {
  const { config, store } = await freshProject();
  try {
    await publishMapping(join(projectRoot, 'mappings', 'municipios.yml'), { config, store, say });
    const quads = await storeCatalog(store, config.baseIRI);
    const csvw = 'http://www.w3.org/ns/csvw#';
    const objects = (subject: string, predicate: string) =>
      quads.filter((q) => q.subject.value === subject && q.predicate.value === predicate).map((q) => q.object.value);
    const [group] = objects(`${config.baseIRI}dataset/municipios`, 'http://www.w3.org/2007/05/powder-s#describedby');
    assert.ok(group, 'the dataset is describedby a table group');
    const tables = objects(group, `${csvw}table`);
    assert.is(tables.length, 1, 'both triples maps read one CSV');
    const [table] = tables as [string];
    assert.equal(objects(table, `${csvw}url`), ['municipios.csv']);
    const [schema] = objects(table, `${csvw}tableSchema`) as [string];
    const columns = objects(schema, `${csvw}column`);
    const names = columns.flatMap((column) => objects(column, `${csvw}name`)).sort();
    // Every column the mapping references; the CSV's own order and the mapping's use decide the rest.
    assert.equal(names, ['codigo_departamento', 'codigo_municipio', 'departamento', 'latitud', 'longitud', 'municipio', 'poblacion_2018']);
    const latitude = columns.find((column) => objects(column, `${csvw}name`)[0] === 'latitud') as string;
    assert.equal(objects(latitude, `${csvw}datatype`), [ns.xsd('decimal').value]);
  } finally {
    await store.close();
  }
});

test('a description without a title fails validation, naming the dataset and the property', async () => {
  const plan = await loadMapping(join(projectRoot, 'mappings', 'municipios.yml'), { baseIRI: 'http://example.org/', allowedDirs: [join(projectRoot, 'data')] });
  assert.ok(plan.dataset);
  const described = datasetDescription(plan.dataset, { baseIRI: 'http://example.org/', recorded: new Date() });
  const untitled = described.filter((q) => !(q.subject.value === 'http://example.org/dataset/municipios' && q.predicate.equals(ns.dct('title'))));
  assert.is(untitled.length, described.length - 2, 'the es and en titles are gone');
  const report = await validateCatalog([...untitled, ...rangeTypes(untitled)]);
  assert.not.ok(report.conforms);
  const titles = report.findings.filter((f) => f.path === 'dct:title' && f.severity === 'violation');
  assert.ok(titles.some((f) => f.focusNode === 'http://example.org/dataset/municipios' && f.source === 'perfil nacional'));
  assert.ok(titles.some((f) => f.source === 'DCAT-AP 3.0.1'), 'DCAT-AP itself requires a title');
  assert.match(formatValidationReport(report), /violation \[perfil nacional\] http:\/\/example\.org\/dataset\/municipios — dct:title:/);
});

test('a mapping whose metadata lacks a title is refused, naming the key; one without themes is refused by the national profile', async () => {
  const { config, store, dir } = await freshProject();
  try {
    const text = (await readFile(join(projectRoot, 'mappings', 'municipios.yml'), 'utf8')).replaceAll('../data/municipios.csv', join(projectRoot, 'data', 'municipios.csv'));
    const untitled = join(dir, 'sin-titulo.yml');
    await writeFile(untitled, text.replace(/ {2}title:\n {4}es: .*\n {4}en: .*\n/, ''));
    const refused = await rejection(publishMapping(untitled, { config: { ...config, sourceDirs: [join(projectRoot, 'data')] }, store, say }));
    assert.match(refused.message, /dataset\.title/);

    const themeless = join(dir, 'sin-tema.yml');
    await writeFile(themeless, text.replace(/ {2}themes: .*\n/, ''));
    const error = await rejection(publishMapping(themeless, { config: { ...config, sourceDirs: [join(projectRoot, 'data')] }, store, say }));
    assert.match(error.message, /dataset\/municipios — dcat:theme/, error.message);
    assert.is(store.dataset('municipios'), undefined, 'nothing was stored');
  } finally {
    await store.close();
  }
});

test('missing DCAT-AP shapes fail with a message naming where they were expected', async () => {
  const error = await rejection(validateCatalog([], { dcatApShapesDir: '/nonexistent/shapes' }));
  assert.match(error.message, /DCAT-AP SHACL shapes are missing: \/nonexistent\/shapes\/dcat-ap-SHACL\.ttl/);
});

test('authority tables: portal categories to EU themes, frequencies, places', () => {
  assert.is(euThemeOf('Salud y Protección Social')?.iri, 'http://publications.europa.eu/resource/authority/data-theme/HEAL');
  assert.is(euThemeOf('Educación')?.iri, 'http://publications.europa.eu/resource/authority/data-theme/EDUC');
  assert.is(euThemeOf('Astrología'), undefined);
  assert.is(frequencyOf('Mensual')?.iri, 'http://publications.europa.eu/resource/authority/frequency/MONTHLY');
  assert.is(frequencyOf('annual')?.days, 366);
  assert.is(spatialOf('http://x/', '05001'), 'http://x/kos/divipola/05001');
  assert.is(spatialOf('http://x/', 'Colombia'), 'http://publications.europa.eu/resource/authority/country/COL');
  assert.is(spatialOf('http://x/', 'Marte'), undefined);
});

test.run();
