/** Write tokens: bearer parsing, the all-graphs token, scoped tokens and their graphs. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Forbidden, Unauthorized } from '../../src/errors/index.ts';
import { authorizeWrite, requireGraph, writeTokensOf } from '../../src/http/write-auth.ts';

const tokens = writeTokensOf(
  {
    updateToken: 'the-all-graphs-token',
    writeTokens: [
      { tokenEnv: 'A', token: 'contracts-token', datasets: ['contratos'] },
      { tokenEnv: 'B', token: undefined, datasets: ['secop'] },
    ],
  },
  { baseIRI: 'https://datos.example.gov.co/' },
);

test('configured tokens: unset environment variables give no token', () => {
  assert.is(tokens.all, 'the-all-graphs-token');
  assert.equal(tokens.scoped, [{ token: 'contracts-token', graphs: ['https://datos.example.gov.co/graph/contratos'] }]);
});

test('401 without a bearer token, 403 with an unknown one', () => {
  assert.throws(() => authorizeWrite(undefined, tokens), (error: unknown) => error instanceof Unauthorized);
  assert.throws(() => authorizeWrite('Basic abc', tokens), (error: unknown) => error instanceof Unauthorized);
  assert.throws(() => authorizeWrite('Bearer the-all-graphs-toke', tokens), (error: unknown) => error instanceof Forbidden);
});

const reserved = ['https://datos.example.gov.co/graph/catalog', 'https://datos.example.gov.co/graph/vocabulary'];

test('the all-graphs token may write anywhere but the reserved graphs; a scoped one only its graphs', () => {
  const all = authorizeWrite('Bearer the-all-graphs-token', tokens);
  assert.is(all.scope, undefined);
  requireGraph(all, undefined, reserved);
  requireGraph(all, 'https://datos.example.gov.co/graph/otro', reserved);
  for (const graph of reserved) {
    assert.throws(() => requireGraph(all, graph, reserved), (error: unknown) => error instanceof Forbidden && /is reserved/.test(error.message));
  }
  const scoped = authorizeWrite('bearer contracts-token', tokens);
  requireGraph(scoped, 'https://datos.example.gov.co/graph/contratos', reserved);
  assert.throws(() => requireGraph(scoped, 'https://datos.example.gov.co/graph/otro', reserved), (error: unknown) => error instanceof Forbidden);
  assert.throws(() => requireGraph(scoped, undefined, reserved), (error: unknown) => error instanceof Forbidden);
});

test('no writes configured: every token is refused', () => {
  assert.throws(() => authorizeWrite('Bearer anything', { scoped: [] }), (error: unknown) => error instanceof Forbidden);
});

test.run();
