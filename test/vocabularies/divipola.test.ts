/** DIVIPOLA as linked data: the shipped sample, and the official export selected with one setting. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as RDF from '@rdfjs/types';
import { parse } from 'csv-parse/sync';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { publishMapping } from '../../src/cli/publish.ts';
import { loadConfig } from '../../src/config/index.ts';
import { DataFactory, ns } from '../../src/rdf/index.ts';
import { openStore } from '../../src/store/index.ts';
import { projectRoot } from '../cli/run-cli.ts';

const realExport = join(projectRoot, '..', 'shared', 'data', 'colombia', 'divipola-dane', 'DIVIPOLA.csv');
const mapping = join(projectRoot, 'mappings', 'divipola.yml');
const say = () => undefined;

async function published(env: NodeJS.ProcessEnv) {
  const config = await loadConfig({ cwd: projectRoot, env });
  const store = await openStore({ baseIRI: config.baseIRI });
  await publishMapping(mapping, { config, store, say });
  return { config, store };
}

test('the sample: Medellín is a concept of the scheme, narrower than Antioquia, code with its leading zero', async () => {
  const { config, store } = await published({});
  const medellin = `${config.baseIRI}kos/divipola/05001`;
  const values = (predicate: RDF.NamedNode) =>
    [...(store.match(DataFactory.namedNode(medellin), predicate, null, null) as unknown as Iterable<RDF.Quad>)].map((quad) => quad.object.value);
  assert.equal(values(ns.skos('prefLabel')), ['MEDELLÍN']);
  assert.equal(values(ns.skos('notation')), ['05001']);
  assert.equal(values(ns.skos('broader')), [`${config.baseIRI}kos/divipola/05`]);
  assert.equal(values(ns.skos('inScheme')), [`${config.baseIRI}kos/divipola`]);
  await store.close();
});

test('VINCULO_DIVIPOLA_SOURCE points the shipped mapping at the official export: every municipality is there', async () => {
  const rows = parse(await readFile(realExport, 'utf8'), { columns: true }) as Array<Record<string, string>>;
  const expectedMunicipalities = new Set(rows.map((row) => row['Código Municipio']));
  const expectedDepartments = new Set(rows.map((row) => row['Código Departamento']));
  const { config, store } = await published({ VINCULO_DIVIPOLA_SOURCE: realExport });
  const concepts = new Set(
    [...(store.match(null, ns.skos('notation'), null, null) as unknown as Iterable<RDF.Quad>)]
      .map((quad) => quad.subject.value)
      .filter((iri) => iri.startsWith(`${config.baseIRI}kos/divipola/`)),
  );
  const municipalities = [...concepts].filter((iri) => /\/\d{5}$/.test(iri));
  const departments = [...concepts].filter((iri) => /\/\d{2}$/.test(iri));
  assert.is(municipalities.length, expectedMunicipalities.size);
  assert.is(departments.length, expectedDepartments.size);
  assert.ok(municipalities.length > 1_100, `the export has ${municipalities.length} municipalities`);
  await store.close();
});

test.run();
