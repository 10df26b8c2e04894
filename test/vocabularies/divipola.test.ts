/** DIVIPOLA as linked data: the shipped sample, and the official export selected with one setting. */
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import type * as RDF from '@rdfjs/types';
import { parse } from 'csv-parse/sync';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { publishMapping } from '../../src/publish/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { linkedData } from '../../src/http/linked-data.ts';
import { DataFactory, ns, parseRdfToArray } from '../../src/rdf/index.ts';
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

test('/kos/divipola/05001 answers 303 to its document, which says Medellín and links its department', async () => {
  const { store } = await published({});
  const server: Server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const site = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const dataDir = await mkdtemp(join(tmpdir(), 'vinculo-kos-'));
  // The store's IRIs use the configured base; the router maps paths onto it.
  const app = express().use(linkedData({ store, baseIRI: store.baseIRI, dataDir }));
  server.on('request', app);
  try {
    const redirect = await fetch(`${site}kos/divipola/05001`, { redirect: 'manual', headers: { accept: 'text/turtle' } });
    assert.is(redirect.status, 303);
    assert.is(redirect.headers.get('location'), '/doc/kos/divipola/05001');
    const document = await fetch(new URL(redirect.headers.get('location') ?? '', site), { headers: { accept: 'text/turtle' } });
    assert.is(document.status, 200);
    const quads = await parseRdfToArray(await document.text(), { format: 'turtle', baseIRI: store.baseIRI });
    const medellin = `${store.baseIRI}kos/divipola/05001`;
    const about = (predicate: RDF.NamedNode) => quads.filter((quad) => quad.subject.value === medellin && quad.predicate.equals(predicate)).map((quad) => quad.object.value);
    assert.equal(about(ns.skos('prefLabel')), ['MEDELLÍN']);
    assert.equal(about(ns.skos('broader')), [`${store.baseIRI}kos/divipola/05`]);
  } finally {
    server.closeAllConnections();
    server.close();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
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
