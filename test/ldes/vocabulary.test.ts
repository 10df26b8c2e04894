/** The stream marker's predicates (Vínculo's own terms) are defined in vocabularies/vinculo.ttl, labelled and explained in Spanish and English. */
import { readFile } from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ns, parseRdfToArray } from '../../src/rdf/index.ts';
import { markerTerms } from '../../src/ldes/stream-terms.ts';

const baseIRI = 'http://datos.example.gov.co/';

test('ldesBatch, ldesMembers and ldesDatasetVersion are owl:DatatypeProperty terms with es/en labels and comments', async () => {
  const text = await readFile(new URL('../../vocabularies/vinculo.ttl', import.meta.url), 'utf8');
  const quads = await parseRdfToArray(text, { format: 'turtle', baseIRI });
  for (const term of Object.values(markerTerms(baseIRI))) {
    const about = quads.filter((quad) => quad.subject.equals(term));
    assert.ok(about.some((quad) => quad.predicate.equals(ns.rdf('type')) && quad.object.value === 'http://www.w3.org/2002/07/owl#DatatypeProperty'), `${term.value} is defined`);
    for (const predicate of [ns.rdfs('label'), ns.rdfs('comment')]) {
      const languages = about.flatMap((quad) => (quad.predicate.equals(predicate) && quad.object.termType === 'Literal' ? [quad.object.language] : []));
      assert.equal(languages.sort(), ['en', 'es'], `${term.value} ${predicate.value}`);
    }
  }
});

test.run();
