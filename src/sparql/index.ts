/** SPARQL 1.1 query and update over the store: engine, results syntaxes, service description. */
export {
  createSparqlEngine,
  type BindingsResult,
  type BooleanResult,
  type QueryOptions,
  type QueryResult,
  type QuadsResult,
  type SparqlEngine,
  type SparqlEngineOptions,
  type SparqlLimits,
  type UpdateOptions,
} from './engine.js';
export { parseSparql, type ParsedSparql } from './parse-sparql.js';
export { serializeResults, type ResultsSerializeOptions } from './serialize-results.js';
export { serviceDescription } from './service-description.js';
