/** The guide's linter: each rule on a fixture that breaks it once, silence on the shipped mappings, and `vinculo validate`. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../src/config/index.ts';
import { type LintVocabulary, type LintWarning, lintMapping, loadMapping, readLintVocabulary } from '../../src/mapping/index.ts';
import { literalShape } from '../../src/mapping/lint.ts';
import { uriPatternProblems } from '../../src/mapping/lint-uri.ts';
import { projectRoot, runCli } from '../cli/run-cli.ts';
import { base, workspace } from '../mapping/helpers.ts';

const fixtures = join(projectRoot, 'test', 'lint', 'fixtures');
const ruleBreaker = join(fixtures, 'rule-breaker.yml');
const projectBase = 'http://localhost:3030/';
const noVocabulary: LintVocabulary = { defined: new Set(), specialised: new Set(), unreadable: [] };

async function lintFixture(vocabulary?: LintVocabulary): Promise<LintWarning[]> {
  const plan = await loadMapping(ruleBreaker, { baseIRI: projectBase, allowedDirs: [fixtures] });
  return lintMapping(plan, { baseIRI: projectBase, vocabulary: vocabulary ?? (await readLintVocabulary(join(projectRoot, 'vocabularies'), projectBase)) });
}

test('the rule breaker gets exactly one warning per rule, each naming the file and its triples map', async () => {
  const warnings = await lintFixture();
  const summary = warnings.map((warning) => `${warning.rule} ${warning.triplesMap}`).sort();
  assert.equal(summary, ['duplicate-standard-term departamento', 'undefined-term region', 'untyped-literal municipio', 'uri-pattern alcaldia'], JSON.stringify(warnings, null, 1));
  for (const warning of warnings) assert.is(warning.file, ruleBreaker);
  const byRule = new Map(warnings.map((warning) => [warning.rule, warning]));
  assert.match(byRule.get('uri-pattern')!.message, /Medell/);
  assert.match(byRule.get('uri-pattern')!.message, /not lowercase ASCII/);
  assert.match(byRule.get('uri-pattern')!.suggestion!, /vfn:slug/);
  assert.match(byRule.get('duplicate-standard-term')!.message, /example\.org\/def\/municipal#nombre/);
  assert.match(byRule.get('duplicate-standard-term')!.suggestion!, /rdfs:label/);
  assert.match(byRule.get('undefined-term')!.message, /class <http:\/\/localhost:3030\/def\/territorio#Region>/);
  assert.match(byRule.get('untyped-literal')!.message, /territorio#poblacion> values look like numbers \(4 of 4/);
  assert.match(byRule.get('untyped-literal')!.suggestion!, /xsd:integer/);
});

test('vocabulary knowledge silences undefined terms and deliberate specialisations of standard terms', async () => {
  const project = await readLintVocabulary(join(projectRoot, 'vocabularies'), projectBase);
  const nombre = 'http://example.org/def/municipal#nombre';
  const defined = new Set([...project.defined, `${projectBase}def/territorio#Region`, nombre]);
  const warnings = await lintFixture({ defined, specialised: new Set([nombre]), unreadable: [] });
  assert.equal(warnings.map((warning) => warning.rule).sort(), ['untyped-literal', 'uri-pattern']);
  // With no vocabulary at all, the territorial terms the fixture uses are undefined too.
  const bare = await lintFixture(noVocabulary);
  assert.ok(bare.some((warning) => warning.rule === 'undefined-term' && warning.message.includes('territorio#Municipio')));
  assert.is(bare.filter((warning) => warning.message.includes(nombre)).length, 1, 'an ad-hoc duplicate is listed once, not again as undefined');
});

test('the shipped sample mappings give no warnings with the project configuration', async () => {
  const config = await loadConfig({ cwd: projectRoot, env: {} });
  const vocabulary = await readLintVocabulary(config.vocabularies, config.baseIRI);
  assert.equal(vocabulary.unreadable, []);
  for (const name of ['municipios.yml', 'divipola.yml']) {
    const plan = await loadMapping(join(config.mappings[0]!, name), { baseIRI: config.baseIRI, allowedDirs: config.sourceDirs, sourceOverrides: config.sourceOverrides });
    const warnings = await lintMapping(plan, { baseIRI: config.baseIRI, vocabulary });
    assert.equal(warnings, [], `${name}: ${JSON.stringify(warnings, null, 1)}`);
  }
});

test('URI rules: spaces, shapes, lowercase references, extensions, query strings, versions', () => {
  const kinds = (path: string) => uriPatternProblems(path).map((problem) => problem.kind).sort();
  for (const good of ['id/municipio/05001', 'id/entidad/899999027-8', 'kos/divipola/05001', 'kos/divipola', 'def/territorio#Municipio', 'def/territorio', 'dataset/gdxc-w37w', 'graph/municipios']) {
    assert.equal(kinds(good), [], good);
  }
  assert.equal(kinds('id/municipio/Medellín'), ['not-lowercase']);
  assert.equal(kinds('id/municipio/05001.json'), ['extension']);
  assert.equal(kinds('id/municipio?codigo=05001'), ['query', 'shape']);
  assert.equal(kinds('id/v2/municipio'), ['version']);
  assert.equal(kinds('id/municipio/antioquia/05001'), ['shape']);
  assert.equal(kinds('municipios/05001'), ['space']);
  assert.equal(kinds('id/municipio/'), ['shape']);
  assert.equal(kinds('kos/divipola/05001#x'), ['shape']);
});

test('literal shapes: dates and numbers, but codes with leading zeros are neither', () => {
  for (const date of ['2023-01-31', '31/01/2023', '1/2/2023', '2023-01-31T10:20:00Z', '2023-05-01T00:00:00.000']) assert.is(literalShape(date), 'date', date);
  for (const number of ['1234', '1.234.567', '12,5', '-3.5', '0', '0,5', '1,234,567.25']) assert.is(literalShape(number), 'number', number);
  for (const other of ['05001', '05', 'Medellín', '12 años', '899999027-8', '']) assert.is(literalShape(other), undefined, other);
});

test('templates are checked as written, and one triples map gets one uri-pattern warning for all its problems', async () => {
  const space = await workspace({
    'datos.csv': 'codigo\n101\n102\n',
    'mapa.yml': `mappings:\n  archivo:\n    sources: [['datos.csv~csv']]\n    s: id/v1/municipios.csv?codigo=$(codigo)\n    po:\n      - [http://www.w3.org/2000/01/rdf-schema#label, $(codigo), es~lang]\n`,
  });
  try {
    const warnings = await lintMapping(await space.load('mapa.yml'), { baseIRI: base, vocabulary: noVocabulary });
    assert.is(warnings.length, 1, JSON.stringify(warnings));
    const [warning] = warnings;
    assert.is(warning!.rule, 'uri-pattern');
    assert.is(warning!.triplesMap, 'archivo');
    for (const expected of [/template "id\/v1\/municipios\.csv\?codigo=\{codigo\}"/, /query string/, /file extension/, /version number/]) assert.match(warning!.message, expected);
    assert.match(warning!.suggestion!, /query string/);
  } finally {
    await space.close();
  }
});

test('untyped literals: flagged from 80% of the sample, never for codes or identifiers; the sample size is honoured', async () => {
  const rows = ['codigo,fecha,mezcla,nombre', '05001,31/01/2023,10,A', '05002,01/02/2023,20,B', '05003,2023-02-03,30,C', '05004,2023-02-04,muchos,D'];
  for (let i = 0; i < 6; i++) rows.push(`0600${i},2023-03-0${i + 1},4${i},Nombre Con Mayúsculas`);
  const rdfs = 'http://www.w3.org/2000/01/rdf-schema#';
  const space = await workspace({
    'datos.csv': `${rows.join('\n')}\n`,
    'mapa.yml': [
      'mappings:',
      '  registro:',
      "    sources: [['datos.csv~csv']]",
      '    s: id/registro/$(nombre)',
      '    po:',
      `      - [${rdfs}comment, $(codigo)]`,
      `      - [${rdfs}label, $(fecha)]`,
      `      - [${rdfs}seeAlso, $(mezcla)]`,
      `      - [http://www.w3.org/2004/02/skos/core#notation, $(mezcla)]`,
      '',
    ].join('\n'),
  });
  try {
    const plan = await space.load('mapa.yml');
    const vocabulary: LintVocabulary = { defined: new Set(['http://www.w3.org/2004/02/skos/core#notation']), specialised: new Set(), unreadable: [] };
    const all = await lintMapping(plan, { baseIRI: base, vocabulary });
    const untyped = all.filter((warning) => warning.rule === 'untyped-literal');
    // fecha: 10 of 10 dates; mezcla: 9 of 10 numbers (90%) on rdfs:seeAlso, but skos:notation is an identifier.
    assert.equal(untyped.map((warning) => /<([^>]+)>/.exec(warning.message)?.[1]).sort(), [`${rdfs}label`, `${rdfs}seeAlso`]);
    assert.ok(untyped.some((warning) => warning.message.includes('look like dates (10 of 10')));
    assert.ok(untyped.some((warning) => warning.message.includes('look like numbers (9 of 10')));
    assert.ok(all.some((warning) => warning.rule === 'uri-pattern'));
    // Over the first four records, mezcla is 3 of 4 numbers (75%): below the threshold.
    const sampled = await lintMapping(plan, { baseIRI: base, vocabulary, sampleSize: 4 });
    const seeAlso = sampled.filter((warning) => warning.rule === 'untyped-literal' && warning.message.includes('seeAlso'));
    assert.equal(seeAlso, []);
  } finally {
    await space.close();
  }
});

test('vocabulary files of any RDF syntax are read with relative IRIs against the base; a broken one is reported, not thrown', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vinculo-lint-vocab-'));
  try {
    await writeFile(join(dir, 'a.ttl'), '<def/x#Cosa> a <http://www.w3.org/2002/07/owl#Class> .\n<def/x#nombre> <http://www.w3.org/2000/01/rdf-schema#subPropertyOf> <http://www.w3.org/2000/01/rdf-schema#label> .\n');
    await writeFile(join(dir, 'b.nt'), '<http://example.org/y#p> <http://www.w3.org/2000/01/rdf-schema#label> "p" .\n');
    await writeFile(join(dir, 'c.jsonld'), JSON.stringify({ '@id': 'http://example.org/z#Q', 'http://www.w3.org/2000/01/rdf-schema#label': 'q' }));
    await writeFile(join(dir, 'd.ttl'), '<broken');
    await writeFile(join(dir, 'README.md'), '# not RDF\n');
    const vocabulary = await readLintVocabulary(dir, base);
    for (const term of [`${base}def/x#Cosa`, `${base}def/x#nombre`, 'http://example.org/y#p', 'http://example.org/z#Q']) assert.ok(vocabulary.defined.has(term), term);
    assert.equal([...vocabulary.specialised], [`${base}def/x#nombre`]);
    assert.equal(
      vocabulary.unreadable.map((entry) => entry.file),
      [join(dir, 'd.ttl')],
    );
    const missing = await readLintVocabulary(join(dir, 'nowhere'), base);
    assert.is(missing.unreadable.length, 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('vinculo validate prints the warnings as "warning FILE [triples map]: message (suggestion)" and exits 0', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vinculo-lint-cli-'));
  try {
    const config = join(dir, 'vinculo.config.json');
    await writeFile(config, JSON.stringify({ sourceDirs: [fixtures], vocabularies: join(projectRoot, 'vocabularies') }));
    const result = await runCli(['validate', '--config', config, ruleBreaker]);
    assert.is(result.status, 0, result.stdout + result.stderr);
    const lines = result.stdout.split('\n').filter((line) => line.startsWith('warning '));
    assert.is(lines.length, 4, result.stdout);
    for (const map of ['municipio', 'alcaldia', 'departamento', 'region']) {
      assert.ok(
        lines.some((line) => line.startsWith(`warning ${ruleBreaker} [${map}]: `) && / \(.+\)$/.test(line)),
        `${map}: ${result.stdout}`,
      );
    }
    assert.match(result.stdout, new RegExp(`^ok ${ruleBreaker.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
