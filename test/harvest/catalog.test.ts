/** `vinculo harvest PORTAL --catalog`: the portal's DCAT-US `/data.json` lists its datasets; agency and category filters select exactly some, and each selected one is harvested (past another's failure). */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { listPortalDatasets, SocrataClient, selectDatasets } from '../../src/harvest/index.ts';
import { freshDirectory } from '../catalog/support.ts';
import { runCli } from '../cli/run-cli.ts';
import { bibliotecaCells, bibliotecas } from './support/fixture.ts';
import { type PortalDataset, startSocrataServer } from './support/socrata-server.ts';

const like = (id: string, changes: Partial<PortalDataset>): PortalDataset => ({ ...bibliotecas, id, ...changes });

/** Five datasets: two by the education ministry in two categories, one by a city in Education, one by the culture ministry, one listed from another portal. */
const portalDatasets: [PortalDataset, ...PortalDataset[]] = [
  like('educ-0001', { name: 'Matrícula por sede', attribution: 'Ministerio de Educación Nacional', category: 'Educación' }),
  like('educ-0002', { name: 'Contratos del ministerio', attribution: 'MINISTERIO DE EDUCACION NACIONAL', category: 'Gastos Gubernamentales' }),
  like('medl-0003', { name: 'Colegios de Medellín', attribution: 'Alcaldía de Medellín', category: 'Educación' }),
  like('cult-0004', { name: 'Bibliotecas', attribution: 'Ministerio de Cultura', category: 'Cultura' }),
  // An entry of a federated catalog: the same agency and category, on a host nobody allowed.
  like('fede-0005', { name: 'Sedes en otro portal', attribution: 'Ministerio de Educación Nacional', category: 'educacion', listedAt: 'http://portal.invalid' }),
];

async function startPortal() {
  const portal = await startSocrataServer(...portalDatasets);
  for (const dataset of portalDatasets) for (let n = 1; n <= 12; n++) portal.table(dataset.id).addRow(bibliotecaCells(n));
  return portal;
}

test('the DCAT-US listing gives every dataset with its agency and categories; filters ignore case and accents, agency by part of the name, category whole', async () => {
  const portal = await startPortal();
  try {
    const listing = await listPortalDatasets(`${portal.origin}/browse?category=x`, new SocrataClient({ allowedHosts: [portal.host] }));
    assert.equal(
      listing.datasets.map((dataset) => [dataset.socrataId, dataset.agency, dataset.categories]),
      portalDatasets.map((dataset) => [dataset.id, dataset.attribution, [dataset.category]]),
    );
    assert.is(listing.datasets[0]?.url, `${portal.origin}/d/educ-0001`, 'the landing page is the dataset URL');
    const ids = (filter: Parameters<typeof selectDatasets>[1]) => selectDatasets(listing.datasets, filter).map((dataset) => dataset.socrataId);
    assert.equal(ids({ agencies: ['educación nacional'] }), ['educ-0001', 'educ-0002', 'fede-0005']);
    assert.equal(ids({ categories: ['EDUCACION'] }), ['educ-0001', 'medl-0003', 'fede-0005']);
    assert.equal(ids({ categories: ['educa'] }), [], 'a category matches whole');
    assert.equal(ids({ agencies: ['Educación Nacional'], categories: ['educación'] }), ['educ-0001', 'fede-0005']);
    assert.equal(ids({ agencies: ['cultura', 'medellin'] }), ['medl-0003', 'cult-0004'], 'any of several agencies');
    assert.equal(ids({}), portalDatasets.map((dataset) => dataset.id));
  } finally {
    await portal.close();
  }
});

test('vinculo harvest PORTAL --catalog --agency --category harvests exactly the selected datasets, and reports the one it may not reach', async () => {
  const portal = await startPortal();
  const dir = await freshDirectory();
  try {
    const args = ['harvest', portal.origin, '--catalog', '--agency', 'educacion nacional', '--category', 'EDUCACIÓN', '--data-dir', join(dir, 'var')];
    const dry = await runCli([...args, '--dry-run']);
    assert.is(dry.status, 0, dry.stderr);
    const listed = dry.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { socrataId: string }).socrataId);
    assert.equal(listed, ['educ-0001', 'fede-0005']);
    assert.is(portal.resourceRequests.length, 0, 'a dry run harvests nothing');

    const run = await runCli(args);
    assert.is(run.status, 1, 'one selected dataset failed');
    const results = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { url: string; datasetId: string; kind: string; rowsAdded: number });
    assert.equal(
      results.map((result) => [result.url, result.kind, result.rowsAdded]),
      [[`${portal.origin}/d/educ-0001`, 'full', 12]],
    );
    assert.equal([...new Set(portal.resourceDatasets)], ['educ-0001'], 'rows were asked for the selected dataset only');
    assert.match(run.stderr, /educ-0001 {2}Matrícula por sede {2}\(Ministerio de Educación Nacional; Educación\)/);
    assert.match(run.stderr, /http:\/\/portal\.invalid\/d\/fede-0005: harvest failed.*not an allowed harvest host/);
  } finally {
    await portal.close();
  }
});

test.run();
