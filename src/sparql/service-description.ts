/** The SPARQL 1.1 Service Description of the endpoint (what GET /sparql without a query returns). */
import type * as RDF from '@rdfjs/types';
import { DataFactory, rdfFormats, resultsFormats } from '../rdf/index.js';
import type { SparqlEngine } from './engine.js';

const sd = 'http://www.w3.org/ns/sparql-service-description#';
const rdfType = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const formatIris: Record<string, string> = {
  json: 'http://www.w3.org/ns/formats/SPARQL_Results_JSON',
  xml: 'http://www.w3.org/ns/formats/SPARQL_Results_XML',
  csv: 'http://www.w3.org/ns/formats/SPARQL_Results_CSV',
  tsv: 'http://www.w3.org/ns/formats/SPARQL_Results_TSV',
  turtle: 'http://www.w3.org/ns/formats/Turtle',
  ntriples: 'http://www.w3.org/ns/formats/N-Triples',
  nquads: 'http://www.w3.org/ns/formats/N-Quads',
  trig: 'http://www.w3.org/ns/formats/TriG',
  jsonld: 'http://www.w3.org/ns/formats/JSON-LD',
  rdfxml: 'http://www.w3.org/ns/formats/RDF_XML',
};

/**
 * Describes the endpoint (Service Description §3): languages, result formats and the default graph
 * (sd:UnionDefaultGraph when it is the union of the named graphs).
 * @throws nothing.
 */
export function serviceDescription(endpoint: string, engine: Pick<SparqlEngine, 'defaultGraph'>): RDF.Quad[] {
  const { namedNode, blankNode, quad } = DataFactory;
  const service = namedNode(endpoint);
  const dataset = blankNode('dataset');
  const defaultGraph = blankNode('defaultGraph');
  const quads = [
    quad(service, namedNode(rdfType), namedNode(`${sd}Service`)),
    quad(service, namedNode(`${sd}endpoint`), service),
    quad(service, namedNode(`${sd}supportedLanguage`), namedNode(`${sd}SPARQL11Query`)),
    quad(service, namedNode(`${sd}supportedLanguage`), namedNode(`${sd}SPARQL11Update`)),
    quad(service, namedNode(`${sd}defaultDataset`), dataset),
    quad(dataset, namedNode(rdfType), namedNode(`${sd}Dataset`)),
    quad(dataset, namedNode(`${sd}defaultGraph`), defaultGraph),
    quad(defaultGraph, namedNode(rdfType), namedNode(`${sd}Graph`)),
  ];
  if (engine.defaultGraph === 'union') quads.push(quad(service, namedNode(`${sd}feature`), namedNode(`${sd}UnionDefaultGraph`)));
  for (const format of [...resultsFormats, ...rdfFormats]) {
    const iri = formatIris[format.name];
    if (iri) quads.push(quad(service, namedNode(`${sd}resultFormat`), namedNode(iri)));
  }
  return quads;
}
