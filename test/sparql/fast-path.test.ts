/**
 * Differential tests of the SPARQL fast path: generated queries over generated data, answered
 * by the fast path, by Comunica alone and by Oxigraph, must give the same solutions; and the
 * fast path must really have answered them (not handed them to Comunica).
 */
import type * as RDF from '@rdfjs/types';
import * as oxigraph from 'oxigraph';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataFactory } from '../../src/rdf/index.ts';
import { runFastPath } from '../../src/sparql/fast-path.ts';
import { createSparqlEngine, parseSparql, type QueryResult, type SparqlEngine } from '../../src/sparql/index.ts';
import { openStore, type VinculoStore } from '../../src/store/index.ts';
import { random } from '../support/random.ts';

const ex = 'http://example.org/';
const { namedNode, literal, quad } = DataFactory;
const xsd = (name: string) => namedNode(`http://www.w3.org/2001/XMLSchema#${name}`);


/** Items in two graphs (so joins cross graphs), each triple in one graph only. */
function generatedData(): { graph: string; quads: RDF.Quad[] }[] {
  const next = random(42);
  const pick = (n: number) => Math.floor(next() * n);
  const words = ['acueducto', 'vía', 'escuela', 'hospital', 'puente', 'Medellín', 'item'];
  const graphs = [
    { graph: `${ex}graph/uno`, quads: [] as RDF.Quad[] },
    { graph: `${ex}graph/dos`, quads: [] as RDF.Quad[] },
  ];
  for (let i = 0; i < 300; i++) {
    const subject = namedNode(`${ex}item/${i}`);
    const into = (graphs[i % 2] as (typeof graphs)[number]).quads;
    const other = (graphs[(i + 1) % 2] as (typeof graphs)[number]).quads;
    into.push(quad(subject, namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type'), namedNode(`${ex}${pick(3) === 0 ? 'B' : 'A'}`)));
    into.push(quad(subject, namedNode(`${ex}value`), literal(String(pick(100) - 10), xsd('integer'))));
    if (pick(4) > 0) {
      const word = words[pick(words.length)] as string;
      other.push(quad(subject, namedNode(`${ex}label`), pick(3) === 0 ? literal(`${word} ${i}`, 'es') : literal(`${word} ${i}`)));
    }
    for (let r = pick(3); r > 0; r--) into.push(quad(subject, namedNode(`${ex}ref`), namedNode(`${ex}item/${pick(300)}`)));
  }
  return graphs;
}

/** Query templates; each is instantiated with a few random constants. */
const templates: ((k: number) => string)[] = [
  (k) => `SELECT ?s ?v WHERE { ?s ex:value ?v FILTER(?v > ${k}) }`,
  (k) => `SELECT ?s ?l WHERE { ?s a ex:A ; ex:label ?l FILTER(CONTAINS(?l, "${k % 2 ? 'ue' : 'ital'}")) }`,
  (k) => `SELECT ?s ?o WHERE { ?s ex:ref ?o . ?o ex:value ?v FILTER(?v <= ${k}) }`,
  () => 'SELECT ?s ?v ?l WHERE { ?s ex:value ?v OPTIONAL { ?s ex:label ?l } }',
  (k) => `SELECT ?s ?v ?l WHERE { ?s ex:value ?v OPTIONAL { ?s ex:label ?l FILTER(?v > ${k}) } }`,
  () => 'SELECT ?t (COUNT(?s) AS ?n) (SUM(?v) AS ?sum) (MIN(?v) AS ?min) (MAX(?v) AS ?max) WHERE { ?s a ?t ; ex:value ?v } GROUP BY ?t',
  () => 'SELECT (COUNT(*) AS ?n) WHERE { ?s ex:ref ?o }',
  () => 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }',
  () => 'SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ex:ref ?o }',
  () => 'SELECT DISTINCT ?v WHERE { ?s ex:value ?v }',
  (k) => `SELECT ?s ?v WHERE { ?s ex:value ?v } ORDER BY DESC(?v) ?s LIMIT ${5 + (k % 10)}`,
  (k) => `SELECT ?s ?v WHERE { ?s ex:value ?v FILTER(?v < ${k}) } ORDER BY ?v ?s OFFSET 3 LIMIT 7`,
  () => 'SELECT ?s ?o WHERE { ?s ex:ref/ex:ref ?o }',
  (k) => `SELECT ?s ?x WHERE { { ?s ex:label ?x } UNION { ?s ex:value ?x FILTER(?x < ${k}) } }`,
  (k) => `SELECT ?s WHERE { ?s ex:value ?v FILTER(?v = ${k} || ?v = ${k + 1} && !(?v != ${k + 1})) }`,
  () => 'SELECT ?s ?n WHERE { ?s a ex:B . { SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ex:ref ?o } GROUP BY ?s } }',
  (k) => `ASK { ?s ex:value ${k} }`,
  () => 'SELECT ?s ?l WHERE { ?s ex:label ?l FILTER(LANG(?l) = "es") }',
  () => 'SELECT ?s ?l WHERE { ?s ex:label ?l FILTER(REGEX(?l, "^(vía|puente)", "i")) }',
  () => 'SELECT ?s ?w WHERE { ?s ex:value ?v BIND(STR(?v) AS ?w) }',
  (k) => `SELECT ?s ?t WHERE { ?s ex:ref ?o . ?o a ?t . FILTER(isIRI(?t) && ?s != <${ex}item/${k}>) }`,
  (k) => `SELECT ?a ?b WHERE { ?a ex:ref ?b . ?b ex:ref ?a . FILTER(STRSTARTS(STR(?a), "${ex}item/${k % 10}")) }`,
  () => 'SELECT ?s WHERE { ?s ex:ref ?s }',
  (k) => `SELECT ?s ?v WHERE { VALUES ?v { ${k} ${k + 3} "x" } ?s ex:value ?v }`,
  (k) => `SELECT ?s ?v WHERE { ?s ex:value ?v FILTER(?v IN (${k}, ${k + 1}.0, ${k + 2}e0, "0${k + 3}"^^<http://www.w3.org/2001/XMLSchema#integer>)) }`,
  (k) => `SELECT ?s ?v WHERE { ?s ex:value ?v FILTER(?v NOT IN (${k}, ${k + 3}, ${k * 2})) }`,
  (k) => `SELECT ?s ?l WHERE { ?s ex:label ?l FILTER(?l IN ("puente ${k}", "vía ${k + 1}", "acueducto ${k}"@es, "escuela ${k + 2}"@ES, <${ex}item/${k}>)) }`,
  (k) => `SELECT ?s ?o WHERE { ?s ex:ref ?o FILTER(?o IN (<${ex}item/${k}>, <${ex}item/${k + 1}>, "item")) }`,
  (k) => `SELECT ?s WHERE { ?s ex:value ?v ; a ?t FILTER(?t IN (ex:B) || ?v IN (?t, ${k})) }`,
];

const prologue = `PREFIX ex: <${ex}>\n`;

function termKey(term: RDF.Term): string {
  if (term.termType === 'Literal') return `"${term.value}"@${term.language}^^${term.datatype.value}`;
  return `${term.termType}:${term.value}`;
}

async function answer(result: QueryResult): Promise<string[]> {
  if (result.type === 'boolean') return [String(result.value)];
  const rows: string[] = [];
  if (result.type === 'quads') for await (const item of result.quads) rows.push(termKey(item.subject) + termKey(item.predicate) + termKey(item.object));
  else for await (const row of result.bindings) rows.push([...row].map(([variable, term]) => `${variable.value}=${termKey(term)}`).sort().join(' '));
  return rows;
}

function oxigraphAnswer(store: oxigraph.Store, text: string): string[] {
  const result = store.query(text, { use_default_graph_as_union: true }) as unknown;
  if (typeof result === 'boolean') return [String(result)];
  return (result as Map<string, RDF.Term>[]).map((row) =>
    [...row].map(([name, term]) => `${name}=${termKey(term)}`).sort().join(' '),
  );
}

const ordered = (text: string) => /ORDER BY/.test(text);
const normalise = (rows: string[], text: string) => (ordered(text) ? rows : [...rows].sort());

let store: VinculoStore;
let fast: SparqlEngine;
let comunica: SparqlEngine;
const reference = new oxigraph.Store();
const limits = { timeoutMs: 30_000, maxResultRows: 100_000, maxQueryLength: 10_000, serviceAllowlist: [] };

test.before(async () => {
  store = await openStore({ baseIRI: ex });
  for (const { graph, quads } of generatedData()) {
    const id = graph.slice(graph.lastIndexOf('/') + 1);
    const named = namedNode(`${ex}graph/${id}`);
    await store.putDataset(id, (async function* () {
      yield* quads;
    })());
    for (const item of quads) reference.add(quad(item.subject, item.predicate, item.object, named) as never);
  }
  fast = createSparqlEngine({ store, limits, defaultGraph: 'union' });
  comunica = createSparqlEngine({ store, limits, defaultGraph: 'union', fastPath: false });
});

test.after(async () => {
  await store.close();
});

test('generated queries: fast path = Comunica = Oxigraph, and the fast path answered each', async () => {
  const next = random(7);
  let compared = 0;
  for (const [index, template] of templates.entries()) {
    for (let round = 0; round < 3; round++) {
      const text = prologue + template(Math.floor(next() * 100) - 10);
      const parsed = parseSparql(text, { expect: 'query' });
      const form = parsed.form === 'ask' ? 'ask' : 'select';
      const algebra = form === 'ask' ? { type: 'slice', input: parsed.algebra.input, start: 0, length: 1 } : parsed.algebra;
      const direct = await runFastPath(algebra, form, { index: store.quadIndex as NonNullable<VinculoStore['quadIndex']>, defaultGraph: 'union', cap: 100_000, expired: () => new Promise<never>(() => undefined) });
      assert.ok(direct, `template ${index} was handed to Comunica: ${text}`);
      const mine = normalise(await answer(await fast.query(text)), text);
      const theirs = normalise(await answer(await comunica.query(text)), text);
      const oxigraphs = normalise(oxigraphAnswer(reference, text), text);
      assert.equal(mine, theirs, `fast path vs Comunica differ on ${text}`);
      assert.equal(mine, oxigraphs, `fast path vs Oxigraph differ on ${text}`);
      compared++;
    }
  }
  assert.is(compared, templates.length * 3);
});

test('the fast path hands over what it does not cover, and the answer is still right', async () => {
  const handedOver = [
    'SELECT ?s (AVG(?v) AS ?a) WHERE { ?s ex:value ?v } GROUP BY ?s',
    'SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g',
    'CONSTRUCT { ?s ex:seen true } WHERE { ?s ex:value 3 }',
    `SELECT ?s WHERE { ?s ex:ref+ <${ex}item/1> }`,
  ];
  for (const body of handedOver) {
    const text = prologue + body;
    const parsed = parseSparql(text, { expect: 'query' });
    if (parsed.form === 'select') {
      const direct = await runFastPath(parsed.algebra, 'select', { index: store.quadIndex as NonNullable<VinculoStore['quadIndex']>, defaultGraph: 'union', cap: 100_000, expired: () => new Promise<never>(() => undefined) });
      assert.is(direct, undefined, `expected a hand-over for ${body}`);
    }
    assert.equal((await answer(await fast.query(text))).sort(), (await answer(await comunica.query(text))).sort(), body);
  }
});

test('a long query yields to the event loop and stops at the deadline', async () => {
  const tight = createSparqlEngine({ store, limits: { ...limits, timeoutMs: 150 }, defaultGraph: 'union' });
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  const started = performance.now();
  let failure: unknown;
  try {
    // A cartesian product of every triple with every triple: far more than 150 ms of work.
    await answer(await tight.query(`${prologue}SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }`));
  } catch (error) {
    failure = error;
  } finally {
    clearInterval(timer);
  }
  assert.match(String(failure), /time limit/);
  const took = performance.now() - started;
  assert.ok(took < 1_000, `stopped after ${took.toFixed(0)} ms`);
  assert.ok(ticks >= 5, `the event loop ran ${ticks} timer callbacks meanwhile`);
});

test.run();
