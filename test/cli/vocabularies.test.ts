/** The vocabulary graph is rewritten only when the vocabulary files changed, also when two files state the same triple. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { publishVocabularies } from '../../src/publish/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { openStore } from '../../src/store/index.ts';

test('an unchanged vocabulary folder with a repeated triple is not rewritten', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vinculo-vocabularies-'));
  try {
    const shared = '<http://example.org/def#Thing> <http://www.w3.org/2000/01/rdf-schema#label> "cosa"@es .\n';
    await writeFile(join(dir, 'a.ttl'), `${shared}<http://example.org/def#a> <http://www.w3.org/2000/01/rdf-schema#label> "a" .\n`);
    await writeFile(join(dir, 'b.ttl'), `${shared}[] <http://www.w3.org/2000/01/rdf-schema#label> "anónimo" .\n`);
    const config = await loadConfig({ cwd: dir, env: {}, flags: { baseIRI: 'http://example.org/' } });
    const store = await openStore({ baseIRI: 'http://example.org/' });
    const said: string[] = [];
    const options = { config: { ...config, vocabularies: dir }, store, say: (message: string) => said.push(message) };
    assert.is(await publishVocabularies(options), 4);
    assert.equal(said, ['vocabularies: 4 triples from 2 files']);
    const versionAfterFirst = store.version;
    await publishVocabularies(options);
    assert.equal(said.length, 1, 'the second publication found the graph unchanged');
    assert.is(store.version, versionAfterFirst);
    assert.is(store.countQuads(null, null, null, null), 3);
    await writeFile(join(dir, 'a.ttl'), shared);
    await publishVocabularies(options);
    assert.is(said.length, 2, 'a changed file rewrites the graph');
    assert.is(store.countQuads(null, null, null, null), 2);
    await store.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
