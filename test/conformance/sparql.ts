/** The W3C SPARQL 1.1 and 1.0 (data-r2) suites: syntax, query and update evaluation, result formats. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as RDF from '@rdfjs/types';
import { DataFactory, parseRdfToArray, rdfFormatOfPath } from '../../src/rdf/index.ts';
import type { FastPathOutcome } from '../../src/sparql/engine.ts';
import { createSparqlEngine, parseSparql, type QueryResult } from '../../src/sparql/index.ts';
import { describeDifference, sameGraph } from '../support/graphs.ts';
import { runHttpTest } from '../sparql/support/http-manifest.ts';
import { memoryStore } from '../sparql/support/memory-store.ts';
import {
  asCsvRow,
  compareResultSets,
  distinctRows,
  parseCsv,
  parseSrj,
  parseSrx,
  parseTsv,
  type ResultSet,
  resultSetFromGraph,
  type Row,
} from '../sparql/support/result-sets.ts';
import type { ConformanceCase, Outcome, Suite } from './harness.ts';
import { sharedConformance } from './harness.ts';
import { loadManifest, type Manifest, mf } from './manifest.ts';

const root = join(sharedConformance, 'rdf-tests', 'sparql');
const qt = 'http://www.w3.org/2001/sw/DataAccess/tests/test-query#';
const ut = 'http://www.w3.org/2009/sparql/tests/test-update#';
const rdfType = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const rdfsLabel = 'http://www.w3.org/2000/01/rdf-schema#label';
const sd = 'http://www.w3.org/ns/sparql-service-description#';

const pass: Outcome = { status: 'pass' };
const fail = (reason: string): Outcome => ({ status: 'fail', reason });
const skip = (reason: string): Outcome => ({ status: 'skip', reason });

const limits = { timeoutMs: 15_000, maxResultRows: Number.MAX_SAFE_INTEGER, maxQueryLength: 1_000_000, serviceAllowlist: [] };

async function readText(iri: string): Promise<string> {
  return readFile(fileURLToPath(iri), 'utf8');
}

async function readGraph(iri: string, graph?: RDF.Quad_Graph): Promise<RDF.Quad[]> {
  const format = rdfFormatOfPath(iri)?.name ?? 'turtle';
  const quads = await parseRdfToArray(await readText(iri), { format, baseIRI: iri, source: fileURLToPath(iri) });
  return graph ? quads.map((q) => DataFactory.quad(q.subject, q.predicate, q.object, graph)) : quads;
}

/** Manifests reachable from a root manifest through `mf:include`. */
async function collectManifests(path: string, seen = new Set<string>()): Promise<Manifest[]> {
  if (seen.has(path)) return [];
  seen.add(path);
  const manifest = await loadManifest(path);
  const included = await Promise.all(manifest.includes().map((iri) => collectManifests(fileURLToPath(iri), seen)));
  return [manifest, ...included.flat()];
}

async function readExpectedResults(iri: string): Promise<ResultSet | RDF.Quad[]> {
  if (iri.endsWith('.srx')) return parseSrx(await readText(iri));
  if (iri.endsWith('.srj')) return parseSrj(await readText(iri));
  if (iri.endsWith('.tsv')) return parseTsv(await readText(iri));
  if (iri.endsWith('.csv')) return parseCsv(await readText(iri));
  const quads = await readGraph(iri);
  return resultSetFromGraph(quads) ?? quads;
}

async function actualResults(result: QueryResult): Promise<ResultSet | RDF.Quad[]> {
  if (result.type === 'boolean') return { type: 'boolean', value: result.value };
  if (result.type === 'quads') {
    const quads: RDF.Quad[] = [];
    for await (const q of result.quads) quads.push(q);
    return quads;
  }
  const rows: Row[] = [];
  for await (const bindings of result.bindings) rows.push(new Map([...bindings].map(([variable, term]) => [variable.value, term])));
  return { type: 'bindings', variables: result.variables.map((variable) => variable.value), rows, ordered: false };
}

function hasOrderBy(queryText: string): boolean {
  return /\border\s+by\b/i.test(queryText.replace(/#[^\n]*/g, ''));
}

/** Graphs a query names in FROM / FROM NAMED: the suite expects them loaded from those files. */
function datasetGraphs(queryText: string, baseIRI: string): string[] {
  const parsed = parseSparql(queryText, { expect: 'query', baseIRI });
  const iris: string[] = [];
  let node: { type: string; [key: string]: unknown } | undefined = parsed.algebra;
  while (node) {
    if (node.type === 'from') {
      for (const term of [...(node.default as RDF.NamedNode[]), ...(node.named as RDF.NamedNode[])]) iris.push(term.value);
    }
    node = node.input as typeof node | undefined;
  }
  return iris;
}

/** Query-evaluation tests the fast path answered alone, and those it handed to Comunica by reason. */
const nativeShare = { answered: 0, handedOver: new Map<string, string[]>() };

function reportNativeShare(): void {
  const handed = [...nativeShare.handedOver.values()].reduce((total, ids) => total + ids.length, 0);
  const total = nativeShare.answered + handed;
  if (total === 0) return;
  for (const [reason, ids] of [...nativeShare.handedOver].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`handed to Comunica (${ids.length}): ${reason} — ${ids.map((id) => id.slice(id.lastIndexOf('/') + 1)).join(', ')}`);
  }
  console.log(`native share: ${nativeShare.answered} of ${total} query-evaluation tests answered by the fast path alone (${((100 * nativeShare.answered) / total).toFixed(1)}%), ${handed} handed to Comunica`);
}

async function queryEvaluation(fastPath: boolean, manifest: Manifest, entry: RDF.Term, csv: boolean): Promise<Outcome> {
  const action = manifest.one(entry, `${mf}action`);
  const resultIri = manifest.one(entry, `${mf}result`)?.value;
  if (!action || !resultIri) return fail('manifest entry without action or result');
  if (manifest.one(action, `${sd}entailmentRegime`) || manifest.one(entry, `${sd}entailmentRegime`)) {
    return skip('needs an entailment regime (RDFS/OWL/D); Vínculo evaluates simple entailment only');
  }
  if (manifest.all(action, `${qt}serviceData`).length > 0) return skip('needs SERVICE to remote endpoints; federation is denied by design');
  const queryIri = manifest.one(action, `${qt}query`)?.value;
  if (!queryIri) return fail('no qt:query');
  const queryText = await readText(queryIri);
  const quads: RDF.Quad[] = [];
  for (const data of manifest.all(action, `${qt}data`)) quads.push(...(await readGraph(data.value)));
  const loaded = new Set<string>();
  for (const graph of manifest.all(action, `${qt}graphData`)) {
    loaded.add(graph.value);
    quads.push(...(await readGraph(graph.value, DataFactory.namedNode(graph.value))));
  }
  for (const iri of datasetGraphs(queryText, queryIri)) {
    if (loaded.has(iri) || !iri.startsWith('file:')) continue;
    loaded.add(iri);
    quads.push(...(await readGraph(iri, DataFactory.namedNode(iri))));
  }
  const onFastPath = (outcome: FastPathOutcome) => {
    if (outcome.answered) nativeShare.answered++;
    else nativeShare.handedOver.set(outcome.reason, [...(nativeShare.handedOver.get(outcome.reason) ?? []), entry.value]);
  };
  const engine = createSparqlEngine({ store: await memoryStore(quads), limits, defaultGraph: 'store', fastPath, onFastPath });
  const actual = await actualResults(await engine.query(queryText, { baseIRI: queryIri }));
  const expected = await readExpectedResults(resultIri);
  if (Array.isArray(expected) || Array.isArray(actual)) {
    if (!Array.isArray(expected) || !Array.isArray(actual)) return fail('expected a graph and got solutions, or the reverse');
    return sameGraph(actual, expected) ? pass : fail(describeDifference(actual, expected));
  }
  let comparable = csv && actual.type === 'bindings' ? { ...actual, rows: actual.rows.map(asCsvRow) } : actual;
  let wanted = expected;
  // REDUCED may drop any number of duplicates (Query §18.2.5.2): compare without them.
  if (/\breduced\b/i.test(queryText) && comparable.type === 'bindings' && wanted.type === 'bindings') {
    comparable = { ...comparable, rows: distinctRows(comparable.rows) };
    wanted = { ...wanted, rows: distinctRows(wanted.rows) };
  }
  const ordered = wanted.type === 'bindings' && (wanted.ordered || hasOrderBy(queryText));
  const difference = compareResultSets(comparable, wanted, ordered);
  return difference === undefined ? pass : fail(difference);
}

/** Update tests: the before and after datasets; named graphs are named by `rdfs:label`. */
async function updateDataset(manifest: Manifest, node: RDF.Term): Promise<RDF.Quad[]> {
  const quads: RDF.Quad[] = [];
  for (const data of manifest.all(node, `${ut}data`)) quads.push(...(await readGraph(data.value)));
  for (const graphData of manifest.all(node, `${ut}graphData`)) {
    const file = manifest.one(graphData, `${ut}graph`)?.value;
    const name = manifest.one(graphData, rdfsLabel)?.value;
    if (file && name) quads.push(...(await readGraph(file, DataFactory.namedNode(name))));
  }
  return quads;
}

async function updateEvaluation(fastPath: boolean, manifest: Manifest, entry: RDF.Term): Promise<Outcome> {
  const action = manifest.one(entry, `${mf}action`);
  const result = manifest.one(entry, `${mf}result`);
  const requestIri = action && manifest.one(action, `${ut}request`)?.value;
  if (!action || !result || !requestIri) return fail('manifest entry without request or result');
  const store = await memoryStore(await updateDataset(manifest, action));
  const engine = createSparqlEngine({ store, limits, defaultGraph: 'store', fastPath });
  await engine.update(await readText(requestIri), { baseIRI: requestIri });
  const actual: RDF.Quad[] = [];
  for await (const quad of store.exportQuads()) actual.push(quad);
  const expected = await updateDataset(manifest, result);
  return sameGraph(actual, expected) ? pass : fail(describeDifference(actual, expected));
}

async function syntax(manifest: Manifest, entry: RDF.Term, expect: 'query' | 'update', positive: boolean): Promise<Outcome> {
  const actionIri = manifest.one(entry, `${mf}action`)?.value;
  if (!actionIri) return fail('no mf:action');
  try {
    parseSparql(await readText(actionIri), { expect, baseIRI: actionIri });
  } catch (error) {
    return positive ? fail(`rejected: ${error instanceof Error ? error.message : String(error)}`) : pass;
  }
  return positive ? pass : fail('accepted a syntactically invalid request');
}

type Handler = (manifest: Manifest, entry: RDF.Term) => Promise<Outcome>;


/** The registry from test type (local name in the mf: namespace) to its handler. */
const handlersFor = (fastPath: boolean): Record<string, Handler> => ({
  QueryEvaluationTest: (m, e) => queryEvaluation(fastPath, m, e, false),
  CSVResultFormatTest: (m, e) => queryEvaluation(fastPath, m, e, true),
  UpdateEvaluationTest: (m, e) => updateEvaluation(fastPath, m, e),
  PositiveSyntaxTest: (m, e) => syntax(m, e, 'query', true),
  PositiveSyntaxTest11: (m, e) => syntax(m, e, 'query', true),
  NegativeSyntaxTest: (m, e) => syntax(m, e, 'query', false),
  NegativeSyntaxTest11: (m, e) => syntax(m, e, 'query', false),
  PositiveUpdateSyntaxTest11: (m, e) => syntax(m, e, 'update', true),
  NegativeUpdateSyntaxTest11: (m, e) => syntax(m, e, 'update', false),
  ProtocolTest: runHttpTest,
  GraphStoreProtocolTest: async (m, e) =>
    m.all(e, `${mf}action`).some((action) => m.all(action, 'http://www.w3.org/2011/http#requests').length > 0)
      ? runHttpTest(m, e)
      : skip('deprecated prose-only test (direct graph naming); its indirect twin in graph-store-protocol/ runs over HTTP'),
  ServiceDescriptionTest: async () =>
    skip('describes a remote endpoint by URL; our service description is checked in test/sparql/protocol.test.ts'),
});

const updateEvaluationType = `${mf}UpdateEvaluationTest`;

async function* cases(handlers: Record<string, Handler>): AsyncGenerator<ConformanceCase> {
  const manifests = [
    ...(await collectManifests(join(root, 'sparql11', 'manifest-all.ttl'))),
    ...(await collectManifests(join(root, 'sparql10', 'manifest.ttl'))),
    ...(await collectManifests(join(root, 'sparql11', 'http-rdf-update', 'manifest.ttl'))),
    ...(await collectManifests(join(root, 'sparql11', 'graph-store-protocol', 'manifest.ttl'))),
  ];
  const seen = new Set<string>();
  for (const manifest of manifests) {
    for (const entry of manifest.entries()) {
      if (seen.has(entry.value)) continue;
      seen.add(entry.value);
      const types = manifest.all(entry, rdfType).map((type) => type.value);
      // Update tests use their own namespace for the type in some manifests.
      const type = types.find((iri) => iri.startsWith(mf) || iri === updateEvaluationType || iri.startsWith(ut)) ?? '';
      const local = type.slice(type.lastIndexOf('#') + 1);
      const handler = handlers[local];
      const approval = manifest.one(entry, 'http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#approval')?.value;
      yield {
        id: entry.value,
        run: async () => {
          if (!handler) return skip(`no runner for test type <${type}>`);
          if (approval?.endsWith('#Withdrawn')) return skip('withdrawn by the working group');
          return handler(manifest, entry);
        },
      };
    }
  }
  // The harness runs each case before asking for the next: every case has run.
  reportNativeShare();
}

/** The engine as configured by default: the fast path answers what it covers, Comunica the rest. */
export const suite: Suite = { name: 'sparql', cases: () => cases(handlersFor(true)), caseTimeoutMs: 20_000 };
/** The same tests with the fast path off: Comunica answers everything. */
export const comunicaSuite: Suite = { name: 'sparql-comunica', cases: () => cases(handlersFor(false)), caseTimeoutMs: 20_000 };
