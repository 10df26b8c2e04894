/** RDF foundations: the data factory, namespaces, syntaxes (parse and write) and negotiation. */
export { DataFactory } from './factory.js';
export { basePrefixes, namespace, ns, prefixes, vinculoTerm, type Namespace, type PrefixName } from './namespaces.js';
export {
  findRdfFormat,
  findResultsFormat,
  rdfFormat,
  rdfFormatOfPath,
  rdfFormats,
  resultsFormat,
  resultsFormats,
  type RdfFormat,
  type RdfFormatName,
  type ResultsFormat,
  type ResultsFormatName,
} from './formats.js';
export { negotiate } from './negotiate.js';
export { parseRdf, parseRdfToArray, type ParseOptions } from './parse.js';
export { escapeXml, serializeRdf, serializeRdfToString, type QuadSource, type SerializeOptions } from './serialize.js';
export { collectQuads, emitterOf, matchQuads, whenDone } from './rdfjs-store.js';
export { labelPredicates } from './namespaces.js';
