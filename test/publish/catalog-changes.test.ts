/** The catalog graph's bookkeeping: a dataset's description replaced or removed with it, shared descriptions kept while named. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { catalogChanges, catalogQuads, dropPublishedDataset } from '../../src/publish/index.ts';
import { catalogGraph, catalogIri, DataFactory, datasetIri, importActivityIri, ns, publisherIri } from '../../src/rdf/index.ts';
import { openStore, type VinculoStore } from '../../src/store/index.ts';

const { namedNode, literal, quad, blankNode } = DataFactory;
const base = 'http://example.org/';
const publisher = publisherIri(base, '900000000-1');

/** What an import would describe: the dataset, its activity with a blank checksum node, and the shared publisher. */
function description(id: string, title: string) {
  const dataset = datasetIri(base, id);
  const activity = importActivityIri(base, id);
  const checksum = blankNode('sum');
  return [
    quad(catalogIri(base), ns.dcat('dataset'), dataset),
    quad(dataset, ns.dct('title'), literal(title, 'es')),
    quad(dataset, ns.dct('publisher'), publisher),
    quad(publisher, ns.foaf('name'), literal('Agencia', 'es')),
    quad(activity, ns.prov('used'), checksum),
    quad(checksum, ns.rdfs('label'), literal(`${id}.csv`)),
  ];
}

async function publish(store: VinculoStore, id: string, title: string): Promise<void> {
  const staged = await store.stage(id, [quad(namedNode(`${base}id/x/${id}`), ns.rdfs('label'), literal(id))]);
  await store.commit(staged, catalogChanges(await catalogQuads(store), base, id, description(id, title)));
}

const about = async (store: VinculoStore, subject: string) => (await catalogQuads(store)).filter((item) => item.subject.value === subject);

test('a re-import replaces only its own description; a drop keeps what another dataset still names', async () => {
  const store = await openStore({ baseIRI: base });
  try {
    const catalog = catalogGraph(base);
    await publish(store, 'a', 'A');
    await publish(store, 'b', 'B');
    assert.is(store.countQuads(publisher, null, null, catalog), 1, 'the shared publisher is stated once');
    assert.is(store.countQuads(null, ns.rdfs('label'), null, catalog), 2, 'each import keeps its own blank node');

    const before = await catalogQuads(store);
    const changes = catalogChanges(before, base, 'a', description('a', 'A, second edition'));
    assert.equal(
      changes.remove.map((item) => item.object.value),
      ['A'],
      'only what changed goes: the old title (the blank node, stated alike under its per-dataset label, stays)',
    );
    assert.equal(changes.add.map((item) => item.object.value), ['A, second edition']);
    await store.commit(await store.stage('a', []), changes);
    assert.equal((await about(store, datasetIri(base, 'a').value)).filter((item) => item.predicate.equals(ns.dct('title'))).map((item) => item.object.value), ['A, second edition']);
    assert.is((await about(store, datasetIri(base, 'b').value)).length, 2, 'the other description is untouched');

    assert.ok(await dropPublishedDataset(store, 'a'));
    assert.is((await about(store, datasetIri(base, 'a').value)).length, 0);
    assert.is(store.countQuads(catalogIri(base), ns.dcat('dataset'), datasetIri(base, 'a'), catalog), 0);
    assert.is(store.countQuads(publisher, null, null, catalog), 1, 'b still names the publisher');
    assert.is(store.countQuads(null, ns.rdfs('label'), null, catalog), 1, "a's blank node went with it");

    assert.ok(await dropPublishedDataset(store, 'b'));
    assert.equal(await catalogQuads(store), [], 'nothing is left once no dataset names the publisher');
    assert.not.ok(await dropPublishedDataset(store, 'b'), 'a second drop finds nothing');
  } finally {
    await store.close();
  }
});

test.run();
