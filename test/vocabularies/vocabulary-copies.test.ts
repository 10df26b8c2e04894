/** The local copies of the standard vocabularies: each parses, defines its key terms with a label, and holds no relative IRI. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRdfToArray, prefixes, rdfFormatOfPath } from '../../src/rdf/index.ts';

const folder = fileURLToPath(new URL('../../vocabularies/', import.meta.url));

// A base no vocabulary mentions: an IRI under it can only come from a relative reference, which
// would otherwise resolve against the portal's own base IRI when the copies are loaded.
const sentinelBase = 'http://relative-reference.invalid/base/';

const rdf = prefixes.rdf;
const rdfs = prefixes.rdfs;
const owl = prefixes.owl;
const geosparql = 'http://www.opengis.net/ont/geosparql#';
const adms = 'http://www.w3.org/ns/adms#';
const qb = 'http://purl.org/linked-data/cube#';

const classTypes = [`${rdfs}Class`, `${owl}Class`];
const propertyTypes = [`${rdf}Property`, `${owl}ObjectProperty`, `${owl}DatatypeProperty`, `${owl}AnnotationProperty`];

interface KeyTerm {
  readonly iri: string;
  readonly kind: 'class' | 'property';
}

interface VocabularyCopy {
  readonly file: string;
  /** Well under the published count, so a truncated or emptied copy fails. */
  readonly moreThan: number;
  readonly terms: readonly KeyTerm[];
}

const klass = (iri: string): KeyTerm => ({ iri, kind: 'class' });
const property = (iri: string): KeyTerm => ({ iri, kind: 'property' });

const schemaTerms = [
  'name',
  'Place',
  'Organization',
  'Dataset',
  'address',
  'geo',
  'GeoCoordinates',
  'latitude',
  'longitude',
  'identifier',
  'url',
  'taxID',
  'containedInPlace',
  'AdministrativeArea',
  'PostalAddress',
];

const copies: readonly VocabularyCopy[] = [
  { file: 'dcterms.ttl', moreThan: 600, terms: [property(`${prefixes.dct}title`), property(`${prefixes.dct}license`), klass(`${prefixes.dct}Location`)] },
  { file: 'foaf.rdf', moreThan: 500, terms: [property(`${prefixes.foaf}name`), klass(`${prefixes.foaf}Person`), klass(`${prefixes.foaf}Organization`)] },
  { file: 'skos.rdf', moreThan: 200, terms: [property(`${prefixes.skos}prefLabel`), klass(`${prefixes.skos}Concept`), property(`${prefixes.skos}broader`)] },
  { file: 'org.ttl', moreThan: 600, terms: [klass(`${prefixes.org}Organization`), property(`${prefixes.org}subOrganizationOf`)] },
  { file: 'vcard.ttl', moreThan: 700, terms: [property(`${prefixes.vcard}hasEmail`), klass(`${prefixes.vcard}Organization`)] },
  { file: 'prov-o.ttl', moreThan: 900, terms: [klass(`${prefixes.prov}Activity`), property(`${prefixes.prov}wasGeneratedBy`)] },
  { file: 'dqv.ttl', moreThan: 120, terms: [klass(`${prefixes.dqv}QualityMeasurement`), property(`${prefixes.dqv}hasQualityMeasurement`)] },
  { file: 'void.rdf', moreThan: 180, terms: [klass(`${prefixes.void}Dataset`), property(`${prefixes.void}triples`)] },
  { file: 'adms.ttl', moreThan: 120, terms: [klass(`${adms}Identifier`), property(`${adms}identifier`)] },
  { file: 'geo.ttl', moreThan: 25, terms: [property(`${prefixes.geo}lat`), property(`${prefixes.geo}long`), klass(`${prefixes.geo}SpatialThing`)] },
  { file: 'geosparql.rdf', moreThan: 400, terms: [klass(`${geosparql}Feature`), klass(`${geosparql}Geometry`), property(`${geosparql}asWKT`)] },
  { file: 'qb.ttl', moreThan: 200, terms: [klass(`${qb}DataSet`), klass(`${qb}Observation`), property(`${qb}dataSet`)] },
  {
    file: 'schema-subset.ttl',
    moreThan: 90,
    terms: schemaTerms.map((name) => (/^[A-Z]/.test(name) ? klass : property)(`${prefixes.schema}${name}`)),
  },
];

async function parseCopy(file: string): Promise<RDF.Quad[]> {
  const format = rdfFormatOfPath(file);
  if (!format) throw new Error(`no RDF syntax for ${file}`);
  const text = await readFile(join(folder, file), 'utf8');
  return parseRdfToArray(text, { format: format.name, baseIRI: sentinelBase, source: file });
}

function objectsOf(quads: readonly RDF.Quad[], subject: string, predicate: string): RDF.Term[] {
  return quads.filter((quad) => quad.subject.value === subject && quad.predicate.value === predicate).map((quad) => quad.object);
}

function iris(quad: RDF.Quad): string[] {
  const found: string[] = [];
  for (const term of [quad.subject, quad.predicate, quad.object]) {
    if (term.termType === 'NamedNode') found.push(term.value);
    if (term.termType === 'Literal') found.push(term.datatype.value);
  }
  return found;
}

for (const copy of copies) {
  test(`${copy.file}: parses, holds more than ${copy.moreThan} triples and defines its key terms with a label`, async () => {
    const quads = await parseCopy(copy.file);
    assert.ok(quads.length > copy.moreThan, `${copy.file} has only ${quads.length} triples`);
    for (const term of copy.terms) {
      const types = objectsOf(quads, term.iri, `${rdf}type`).map((type) => type.value);
      const expected = term.kind === 'class' ? classTypes : propertyTypes;
      assert.ok(
        types.some((type) => expected.includes(type)),
        `${term.iri} is not typed as a ${term.kind} in ${copy.file} (types: ${types.join(', ') || 'none'})`,
      );
      const labels = objectsOf(quads, term.iri, `${rdfs}label`).filter((label) => label.termType === 'Literal' && label.value.trim() !== '');
      assert.ok(labels.length > 0, `${term.iri} has no rdfs:label in ${copy.file}`);
    }
  });

  test(`${copy.file}: no relative IRI, so nothing resolves against the portal's base`, async () => {
    const relative = (await parseCopy(copy.file)).flatMap(iris).filter((iri) => iri.startsWith(sentinelBase));
    assert.equal([...new Set(relative)], []);
  });
}

test('dcterms:title is an rdf:Property, as the HTML pages expect of DCMI terms', async () => {
  const types = objectsOf(await parseCopy('dcterms.ttl'), `${prefixes.dct}title`, `${rdf}type`).map((type) => type.value);
  assert.ok(types.includes(`${rdf}Property`));
});

test('schema-subset.ttl describes only schema.org terms, and all the ones the mappings use', async () => {
  const subjects = new Set((await parseCopy('schema-subset.ttl')).map((quad) => quad.subject.value));
  assert.equal([...subjects].filter((subject) => !subject.startsWith(prefixes.schema)), []);
  assert.equal(
    schemaTerms.filter((name) => !subjects.has(`${prefixes.schema}${name}`)),
    [],
  );
});

test('the copies together stay under 3 MB', async () => {
  let total = 0;
  for (const copy of copies) total += (await stat(join(folder, copy.file))).size;
  assert.ok(total < 3 * 1024 * 1024, `the copies weigh ${total} bytes`);
});

test('every vocabulary file has a row, with its source and licence, in vocabularies/README.md', async () => {
  const readme = await readFile(join(folder, 'README.md'), 'utf8');
  const rows = new Set([...readme.matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1]));
  const files = (await readdir(folder)).filter((name) => rdfFormatOfPath(name) !== undefined);
  assert.equal(
    files.filter((name) => !rows.has(name)),
    [],
  );
});

test.run();
