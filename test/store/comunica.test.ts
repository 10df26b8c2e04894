/** Comunica reads the store as `sources: [store]` and updates it through the write() target. */
import { QueryEngine } from '@comunica/query-sparql-rdfjs';
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { datasetGraph, openStore } from '../../src/store/index.ts';
import { base, sampleQuads, streamOf } from './store-contract.ts';

const engine = new QueryEngine();
const graphA = datasetGraph(base, 'a');
const graphB = datasetGraph(base, 'b');

async function bindings(query: string, source: RDF.Store<RDF.Quad>): Promise<RDF.Bindings[]> {
  const stream = await engine.queryBindings(query, { sources: [source] });
  return stream.toArray();
}

test('one SELECT joins across two dataset graphs', async () => {
  const store = await openStore({ baseIRI: base });
  try {
    await store.putDataset('a', streamOf(sampleQuads('a', 3)));
    await store.putDataset('b', streamOf(sampleQuads('b', 2)));
    const rows = await bindings(`SELECT ?g ?s WHERE { GRAPH ?g { ?s <${base}id/value> ?o } }`, store);
    const graphs = rows.map((row) => row.get('g')?.value);
    assert.is(rows.length, 5);
    assert.is(graphs.filter((graph) => graph === graphA.value).length, 3);
    assert.is(graphs.filter((graph) => graph === graphB.value).length, 2);
    const joined = await bindings(
      `SELECT ?s WHERE { GRAPH <${graphA.value}> { ?s ?p ?o } GRAPH <${graphB.value}> { ?t ?p ?o2 } FILTER(STRENDS(STR(?s), "a1")) }`,
      store,
    );
    assert.is(joined.length, 2, 'a1 joins with both b quads on the shared predicate');
  } finally {
    await store.close();
  }
});

test('SPARQL Update through write(): INSERT DATA, DELETE WHERE, DROP GRAPH', async () => {
  const store = await openStore({ baseIRI: base });
  try {
    await store.putDataset('a', streamOf(sampleQuads('a', 3)));
    await store.putDataset('b', streamOf(sampleQuads('b', 2)));
    const before = store.dataset('a')?.version ?? 0;
    await store.write((target) =>
      engine.queryVoid(
        `INSERT DATA { GRAPH <${graphA.value}> { <${base}id/x> <${base}id/value> "x" } };
         DELETE WHERE { GRAPH <${graphA.value}> { <${base}id/a0> ?p ?o } };
         DROP GRAPH <${graphB.value}>`,
        { sources: [target] },
      ),
    );
    assert.is(store.countQuads(null, null, null, graphA), 3);
    assert.is(store.countQuads(foreignNamedNode(`${base}id/x`), null, null, graphA), 1);
    assert.is(store.countQuads(foreignNamedNode(`${base}id/a0`), null, null, null), 0);
    assert.is(store.countQuads(null, null, null, graphB), 0);
    assert.ok((store.dataset('a')?.version ?? 0) > before);
    const failed = await store
      .write(async (target) => {
        await engine.queryVoid(`INSERT DATA { GRAPH <${graphA.value}> { <${base}id/y> <${base}id/value> "y" } }`, {
          sources: [target],
        });
        throw new Error('abort');
      })
      .catch((error: Error) => error.message);
    assert.is(failed, 'abort');
    assert.is(store.countQuads(foreignNamedNode(`${base}id/y`)), 0, 'the aborted update was undone');
  } finally {
    await store.close();
  }
});

/** A term from no factory at all: the store must take any RDF/JS term, not only N3's. */
function foreignNamedNode(iri: string): RDF.NamedNode {
  return { termType: 'NamedNode', value: iri, equals: (other) => other?.termType === 'NamedNode' && other.value === iri };
}

test.run();
