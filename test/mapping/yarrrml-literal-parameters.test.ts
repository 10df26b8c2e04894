/** Literal function parameters in YARRRML reach the function as written: regexes with `(?:`, colons, escapes. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readYarrrml } from '../../src/mapping/yarrrml.ts';
import { objectsOf, run, workspace, yarrrml } from './helpers.ts';

const replaceWith = (pattern: string, replacement = '') => `p: ex:limpio
        o:
          function: vfn:replace
          parameters:
            - [vfn:value, $(valor)]
            - [vfn:pattern, '${pattern.replaceAll("'", "''")}']
            - [vfn:replacement, '${replacement}']`;

test('every literal parameter comes out of the parser as the same literal', () => {
  // Each of these was rewritten by the parser: a prefix "(?" looked up, dc: expanded, \( unescaped, a:b:c cut.
  const patterns = ['^(?:N/A|S\\.I\\.)$', 'dc:(?:x)', '\\((\\d+)\\)', 'a\\\\b', 'schema:a:b', '\\d{2}:\\d{2}'];
  const m = yarrrml('data.csv~csv', 'id/registro/$(id)', patterns.map((pattern) => replaceWith(pattern)));
  const literals = new Set(readYarrrml(m, 'm.yml').quads.filter((quad) => quad.object.termType === 'Literal').map((quad) => quad.object.value));
  for (const pattern of patterns) assert.ok(literals.has(pattern), `${pattern} not among ${[...literals].join(' | ')}`);
});

test('a regex with (?: and escaped parentheses works end to end; references in parameters stay references', async () => {
  const m = yarrrml('data.csv~csv', 'id/registro/$(id)', [replaceWith('^(?:N/A|S\\.I\\.|-)$'), replaceWith('\\((\\d+)\\)', '[$1]').replace('ex:limpio', 'ex:corchetes')]);
  const space = await workspace({ 'data.csv': 'id,valor\n1,N/A\n2,S.I.\n3,Cali (76001)\n', 'm.yml': m });
  try {
    const { quads, problems } = await run(await space.load('m.yml'));
    assert.equal(problems, []);
    assert.equal(objectsOf(quads, 'http://example.org/limpio'), ['Cali (76001)']);
    assert.equal(objectsOf(quads, 'http://example.org/corchetes'), ['N/A', 'S.I.', 'Cali [76001]']);
  } finally {
    await space.close();
  }
});

test('the document handed to the parser keeps long strings on one line', () => {
  // Re-serialised with folding, a quoted string over 80 characters became a "malformed inline YAML string".
  const long = `id/registro/${'segmento-largo-'.repeat(8)}$(id)`;
  const m = yarrrml('data.csv~csv', JSON.stringify(long), [replaceWith('(?:x)')]);
  const templates = readYarrrml(m, 'm.yml').quads.filter((quad) => quad.predicate.value.endsWith('#template')).map((quad) => quad.object.value);
  assert.ok(templates.includes(long.replace('$(id)', '{id}')), templates.join(' | '));
});

test.run();
