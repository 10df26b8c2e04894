/** Graph IRIs and dataset ids follow the URI scheme: `{base}graph/{id}`, ids `[a-z0-9-]`, reserved names refused. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BadRequest } from '../../src/errors/index.ts';
import { catalogGraph, datasetGraph, isValidDatasetId, vocabularyGraph } from '../../src/store/index.ts';

test('dataset ids', () => {
  for (const id of ['a', 'contratos-2024', '05001', 'x1-y2']) assert.ok(isValidDatasetId(id), id);
  for (const id of ['', 'A', 'año', 'a_b', '-a', 'a-', 'a/b', 'catalog', 'vocabulary', 'a'.repeat(200)]) {
    assert.not.ok(isValidDatasetId(id), id);
  }
});

test('graph IRIs, with or without a trailing slash on the base', () => {
  for (const base of ['https://datos.example.gov.co/', 'https://datos.example.gov.co']) {
    assert.is(datasetGraph(base, 'secop').value, 'https://datos.example.gov.co/graph/secop');
    assert.is(catalogGraph(base).value, 'https://datos.example.gov.co/graph/catalog');
    assert.is(vocabularyGraph(base).value, 'https://datos.example.gov.co/graph/vocabulary');
  }
  assert.throws(() => datasetGraph('https://x/', 'catalog'), (error: unknown) => error instanceof BadRequest);
});

test.run();
