/** The regex guard: refuses patterns that backtrack catastrophically, accepts the ordinary ones (those of the W3C suite among them). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { unsafeRegexReason } from '../../src/sparql/regex-guard.ts';

test('ordinary patterns are accepted', () => {
  for (const pattern of ['^http://example.org/', 'foo', '^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$', 'a.c', 'a[^b]c', 'ab{1,2}c', 'ab*c', 'example\\.com', '(es|en)', '(ab)+', '^(a|b)?c$', '[(+*)]+', '\\(a+\\)+']) {
    assert.is(unsafeRegexReason(pattern), undefined, pattern);
  }
});

test('nested quantifiers, repeated alternations and backreferences are refused', () => {
  for (const pattern of ['(a+)+', '(a*)*', '(a|a)*', '((ab)*c)+', '(a{2,})+', '(x+x+)+y', '(a)\\1', '(?:a+)+', '(?<n>a)\\k<n>']) {
    assert.type(unsafeRegexReason(pattern), 'string', pattern);
  }
});

test.run();
