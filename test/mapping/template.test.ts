/** Templates: escapes, invalid templates, IRI-safe encoding, relative IRIs against the base. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { iriSafe, isAbsoluteIri, parseTemplate } from '../../src/mapping/template.ts';
import { base, objectsOf, run, workspace, yarrrml } from './helpers.ts';

test('parseTemplate splits text and references and honours \\{ \\} \\\\ escapes', () => {
  assert.equal(parseTemplate('http://ex.org/{a}/x{b}'), [{ text: 'http://ex.org/' }, { reference: 'a' }, { text: '/x' }, { reference: 'b' }]);
  assert.equal(parseTemplate('\\{literal\\} {v} \\\\'), [{ text: '{literal} ' }, { reference: 'v' }, { text: ' \\' }]);
  assert.equal(parseTemplate('{a\\}b}'), [{ reference: 'a}b' }]);
});

test('parseTemplate refuses unbalanced, nested and empty references', () => {
  for (const bad of ['{a', 'a}', '{{a}}', '{}', 'x\\y']) assert.throws(() => parseTemplate(bad), undefined, bad);
});

test('iriSafe percent-encodes reserved characters and keeps letters with accents (R2RML IRI-safe)', () => {
  assert.is(iriSafe('Bogotá, D.C.'), 'Bogotá%2C%20D.C.');
  assert.is(iriSafe('a/b?c#d'), 'a%2Fb%3Fc%23d');
  assert.is(iriSafe('Zoë', true), 'Zo%C3%AB');
  assert.is(iriSafe('05001-x_y.z~'), '05001-x_y.z~');
});

test('isAbsoluteIri needs a scheme and no spaces', () => {
  assert.ok(isAbsoluteIri('http://ex.org/a'));
  assert.not.ok(isAbsoluteIri('id/municipio/1'));
  assert.not.ok(isAbsoluteIri('http://ex.org/a b'));
});

test('template values are encoded in IRIs but not in literals; relative IRIs resolve against the base', async () => {
  const m = yarrrml('data.csv~csv', 'id/lugar/$(name)', ['[ex:label, "Lugar $(name)"]', '[ex:same, id/lugar/$(name)~iri]']);
  const space = await workspace({ 'data.csv': 'name\n"Bogotá, D.C."\n', 'm.yml': m });
  try {
    const { quads } = await run(await space.load('m.yml'));
    const iri = `${base}id/lugar/Bogotá%2C%20D.C.`;
    assert.is(quads[0]?.subject.value, iri);
    assert.equal(objectsOf(quads, 'http://example.org/label'), ['Lugar Bogotá, D.C.']);
    assert.equal(objectsOf(quads, 'http://example.org/same'), [iri]);
  } finally {
    await space.close();
  }
});

test('an empty value is a value for CSV (RML-IO), a null template value gives no term', async () => {
  const m = yarrrml('data.json~jsonpath', 'ex:$(id)', ['[ex:code, "c-$(code)"]', '[ex:name, $(name)]'], '').replace(
    "['data.json~jsonpath']",
    "['data.json~jsonpath', '$.rows[*]']",
  );
  const space = await workspace({ 'data.json': JSON.stringify({ rows: [{ id: 1, code: null, name: 'a' }, { id: 2, code: 'x', name: '' }] }), 'm.yml': m });
  try {
    const { quads } = await run(await space.load('m.yml'));
    assert.equal(objectsOf(quads, 'http://example.org/code'), ['c-x']);
    assert.equal(objectsOf(quads, 'http://example.org/name'), ['a', '']);
  } finally {
    await space.close();
  }
});

test.run();
