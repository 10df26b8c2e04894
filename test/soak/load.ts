/** The soak's load generator, in its own process so that its memory is not counted as the server's. */
import autocannon from 'autocannon';

const [url, duration, connections] = process.argv.slice(2);
if (!url || !duration || !connections) {
  console.error('usage: load.ts URL SECONDS CONNECTIONS');
  process.exit(2);
}
const codes = ['05001', '08001', '11001', '76001', '13001'];
const queries = [
  'SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 20',
  'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }',
  'ASK { ?s a ?type }',
];
const requests = [
  ...codes.map((code) => ({ method: 'GET' as const, path: `/doc/municipio/${code}`, headers: { accept: 'text/turtle' } })),
  ...codes.slice(0, 2).map((code) => ({ method: 'GET' as const, path: `/doc/municipio/${code}`, headers: { accept: 'text/html' } })),
  ...queries.map((query) => ({
    method: 'POST' as const,
    path: '/sparql',
    headers: { 'content-type': 'application/sparql-query', accept: 'application/sparql-results+json' },
    body: query,
  })),
  { method: 'GET' as const, path: '/fragments', headers: { accept: 'text/turtle' } },
  { method: 'GET' as const, path: `/fragments?predicate=${encodeURIComponent('http://www.w3.org/2000/01/rdf-schema#label')}`, headers: { accept: 'text/turtle' } },
];
const result = await autocannon({ url, connections: Number(connections), duration: Number(duration), requests });
process.stdout.write(`${JSON.stringify(result)}\n`);
