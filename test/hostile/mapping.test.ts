/** Hostile tables and mappings through the import pipeline: malformed CSV, broken mappings, traversal and remote sources; the store stays as it was. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { publishMapping } from '../../src/publish/index.ts';
import { fingerprint, type HostileSite, startCanary, startHostileSite, Tally } from './support/site.ts';

let site: HostileSite;
let dir = '';
let before = '';
const tally = new Tally();
let crashes = 0;

function mapping(source: string, id = 'hostil'): string {
  return `dataset:
  id: ${id}
  title: { es: Prueba hostil }
prefixes:
  rdfs: http://www.w3.org/2000/01/rdf-schema#
mappings:
  fila:
    sources:
      - ['${source}~csv']
    s: id/fila/$(codigo)
    po:
      - [rdfs:label, $(nombre), es~lang]
`;
}

/** Imports `files` (written into the allowed folder); returns the error message, or undefined when it was accepted. */
async function tryImport(files: Record<string, string | Buffer>, mappingName = 'hostil.yml'): Promise<string | undefined> {
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  const config = { ...site.config, sourceDirs: [dir] };
  try {
    await publishMapping(join(dir, mappingName), { config, store: site.store, say: () => undefined, force: true, errorPolicy: 'fail' });
    return undefined;
  } catch (error) {
    if (!(error instanceof Error) || error.message === '') crashes += 1;
    return error instanceof Error ? error.message : String(error);
  }
}

test.before(async () => {
  site = await startHostileSite();
  dir = await mkdtemp(join(tmpdir(), 'vinculo-hostile-mapping-'));
  before = await fingerprint(site.store);
});

test.after(async () => {
  const after = await fingerprint(site.store);
  console.log(tally.summary('hostile mapping', crashes, after === before ? 0 : 1));
  await site.close();
  await rm(dir, { recursive: true, force: true });
});

test('malformed CSV fails the import with a message and changes nothing', async () => {
  const cases: Record<string, string | Buffer> = {
    'unbalanced quotes': 'codigo,nombre\n1,"Bogotá\n2,Cali\n',
    'ragged rows': 'codigo,nombre\n1,Bogotá,extra,cells\n2\n',
    'invalid UTF-8 in the middle': Buffer.concat([Buffer.from('codigo,nombre\n1,'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('\n')]),
    'NUL bytes': 'codigo,nombre\n1,a\u0000b\n',
  };
  for (const [what, csv] of Object.entries(cases)) {
    const message = await tryImport({ 'tabla.csv': csv, 'hostil.yml': mapping('tabla.csv') });
    const ok = message !== undefined && message.length > 0;
    tally.record(`csv ${what}`, ok, message ?? 'accepted');
    assert.ok(ok, `${what}: ${message ?? 'was accepted'}`);
    assert.is(await fingerprint(site.store), before, what);
  }
});

test('a 1 MB cell is mapped or refused without crashing, in bounded time', async () => {
  const started = Date.now();
  const message = await tryImport({ 'tabla.csv': `codigo,nombre\n1,${'x'.repeat(1 << 20)}\n`, 'hostil.yml': mapping('tabla.csv', 'celda-grande') });
  const ok = Date.now() - started < 20_000;
  tally.record('1 MB cell', ok, message ?? 'accepted');
  assert.ok(ok);
  if (message === undefined) {
    assert.ok(site.store.dataset('celda-grande'), 'an accepted import is published');
    await site.store.dropDataset('celda-grande');
  }
  before = await fingerprint(site.store);
});

test('malformed mappings are refused with a message', async () => {
  const cases: Record<string, string> = {
    'not YAML': 'mappings: [unclosed\n  - {',
    'YAML bomb': `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n`,
    'no mappings': 'dataset:\n  id: vacio\n',
    'bad dataset id': mapping('tabla.csv', '../../etc'),
    'empty file': '',
  };
  for (const [what, text] of Object.entries(cases)) {
    const message = await tryImport({ 'tabla.csv': 'codigo,nombre\n1,a\n', 'roto.yml': text }, 'roto.yml');
    const ok = message !== undefined;
    tally.record(`mapping ${what}`, ok, message ?? 'accepted');
    assert.ok(ok, `${what} was accepted`);
  }
  assert.is(await fingerprint(site.store), before);
});

test('sources outside the allowed folders, and remote sources, are refused without a request', async () => {
  const canary = await startCanary();
  try {
    for (const source of ['../../../../etc/passwd', '/etc/passwd', '..%2f..%2fetc%2fpasswd', `${canary.url}/tabla.csv`, 'file:///etc/passwd']) {
      const message = await tryImport({ 'hostil.yml': mapping(source) });
      const ok = message !== undefined && !message.includes('root:x:0:0');
      tally.record(`source ${source}`, ok, message ?? 'accepted');
      assert.ok(ok, `${source}: ${message ?? 'accepted'}`);
    }
    assert.equal(canary.hits, []);
  } finally {
    await canary.close();
  }
  assert.is(await fingerprint(site.store), before);
});

test.run();
