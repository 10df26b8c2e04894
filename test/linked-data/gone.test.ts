/** Resources of a dropped dataset answer 410 on /id/ and /doc/ even in a URI space a live dataset shares; things that never existed answer 404 on both. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory } from '../../src/rdf/index.ts';
import { awkwardValues, mintAwkwardResources } from './support/awkward-iris.ts';
import { startSite } from './support/server.ts';

const label = DataFactory.namedNode('http://www.w3.org/2000/01/rdf-schema#label');

test('a dropped dataset’s resources are 410 where a live dataset shares the URI space; unknown ones stay 404', async () => {
  const site = await startSite({ datasets: ['municipios'] });
  try {
    // Municipalities of another source, in the same /id/municipio/ space as the live fixture.
    const dropped = ['77777', 'otro%2F1996%200%3A00', 'Bogot%C3%A1%2C%20D.C.', 'Cúcuta'];
    await site.store.putDataset('municipios-viejos', (async function* () {
      for (const code of dropped) yield DataFactory.quad(DataFactory.namedNode(`${site.baseIRI}id/municipio/${code}`), label, DataFactory.literal(code));
    })());
    assert.is((await site.fetch('/id/municipio/77777')).status, 303, 'seen while live');
    await site.store.dropDataset('municipios-viejos');
    for (const code of dropped) {
      const path = new URL(`${site.baseIRI}id/municipio/${code}`).pathname;
      assert.is((await site.fetch(path, { headers: { Accept: 'text/turtle' } })).status, 410, path);
      assert.is((await site.fetch(path.replace('/id/', '/doc/'), { headers: { Accept: 'text/turtle' } })).status, 410, path.replace('/id/', '/doc/'));
    }
    for (const path of ['/id/municipio/99999', '/doc/municipio/99999', '/id/cualquier-cosa/123', '/doc/cualquier-cosa/123']) {
      assert.is((await site.fetch(path, { headers: { Accept: 'text/turtle' } })).status, 404, path);
    }
    assert.is((await site.fetch('/id/municipio/05001')).status, 303, 'a live thing still redirects');
    assert.is((await site.fetch('/dataset/municipios-viejos.ttl')).status, 410);
  } finally {
    await site.close();
  }
});

test('every resource of a dropped dataset with awkward IRIs is 410 on /id/, in URI spaces a live dataset keeps using', async () => {
  const site = await startSite({ datasets: ['municipios'] });
  try {
    const minted = await mintAwkwardResources(site.baseIRI, awkwardValues(11, 60));
    await site.store.putDataset('eventos', (async function* () {
      yield* minted;
    })());
    // One live resource in each URI space the dropped dataset used.
    await site.store.putDataset('vivos', (async function* () {
      for (const space of ['evento', 'categoría', 'crudo']) yield DataFactory.quad(DataFactory.namedNode(`${site.baseIRI}id/${space}/vivo`), label, DataFactory.literal(space));
    })());
    assert.is((await site.fetch('/robots.txt')).status, 200, 'the ledger sees both datasets');
    await site.store.dropDataset('eventos');
    const subjects = [...new Set(minted.map((quad) => quad.subject.value))];
    const statuses = new Map<number, number>();
    for (const iri of subjects) {
      const url = new URL(iri);
      const status = (await site.fetch(`${url.pathname}${url.search}`, { headers: { Accept: 'text/turtle' } })).status;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    assert.equal([...statuses], [[410, subjects.length]]);
    assert.is((await site.fetch('/id/evento/vivo')).status, 303);
    // Subjects are remembered in a Bloom filter (about 1 % false positives) and the base IRI has the
    // server's port, so one never-minted IRI is 410 in about one run in a hundred: of a hundred, all
    // but a few must be 404.
    const neverMinted = new Map<number, number>();
    for (let index = 0; index < 100; index++) {
      const status = (await site.fetch(`/id/evento/nunca-existio-${index}`, { headers: { Accept: 'text/turtle' } })).status;
      neverMinted.set(status, (neverMinted.get(status) ?? 0) + 1);
    }
    assert.ok((neverMinted.get(404) ?? 0) >= 95 && (neverMinted.get(404) ?? 0) + (neverMinted.get(410) ?? 0) === 100, `never-minted IRIs: ${JSON.stringify([...neverMinted])}`);
  } finally {
    await site.close();
  }
});

test.run();
