/** Round trips through every writable syntax, rapper's opinion of our output, and the RDF/XML writer's refusals. */
import { spawnSync } from 'node:child_process';
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NotAcceptable } from '../../src/errors/index.ts';
import { DataFactory, parseRdfToArray, type RdfFormatName, serializeRdf, serializeRdfToString } from '../../src/rdf/index.ts';
import { describeDifference, sameGraph } from '../support/graphs.ts';
import { rejection } from '../support/rejection.ts';
import { random } from '../support/random.ts';

const { namedNode, blankNode, literal, quad, defaultGraph } = DataFactory;
const ex = (local: string) => namedNode(`http://example.org/${local}`);
const xsd = (local: string) => namedNode(`http://www.w3.org/2001/XMLSchema#${local}`);
const rdfType = namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type');

/** Triples that stress each writer's escaping: unicode IRIs, blank nodes, tags, datatypes, markup. */
function variedTriples(): RDF.Quad[] {
  const bogota = namedNode('http://example.org/municipio/Bogotá_D.C.');
  const astral = namedNode('http://example.org/música/𝄞#clave');
  const contact = blankNode('contacto');
  const address = blankNode('dirección');
  const name = namedNode('http://example.org/def#nombre');
  const note = namedNode('http://example.org/def/nota-pública');
  const population = namedNode('http://example.org/def#población');
  const triples: Array<[RDF.Quad_Subject, RDF.Quad_Predicate, RDF.Quad_Object]> = [
    [bogota, rdfType, ex('def#Municipio')],
    [bogota, name, literal('Bogotá', 'es-co')],
    [bogota, name, literal('Bogota', 'en')],
    [bogota, population, literal('7968095', xsd('integer'))],
    [bogota, ex('def#area'), literal('1775.98', xsd('decimal'))],
    [bogota, ex('def#capital'), literal('true', xsd('boolean'))],
    [bogota, ex('def#fundada'), literal('1538-08-06', xsd('date'))],
    [bogota, ex('def#código'), literal('11001', namedNode('http://example.org/dt#códigoDIVIPOLA'))],
    [bogota, note, literal('She said "hola" & <b>adiós</b> \'ok\'')],
    [bogota, note, literal('line one\nline two\r\nline three\ttabbed')],
    [bogota, note, literal('back\\slash """triple""" \'\'\' ]]> --> <!-- &amp;')],
    [bogota, note, literal('  padded  ')],
    [bogota, note, literal('')],
    [bogota, note, literal('astral 𝄞 and emoji 🇨🇴')],
    [bogota, ex('def#contacto'), contact],
    [contact, name, literal('Alcaldía Mayor', 'es')],
    [contact, ex('def#dirección'), address],
    [address, ex('def#calle'), literal('Carrera 8 # 10-65')],
    [astral, ex('def#relacionado'), bogota],
    [astral, ex('def#contacto'), contact],
    [address, ex('def#ver'), astral],
    [astral, ex('def#𝄞clave·de_sol'), literal('sol')],
  ];
  return triples.map(([subject, predicate, object]) => quad(subject, predicate, object, defaultGraph()));
}

/** The same triples spread over the default graph and two named graphs (one named by a blank node). */
function variedQuads(): RDF.Quad[] {
  const graphs: RDF.Quad_Graph[] = [defaultGraph(), namedNode('http://example.org/graph/datos-abiertos'), blankNode('g')];
  return variedTriples().map((triple, index) =>
    quad(triple.subject, triple.predicate, triple.object, graphs[index % graphs.length] ?? defaultGraph()),
  );
}

const formats: ReadonlyArray<{ format: RdfFormatName; graphs: boolean }> = [
  { format: 'turtle', graphs: false },
  { format: 'trig', graphs: true },
  { format: 'ntriples', graphs: false },
  { format: 'nquads', graphs: true },
  { format: 'jsonld', graphs: true },
  { format: 'rdfxml', graphs: false },
];

for (const { format, graphs } of formats) {
  test(`${format}: a varied graph survives a round trip`, async () => {
    const original = graphs ? variedQuads() : variedTriples();
    const text = await serializeRdfToString(original, { format });
    const back = await parseRdfToArray(text, { format, baseIRI: 'http://other.example/' });
    assert.ok(sameGraph(back, original), `${describeDifference(back, original)}\n${text}`);
  });
}

/** Runs rapper (raptor2-utils) over a document; undefined when rapper is not installed. */
function rapper(syntax: 'turtle' | 'rdfxml' | 'ntriples', text: string): { ok: boolean; triples: number; stderr: string } | undefined {
  const run = spawnSync('rapper', ['-i', syntax, '-c', '-', 'http://example.org/base'], { input: text, encoding: 'utf8', timeout: 10_000 });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  const counted = /returned (\d+) triples?/.exec(run.stderr ?? '');
  return { ok: run.status === 0 && !/error/i.test(run.stderr ?? ''), triples: counted ? Number(counted[1]) : -1, stderr: run.stderr ?? '' };
}

for (const syntax of ['turtle', 'rdfxml', 'ntriples'] as const) {
  test(`${syntax}: rapper accepts our output and counts every triple`, async () => {
    const triples = [...variedTriples(), quad(blankNode('etiqueta con espacios: y dos puntos'), ex('def#p'), blankNode('é'))];
    const text = await serializeRdfToString(triples, { format: syntax });
    const verdict = rapper(syntax, text);
    if (verdict === undefined) {
      console.log(`  skip: rapper (raptor2-utils) is not on the PATH; ${syntax} output not checked by a second parser`);
      return;
    }
    assert.ok(verdict.ok, `${verdict.stderr}\n${text}`);
    assert.is(verdict.triples, triples.length);
  });
}


/** Random text from the ranges writers get wrong: ASCII punctuation, controls, accents, astral planes. */
function randomText(next: () => number, xmlSafe: boolean): string {
  const ranges: Array<[number, number]> = [
    [0x20, 0x7e],
    [0x20, 0x2f],
    [0xc0, 0x17f],
    [0x4e00, 0x4e20],
    [0x1f300, 0x1f320],
    xmlSafe ? [0x09, 0x0d] : [0x00, 0x1f],
  ];
  let text = '';
  const length = Math.floor(next() * 12);
  for (let index = 0; index < length; index++) {
    const [low, high] = ranges[Math.floor(next() * ranges.length)] ?? [0x41, 0x5a];
    const code = low + Math.floor(next() * (high - low + 1));
    if (xmlSafe && code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) continue;
    text += String.fromCodePoint(code);
  }
  return text;
}

for (const { format } of formats) {
  test(`${format}: random literals and blank node labels survive a round trip (property)`, async () => {
    const next = random(20261126);
    const triples: RDF.Quad[] = [];
    for (let index = 0; index < 150; index++) {
      const subject = next() < 0.3 ? blankNode(randomText(next, true) || 'empty') : ex(`s${index}`);
      const value = randomText(next, format === 'rdfxml');
      const object = next() < 0.5 ? literal(value) : next() < 0.5 ? literal(value, 'es-co') : literal(value, ex('dt#tipo'));
      triples.push(quad(subject, ex('def#valor'), object));
    }
    const text = await serializeRdfToString(triples, { format });
    const back = await parseRdfToArray(text, { format });
    assert.ok(sameGraph(back, triples), describeDifference(back, triples));
  });
}

test('blank node labels no reader accepts are renamed, consistently and without collisions', async () => {
  const odd = blankNode('a:b c');
  const clash = blankNode('esc_613a622063');
  const triples = [quad(odd, ex('p'), clash), quad(clash, ex('p'), odd), quad(blankNode('ok_1'), ex('p'), odd)];
  for (const format of ['turtle', 'ntriples', 'trig', 'nquads'] as const) {
    const text = await serializeRdfToString(triples, { format });
    const back = await parseRdfToArray(text, { format });
    assert.ok(sameGraph(back, triples), `${format}: ${describeDifference(back, triples)}\n${text}`);
  }
});

test('rdfxml: blank node labels become valid rdf:nodeID values', async () => {
  const triples = [quad(blankNode('1 no:name'), ex('p'), blankNode('n3-7')), quad(blankNode('n3-7'), ex('p'), blankNode('1 no:name'))];
  const text = await serializeRdfToString(triples, { format: 'rdfxml' });
  for (const [, id] of text.matchAll(/rdf:nodeID="([^"]*)"/g)) assert.match(id ?? '', /^[A-Za-z_][\w.-]*$/u);
  assert.ok(sameGraph(await parseRdfToArray(text, { format: 'rdfxml' }), triples));
});

test('rdfxml: a user prefix that is not an XML name, or claims rdf, is not declared', async () => {
  const text = await serializeRdfToString([quad(ex('s'), namedNode('http://example.org/v#p'), literal('x'))], {
    format: 'rdfxml',
    prefixes: { '': 'http://example.org/v#', '1bad': 'http://example.org/v#', rdf: 'http://example.org/not-rdf#' },
  });
  assert.not.match(text, /xmlns:(1bad)?=/);
  assert.match(text, /xmlns:rdf="http:\/\/www\.w3\.org\/1999\/02\/22-rdf-syntax-ns#"/);
  assert.ok(sameGraph(await parseRdfToArray(text, { format: 'rdfxml' }), [quad(ex('s'), namedNode('http://example.org/v#p'), literal('x'))]));
});

const unwritable: ReadonlyArray<[string, RDF.Quad, RegExp]> = [
  ['a predicate ending in digits', quad(ex('s'), ex('123'), literal('x')), /predicate.*123.*XML name/],
  ['a predicate ending in a slash', quad(ex('s'), ex('def/'), literal('x')), /predicate.*def\/.*XML name/],
  ['rdf:li as a predicate', quad(ex('s'), namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#li'), literal('x')), /reserved/],
  ['rdf:about as a predicate', quad(ex('s'), namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#about'), literal('x')), /reserved/],
  ['a NUL in a literal', quad(ex('s'), ex('p'), literal('a\u0000b')), /U\+0000/],
  ['a control character in a literal', quad(ex('s'), ex('p'), literal('bell\u0007')), /U\+0007/],
  ['U+FFFE in a literal', quad(ex('s'), ex('p'), literal('\uFFFE')), /U\+FFFE/],
  ['a lone surrogate in a literal', quad(ex('s'), ex('p'), literal('\uD800x')), /U\+D800/],
  ['a control character in a language tag', quad(ex('s'), ex('p'), literal('x', 'e\u0001s')), /language tag.*U\+0001/],
  ['U+FFFE in an IRI', quad(namedNode('http://example.org/\uFFFE'), ex('p'), literal('x')), /subject.*U\+FFFE/],
];

for (const [what, bad, message] of unwritable) {
  test(`rdfxml: ${what} is a clear NotAcceptable before any output`, async () => {
    const chunks: string[] = [];
    const error = await rejection(async () => {
      for await (const chunk of serializeRdf([...variedTriples(), bad], { format: 'rdfxml' })) chunks.push(chunk);
    });
    assert.instance(error, NotAcceptable);
    assert.match((error as Error).message, message);
    assert.equal(chunks, []);
  });
}

const notIris: ReadonlyArray<[string, RDF.Quad]> = [
  ['a space in a subject', quad(namedNode('http://example.org/Bogotá D.C.'), ex('p'), literal('x'))],
  ['a ">" in an object', quad(ex('s'), ex('p'), namedNode('http://example.org/a>b'))],
  ['braces in a datatype', quad(ex('s'), ex('p'), literal('x', namedNode('http://example.org/{tipo}')))],
  ['a newline in a graph name', quad(ex('s'), ex('p'), literal('x'), namedNode('http://example.org/g\n'))],
];

for (const { format, graphs } of formats) {
  test(`${format}: a named node that is not an IRI is a clear NotAcceptable, not a broken document`, async () => {
    for (const [what, bad] of notIris) {
      if (!graphs && bad.graph.termType !== 'DefaultGraph') continue;
      const error = await rejection(() => serializeRdfToString([bad], { format }));
      assert.instance(error, NotAcceptable, what);
      assert.match((error as Error).message, /not an IRI/, what);
    }
  });
}

test('rdfxml: tabs, newlines and carriage returns in literals survive XML normalisation', async () => {
  const triples = [quad(ex('s'), ex('p'), literal('\r\n\t\r x \n')), quad(ex('s'), ex('q'), literal('\r', 'es'))];
  const back = await parseRdfToArray(await serializeRdfToString(triples, { format: 'rdfxml' }), { format: 'rdfxml' });
  assert.ok(sameGraph(back, triples), describeDifference(back, triples));
});

test('rdfxml: several named graphs are refused', async () => {
  const error = await rejection(() => serializeRdfToString(variedQuads(), { format: 'rdfxml' }));
  assert.instance(error, NotAcceptable);
});

test.run();
