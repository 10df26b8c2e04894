/** `$(_row)`: the record's 1-based number (CSV data rows, JSON iterator matches); a real `_row` column wins. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { objectsOf, run, workspace, yarrrml } from './helpers.ts';

const tipo = 'http://example.org/tipo';

function subjectsOf(quads: Awaited<ReturnType<typeof run>>['quads']): string[] {
  return quads.filter((quad) => quad.predicate.value === tipo).map((quad) => quad.subject.value);
}

test('CSV: one subject per data row, numbered 1..N without the header, blank lines and quoted newlines not counted', async () => {
  // Two identical rows: without a key column only the row number tells them apart.
  const csv = 'fecha,tipo\n2023-01-01,HURTO\n2023-01-01,HURTO\n\n2023-01-02,"RIÑA\ncallejera"\n';
  const m = yarrrml('data.csv~csv', 'https://datos.example.co/id/evento/$(_row)', ['[ex:tipo, $(tipo)]', '[ex:fila, $(_row), xsd:integer]']);
  const space = await workspace({ 'data.csv': csv, 'm.yml': m });
  try {
    const { quads, problems } = await run(await space.load('m.yml'));
    assert.equal(problems, []);
    assert.equal(subjectsOf(quads), [1, 2, 3].map((row) => `https://datos.example.co/id/evento/${row}`));
    assert.equal(objectsOf(quads, 'http://example.org/fila'), ['1^^xsd:integer', '2^^xsd:integer', '3^^xsd:integer']);
  } finally {
    await space.close();
  }
});

test('a real column named _row wins over the row number', async () => {
  const m = yarrrml('data.csv~csv', 'ex:evento/$(_row)', ['[ex:tipo, $(tipo)]']);
  const space = await workspace({ 'data.csv': '_row,tipo\nA7,HURTO\nB9,RIÑA\n', 'm.yml': m });
  try {
    const { quads } = await run(await space.load('m.yml'));
    assert.equal(subjectsOf(quads), ['http://example.org/evento/A7', 'http://example.org/evento/B9']);
  } finally {
    await space.close();
  }
});

test('JSON: the 1-based index of the iterated element, and no missing-reference problem for it', async () => {
  const json = JSON.stringify({ eventos: [{ tipo: 'HURTO' }, { tipo: 'RIÑA' }, { tipo: 'HURTO', _row: 'propio' }] });
  const m = yarrrml('data.json~jsonpath', 'ex:evento/$(_row)', ['[ex:tipo, $(tipo)]']).replace("['data.json~jsonpath']", "['data.json~jsonpath', '$.eventos[*]']");
  const space = await workspace({ 'data.json': json, 'm.yml': m });
  try {
    const { quads, problems } = await run(await space.load('m.yml'));
    assert.equal(problems, []);
    assert.equal(subjectsOf(quads), ['http://example.org/evento/1', 'http://example.org/evento/2', 'http://example.org/evento/propio']);
  } finally {
    await space.close();
  }
});

test('RML: rml:reference "_row" is the same reference', async () => {
  const rml = `@prefix rml: <http://w3id.org/rml/> .
@prefix ex: <http://example.org/> .
<#evento> a rml:TriplesMap ;
  rml:logicalSource [ rml:source [ a rml:RelativePathSource ; rml:path "data.csv" ] ; rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:template "http://example.org/evento/{_row}" ] ;
  rml:predicateObjectMap [ rml:predicate ex:fila ; rml:objectMap [ rml:reference "_row" ] ] .
`;
  const space = await workspace({ 'data.csv': 'tipo\nHURTO\nRIÑA\n', 'm.ttl': rml });
  try {
    const { quads, problems } = await run(await space.load('m.ttl'));
    assert.equal(problems, []);
    assert.equal(objectsOf(quads, 'http://example.org/fila'), ['1', '2']);
    assert.equal(quads.map((quad) => quad.subject.value), ['http://example.org/evento/1', 'http://example.org/evento/2']);
  } finally {
    await space.close();
  }
});

test.run();
