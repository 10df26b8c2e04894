/** CONSTRUCT output in Turtle and RDF/XML must parse with rapper (raptor2-utils), an independent parser. */
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory } from '../../src/rdf/index.ts';
import { startServer } from './support/app.ts';
import { people } from './support/data.ts';

const { namedNode, literal, blankNode, quad } = DataFactory;
const hasRapper = spawnSync('rapper', ['--version']).status === 0;

// Awkward data on purpose: blank nodes, language tags, datatypes, quotes, accents, line breaks.
const tricky = [
  ...people(3),
  quad(namedNode('http://example.org/x'), namedNode('http://example.org/note'), literal('dice "hola"\ny <adiós> & más', 'es')),
  quad(namedNode('http://example.org/x'), namedNode('http://example.org/n'), literal('42', namedNode('http://www.w3.org/2001/XMLSchema#integer'))),
  quad(namedNode('http://example.org/x'), namedNode('http://example.org/b'), blankNode('b1')),
  quad(blankNode('b1'), namedNode('http://example.org/name'), literal('nodo en blanco')),
];

for (const [accept, syntax] of [
  ['text/turtle', 'turtle'],
  ['application/rdf+xml', 'rdfxml'],
] as const) {
  test(`CONSTRUCT as ${accept} parses with rapper`, async () => {
    if (!hasRapper) {
      console.log('  skipped: rapper (raptor2-utils) is not installed');
      return;
    }
    const server = await startServer(tricky);
    try {
      const query = 'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }';
      const response = await fetch(`${server.url}/sparql?query=${encodeURIComponent(query)}`, { headers: { accept } });
      assert.is(response.status, 200);
      const body = await response.text();
      const result = spawnSync('rapper', ['-i', syntax, '-o', 'ntriples', '-', 'http://example.org/base'], { input: body });
      assert.is(result.status, 0, `rapper rejected the ${syntax}: ${result.stderr.toString()}`);
      const triples = result.stdout.toString().trim().split('\n').filter((line) => line !== '');
      assert.is(triples.length, tricky.length);
    } finally {
      await server.close();
    }
  });
}

test.run();
