/** Terms to and from a remote SPARQL store: skolem IRIs for blank nodes, the default graph's stand-in, escaping, JSON results. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory, parseRdfToArray } from '../../src/rdf/index.ts';
import { RemoteTerms } from '../../src/store/remote-terms.ts';

const terms = new RemoteTerms('http://example.org/');
const xsd = (name: string) => DataFactory.namedNode(`http://www.w3.org/2001/XMLSchema#${name}`);

test('blank nodes become skolem IRIs under the base and come back as the same blank nodes', () => {
  const node = DataFactory.blankNode('municipios_b7');
  const stored = terms.skolem(node);
  assert.is(stored.termType, 'NamedNode');
  assert.is(stored.value, 'http://example.org/.well-known/genid/municipios_b7');
  assert.ok(terms.unskolem(stored).equals(node));
  assert.ok(terms.fromJson({ type: 'uri', value: stored.value }).equals(node));
});

test('the default graph is kept in a stand-in graph and read back as the default graph', () => {
  const stored = terms.skolem(DataFactory.defaultGraph());
  assert.is(stored.value, 'http://example.org/graph/_default');
  assert.is(terms.unskolem(stored).termType, 'DefaultGraph');
});

test('data text escapes quotes, backslashes and newlines, keeps non-ASCII IRIs, and parses back as N-Triples', async () => {
  const quad = DataFactory.quad(
    DataFactory.namedNode('http://example.org/id/año/bogotá'),
    DataFactory.namedNode('http://example.org/p'),
    DataFactory.literal('dice "hola"\\\n\tfin', 'es'),
  );
  const line = terms.triple(quad);
  assert.not.match(line, /\n/);
  const [parsed] = await parseRdfToArray(`${line}\n`, { format: 'ntriples' });
  assert.ok(parsed?.subject.equals(quad.subject), line);
  assert.ok(parsed?.object.equals(quad.object), line);
  assert.is(terms.text(DataFactory.literal('x')), '"x"', 'xsd:string is written plain');
  assert.is(terms.text(DataFactory.namedNode('http://example.org/a>b')), '<http://example.org/a\\u003eb>', 'no IRI can close the IRIREF early');
  assert.is(terms.text(DataFactory.literal('5', xsd('integer'))), '"5"^^<http://www.w3.org/2001/XMLSchema#integer>');
});

test('JSON result terms: languages, datatypes, and Virtuoso booleans in canonical form', () => {
  assert.ok(terms.fromJson({ type: 'literal', value: 'Medellín', 'xml:lang': 'es' }).equals(DataFactory.literal('Medellín', 'es')));
  assert.ok(terms.fromJson({ type: 'typed-literal', value: '5', datatype: xsd('integer').value }).equals(DataFactory.literal('5', xsd('integer'))));
  assert.ok(terms.fromJson({ type: 'typed-literal', value: '0', datatype: xsd('boolean').value }).equals(DataFactory.literal('false', xsd('boolean'))));
  assert.ok(terms.fromJson({ type: 'literal', value: 'x', datatype: xsd('string').value }).equals(DataFactory.literal('x')));
  assert.is(terms.fromJson({ type: 'bnode', value: 'b0' }).termType, 'BlankNode');
});

test.run();
