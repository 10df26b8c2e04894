/** Crash recovery of the persisted store: acknowledged writes, torn journals, corrupt files, the lock, compaction. */
import { appendFile, copyFile, mkdir, readdir, readFile, rmdir, stat, symlink, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StorageError } from '../../src/errors/index.ts';
import { DataFactory } from '../../src/rdf/index.ts';
import { datasetGraph, type EmbeddedStore } from '../../src/store/index.ts';
import { allQuads, crashCopy, open, removeDir, temporaryDir } from './persisted-helpers.ts';
import { assertSameGraph, base, ex, inGraph, sampleQuads, settled, streamOf } from './store-contract.ts';
import { rejection } from '../support/rejection.ts';

const { quad, literal } = DataFactory;
const graphA = datasetGraph(base, 'a');
const graphB = datasetGraph(base, 'b');

function insertion(label: string, graph: RDF.Quad_Graph = graphA): RDF.Quad {
  return quad(ex(label), ex('value'), literal(label), graph);
}

async function insert(store: EmbeddedStore, ...quads: RDF.Quad[]): Promise<void> {
  await store.write(async (target) => settled(target.import(Readable.from(quads))));
}


/** Runs `body` with a fresh data directory and an open store on it; cleans both up. */
async function withStore(body: (store: EmbeddedStore, dataDir: string) => Promise<void>): Promise<void> {
  const dataDir = await temporaryDir();
  const store = await open(dataDir);
  try {
    await body(store, dataDir);
  } finally {
    await store.close().catch(() => undefined);
    await removeDir(dataDir);
  }
}

/** Opens a crash copy, runs `check` on it, then closes it and removes the copy. */
async function afterCrash(
  copy: string,
  check: (store: EmbeddedStore, warnings: string[]) => Promise<void>,
): Promise<void> {
  const warnings: string[] = [];
  try {
    const store = await open(copy, { warn: (message) => warnings.push(message) });
    try {
      await check(store, warnings);
    } finally {
      await store.close();
    }
  } finally {
    await removeDir(copy);
  }
}

test('every acknowledged write survives a crash (journal replay)', async () => {
  await withStore(async (store, dataDir) => {
    await store.putDataset('a', streamOf(sampleQuads('a', 3)));
    await store.putDataset('b', streamOf(sampleQuads('b', 2)));
    await insert(store, insertion('w1'));
    await store.write(async (target) => settled(target.removeMatches(ex('a0'), null, null, graphA)));
    await insert(store, insertion('w2'), insertion('default', DataFactory.defaultGraph()));
    assert.ok((await stat(join(dataDir, 'journal.log'))).size > 0, 'the writes are in the journal');
    const expected = await allQuads(store);
    const datasets = store.listDatasets();
    await afterCrash(await crashCopy(dataDir), async (recovered, warnings) => {
      assert.equal(warnings, []);
      assertSameGraph(await allQuads(recovered), expected, 'recovered state');
      assert.equal(recovered.listDatasets(), datasets);
      assert.is(recovered.version, store.version);
    });
  });
});

test('a torn last journal record is cut with a warning; everything before it loads', async () => {
  await withStore(async (store, dataDir) => {
    await store.putDataset('a', streamOf(sampleQuads('a', 2)));
    await insert(store, insertion('w1'));
    await insert(store, insertion('w2'));
    const journal = join(dataDir, 'journal.log');
    const beforeLast = (await stat(journal)).size;
    await insert(store, insertion('w3'));
    const full = (await stat(journal)).size;
    // Cut points: inside the length line, inside the checksum line, inside the payload, one byte short.
    for (const cut of [beforeLast + 1, beforeLast + 10, beforeLast + 90, full - 1]) {
      const copy = await crashCopy(dataDir);
      await truncate(join(copy, 'journal.log'), cut);
      await afterCrash(copy, async (recovered, warnings) => {
        assert.is(warnings.length, 1, `one warning at cut ${cut}`);
        assert.match(warnings[0] ?? '', /journal.*torn/);
        assert.is(recovered.countQuads(ex('w1')), 1);
        assert.is(recovered.countQuads(ex('w2')), 1);
        assert.is(recovered.countQuads(ex('w3')), 0, 'the torn record is not applied');
        assert.is((await stat(join(copy, 'journal.log'))).size, beforeLast, 'the tail is cut on disk');
        await insert(recovered, insertion('w4'));
      });
    }
  });
});

test('a journal tail of zeros (crash after the file grew) is cut too', async () => {
  await withStore(async (store, dataDir) => {
    await insert(store, insertion('w1'));
    const copy = await crashCopy(dataDir);
    await appendFile(join(copy, 'journal.log'), Buffer.alloc(4096));
    await afterCrash(copy, async (recovered, warnings) => {
      assert.is(warnings.length, 1);
      assert.is(recovered.countQuads(ex('w1')), 1);
    });
  });
});

test('a last record whose bytes are garbled in place (length intact) is treated as torn', async () => {
  await withStore(async (store, dataDir) => {
    await insert(store, insertion('w1'));
    await insert(store, insertion('w2'));
    const copy = await crashCopy(dataDir);
    const path = join(copy, 'journal.log');
    const bytes = await readFile(path);
    bytes.fill(0, bytes.length - 20);
    await writeFile(path, bytes);
    await afterCrash(copy, async (recovered, warnings) => {
      assert.is(warnings.length, 1);
      assert.match(warnings[0] ?? '', /checksum/);
      assert.is(recovered.countQuads(ex('w1')), 1);
      assert.is(recovered.countQuads(ex('w2')), 0);
    });
  });
});

test('a damaged record followed by intact ones stops start-up, naming the journal', async () => {
  await withStore(async (store, dataDir) => {
    await insert(store, insertion('w1'));
    await insert(store, insertion('w2'));
    const copy = await crashCopy(dataDir);
    const path = join(copy, 'journal.log');
    const bytes = await readFile(path);
    const at = bytes.indexOf('w1');
    bytes[at] = 'W'.charCodeAt(0);
    await writeFile(path, bytes);
    const error = await rejection(open(copy));
    assert.instance(error, StorageError);
    assert.ok(error.message.includes(path), error.message);
    await removeDir(copy);
  });
});

test('a full disk under the journal fails the write with StorageError and undoes it', async () => {
  const dataDir = await temporaryDir();
  try {
    const first = await open(dataDir);
    await first.putDataset('a', streamOf(sampleQuads('a', 2)));
    await first.close();
    await unlink(join(dataDir, 'journal.log'));
    // Every write to /dev/full fails with ENOSPC, as a full disk would.
    await symlink('/dev/full', join(dataDir, 'journal.log'));
    const store = await open(dataDir);
    const version = store.version;
    const error = await rejection(insert(store, insertion('lost')));
    assert.instance(error, StorageError);
    assert.match(error.message, /journal/);
    assert.is(store.countQuads(ex('lost')), 0, 'the change was undone');
    assert.is(store.version, version);
    assert.is(store.countQuads(null, null, null, graphA), 2);
    await store.close();
  } finally {
    await removeDir(dataDir);
  }
});

test('a put whose snapshot cannot be written fails with StorageError and changes nothing', async () => {
  await withStore(async (store, dataDir) => {
    const info = await store.putDataset('a', streamOf(sampleQuads('old', 3)));
    // The next checkpoint's temporary file name is taken by a directory, so creating it fails.
    const blocker = join(dataDir, 'snapshots', `a-${store.version + 1}.bin.tmp`);
    await mkdir(blocker);
    const error = await rejection(store.putDataset('a', streamOf(sampleQuads('new', 5))));
    assert.instance(error, StorageError);
    assert.equal(store.dataset('a'), info);
    assert.is(store.countQuads(null, null, null, graphA), 3);
    await rmdir(blocker);
    await afterCrash(await crashCopy(dataDir), async (recovered) => {
      assertSameGraph(await allQuads(recovered), inGraph(sampleQuads('old', 3), graphA), 'old version on disk');
    });
    await store.putDataset('a', streamOf(sampleQuads('new', 5)));
    assert.is(store.countQuads(null, null, null, graphA), 5);
  });
});

/** The sections a binary snapshot's header lists (it ends with the header's length in its last 8 bytes). */
function sectionsOf(file: Buffer): Array<{ name: string; offset: number; bytes: number }> {
  const headerLength = file.readUInt32LE(file.length - 8);
  const header = JSON.parse(file.subarray(file.length - 8 - headerLength, file.length - 8).toString('utf8')) as {
    sections: Array<{ name: string; offset: number; bytes: number }>;
  };
  return header.sections;
}

test('a flipped byte in any section of any snapshot stops start-up, naming file and section', async () => {
  const dataDir = await temporaryDir();
  try {
    const store = await open(dataDir);
    await store.putDataset('a', streamOf(sampleQuads('a', 50)));
    await store.putDataset('b', streamOf(sampleQuads('b', 5)));
    await store.close();
    const files = (await readdir(join(dataDir, 'snapshots'))).sort();
    assert.ok(files.some((name) => name.startsWith('a-')) && files.some((name) => name.startsWith('_terms-')), files.join(' '));
    let damaged = 0;
    for (const name of files) {
      const path = join(dataDir, 'snapshots', name);
      const original = await readFile(path);
      const sections = sectionsOf(original);
      const headerStart = original.length - 8 - original.readUInt32LE(original.length - 8);
      const damages: Array<[string, number]> = [
        ...sections.filter((section) => section.bytes > 0).map((section): [string, number] => [section.name, section.offset + (section.bytes >> 1)]),
        ['header', headerStart + 1],
      ];
      for (const [section, at] of damages) {
        const copy = Buffer.from(original);
        copy[at] = (copy[at] as number) ^ 0x01;
        await writeFile(path, copy);
        const error = await rejection(open(dataDir));
        assert.instance(error, StorageError, `${name} ${section}`);
        assert.ok(error.message.includes(path) && error.message.includes(`section ${section}`), `${name} ${section}: ${error.message}`);
        damaged++;
      }
      await writeFile(path, original.subarray(0, original.length - 3));
      const truncated = await rejection(open(dataDir));
      assert.ok(truncated.message.includes(path), `${name} truncated: ${truncated.message}`);
      await writeFile(path, original);
    }
    // Graph files hold 15 arrays (3 permutations of 5), dictionary segments 3, and each its header.
    assert.ok(damaged >= 2 * 16 + 4, `${damaged} damages tried`);
    const reopened = await open(dataDir);
    assert.is(reopened.countQuads(null, null, null, graphA), 50, 'the lock was released by failed opens');
    await reopened.close();
  } finally {
    await removeDir(dataDir);
  }
});

test('a corrupt manifest stops start-up naming it', async () => {
  const dataDir = await temporaryDir();
  try {
    const store = await open(dataDir);
    await store.putDataset('a', streamOf(sampleQuads('a', 1)));
    await store.close();
    const path = join(dataDir, 'manifest.json');
    await writeFile(path, '{"format": 1, "seq": ');
    const error = await rejection(open(dataDir));
    assert.instance(error, StorageError);
    assert.ok(error.message.includes(path), error.message);
  } finally {
    await removeDir(dataDir);
  }
});

test('a data directory is locked against a second open; a dead process lock is taken over', async () => {
  const dataDir = await temporaryDir();
  try {
    const store = await open(dataDir);
    const error = await rejection(open(dataDir));
    assert.instance(error, StorageError);
    assert.match(error.message, String(process.pid));
    await store.close();
    const finished = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    await writeFile(join(dataDir, 'lock'), `${finished.stdout.toString()}\n`);
    const again = await open(dataDir);
    assert.is((await readFile(join(dataDir, 'lock'), 'utf8')).trim(), String(process.pid));
    await again.close();
    // A previous incarnation with our pid (a restarted container's pid 1) left its lock behind.
    await writeFile(join(dataDir, 'lock'), `${process.pid}\n`);
    const restarted = await open(dataDir);
    await restarted.close();
  } finally {
    await removeDir(dataDir);
  }
});

test('compaction past the journal limit snapshots changed graphs and empties the journal', async () => {
  const dataDir = await temporaryDir();
  const store = await open(dataDir, { journalLimit: 1 });
  try {
    await store.putDataset('a', streamOf(sampleQuads('a', 2)));
    await insert(store, insertion('w1'), insertion('other', ex('graph')));
    assert.is((await stat(join(dataDir, 'journal.log'))).size, 0);
    const expected = await allQuads(store);
    await afterCrash(await crashCopy(dataDir), async (recovered) => {
      assertSameGraph(await allQuads(recovered), expected, 'compacted state');
      assert.is(recovered.dataset('a')?.version, store.dataset('a')?.version);
    });
  } finally {
    await store.close();
    await removeDir(dataDir);
  }
});

test('journal records older than the manifest are not replayed (crash before the journal was emptied)', async () => {
  await withStore(async (store, dataDir) => {
    await store.putDataset('a', streamOf(sampleQuads('old', 3)));
    await insert(store, insertion('x'));
    const beforePut = await crashCopy(dataDir);
    await store.putDataset('a', streamOf(sampleQuads('new', 2)));
    const afterPut = await crashCopy(dataDir);
    await copyFile(join(beforePut, 'journal.log'), join(afterPut, 'journal.log'));
    await removeDir(beforePut);
    await afterCrash(afterPut, async (recovered) => {
      assertSameGraph(
        await allQuads(recovered),
        inGraph(sampleQuads('new', 2), graphA),
        'exactly the new version, without the older journaled insert',
      );
    });
  });
});

test('leftovers of an interrupted checkpoint are removed on start-up', async () => {
  await withStore(async (store, dataDir) => {
    await store.putDataset('b', streamOf(sampleQuads('b', 2)));
    const copy = await crashCopy(dataDir);
    await writeFile(join(copy, 'snapshots', 'a-99.bin.tmp'), 'half');
    await writeFile(join(copy, 'snapshots', 'a-98.bin'), '');
    await writeFile(join(copy, 'manifest.json.tmp'), '{');
    await afterCrash(copy, async (recovered) => {
      assert.equal(
        (await readdir(join(copy, 'snapshots'))).filter((name) => name.startsWith('a-')),
        [],
      );
      assert.is(recovered.countQuads(null, null, null, graphB), 2);
      assert.is(recovered.dataset('a'), undefined);
    });
  });
});

test.run();
