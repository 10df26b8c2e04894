/** Content negotiation (RFC 9110 §12.5.1) as a table: Accept header and offers in, choice out. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { negotiate } from '../../src/rdf/index.ts';

const turtle = 'text/turtle';
const jsonld = 'application/ld+json';
const rdfxml = 'application/rdf+xml';
const ntriples = 'application/n-triples';
const html = 'text/html';
const rdfOffers = [turtle, jsonld, rdfxml, ntriples];

const cases: ReadonlyArray<[string, string | undefined, readonly string[], string | undefined]> = [
  // [what, Accept, offers (server preference order), expected]
  ['no Accept header takes the first offer', undefined, rdfOffers, turtle],
  ['an empty Accept header takes the first offer', '', rdfOffers, turtle],
  ['a blank Accept header takes the first offer', '   ', [jsonld, turtle], jsonld],
  ['an exact type', rdfxml, rdfOffers, rdfxml],
  ['media types compare case-insensitively', 'Application/LD+JSON', rdfOffers, jsonld],
  ['the higher q wins', `${turtle};q=0.5, ${jsonld};q=0.9`, rdfOffers, jsonld],
  ['q=0 means not acceptable', `${turtle};q=0, */*;q=0.1`, rdfOffers, jsonld],
  ['whitespace around parameters is allowed', `${turtle} ; q = 0.2 , ${rdfxml} ;q=0.3`, rdfOffers, rdfxml],
  ['q above 1 is clamped, so the server order decides', `${ntriples};q=5, ${jsonld}`, rdfOffers, jsonld],
  ['an unparseable q counts as 0', `${turtle};q=abc, ${rdfxml};q=0.1`, rdfOffers, rdfxml],
  ['*/* accepts the first offer', '*/*', rdfOffers, turtle],
  ['type/* matches within the type', 'application/*', rdfOffers, jsonld],
  ['type/* does not match another type', 'text/*', [jsonld, rdfxml], undefined],
  ['a specific range overrides a wildcard for its type', `text/*;q=0.9, ${turtle};q=0.1, ${html};q=0.5`, [turtle, html], html],
  ['a specific q=0 excludes despite */*', `*/*, ${turtle};q=0`, [turtle, jsonld], jsonld],
  ['type/* overrides */*', `*/*;q=0.1, application/*;q=0.8, ${turtle};q=0.5`, rdfOffers, jsonld],
  ['equal q: the server order wins over the client order', `${rdfxml}, ${jsonld}`, rdfOffers, jsonld],
  ['equal q: the server order again, offers reversed', `${rdfxml}, ${jsonld}`, [rdfxml, jsonld], rdfxml],
  ['browsers get HTML when it is offered', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', [turtle, html], html],
  ['browsers get the first offer through */* when there is no HTML', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', rdfOffers, turtle],
  ['parameters other than q do not stop a match', `${turtle};charset=utf-8`, rdfOffers, turtle],
  ['malformed ranges are ignored', `garbage, ;q=1, /, ${ntriples}`, rdfOffers, ntriples],
  ['nothing acceptable: undefined (406)', 'image/png', rdfOffers, undefined],
  ['everything at q=0: undefined (406)', '*/*;q=0', rdfOffers, undefined],
  ['only malformed ranges: undefined (406)', 'garbage', rdfOffers, undefined],
  ['no offers: undefined', '*/*', [], undefined],
];

for (const [what, accept, offers, expected] of cases) {
  test(what, () => {
    assert.is(negotiate(accept, offers), expected, `Accept: ${accept}; offers: ${offers.join(', ')}`);
  });
}

test.run();
