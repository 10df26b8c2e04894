/** Parse errors carry positions; JSON-LD never fetches a remote context (no SSRF through uploads). */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SyntaxProblem } from '../../src/errors/index.ts';
import { parseRdfToArray, type RdfFormatName } from '../../src/rdf/index.ts';
import { rejection } from '../support/rejection.ts';

/** Each document is fine up to the line named, where it breaks. */
const broken: ReadonlyArray<{ format: RdfFormatName; line: number; text: string }> = [
  { format: 'turtle', line: 3, text: '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "unterminated .\n' },
  { format: 'trig', line: 4, text: '@prefix ex: <http://example.org/> .\nex:g {\n  ex:a ex:b ex:c .\n  ex:a ex:b ex:c ex:d .\n}\n' },
  { format: 'ntriples', line: 2, text: '<http://example.org/a> <http://example.org/b> "x" .\n<http://example.org/a> <http://example.org/b> .\n' },
  { format: 'nquads', line: 3, text: '\n<http://a.example/s> <http://a.example/p> <http://a.example/o> <http://a.example/g> .\n<http://a.example/s> <http://a.example/p> "x"@ .\n' },
  {
    format: 'rdfxml',
    line: 4,
    text: '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n  <rdf:Description rdf:about="http://example.org/a">\n    <ex:b>x</ex:c>\n  </rdf:Description>\n</rdf:RDF>\n',
  },
  {
    format: 'rdfxml',
    line: 3,
    text: '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n  <rdf:Description rdf:about="http://example.org/a" rdf:nodeID="b1"/>\n</rdf:RDF>\n',
  },
  { format: 'jsonld', line: 4, text: '{\n  "@id": "http://example.org/a",\n  "http://example.org/b": [1, 2,\n    3 4]\n}\n' },
  { format: 'jsonld', line: 3, text: '{\n  "@id": "http://example.org/a",\n  "http://example.org/b": }\n' },
  { format: 'jsonld', line: 3, text: '[\n  {"@id": "http://example.org/a"},\n' },
];

for (const { format, line, text } of broken) {
  test(`${format}: a syntax error on line ${line} is a SyntaxProblem naming that line`, async () => {
    const error = await rejection(() => parseRdfToArray(text, { format, source: `upload.${format}` }));
    assert.instance(error, SyntaxProblem);
    const problem = error as SyntaxProblem;
    assert.is(problem.position.line, line, problem.message);
    assert.is(problem.position.file, `upload.${format}`);
    assert.is(problem.status, 400);
    assert.ok(problem.message.startsWith(`upload.${format}:${line}`), problem.message);
  });
}

test('a syntax error deep in a stream is still a SyntaxProblem with its line', async () => {
  const lines = Array.from({ length: 5000 }, (_, index) => `<http://example.org/s${index}> <http://example.org/p> "${index}" .\n`);
  lines.push('<http://example.org/s> <http://example.org/p> oops .\n');
  const error = await rejection(() => parseRdfToArray(Readable.from(lines), { format: 'ntriples' }));
  assert.instance(error, SyntaxProblem);
  assert.is((error as SyntaxProblem).position.line, 5001);
});

test('valid documents still parse (the error path is not the only path)', async () => {
  const quads = await parseRdfToArray('{"@id": "http://example.org/a", "http://example.org/b": "x"}', { format: 'jsonld' });
  assert.is(quads.length, 1);
  assert.is(quads[0]?.object.value, 'x');
});

test('JSON-LD: xsd:double strings keep their lexical form; native numbers are canonical (JSON-LD 1.1 API §8.6)', async () => {
  const xsdDouble = 'http://www.w3.org/2001/XMLSchema#double';
  const document = {
    '@context': { xsd: 'http://www.w3.org/2001/XMLSchema#', ex: 'http://example.org/' },
    '@id': 'ex:a',
    'ex:written': { '@value': '1E0', '@type': 'xsd:double' },
    'ex:illTyped': { '@value': 'n/a', '@type': 'xsd:double' },
    'ex:inList': { '@list': [{ '@value': '2.50e1', '@type': 'xsd:double' }] },
    'ex:native': 1.5,
  };
  const quads = await parseRdfToArray(JSON.stringify(document), { format: 'jsonld' });
  const doubles = quads
    .filter((quad) => quad.object.termType === 'Literal' && quad.object.datatype.value === xsdDouble)
    .map((quad) => quad.object.value)
    .sort();
  assert.equal(doubles, ['1.5E0', '1E0', '2.50e1', 'n/a']);
});

test('JSON-LD with a remote @context is refused without any network request', async () => {
  let requests = 0;
  const server = createServer((_request, response) => {
    requests++;
    response.setHeader('content-type', 'application/ld+json');
    response.end('{"@context": {"name": "http://schema.org/name"}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const contextUrl = `http://127.0.0.1:${port}/context.jsonld`;
    // The server answers, so a request by the parser would be seen (and would succeed).
    await (await fetch(contextUrl)).text();
    assert.is(requests, 1);
    const documents = [
      { '@context': contextUrl, '@id': 'http://example.org/a', name: 'x' },
      { '@context': [{ ex: 'http://example.org/' }, contextUrl], '@id': 'ex:a', name: 'x' },
      { '@id': 'http://example.org/a', 'http://example.org/knows': { '@context': contextUrl, name: 'x' } },
      { '@context': { '@import': contextUrl }, '@id': 'http://example.org/a', name: 'x' },
      // jsonld.js treats a bare string as the URL of the document to load.
      contextUrl,
    ];
    for (const document of documents) {
      const error = await rejection(() => parseRdfToArray(JSON.stringify(document), { format: 'jsonld' }));
      assert.instance(error, SyntaxProblem);
      assert.match((error as Error).message, new RegExp(`remote JSON-LD contexts are not fetched.*${contextUrl}`));
    }
    assert.is(requests, 1, 'the parser made a request');
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test.run();
