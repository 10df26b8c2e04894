/** A crash between logging a change's members and committing its store version: after restart the stream shows none of them. */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { datasetEventStream, pageDocument } from '../../src/ldes/index.ts';
import { openStore } from '../../src/store/index.ts';
import { freshDirectory, projectRoot } from '../catalog/support.ts';

const run = promisify(execFile);

test('members logged for a store version killed before it committed are never shown, and their lines are cut', async () => {
  const dir = await freshDirectory();
  const dataDir = join(dir, 'var');
  const baseIRI = 'http://datos.example.gov.co/';
  let child: { signal?: string; stdout?: string } = {};
  try {
    await run(process.execPath, ['--import', 'tsx', join(projectRoot, 'test/ldes/support/crash-child.ts'), dataDir, baseIRI], { cwd: projectRoot });
  } catch (error) {
    child = error as typeof child;
  }
  assert.is(child.signal, 'SIGKILL');
  assert.match(child.stdout ?? '', /published/);
  const logPath = join(dataDir, 'ldes', 'cosas.jsonl');
  const logged = (await readFile(logPath, 'utf8')).split('\n').filter((line) => line !== '');
  assert.is(logged.length, 4, 'the three first members and the uncommitted fourth were fsync\'d');

  const store = await openStore({ baseIRI, dataDir });
  try {
    assert.is(store.countQuads(null, null, null, store.dataset('cosas')?.graph), 3, 'the killed version did not commit');
    const stream = await datasetEventStream({ store, baseIRI, dataDir, retention: 'all' }, 'cosas');
    assert.is(stream.log.count, 3);
    const page = await pageDocument(baseIRI, stream, 0);
    const versionsOf = (page && 'quads' in page ? page.quads : []).filter((quad) => quad.predicate.value === 'http://purl.org/dc/terms/isVersionOf').map((quad) => quad.object.value);
    assert.equal(versionsOf.sort(), [1, 2, 3].map((n) => `${baseIRI}id/cosa/${n}`));
    assert.is((await readFile(logPath, 'utf8')).split('\n').filter((line) => line !== '').length, 3, 'the uncommitted line was cut');
  } finally {
    await store.close();
  }
});

test.run();
