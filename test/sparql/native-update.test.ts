/**
 * Native SPARQL Update (src/sparql/native-update.ts, native-graph-update.ts): the same sequence of
 * updates through the fast path and through Comunica alone must leave the same quads (blank nodes
 * up to isomorphism) or fail with the same error, in both default-graph modes, and the fast path
 * must have run the operations itself (Comunica's update entry point is counted).
 */
import type * as RDF from '@rdfjs/types';
import { QueryEngine } from '@comunica/query-sparql-rdfjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory } from '../../src/rdf/index.ts';
import { createSparqlEngine, parseSparql, type SparqlLimits } from '../../src/sparql/index.ts';
import { runNativeUpdate } from '../../src/sparql/native-update.ts';
import type { VinculoStore } from '../../src/store/index.ts';
import { describeDifference, sameGraph } from '../support/graphs.ts';
import { ex, people } from './support/data.ts';
import { memoryStore } from './support/memory-store.ts';

const limits: SparqlLimits = { timeoutMs: 10_000, maxResultRows: 10_000, maxQueryLength: 10_000, serviceAllowlist: [] };
const prologue = 'PREFIX ex: <http://example.org/>\n';
const modes = ['union', 'store'] as const;

// Every update Comunica runs passes through queryVoid: counting its calls shows what the fast path left to it.
let comunicaUpdates = 0;
const queryVoid = QueryEngine.prototype.queryVoid;
QueryEngine.prototype.queryVoid = function (this: QueryEngine, ...args: Parameters<QueryEngine['queryVoid']>) {
  comunicaUpdates++;
  return queryVoid.apply(this, args);
};

const { blankNode, literal, namedNode, quad } = DataFactory;
const xsdInteger = namedNode('http://www.w3.org/2001/XMLSchema#integer');

/**
 * people(5) (g1, g2, the default graph) and a third graph. No stored blank nodes: Comunica reads
 * them as request-scoped nodes (`_:x` comes back as `_:bc_0_x`), so a copy it makes is another
 * node, where Update §3.2.3 (COPY is INSERT … WHERE over the store) and the fast path keep the
 * node; that is tested on its own below. Blank nodes made by templates are compared up to isomorphism.
 */
function fixture(): RDF.Quad[] {
  return [...people(5), quad(ex('bogota'), ex('population'), literal('7968095', xsdInteger), ex('g3'))];
}

const noOpScenario = 'COPY and MOVE onto themselves';

/** Each scenario runs on fresh twin stores; its updates one request at a time. */
const scenarios: Record<string, readonly string[]> = {
  'DELETE/INSERT in sequence': [
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
  ],
  'INSERT template blank nodes, fresh per solution': [
    'INSERT { GRAPH ex:g4 { _:b ex:of ?p ; ex:called ?n . [] ex:seen ?n } } WHERE { GRAPH ex:g1 { ?p ex:name ?n } }',
    // The same label in a second operation is another node; so is a template node against stored ones.
    'INSERT { GRAPH ex:g4 { _:b ex:of ?p } } WHERE { GRAPH ex:g2 { ?p ex:label ?l } } ; INSERT { _:b ex:again ?p } WHERE { GRAPH ex:g1 { ?p ex:knows ?o } }',
  ],
  'INSERT DATA blank nodes, fresh per request': [
    'INSERT DATA { _:a ex:p 1 . _:a ex:q _:c . _:c ex:r [ ex:s 2 ] }',
    'INSERT DATA { GRAPH ex:g5 { _:a ex:p 1 } }',
    // Moved, not copied: the nodes stay one copy each.
    'MOVE DEFAULT TO ex:g6 ; MOVE ex:g5 TO DEFAULT',
  ],
  'CLEAR and DROP of one graph': ['CLEAR GRAPH ex:g1', 'CLEAR SILENT GRAPH ex:missing ; DROP GRAPH ex:g2', 'DROP SILENT GRAPH ex:missing'],
  'CLEAR DEFAULT': ['CLEAR DEFAULT'],
  'DROP DEFAULT, then NAMED': ['DROP SILENT DEFAULT', 'DROP NAMED'],
  'CLEAR NAMED': ['CLEAR NAMED'],
  'CLEAR ALL': ['CLEAR ALL'],
  'DROP SILENT ALL, then inserts': ['DROP SILENT ALL ; INSERT DATA { GRAPH ex:g1 { ex:a ex:b 1 } }'],
  CREATE: ['CREATE GRAPH ex:new ; CREATE SILENT GRAPH ex:g1 ; INSERT DATA { GRAPH ex:new { ex:a ex:b 1 } }'],
  'ADD between graphs and the default graph': ['ADD ex:g1 TO ex:g2', 'ADD DEFAULT TO ex:g3', 'ADD SILENT ex:g2 TO DEFAULT', 'ADD ex:missing TO ex:g1', 'ADD ex:g3 TO ex:g3'],
  'COPY between graphs and the default graph': ['COPY ex:g1 TO ex:g2', 'COPY DEFAULT TO ex:g3', 'COPY SILENT ex:g2 TO DEFAULT', 'COPY ex:missing TO ex:g1'],
  [noOpScenario]: ['COPY ex:g1 TO ex:g1 ; MOVE SILENT ex:g2 TO ex:g2 ; COPY DEFAULT TO DEFAULT ; MOVE DEFAULT TO DEFAULT'],
  'MOVE between graphs and the default graph': ['MOVE ex:g1 TO ex:g2', 'MOVE DEFAULT TO ex:g1', 'MOVE SILENT ex:g3 TO DEFAULT', 'MOVE ex:missing TO ex:g2'],
  'graph operations in one request, each seeing the earlier ones': [
    'COPY ex:g1 TO ex:g6 ; INSERT { GRAPH ex:g6 { ?p ex:mark "copied" } } WHERE { GRAPH ex:g6 { ?p ex:name ?n } } ; MOVE ex:g6 TO ex:g7 ; ADD ex:g7 TO DEFAULT ; CLEAR GRAPH ex:g1 ; DELETE WHERE { ?p ex:mark ?m }',
  ],
};

async function contents(store: VinculoStore): Promise<RDF.Quad[]> {
  const quads: RDF.Quad[] = [];
  for await (const stored of store.exportQuads()) quads.push(stored);
  return quads;
}

/** What an update did: nothing to report, or the error it failed with (class and message). */
async function outcome(work: Promise<void>): Promise<string> {
  try {
    await work;
    return 'ok';
  } catch (error) {
    return `${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
}

for (const defaultGraph of modes) {
  test(`native updates leave the store as Comunica does ('${defaultGraph}' default graph)`, async () => {
    for (const [name, updates] of Object.entries(scenarios)) {
      const native = await memoryStore(fixture());
      const general = await memoryStore(fixture());
      const fast = createSparqlEngine({ store: native, limits, defaultGraph });
      const comunica = createSparqlEngine({ store: general, limits, defaultGraph, fastPath: false });
      const before = await contents(native);
      for (const text of updates) {
        const calls = comunicaUpdates;
        assert.is(await outcome(fast.update(prologue + text)), await outcome(comunica.update(prologue + text)), `${name}: ${text}`);
        assert.is(comunicaUpdates - calls, 1, `${name}: only the Comunica engine used Comunica for ${text}`);
        const [nativeQuads, generalQuads] = [await contents(native), await contents(general)];
        assert.ok(sameGraph(nativeQuads, generalQuads), `${name}: ${text}: ${describeDifference(nativeQuads, generalQuads)}`);
      }
      // Each scenario changes the store, but a COPY or MOVE onto its own source is nothing at all.
      assert.is(sameGraph(await contents(native), before), name === noOpScenario, `${name}: changed as expected`);
      await native.close();
      await general.close();
    }
  });
}

/** Requests that fail: both engines must refuse them with the same error and leave the store as it was. */
const refusals: ReadonlyArray<{ readonly text: string; readonly scope?: readonly string[] }> = [
  { text: 'CLEAR DEFAULT', scope: ['http://example.org/g1'] },
  { text: 'CLEAR ALL', scope: ['http://example.org/g1'] },
  { text: 'CLEAR NAMED', scope: ['http://example.org/g1'] },
  { text: 'DROP GRAPH ex:g2', scope: ['http://example.org/g1'] },
  { text: 'COPY ex:g1 TO ex:empty', scope: ['http://example.org/g1'] },
  { text: 'ADD ex:g2 TO ex:g1 ; ADD ex:g1 TO ex:g2', scope: ['http://example.org/g1'] },
  { text: 'MOVE ex:g2 TO ex:g1', scope: ['http://example.org/g1'] },
  { text: 'MOVE ex:g1 TO DEFAULT', scope: ['http://example.org/g1'] },
  { text: 'CLEAR GRAPH ex:g1 ; INSERT { GRAPH ex:g4 { _:b ex:of ?p } } WHERE { GRAPH ex:g2 { ?p ?q ?o } }', scope: ['http://example.org/g1'] },
  // A graph emptied, refilled and emptied again, then a refusal: undo puts each state back in turn.
  { text: 'CLEAR GRAPH ex:g1 ; INSERT DATA { GRAPH ex:g1 { ex:a ex:b 1 } } ; MOVE ex:g1 TO ex:g1b ; CLEAR GRAPH ex:g1 ; INSERT DATA { GRAPH ex:g1 { ex:c ex:d 2 } } ; CLEAR DEFAULT', scope: ['http://example.org/g1', 'http://example.org/g1b'] },
  // The catalog graph holds a quad: clearing every graph would reach it.
  { text: 'CLEAR ALL' },
  { text: 'DROP NAMED' },
  { text: 'COPY ex:g1 TO <http://example.org/graph/catalog>' },
  { text: 'MOVE <http://example.org/graph/vocabulary> TO ex:g1' },
  { text: 'CREATE GRAPH ex:g1' },
  { text: 'INSERT DATA { ex:a ex:b 1 } ; CREATE GRAPH ex:g3' },
];

for (const defaultGraph of modes) {
  test(`refused graph operations fail as through Comunica and change nothing ('${defaultGraph}' default graph)`, async () => {
    const data = [...fixture(), quad(ex('catalog'), ex('title'), literal('Catálogo'), ex('graph/catalog'))];
    const native = await memoryStore(data);
    const general = await memoryStore(data);
    const fast = createSparqlEngine({ store: native, limits, defaultGraph });
    const comunica = createSparqlEngine({ store: general, limits, defaultGraph, fastPath: false });
    for (const { text, scope } of refusals) {
      const refused = await outcome(fast.update(prologue + text, { scope }));
      assert.ok(refused.startsWith('Forbidden: ') || refused.startsWith('BadRequest: '), `${text}: ${refused}`);
      assert.is(refused, await outcome(comunica.update(prologue + text, { scope })), text);
      assert.ok(sameGraph(await contents(native), data), `${text} left changes`);
    }
    await native.close();
    await general.close();
  });
}

test('the fast path runs every kind of update itself, without Comunica', async () => {
  const store = await memoryStore(fixture());
  const index = store.quadIndex as NonNullable<VinculoStore['quadIndex']>;
  const engine = createSparqlEngine({ store, limits, defaultGraph: 'union' });
  const kinds = [
    'INSERT DATA { GRAPH ex:g1 { ex:x ex:y 1 } }',
    'INSERT DATA { _:n ex:p 1 }',
    'DELETE DATA { GRAPH ex:g1 { ex:x ex:y 1 } }',
    'INSERT { GRAPH ex:g4 { _:b ex:of ?p } } WHERE { GRAPH ex:g1 { ?p ex:name ?n } }',
    'DELETE WHERE { GRAPH ex:g4 { ?b ex:of ?p } }',
    'CREATE SILENT GRAPH ex:g1',
    'ADD ex:g1 TO ex:g5',
    'COPY ex:g5 TO ex:g6',
    'MOVE ex:g6 TO ex:g7',
    'CLEAR GRAPH ex:g7',
    'DROP SILENT GRAPH ex:g5',
    'COPY DEFAULT TO ex:g8',
    'CLEAR DEFAULT',
    'DROP NAMED',
    'CLEAR ALL',
  ];
  for (const text of kinds) {
    const { algebra } = parseSparql(prologue + text, { expect: 'update' });
    let ran = false;
    await store.write(async (destination) => {
      ran = await runNativeUpdate(algebra, { destination, index, defaultGraph: 'union', expired: () => new Promise<never>(() => undefined) });
    });
    assert.ok(ran, `the fast path declined ${text}`);
    const calls = comunicaUpdates;
    await engine.update(prologue + text);
    assert.is(comunicaUpdates, calls, `the engine handed ${text} to Comunica`);
  }
  assert.is(store.countQuads(), 0);
  // A WHERE clause the fast path declines (a SERVICE-free one it cannot plan) still goes to Comunica.
  const calls = comunicaUpdates;
  await engine.update(`${prologue}INSERT { ex:a ex:b ?v } WHERE { BIND(BNODE("label") AS ?v) }`);
  assert.is(comunicaUpdates, calls + 1);
  assert.is(store.countQuads(), 1);
  await store.close();
});

test('stored blank nodes stay the same node when ADD, COPY, MOVE or a WHERE clause copies them', async () => {
  for (const defaultGraph of modes) {
    const stored = blankNode('stored');
    const store = await memoryStore([quad(stored, ex('knows'), ex('person/1'), ex('g1')), quad(stored, ex('name'), literal('someone'), ex('g1'))]);
    const engine = createSparqlEngine({ store, limits, defaultGraph });
    await engine.update(`${prologue}ADD ex:g1 TO ex:g2 ; COPY ex:g1 TO ex:g3 ; COPY ex:g3 TO ex:g4 ; MOVE ex:g4 TO DEFAULT`);
    await engine.update(`${prologue}INSERT { GRAPH ex:g5 { ?s ex:copied ?o } } WHERE { GRAPH ex:g1 { ?s ex:knows ?o } }`);
    for (const graph of [ex('g1'), ex('g2'), ex('g3'), DataFactory.defaultGraph()]) assert.is(store.countQuads(stored, null, null, graph), 2, `${defaultGraph}: ${graph.value}`);
    assert.is(store.countQuads(stored, ex('copied'), ex('person/1'), ex('g5')), 1);
    assert.is(store.countQuads(), 9);
    await store.close();
  }
});

test('INSERT DATA: one label is one new node across GRAPH blocks, never a stored node (Update §3.1.1)', async () => {
  for (const defaultGraph of modes) {
    const store = await memoryStore([quad(blankNode('e_b'), ex('p'), ex('o'), ex('g1'))]);
    const engine = createSparqlEngine({ store, limits, defaultGraph });
    await engine.update(`${prologue}INSERT DATA { GRAPH ex:g1 { _:b ex:p ex:o } GRAPH ex:g2 { _:b ex:p ex:o } }`);
    const subjects = (graph: string) => store.countQuads(null, ex('p'), ex('o'), ex(graph));
    assert.is(subjects('g1'), 2, 'the stored node and the new one');
    const [inG2] = await contents(store).then((quads) => quads.filter((stored) => stored.graph.equals(ex('g2'))));
    assert.is(store.countQuads(inG2?.subject, null, null, ex('g1')), 1, 'the node in g2 is the new node of g1');
    await store.close();
  }
});

test.run();
