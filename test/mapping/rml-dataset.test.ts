/** A plain RML mapping's dataset: id from the file name, DCAT metadata in the mapping's own Turtle or in a side file. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MappingError } from '../../src/mapping/index.ts';
import { workspace } from './helpers.ts';

const csv = 'codigo,nombre\n05001,Medellín\n';

const triplesMap = `@prefix rml: <http://w3id.org/rml/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
<#M> a rml:TriplesMap ;
  rml:logicalSource [ rml:source [ a rml:RelativePathSource ; rml:path "municipios.csv" ] ; rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:template "http://example.org/m/{codigo}" ] ;
  rml:predicateObjectMap [ rml:predicate rdfs:label ; rml:objectMap [ rml:reference "nombre" ] ] .
`;

const described = `${triplesMap}
<#dataset> a dcat:Dataset ;
  dct:title "Municipios de Antioquia"@es, "Municipalities of Antioquia"@en ;
  dct:description "Códigos y nombres"@es ;
  dct:publisher [ foaf:name "Gobernación de Antioquia" ; dct:identifier "890900286-0" ] ;
  dcat:contactPoint [ vcard:hasEmail <mailto:datos@antioquia.gov.co> ] ;
  dcat:keyword "municipios", "divipola" ;
  dcat:theme "Estadísticas Nacionales" ;
  dct:accrualPeriodicity "annual" ;
  dct:modified "2024-05-01" .
`;

const sideFile = `title: Municipios (archivo aparte)
description: Códigos y nombres
publisher: { name: DANE, nit: 899999027-8 }
accrualPeriodicity: annual
`;

test('no metadata: the dataset id is the file name, slugged, and there is no DCAT description', async () => {
  const space = await workspace({ 'municipios.csv': csv, 'Municipios Antioquia 2024.ttl': triplesMap });
  try {
    const plan = await space.load('Municipios Antioquia 2024.ttl');
    assert.is(plan.datasetId, 'municipios-antioquia-2024');
    assert.is(plan.dataset, undefined);
  } finally {
    await space.close();
  }
});

test('a dcat:Dataset in the mapping is its DCAT metadata, read with the predicates the catalog writes', async () => {
  const space = await workspace({ 'municipios.csv': csv, 'mapping.ttl': described });
  try {
    const plan = await space.load('mapping.ttl');
    assert.is(plan.datasetId, 'mapping');
    assert.equal(plan.dataset?.title, { es: 'Municipios de Antioquia', en: 'Municipalities of Antioquia' });
    assert.equal(plan.dataset?.publisher.nit, '890900286-0');
    assert.equal(plan.dataset?.publisher.name, 'Gobernación de Antioquia');
    assert.equal(plan.dataset?.contactPoint, { email: 'datos@antioquia.gov.co' });
    assert.equal([...(plan.dataset?.keywords ?? [])].sort(), ['divipola', 'municipios']);
    assert.equal(plan.dataset?.themes, ['Estadísticas Nacionales']);
    assert.is(plan.dataset?.modified, '2024-05-01');
  } finally {
    await space.close();
  }
});

test('a side file mapping.dataset.yml holds the same keys as YARRRML dataset:, and invalid metadata names its key', async () => {
  const space = await workspace({ 'municipios.csv': csv, 'mapping.ttl': triplesMap, 'mapping.dataset.yml': sideFile });
  try {
    const plan = await space.load('mapping.ttl');
    assert.equal(plan.dataset?.title, { es: 'Municipios (archivo aparte)' });
    assert.is(plan.datasetId, 'mapping');
  } finally {
    await space.close();
  }
  await assertRefused({ 'mapping.ttl': triplesMap, 'mapping.dataset.yml': sideFile.replace('899999027-8', 'no-nit') }, 'dataset.publisher.nit');
});

test('metadata in both places is refused: one place to edit', async () => {
  await assertRefused({ 'mapping.ttl': described, 'mapping.dataset.yml': sideFile }, 'both');
});

/** Loading `mapping.ttl` among `files` fails with a MappingError that says `what`. */
async function assertRefused(files: Record<string, string>, what: string): Promise<void> {
  const space = await workspace({ 'municipios.csv': csv, ...files });
  try {
    const error = await space.load('mapping.ttl').catch((caught: unknown) => caught);
    assert.instance(error, MappingError);
    assert.match((error as Error).message, what);
  } finally {
    await space.close();
  }
}

test.run();
