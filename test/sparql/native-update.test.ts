/**
 * Native SPARQL Update (src/sparql/native-update.ts): the same sequence of updates through the
 * fast path and through Comunica alone must leave the same quads, and the fast path must have run
 * the operations it covers itself.
 */
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSparqlEngine, parseSparql, type SparqlLimits } from '../../src/sparql/index.ts';
import { runNativeUpdate } from '../../src/sparql/native-update.ts';
import type { VinculoStore } from '../../src/store/index.ts';
import { people } from './support/data.ts';
import { memoryStore } from './support/memory-store.ts';

const limits: SparqlLimits = { timeoutMs: 5_000, maxResultRows: 10_000, maxQueryLength: 10_000, serviceAllowlist: [] };
const prologue = 'PREFIX ex: <http://example.org/>\n';

const updates = [
  'INSERT DATA { GRAPH ex:g1 { <http://example.org/person/1> ex:age 41 . <http://example.org/person/2> ex:age "39"^^<http://www.w3.org/2001/XMLSchema#integer> } ex:loose ex:age 7 }',
  'DELETE DATA { GRAPH ex:g1 { <http://example.org/person/0> ex:name "Person 0" } }',
  // Sequential: this WHERE sees the ages just inserted.
  'DELETE { GRAPH ex:g1 { ?p ex:age ?a } } INSERT { GRAPH ex:g2 { ?p ex:age ?a ; ex:adult true } } WHERE { GRAPH ex:g1 { ?p ex:age ?a FILTER(?a > 40) } }',
  'WITH ex:g1 DELETE { ?p ex:name ?n } INSERT { ?p ex:label ?n } WHERE { ?p ex:name ?n FILTER(CONTAINS(?n, "3")) }',
  'DELETE WHERE { GRAPH ex:g2 { ?p ex:adult ?flag } }',
  'INSERT { GRAPH ex:g3 { ?p ex:copied ?o ; ex:unbound ?missing } } USING ex:g1 WHERE { ?p ?q ?o }',
  // Deletions before insertions: the quads stay.
  'DELETE { GRAPH ex:g1 { ?p ex:label ?n } } INSERT { GRAPH ex:g1 { ?p ex:label ?n } } WHERE { GRAPH ex:g1 { ?p ex:label ?n } }',
  'INSERT DATA { GRAPH ex:g1 { ex:a ex:b "x" } } ; DELETE { GRAPH ex:g1 { ?s ex:b ?o } } WHERE { GRAPH ex:g1 { ?s ex:b ?o } } ; INSERT DATA { GRAPH ex:g1 { ex:a ex:b "y" } }',
];

async function allQuads(store: VinculoStore): Promise<string[]> {
  const engine = createSparqlEngine({ store, limits, defaultGraph: 'union', fastPath: false });
  const result = await engine.query('SELECT ?g ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }');
  if (result.type !== 'bindings') throw new Error('expected bindings');
  const rows: string[] = [];
  const term = (value: RDF.Term | undefined) => (value ? `${value.termType}:${value.value}:${value.termType === 'Literal' ? (value as RDF.Literal).datatype.value : ''}` : '-');
  for await (const row of result.bindings) rows.push(['g', 's', 'p', 'o'].map((name) => term(row.get(name))).join(' '));
  return rows.sort();
}

test('updates on the fast path leave the store as Comunica does', async () => {
  const native = await memoryStore(people(5));
  const general = await memoryStore(people(5));
  const fast = createSparqlEngine({ store: native, limits, defaultGraph: 'union' });
  const comunica = createSparqlEngine({ store: general, limits, defaultGraph: 'union', fastPath: false });
  const before = await allQuads(native);
  for (const text of updates) {
    await fast.update(prologue + text);
    await comunica.update(prologue + text);
    assert.equal(await allQuads(native), await allQuads(general), text);
  }
  assert.not.equal(await allQuads(native), before);
  await native.close();
  await general.close();
});

test('the fast path runs DELETE/INSERT itself, and leaves blank-node templates to Comunica', async () => {
  const store = await memoryStore(people(3));
  const index = store.quadIndex as NonNullable<VinculoStore['quadIndex']>;
  const run = async (text: string) => {
    const { algebra } = parseSparql(prologue + text, { expect: 'update' });
    let ran = false;
    await store.write(async (destination) => {
      ran = await runNativeUpdate(algebra, { destination, index, defaultGraph: 'union', expired: () => new Promise<never>(() => undefined) });
    });
    return ran;
  };
  assert.ok(await run('DELETE { GRAPH ex:g1 { ?p ex:name ?n } } WHERE { GRAPH ex:g1 { ?p ex:name ?n } }'));
  assert.is((await allQuads(store)).filter((row) => row.includes(" NamedNode:http://example.org/name: ")).length, 0);
  assert.ok(await run('INSERT DATA { GRAPH ex:g1 { ex:x ex:y 1 } }'));
  assert.not.ok(await run('INSERT { GRAPH ex:g1 { _:b ex:of ?p } } WHERE { GRAPH ex:g1 { ?p ex:y ?v } }'));
  assert.not.ok(await run('CLEAR GRAPH ex:g1'));
  await store.close();
});

test.run();
