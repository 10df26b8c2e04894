/** Runs the suites' HTTP-described tests (ht: vocabulary: protocol and graph store) against an in-process server. */
import type * as RDF from '@rdfjs/types';
import { DataFactory, findRdfFormat, findResultsFormat, parseRdfToArray, rdfFormatOfPath } from '../../../src/rdf/index.ts';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Manifest } from '../../conformance/manifest.ts';
import type { Outcome } from '../../conformance/harness.ts';
import { mf } from '../../conformance/manifest.ts';
import { describeDifference, sameGraph } from '../../support/graphs.ts';
import { startServer, tokens } from './app.ts';
import { parseSrj, parseSrx } from './result-sets.ts';

const ht = 'http://www.w3.org/2011/http#';
const hts = 'http://www.w3.org/2011/http-statusCodes#';
const cnt = 'http://www.w3.org/2011/content#';
const ut = 'http://www.w3.org/2009/sparql/tests/test-update#';
const rdfsLabel = 'http://www.w3.org/2000/01/rdf-schema#label';

const statusNames: Record<string, number> = { OK: 200, Created: 201, NoContent: 204, BadRequest: 400, NotFound: 404 };

function statusMatches(status: number, expected: readonly string[]): boolean {
  return expected.some((iri) => {
    const name = iri.slice(hts.length);
    const kind = /^StatusCode(\d)xx$/.exec(name);
    if (kind) return Math.floor(status / 100) === Number(kind[1]);
    return statusNames[name] === status;
  });
}

function headersOf(manifest: Manifest, node: RDF.Term): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const header of manifest.all(node, `${ht}headers`).flatMap((head) => manifest.list(head))) {
    const name = manifest.one(header, `${ht}fieldName`)?.value;
    const value = manifest.one(header, `${ht}fieldValue`)?.value;
    if (name && value !== undefined) headers[name.toLowerCase()] = value;
  }
  return headers;
}

function bodyOf(manifest: Manifest, node: RDF.Term): { text: string; bytes: Buffer } | undefined {
  const body = manifest.one(node, `${ht}body`);
  if (!body) return undefined;
  const text = manifest.one(body, `${cnt}chars`)?.value ?? '';
  const encoding = manifest.one(body, `${cnt}characterEncoding`)?.value.toLowerCase();
  return { text, bytes: encoding === 'utf-16' ? Buffer.from(text, 'utf16le') : Buffer.from(text, 'utf8') };
}

async function checkBody(manifest: Manifest, expectation: RDF.Term, response: Response, text: string): Promise<string | undefined> {
  const contentType = response.headers.get('content-type') ?? '';
  const format = manifest.one(expectation, `${mf}expectedFormat`)?.value;
  const expectedBoolean = manifest.one(expectation, `${mf}expectedBoolean`)?.value;
  if (format === 'boolean' || expectedBoolean !== undefined) {
    const results = findResultsFormat(contentType)?.name;
    const parsed = results === 'json' ? parseSrj(text) : results === 'xml' ? parseSrx(text) : undefined;
    if (parsed?.type !== 'boolean') return `expected a boolean result, got ${contentType}`;
    if (expectedBoolean !== undefined && String(parsed.value) !== expectedBoolean) return `expected ${expectedBoolean}, got ${parsed.value}`;
  }
  if (format === 'tabular' && !findResultsFormat(contentType)) return `expected tabular results, got ${contentType}`;
  if (format === 'RDF') {
    const rdf = findRdfFormat(contentType);
    if (!rdf) return `expected RDF, got ${contentType}`;
    await parseRdfToArray(text, { format: rdf.name, baseIRI: 'http://www.example/' });
  }
  const expectedBody = bodyOf(manifest, expectation);
  if (expectedBody) {
    const expectedFormat = findRdfFormat(headersOf(manifest, expectation)['content-type'] ?? 'text/turtle')?.name ?? 'turtle';
    const actualFormat = findRdfFormat(contentType)?.name;
    if (!actualFormat) return `expected an RDF body, got ${contentType}`;
    const expected = await parseRdfToArray(expectedBody.text, { format: expectedFormat, baseIRI: 'http://www.example/' });
    const actual = await parseRdfToArray(text, { format: actualFormat, baseIRI: 'http://www.example/' });
    if (!sameGraph(actual, expected)) return `body graph differs: ${describeDifference(actual, expected)}`;
  }
  return undefined;
}

async function initialData(manifest: Manifest, entry: RDF.Term): Promise<RDF.Quad[]> {
  const quads: RDF.Quad[] = [];
  for (const graphData of manifest.all(entry, `${ut}graphData`)) {
    const file = manifest.one(graphData, `${ut}graph`)?.value;
    const name = manifest.one(graphData, rdfsLabel)?.value;
    if (!file || !name) continue;
    const parsed = await parseRdfToArray(await readFile(fileURLToPath(file), 'utf8'), {
      format: rdfFormatOfPath(file)?.name ?? 'turtle',
      baseIRI: file,
    });
    quads.push(...parsed.map((q) => DataFactory.quad(q.subject, q.predicate, q.object, DataFactory.namedNode(name))));
  }
  return quads;
}

/**
 * Runs one ht:-described test: its requests in order against a fresh server (paths `/gsp` mapped to
 * `/graph-store`); writes carry our all-graphs bearer token, which the suites predate.
 */
export async function runHttpTest(manifest: Manifest, entry: RDF.Term): Promise<Outcome> {
  const requires = manifest.all(entry, `${mf}requires`).map((term) => term.value.slice(mf.length));
  if (requires.includes('DirectGraphIdentification')) {
    return { status: 'skip', reason: 'direct graph identification (/graph-store/path): Vínculo names graphs indirectly with ?graph=' };
  }
  if (requires.includes('POSTGraphCreation')) {
    return { status: 'skip', reason: 'POST to the store to create a graph with a server-chosen IRI is not offered; graphs are named by the client' };
  }
  const action = manifest.one(entry, `${mf}action`);
  const requests = action ? manifest.all(action, `${ht}requests`).flatMap((head) => manifest.list(head)) : [];
  if (requests.length === 0) return { status: 'fail', reason: 'no ht:requests' };
  const server = await startServer(await initialData(manifest, entry));
  try {
    for (const [index, request] of requests.entries()) {
      const method = manifest.one(request, `${ht}methodName`)?.value ?? 'GET';
      const path = (manifest.one(request, `${ht}absolutePath`)?.value ?? '/').replace(/^\/gsp/, '/graph-store');
      const headers = headersOf(manifest, request);
      if (method !== 'GET' && method !== 'HEAD') headers.authorization = `Bearer ${tokens.all}`;
      const body = bodyOf(manifest, request);
      const response = await fetch(`${server.url}${path}`, { method, headers, body: body?.bytes });
      const text = await response.text();
      const expectation = manifest.one(request, `${ht}resp`);
      if (!expectation) continue;
      const statuses = manifest.all(expectation, `${mf}expectedStatus`).map((term) => term.value);
      const where = `request ${index + 1} (${method} ${path.slice(0, 80)})`;
      if (statuses.length > 0 && !statusMatches(response.status, statuses)) {
        return { status: 'fail', reason: `${where}: status ${response.status}, expected ${statuses.map((iri) => iri.slice(hts.length)).join(' or ')}: ${text.slice(0, 160)}` };
      }
      if (response.status < 300) {
        const problem = await checkBody(manifest, expectation, response, text);
        if (problem) return { status: 'fail', reason: `${where}: ${problem}` };
      }
    }
    return { status: 'pass' };
  } finally {
    await server.close();
  }
}
