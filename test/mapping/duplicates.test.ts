/** A run writes each triple once: repeated rows, repeated triples maps, and the filter's memory bound. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory } from '../../src/rdf/index.ts';
import { DuplicateFilter } from '../../src/mapping/duplicate-filter.ts';
import { runCli } from '../cli/run-cli.ts';
import { run, workspace } from './helpers.ts';

// Medellín appears three times, not next to each other; Abejorral twice.
const csv = 'codigo,nombre\n05001,Medellín\n05002,Abejorral\n05001,Medellín\n08001,Barranquilla\n05002,Abejorral\n05001,Medellín\n';

const rml = `@prefix rml: <http://w3id.org/rml/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
<#A> a rml:TriplesMap ;
  rml:logicalSource [ rml:source [ a rml:RelativePathSource ; rml:path "municipios.csv" ] ; rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:template "http://example.org/m/{codigo}" ; rml:class ex:Municipio ] ;
  rml:predicateObjectMap [ rml:predicate rdfs:label ; rml:objectMap [ rml:reference "nombre" ] ] .
<#B> a rml:TriplesMap ;
  rml:logicalSource [ rml:source [ a rml:RelativePathSource ; rml:path "municipios.csv" ] ; rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:template "http://example.org/m/{codigo}" ] ;
  rml:predicateObjectMap [ rml:predicate rdfs:label ; rml:objectMap [ rml:reference "nombre" ] ] ,
    [ rml:predicate ex:codigo ; rml:objectMap [ rml:reference "codigo" ] ] .
`;

test('repeated rows and two triples maps stating the same triples: each quad once, and counted once', async () => {
  const space = await workspace({ 'municipios.csv': csv, 'mapping.ttl': rml });
  try {
    const { quads, report } = await run(await space.load('mapping.ttl'));
    const lines = quads.map((quad) => `${quad.subject.value} ${quad.predicate.value} ${quad.object.value}`);
    assert.is(new Set(lines).size, lines.length, 'no quad twice');
    // 3 municipalities × (type, label, codigo): nothing distinct was lost.
    assert.is(lines.length, 9);
    assert.is(report.triplesWritten, 9);
    assert.is(report.rowsRead, 6);
  } finally {
    await space.close();
  }
});

test('vinculo map output has no duplicate lines', async () => {
  const space = await workspace({ 'municipios.csv': csv, 'mapping.ttl': rml });
  try {
    const mapped = await runCli(['map', join(space.dir, 'mapping.ttl'), '--out', join(space.dir, 'out.nq')]);
    assert.is(mapped.status, 0, mapped.stderr);
    const lines = (await readFile(join(space.dir, 'out.nq'), 'utf8')).trim().split('\n');
    assert.is(lines.length, 9);
    assert.is(new Set(lines).size, lines.length);
    assert.match(mapped.stderr, /9 triples written/);
  } finally {
    await space.close();
  }
});

test('the filter remembers only its most recent subjects (bounded memory), a distinct quad is never dropped', () => {
  const { namedNode, literal, quad } = DataFactory;
  const about = (subject: string, value: string) => quad(namedNode(`http://example.org/${subject}`), namedNode('http://example.org/p'), literal(value));
  const filter = new DuplicateFilter(2);
  assert.ok(filter.isNew(about('a', '1'), []));
  assert.not.ok(filter.isNew(about('a', '1'), []));
  assert.ok(filter.isNew(about('a', '2'), []), 'same subject, other object');
  assert.ok(filter.isNew(about('a', '1'), ['target']), 'same quad to another logical target');
  assert.ok(filter.isNew(about('b', '1'), []));
  assert.not.ok(filter.isNew(about('a', '1'), []), 'a is still among the most recent subjects');
  assert.ok(filter.isNew(about('c', '1'), []));
  assert.ok(filter.isNew(about('d', '1'), []));
  assert.ok(filter.isNew(about('e', '1'), []));
  // Two generations of two subjects each have passed since a: its repeat slips through, as documented.
  assert.ok(filter.isNew(about('a', '1'), []));
});

test('a subject with many quads: every distinct one kept, every repeat dropped', () => {
  const { namedNode, literal, quad } = DataFactory;
  const filter = new DuplicateFilter();
  const many = Array.from({ length: 50 }, (_, index) => quad(namedNode('http://example.org/s'), namedNode('http://example.org/p'), literal(String(index))));
  assert.ok(many.every((item) => filter.isNew(item, [])));
  assert.ok(many.every((item) => !filter.isNew(quad(item.subject, item.predicate, item.object), [])), 'equal quads, other term objects');
  assert.ok(filter.isNew(quad(namedNode('http://example.org/s'), namedNode('http://example.org/p'), literal('0', 'es')), []), 'a language tag makes another literal');
});

test.run();
