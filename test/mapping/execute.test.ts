/** Running mappings: error policies, joins, refused paths, invalid mappings, the report. */
import { join } from 'node:path';
import type * as RDF from '@rdfjs/types';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Forbidden } from '../../src/errors/index.ts';
import { executeMapping, loadMapping, MappingError } from '../../src/mapping/index.ts';
import { base, objectsOf, run, workspace, yarrrml } from './helpers.ts';

const csv = 'id,age,name\n1,33,Ana\n2,treinta,Luis\n3,40,Eva\n';
const m = yarrrml('data.csv~csv', 'ex:$(id)', ['[ex:age, $(age), xsd:integer]', '[ex:name, $(name)]']);

test('skip-term (default) drops only the bad term and reports file:line:column', async () => {
  const space = await workspace({ 'data.csv': csv, 'm.yml': m });
  try {
    const { quads, problems, report } = await run(await space.load('m.yml'));
    assert.equal(objectsOf(quads, 'http://example.org/name'), ['Ana', 'Luis', 'Eva']);
    assert.equal(objectsOf(quads, 'http://example.org/age'), ['33^^xsd:integer', '40^^xsd:integer']);
    assert.is(problems.length, 1);
    assert.equal({ ...problems[0], message: undefined }, {
      kind: 'invalid-datatype-value',
      message: undefined,
      file: join(space.dir, 'data.csv'),
      line: 3,
      column: 'age',
      triplesMap: 'thing',
    });
    assert.equal(report, { rowsRead: 3, rowsDropped: 0, triplesWritten: 5, problems: { 'invalid-datatype-value': 1 }, sources: [join(space.dir, 'data.csv')] });
  } finally {
    await space.close();
  }
});

test('skip-row drops every triple of the bad row', async () => {
  const space = await workspace({ 'data.csv': csv, 'm.yml': m });
  try {
    const { quads, report } = await run(await space.load('m.yml'), { errorPolicy: 'skip-row' });
    assert.equal(objectsOf(quads, 'http://example.org/name'), ['Ana', 'Eva']);
    assert.is(report.triplesWritten, 4);
  } finally {
    await space.close();
  }
});

test('fail stops the stream with a MappingError naming file:line:column', async () => {
  const space = await workspace({ 'data.csv': csv, 'm.yml': m });
  try {
    const plan = await space.load('m.yml');
    let error: unknown;
    try {
      await run(plan, { errorPolicy: 'fail' });
    } catch (caught) {
      error = caught;
    }
    assert.instance(error, MappingError);
    assert.ok((error as Error).message.startsWith(`${join(space.dir, 'data.csv')}:3:age`), (error as Error).message);
    assert.is((error as MappingError).status, 400);
  } finally {
    await space.close();
  }
});

test('the mapping file can ask for a policy (errorPolicy:), an option overrides it', async () => {
  const space = await workspace({ 'data.csv': csv, 'm.yml': `errorPolicy: skip-row\n${m}` });
  try {
    const plan = await space.load('m.yml');
    assert.is((await run(plan)).report.triplesWritten, 4);
    assert.is((await run(plan, { errorPolicy: 'skip-term' })).report.triplesWritten, 5);
  } finally {
    await space.close();
  }
});

test('referencing object maps join on the parent by hash (many children, one parent each)', async () => {
  const mapping = `prefixes:
  ex: http://example.org/
mappings:
  municipio:
    sources:
      - ['m.csv~csv']
    s: ex:m/$(code)
    po:
      - p: ex:dept
        o:
          mapping: departamento
          condition:
            function: equal
            parameters:
              - [str1, $(dept)]
              - [str2, $(dcode)]
  departamento:
    sources:
      - ['d.csv~csv']
    s: ex:d/$(dcode)
`;
  const space = await workspace({
    'm.csv': 'code,dept\n05001,05\n05002,05\n08001,08\n99999,77\n',
    'd.csv': 'dcode,name\n05,Antioquia\n08,Atlántico\n',
    'm.yml': mapping,
  });
  try {
    const { quads } = await run(await space.load('m.yml'));
    const links = quads.filter((quad) => quad.predicate.value === 'http://example.org/dept').map((quad) => `${quad.subject.value} ${quad.object.value}`);
    assert.equal(links.sort(), ['http://example.org/m/05001 http://example.org/d/05', 'http://example.org/m/05002 http://example.org/d/05', 'http://example.org/m/08001 http://example.org/d/08']);
  } finally {
    await space.close();
  }
});

test('a source outside the allowed folders is refused (Forbidden), also through ../', async () => {
  const space = await workspace({ 'data.csv': csv, 'm.yml': yarrrml('../../etc/passwd~csv', 'ex:$(id)', ['[ex:name, $(name)]']) });
  try {
    await loadMapping(join(space.dir, 'm.yml'), { baseIRI: base, allowedDirs: [space.dir] }).then(
      () => assert.unreachable('should refuse'),
      (error: Error) => {
        assert.instance(error, Forbidden);
        assert.match(error.message, 'outside the allowed data folders');
      },
    );
  } finally {
    await space.close();
  }
});

test('an invalid mapping names the file, the triples map and the problem', async () => {
  const space = await workspace({ 'data.csv': csv, 'm.yml': yarrrml('data.csv~csv', 'ex:$(id)', ['[ex:name, $(name), english~lang]']) });
  try {
    await space.load('m.yml').then(
      () => assert.unreachable('should refuse'),
      (error: Error) => {
        assert.instance(error, MappingError);
        assert.match(error.message, join(space.dir, 'm.yml'));
        assert.match(error.message, 'triples map thing');
        assert.match(error.message, '"english" is not a valid language tag');
      },
    );
  } finally {
    await space.close();
  }
});

test('a column the header lacks is a missing-reference problem on each row, fatal under fail', async () => {
  const space = await workspace({ 'data.csv': csv, 'm.yml': yarrrml('data.csv~csv', 'ex:$(id)', ['[ex:name, $(nombre)]', '[ex:age, $(age)]']) });
  try {
    const plan = await space.load('m.yml');
    const { problems, quads } = await run(plan);
    assert.equal(
      problems.map((problem) => [problem.kind, problem.line, problem.column]),
      [
        ['missing-reference', 2, 'nombre'],
        ['missing-reference', 3, 'nombre'],
        ['missing-reference', 4, 'nombre'],
      ],
    );
    assert.equal(objectsOf(quads, 'http://example.org/age'), ['33', 'treinta', '40']);
    await run(plan, { errorPolicy: 'fail' }).then(
      () => assert.unreachable('should fail'),
      (error: Error) => assert.match(error.message, `${join(space.dir, 'data.csv')}:2:nombre`),
    );
  } finally {
    await space.close();
  }
});

test('RML-Core Turtle mappings load too, with JSON natural datatypes and graph maps', async () => {
  const ttl = `@prefix rml: <http://w3id.org/rml/> .
@prefix ex: <http://example.org/> .
<#Map> a rml:TriplesMap;
  rml:logicalSource [ rml:source [ a rml:RelativePathSource; rml:root rml:MappingDirectory; rml:path "d.json" ];
    rml:referenceFormulation rml:JSONPath; rml:iterator "$.items[*]" ];
  rml:subjectMap [ rml:template "id/item/{$.id}"; rml:graph ex:g ];
  rml:predicateObjectMap [ rml:predicate ex:count; rml:objectMap [ rml:reference "$.n" ] ] .
`;
  const space = await workspace({ 'd.json': JSON.stringify({ items: [{ id: 'a', n: 3 }, { id: 'b', n: 2.5 }] }), 'm.ttl': ttl });
  try {
    const { quads } = await run(await space.load('m.ttl'));
    assert.equal(objectsOf(quads, 'http://example.org/count'), ['3^^xsd:integer', '2.5^^xsd:double']);
    assert.ok(quads.every((quad) => quad.graph.value === 'http://example.org/g'));
    assert.is(quads[0]?.subject.value, `${base}id/item/a`);
  } finally {
    await space.close();
  }
});

test('the dataset block is validated and errors name the key', async () => {
  const bad = `dataset:\n  title: T\n  description: D\n  publisher: { name: DANE, nit: "12-34" }\n${m}`;
  const space = await workspace({ 'data.csv': csv, 'm.yml': bad });
  try {
    await space.load('m.yml').then(
      () => assert.unreachable('should refuse'),
      (error: Error) => assert.match(error.message, 'dataset.publisher.nit'),
    );
  } finally {
    await space.close();
  }
});

test('stopping early still settles the report with what was generated', async () => {
  const space = await workspace({ 'data.csv': csv, 'm.yml': m });
  try {
    const execution = executeMapping(await space.load('m.yml'));
    for await (const _quad of execution.quads) break;
    const report = await execution.report;
    assert.is(report.rowsRead, 1);
    assert.is(report.triplesWritten, 2);
  } finally {
    await space.close();
  }
});

test('report rejects and the iterator throws when a source disappears', async () => {
  const space = await workspace({ 'data.csv': csv, 'm.yml': m });
  const plan = await space.load('m.yml');
  await space.close();
  await run(plan).then(
    () => assert.unreachable('should fail'),
    (error: Error) => assert.match(error.message, 'does not exist'),
  );
});

test('pages hand over the quads of whole records, about a thousand at a time, as quads does one by one', async () => {
  const rows = Array.from({ length: 700 }, (_, index) => `${index},${20 + (index % 50)},Persona ${index}`);
  const space = await workspace({ 'data.csv': `id,age,name\n${rows.join('\n')}\n`, 'm.yml': m });
  try {
    const plan = await space.load('m.yml');
    const one = await run(plan);
    const execution = executeMapping(plan);
    const pages: RDF.Quad[][] = [];
    for await (const page of execution.pages) pages.push(page);
    assert.equal(
      pages.map((page) => page.length),
      [1000, 400],
      'two quads a row, a page closed at the record that fills it',
    );
    assert.ok(
      pages.flat().every((quad, index) => quad.equals(one.quads[index] as RDF.Quad)),
      'the same quads in the same order',
    );
    assert.equal(await execution.report, one.report);
  } finally {
    await space.close();
  }
});

test('pages stop with the same MappingError naming file:line:column under fail', async () => {
  const space = await workspace({ 'data.csv': csv, 'm.yml': m });
  try {
    const execution = executeMapping(await space.load('m.yml'), { errorPolicy: 'fail' });
    let error: unknown;
    try {
      for await (const _page of execution.pages);
    } catch (caught) {
      error = caught;
    }
    assert.instance(error, MappingError);
    assert.ok((error as Error).message.startsWith(`${join(space.dir, 'data.csv')}:3:age`), (error as Error).message);
    await execution.report.then(
      () => assert.unreachable('the report rejects with the error'),
      (rejected: unknown) => assert.is(rejected, error),
    );
  } finally {
    await space.close();
  }
});

test.run();
