/** The fast path's RDF/JS Bindings: the interface's operations, as Comunica's bindings behave. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory } from '../../src/rdf/index.ts';
import { FastBindings } from '../../src/sparql/fast-bindings.ts';

const { namedNode, literal } = DataFactory;
const variable = DataFactory.variable as (name: string) => ReturnType<NonNullable<typeof DataFactory.variable>>;
const [x, y, z] = [variable('x'), variable('y'), variable('z')];
const a = namedNode('http://example.org/a');
const one = literal('1');

test('reads by variable or name, iterates its entries, and compares by content', () => {
  const bindings = new FastBindings([[x, a], [y, one]]);
  assert.is(bindings.size, 2);
  assert.ok(bindings.get(x)?.equals(a));
  assert.ok(bindings.get('y')?.equals(one));
  assert.is(bindings.get(z), undefined);
  assert.ok(bindings.has('x') && !bindings.has(z));
  assert.equal([...bindings.keys()].map((key) => key.value), ['x', 'y']);
  assert.equal([...bindings].map(([key, term]) => `${key.value}=${term.value}`), ['x=http://example.org/a', 'y=1']);
  assert.ok(bindings.equals(new FastBindings([[y, one], [x, a]])));
  assert.not.ok(bindings.equals(new FastBindings([[x, a]])));
});

test('set, delete, filter and map return new bindings and leave the original alone', () => {
  const bindings = new FastBindings([[x, a]]);
  const more = bindings.set('y', one);
  assert.is(more.size, 2);
  assert.is(bindings.size, 1);
  assert.is(more.delete(x).size, 1);
  assert.is(more.filter((term) => term.termType === 'Literal').size, 1);
  assert.is(more.map(() => one).get(x)?.value, '1');
});

test('merge fails on a conflict; mergeWith resolves it', () => {
  const left = new FastBindings([[x, a], [y, one]]);
  assert.is(left.merge(new FastBindings([[x, one]])), undefined);
  assert.is(left.merge(new FastBindings([[z, one]]))?.size, 3);
  const resolved = left.mergeWith((self) => self, new FastBindings([[x, one], [z, a]]));
  assert.ok(resolved.get(x)?.equals(a));
  assert.ok(resolved.get(z)?.equals(a));
});

test.run();
