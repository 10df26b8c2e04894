/** The documents' Turtle writer: rapper (Raptor) and N3.js read back exactly the graph written, whatever the literals and IRIs hold. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory, parseRdfToArray, TurtleDocumentWriter } from '../../src/rdf/index.ts';
import { describeDifference, sameGraph } from '../support/graphs.ts';
import { rapper } from './support/rapper.ts';

const { namedNode, blankNode, literal, quad } = DataFactory;
const base = 'https://datos.example.gov.co/';
const xsd = 'http://www.w3.org/2001/XMLSchema#';

const topic = namedNode(`${base}id/contrato/CO1.PCCNTR.0000042`);
const graph = namedNode(`${base}graph/contratos`);
const p = (local: string) => namedNode(`${base}def/contratos#${local}`);
// Shapes a document meets: prefixed and unprefixable IRIs, every escape a string needs, language
// tags, datatypes with and without a prefix, blank nodes (one with a label no reader accepts),
// repeated triples from two graphs, a subject with one predicate and several objects.
const quads = [
  quad(topic, namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type'), p('Contrato'), graph),
  quad(topic, namedNode('http://www.w3.org/2000/01/rdf-schema#label'), literal('Obra "vial" en C:\\vías\nsegunda línea\r\ttab\u0001\u007f fin', 'es'), graph),
  quad(topic, namedNode('http://www.w3.org/2000/01/rdf-schema#label'), literal('Road works 🚧', 'en'), graph),
  quad(topic, namedNode('http://www.w3.org/2000/01/rdf-schema#label'), literal('Road works 🚧', 'en'), namedNode(`${base}graph/otro`)),
  quad(topic, p('valor'), literal('1234567.89', namedNode(`${xsd}decimal`)), graph),
  quad(topic, p('fecha'), literal('2026-11-27', namedNode(`${xsd}date`)), graph),
  quad(topic, p('extraño'), literal('x', namedNode('http://example.org/tipo#con-guion')), graph),
  quad(topic, namedNode('http://example.org/a.b/c'), literal(''), graph),
  quad(topic, p('municipio'), namedNode(`${base}id/municipio/05001`), graph),
  quad(topic, p('municipio'), namedNode(`${base}id/municipio/05088`), graph),
  quad(topic, p('ubicacion'), blankNode('b0'), graph),
  quad(blankNode('b0'), namedNode('http://www.w3.org/2003/01/geo/wgs84_pos#lat'), literal('6.25', namedNode(`${xsd}decimal`)), graph),
  quad(topic, p('nota'), blankNode('fila 1: sin código'), graph),
  quad(blankNode('fila 1: sin código'), namedNode('http://purl.org/dc/terms/description'), literal('¿"¡'), graph),
  quad(namedNode(`${base}id/entidad/7?x=1&y=%20`), namedNode('http://xmlns.com/foaf/0.1/name'), literal('Alcaldía de Medellín'), graph),
];
const triples = quads.map((item) => quad(item.subject, item.predicate, item.object));

const writer = new TurtleDocumentWriter({ def: `${base}def/`, id: `${base}id/` });
const text = writer.write(quads);

test('rapper reads back the graph written', async () => {
  const parsed = await parseRdfToArray(await rapper('turtle', text, base), { format: 'ntriples' });
  assert.ok(sameGraph(parsed, triples), describeDifference(parsed, triples));
});

test('N3.js reads back the graph written', async () => {
  const parsed = await parseRdfToArray(text, { format: 'turtle', baseIRI: base });
  assert.ok(sameGraph(parsed, triples), describeDifference(parsed, triples));
});

test('repeated triples are written once, prefixes only where they are used, rdf:type as `a`', () => {
  assert.is(text.split('Road works').length - 1, 1);
  assert.match(text, /@prefix rdfs: <http:\/\/www\.w3\.org\/2000\/01\/rdf-schema#> \./);
  assert.not.match(text, /@prefix skos:/);
  assert.match(text, / a <https:\/\/datos\.example\.gov\.co\/def\/contratos#Contrato>/);
  assert.match(text, /xsd:decimal/);
});

test('a named node that is not an IRI is refused before any text is made', () => {
  assert.throws(() => writer.write([quad(topic, p('x'), namedNode('http://example.org/no es iri'))]), /not an IRI/);
});

test.run();
