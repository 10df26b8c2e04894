/** CSVW as a mapping dialect: locating metadata, csv2rdf modes, error policies, allow-list, column dictionary. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Forbidden } from '../../src/errors/index.ts';
import { columnDictionary, executeMapping, loadMapping, MappingError, type MappingProblem } from '../../src/mapping/index.ts';
import { DataFactory, parseRdfToArray } from '../../src/rdf/index.ts';
import { describeDifference, sameGraph } from '../support/graphs.ts';

const base = 'https://datos.example.co/';
const csvwNs = 'http://www.w3.org/ns/csvw#';

async function folderWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vinculo-csvw-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

async function collect(iterable: AsyncIterable<RDF.Quad>): Promise<RDF.Quad[]> {
  const out: RDF.Quad[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

const metadata = JSON.stringify({
  '@context': 'http://www.w3.org/ns/csvw',
  url: 'municipios.csv',
  'dc:title': 'Municipios',
  tableSchema: {
    aboutUrl: 'id/municipio/{codigo}',
    columns: [
      { name: 'codigo', titles: 'codigo', datatype: 'string', propertyUrl: 'skos:notation' },
      { name: 'nombre', titles: 'nombre', lang: 'es', propertyUrl: 'rdfs:label' },
      { name: 'poblacion', titles: 'poblacion', datatype: { base: 'integer', format: { groupChar: '.' } }, propertyUrl: 'def/territorio#poblacion' },
      { name: 'tipo', virtual: true, propertyUrl: 'rdf:type', valueUrl: 'def/territorio#Municipio' },
    ],
  },
});
const csv = 'codigo,nombre,poblacion\n05001,Medellín,2.427.129\n05002,Abejorral,19.163\n';

test('minimal mode: the cell triples of a metadata file, IRIs against the base, formats applied', async () => {
  const dir = await folderWith({ 'municipios.csv': csv, 'municipios-metadata.json': metadata });
  try {
    const plan = await loadMapping(join(dir, 'municipios-metadata.json'), { baseIRI: base, allowedDirs: [dir], csvwMode: 'minimal' });
    const actual = await collect(executeMapping(plan).quads);
    const expected = await parseRdfToArray(
      `@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
       @prefix t: <${base}def/territorio#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
       <${base}id/municipio/05001> skos:notation "05001" ; rdfs:label "Medellín"@es ; t:poblacion "2427129"^^xsd:integer ; a t:Municipio .
       <${base}id/municipio/05002> skos:notation "05002" ; rdfs:label "Abejorral"@es ; t:poblacion "19163"^^xsd:integer ; a t:Municipio .`,
      { format: 'turtle' },
    );
    assert.ok(sameGraph(actual, expected), describeDifference(actual, expected));
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('standard mode adds the table group, table, rows and common properties; executeMapping can override the mode', async () => {
  const dir = await folderWith({ 'municipios.csv': csv, 'municipios-metadata.json': metadata });
  try {
    const plan = await loadMapping(join(dir, 'municipios-metadata.json'), { baseIRI: base, allowedDirs: [dir] });
    const standard = await collect(executeMapping(plan).quads);
    const rows = standard.filter((quad) => quad.predicate.value === `${csvwNs}rownum`).map((quad) => quad.object.value);
    assert.equal(rows.sort(), ['1', '2']);
    assert.ok(standard.some((quad) => quad.predicate.value === `${csvwNs}url` && quad.object.value === `${base}municipios.csv#row=3`));
    assert.ok(standard.some((quad) => quad.predicate.value === 'http://purl.org/dc/terms/title' && quad.object.value === 'Municipios'));
    const minimal = await collect(executeMapping(plan, { csvwMode: 'minimal' }).quads);
    assert.ok(minimal.length < standard.length);
    assert.not.ok(minimal.some((quad) => quad.predicate.value.startsWith(csvwNs)));
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('a bare CSV finds {file}-metadata.json; metadata that does not describe it is ignored; none gives the embedded header', async () => {
  const dir = await folderWith({
    'a.csv': 'x,y\n1,2\n',
    'a.csv-metadata.json': JSON.stringify({ '@context': 'http://www.w3.org/ns/csvw', url: 'a.csv', tableSchema: { columns: [{ name: 'x', propertyUrl: 'http://example.org/x' }, { name: 'y', suppressOutput: true }] } }),
    'b.csv': 'first name,y\nAna,2\n',
    'csv-metadata.json': JSON.stringify({ '@context': 'http://www.w3.org/ns/csvw', url: 'other.csv' }),
    'c.tsv': 'k\tv\nuno\t1\n',
    'd.csv': 'x\n1\n',
    'r.csv': 'x\n1\n\n',
    'r.csv-metadata.json': JSON.stringify({ '@context': 'http://www.w3.org/ns/csvw', url: 'r.csv', tableSchema: { columns: [{ name: 'x', titles: 'x', required: true }] } }),
    'd.csv-metadata.json': JSON.stringify({ '@context': 'http://www.w3.org/ns/csvw', url: 'd.csv', tableSchema: { columns: [{ name: 'x', titles: 'not x', datatype: 'no-such-type' }] } }),
  });
  try {
    const located = await collect(executeMapping(await loadMapping(join(dir, 'a.csv'), { baseIRI: base, allowedDirs: [dir], csvwMode: 'minimal' })).quads);
    assert.equal(
      located.map((quad) => [quad.predicate.value, quad.object.value]),
      [['http://example.org/x', '1']],
    );
    const embedded = await collect(executeMapping(await loadMapping(join(dir, 'b.csv'), { baseIRI: base, allowedDirs: [dir], csvwMode: 'minimal' })).quads);
    assert.equal(embedded.map((quad) => quad.predicate.value).sort(), [`${base}b.csv#first%20name`, `${base}b.csv#y`]);
    const warnings: string[] = [];
    const warned = executeMapping(await loadMapping(join(dir, 'd.csv'), { baseIRI: base, allowedDirs: [dir], csvwMode: 'minimal' }), {
      errorPolicy: 'fail',
      onProblem: (problem) => warnings.push(`${problem.kind}: ${problem.message}`),
    });
    assert.is((await collect(warned.quads)).length, 1, 'warnings do not stop the run, even under fail');
    assert.is(warnings.length, 2);
    assert.ok(warnings.every((warning) => warning.startsWith('csvw-warning')));
    assert.match(warnings.join('\n'), /no-such-type/);
    const required: MappingProblem[] = [];
    await collect(executeMapping(await loadMapping(join(dir, 'r.csv'), { baseIRI: base, allowedDirs: [dir] }), { onProblem: (problem) => required.push(problem) }).quads);
    assert.equal(
      required.map((problem) => [problem.kind, problem.line]),
      [['missing-required-value', 3]],
    );
    const tsv = await collect(executeMapping(await loadMapping(join(dir, 'c.tsv'), { baseIRI: base, allowedDirs: [dir], csvwMode: 'minimal' })).quads);
    assert.equal(
      tsv.map((quad) => [quad.predicate.value, quad.object.value]),
      [
        [`${base}c.tsv#k`, 'uno'],
        [`${base}c.tsv#v`, '1'],
      ],
    );
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('an invalid cell is a problem: a plain literal under skip-term, the row dropped under skip-row, an error under fail', async () => {
  const dir = await folderWith({ 'municipios.csv': `${csv}05003,Abriaquí,muchos\n`, 'municipios-metadata.json': metadata });
  try {
    const plan = await loadMapping(join(dir, 'municipios-metadata.json'), { baseIRI: base, allowedDirs: [dir], csvwMode: 'minimal' });
    const problems: MappingProblem[] = [];
    const lenient = executeMapping(plan, { onProblem: (problem) => problems.push(problem) });
    const quads = await collect(lenient.quads);
    assert.ok(quads.some((quad) => quad.object.equals(DataFactory.literal('muchos'))));
    assert.is(problems.length, 1);
    assert.is(problems[0]?.line, 4);
    assert.is(problems[0]?.column, 'poblacion');
    assert.equal((await lenient.report).problems, { 'invalid-datatype-value': 1 });
    const skipped = await collect(executeMapping(plan, { errorPolicy: 'skip-row' }).quads);
    assert.not.ok(skipped.some((quad) => quad.subject.value.endsWith('05003')));
    try {
      await collect(executeMapping(plan, { errorPolicy: 'fail' }).quads);
      assert.unreachable('fail must stop the run');
    } catch (error) {
      assert.instance(error, MappingError);
      assert.match((error as Error).message, /muchos/);
    }
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('invalid metadata is a MappingError naming the file; a table outside the allowed folders is Forbidden', async () => {
  const dir = await folderWith({
    'bad-metadata.json': JSON.stringify({ '@context': 'http://www.w3.org/ns/csvw', url: 'a.csv', tableSchema: { columns: [{ name: 'a' }, { name: 'a' }] } }),
    'a.csv': 'a,b\n1,2\n',
    'escape-metadata.json': JSON.stringify({ '@context': 'http://www.w3.org/ns/csvw', url: 'file:///etc/hostname' }),
    'remote-metadata.json': JSON.stringify({ '@context': 'http://www.w3.org/ns/csvw', url: 'https://elsewhere.example/x.csv' }),
    'schema-metadata.json': JSON.stringify({ '@context': 'http://www.w3.org/ns/csvw', url: 'a.csv', tableSchema: 'file:///etc/passwd' }),
  });
  try {
    try {
      await loadMapping(join(dir, 'bad-metadata.json'), { baseIRI: base, allowedDirs: [dir] });
      assert.unreachable('duplicate names must fail');
    } catch (error) {
      assert.instance(error, MappingError);
      assert.match((error as Error).message, /bad-metadata\.json.*duplicate column name "a"/);
    }
    try {
      await loadMapping(join(dir, 'escape-metadata.json'), { baseIRI: base, allowedDirs: [dir] });
      assert.unreachable('a table outside allowedDirs must be refused');
    } catch (error) {
      assert.instance(error, Forbidden);
    }
    const elsewhere = await folderWith({ 'secret.csv': 'a\n1\n', 'secret.csv-metadata.json': '{not json: secret' });
    try {
      await loadMapping(join(elsewhere, 'secret.csv'), { baseIRI: base, allowedDirs: [dir] });
      assert.unreachable('a bare CSV outside allowedDirs must be refused');
    } catch (error) {
      assert.instance(error, Forbidden);
      assert.not.match((error as Error).message, /secret$|not json/);
    } finally {
      await rm(elsewhere, { recursive: true });
    }
    try {
      await loadMapping(join(dir, 'schema-metadata.json'), { baseIRI: base, allowedDirs: [dir] });
      assert.unreachable('a linked schema outside allowedDirs must be refused before it is read');
    } catch (error) {
      assert.instance(error, Forbidden);
    }
    try {
      await loadMapping(join(dir, 'remote-metadata.json'), { baseIRI: base, allowedDirs: [dir] });
      assert.unreachable('a remote table must be refused');
    } catch (error) {
      assert.instance(error, MappingError);
      assert.match((error as Error).message, /not a local file/);
    }
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('DC/DCAT properties with a publisher NIT become the dataset description; a bad NIT is a MappingError', async () => {
  const described = (nit: string) =>
    JSON.stringify({
      '@context': ['http://www.w3.org/ns/csvw', { '@language': 'es' }],
      url: 'municipios.csv',
      'dc:title': [{ '@value': 'Municipios', '@language': 'es' }, { '@value': 'Municipalities', '@language': 'en' }],
      'dc:description': 'Municipios con su población',
      'dc:publisher': { 'schema:name': 'DANE', 'schema:taxID': nit },
      'dcat:keyword': ['municipios', 'DIVIPOLA'],
      'dc:license': { '@id': 'https://creativecommons.org/licenses/by/4.0/' },
      'dc:modified': { '@value': '2023-03-15', '@type': 'xsd:date' },
      tableSchema: JSON.parse(metadata).tableSchema,
    });
  const dir = await folderWith({ 'municipios.csv': csv, 'municipios-metadata.json': described('899999027-8'), 'bad-metadata.json': described('12-34') });
  try {
    const plan = await loadMapping(join(dir, 'municipios-metadata.json'), { baseIRI: base, allowedDirs: [dir] });
    assert.is(plan.dataset?.id, 'municipios');
    assert.equal(plan.dataset?.title, { es: 'Municipios', en: 'Municipalities' });
    assert.equal(plan.dataset?.publisher.nit, '899999027-8');
    assert.equal(plan.dataset?.keywords, ['municipios', 'DIVIPOLA']);
    assert.is(plan.dataset?.license, 'https://creativecommons.org/licenses/by/4.0/');
    assert.is(plan.dataset?.modified, '2023-03-15');
    const refused = await loadMapping(join(dir, 'municipios-metadata.json').replace('municipios-metadata', 'bad-metadata'), { baseIRI: base, allowedDirs: [dir] }).catch((error: unknown) => error);
    assert.instance(refused, MappingError);
    assert.match((refused as Error).message, /dataset\.publisher\.nit/);
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('columnDictionary: the CSVW schema of a CSVW mapping, and the referenced columns of a YARRRML mapping', async () => {
  const dir = await folderWith({ 'municipios.csv': csv, 'municipios-metadata.json': metadata });
  try {
    const csvwPlan = await loadMapping(join(dir, 'municipios-metadata.json'), { baseIRI: base, allowedDirs: [dir] });
    const fromCsvw = columnDictionary(csvwPlan);
    const columns = fromCsvw.tables[0]?.tableSchema.columns ?? [];
    assert.equal(
      columns.map((column) => column.name),
      ['codigo', 'nombre', 'poblacion', 'tipo'],
    );
    assert.is(columns[2]?.datatype, 'integer');
    assert.is(columns[1]?.datatype, 'string');
  } finally {
    await rm(dir, { recursive: true });
  }
  const yarrrml = await loadMapping('mappings/municipios.yml', { baseIRI: base, allowedDirs: ['data'] });
  const dictionary = columnDictionary(yarrrml);
  assert.is(dictionary['@context'], 'http://www.w3.org/ns/csvw');
  const table = dictionary.tables[0];
  assert.is(table?.url, 'municipios.csv');
  const latitud = table?.tableSchema.columns.find((column) => column.name === 'latitud');
  assert.is(latitud?.datatype, 'decimal');
  assert.is(table?.tableSchema.columns.find((column) => column.name === 'municipio')?.datatype, 'string', 'a language-tagged object is a string column');
  assert.is(latitud?.propertyUrl, 'http://www.w3.org/2003/01/geo/wgs84_pos#lat');
  assert.ok(table?.tableSchema.columns.some((column) => column.name === 'codigo_municipio'));
  const poblacion = table?.tableSchema.columns.find((column) => column.name === 'poblacion_2018');
  assert.is(poblacion?.propertyUrl, `${base}def/territorio#poblacion`, 'relative predicates resolved as the mapping resolves them');
  assert.is(poblacion?.datatype, 'integer', 'the datatype of a function-valued term map');
});

test.run();
