/** A data directory of the N-Quads snapshot format (manifest format 1) is read and rewritten in the binary format on the first start. */
import { copyFile, cp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as RDF from '@rdfjs/types';
import { Parser } from 'n3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory } from '../../src/rdf/index.ts';
import { allQuads, open, removeDir, temporaryDir } from './persisted-helpers.ts';
import { assertSameGraph } from './store-contract.ts';

/**
 * Written by the store before binary snapshots (commit db994a3): two datasets with provenance,
 * a language-tagged and a decimal literal, blank nodes, a written graph, and a journal record
 * newer than the manifest (`format-1-journal`). The expected quads are what that version's
 * store served from it.
 */
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

async function expectedQuads(): Promise<RDF.Quad[]> {
  return new Parser({ format: 'N-Quads', factory: DataFactory }).parse(await readFile(join(fixtures, 'format-1-expected.nq'), 'utf8'));
}

test('a store of the N-Quads format opens with the same quads and datasets, then is binary only', async () => {
  const dataDir = await temporaryDir();
  try {
    await cp(join(fixtures, 'format-1'), dataDir, { recursive: true });
    // Kept beside the folder: `*.log` files are not committed.
    await copyFile(join(fixtures, 'format-1-journal'), join(dataDir, 'journal.log'));
    const legacy = JSON.parse(await readFile(join(dataDir, 'manifest.json'), 'utf8')) as { format: number; datasets: Record<string, { version: number }> };
    assert.is(legacy.format, 1);
    const expected = await expectedQuads();
    assert.ok(expected.length > 40, 'the fixture holds the datasets');

    const migrated = await open(dataDir);
    try {
      const manifest = JSON.parse(await readFile(join(dataDir, 'manifest.json'), 'utf8')) as { format: number };
      assert.is(manifest.format, 2, 'rewritten at start-up');
      assertSameGraph(await allQuads(migrated), expected, 'migrated content');
      assert.equal(
        migrated.listDatasets().map((info) => [info.id, info.version]),
        Object.entries(legacy.datasets).map(([id, entry]) => [id, entry.version]),
      );
    } finally {
      await migrated.close();
    }
    const files = await readdir(join(dataDir, 'snapshots'));
    assert.equal(files.filter((name) => !name.endsWith('.bin')), [], 'no N-Quads snapshot is left');

    // The second start reads only the binary files.
    const reopened = await open(dataDir);
    try {
      assertSameGraph(await allQuads(reopened), expected, 'content read back from the binary snapshots');
    } finally {
      await reopened.close();
    }
  } finally {
    await removeDir(dataDir);
  }
});

test.run();
