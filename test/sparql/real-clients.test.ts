/** The SPARQL clients researchers use, from Debian: SPARQLWrapper and rdflib's SPARQLStore (Python) and roqet (Rasqal, C) against our /sparql. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type HostileSite, startHostileSite } from '../hostile/support/site.ts';

const run = promisify(execFile);
const python = '/usr/bin/python3';

let site: HostileSite;
test.before(async () => {
  // The hostile suite's 1 s query limit is for attacks; these are ordinary queries on a possibly loaded CI machine.
  site = await startHostileSite({ queryTimeoutMs: 20_000 });
});
test.after(async () => {
  await site.close();
});

const select = 'SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s LIMIT 25';
const construct = 'CONSTRUCT { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 25';

async function ourRowCount(query: string): Promise<number> {
  const response = await fetch(`${site.url}/sparql?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/sparql-results+json' } });
  return ((await response.json()) as { results: { bindings: unknown[] } }).results.bindings.length;
}

async function pythonPrints(script: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(python, ['-c', script, ...args], { timeout: 60_000 });
  return stdout.trim();
}

test('SPARQLWrapper: SELECT in JSON, XML, CSV and TSV, and its default CONSTRUCT in RDF/XML', async () => {
  const expected = await ourRowCount(select);
  assert.is(expected, 25);
  const script = `
import sys
from SPARQLWrapper import SPARQLWrapper, JSON, XML, CSV, TSV
endpoint, select, construct = sys.argv[1:4]
def client(query, fmt=None):
    s = SPARQLWrapper(endpoint)
    s.setQuery(query)
    if fmt is not None: s.setReturnFormat(fmt)
    return s.query().convert()
print(len(client(select, JSON)["results"]["bindings"]))
print(len(client(select, XML).getElementsByTagName("result")))
print(len(client(select, CSV).decode().strip().splitlines()) - 1)
print(len(client(select, TSV).decode().strip().splitlines()) - 1)
print(len(client(construct)))
`;
  const counts = (await pythonPrints(script, `${site.url}/sparql`, select, construct)).split('\n').map(Number);
  assert.equal(counts, [expected, expected, expected, expected, 25]);
});

test('rdflib SPARQLStore: a query and the list of graphs', async () => {
  const script = `
import sys
from rdflib.plugins.stores.sparqlstore import SPARQLStore
store = SPARQLStore(sys.argv[1])
print(len(list(store.query(sys.argv[2]))))
for graph in sorted(str(getattr(context, "identifier", context)) for context in store.contexts()): print(graph)
`;
  const [rows, ...graphs] = (await pythonPrints(script, `${site.url}/sparql`, select)).split('\n');
  assert.is(Number(rows), 25);
  const base = site.config.baseIRI;
  assert.equal(graphs, [`${base}graph/catalog`, `${base}graph/municipios`, `${base}graph/vocabulary`]);
});

test('roqet: SELECT through the protocol; CONSTRUCT and DESCRIBE are answered, not refused with 406', async () => {
  const selected = await run('roqet', ['-p', `${site.url}/sparql`, '-e', select, '-r', 'csv'], { timeout: 60_000 });
  assert.is(selected.stdout.trim().split('\n').length - 1, 25, selected.stderr);
  // roqet asks every query for application/sparql-results+xml. We answer a graph result in Turtle,
  // as Fuseki does; roqet 0.9.33 itself reads only SPARQL XML results from a remote service (a
  // stub answering RDF/XML, Turtle or N-Triples gives the same parser error), so the check here
  // is that the request is no longer refused.
  for (const query of [construct, 'DESCRIBE <http://vinculo.test/id/municipio/05001>']) {
    const answered = await run('roqet', ['-p', `${site.url}/sparql`, '-e', query], { timeout: 60_000 }).catch((error: { stderr: string }) => error);
    assert.not.match(answered.stderr, /HTTP status 4\d\d/, answered.stderr);
  }
});

test.run();
