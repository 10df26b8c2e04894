/** Queries the UI offers: the prefixes every editor tab starts with, and example queries made from what a dataset actually holds. */
import type * as RDF from '@rdfjs/types';
import { basePrefixes, collectQuads, DataFactory, labelPredicates, ns, prefixes } from '../rdf/index.js';
import { type VinculoStore, datasetGraph, vocabularyGraph } from '../store/index.js';
import type { UiLanguage } from './language.js';
import { uiWordsFor } from './ui-words.js';

export interface ExampleQuery {
  readonly title: string;
  readonly query: string;
}

/**
 * The prefixes declared in the editor: the well-known ones and one per vocabulary of ours
 * (`{base}def/{name}#`, found in the vocabulary graph).
 * @throws whatever error the store raises while matching.
 */
export async function queryPrefixes(store: VinculoStore): Promise<Record<string, string>> {
  const own: Record<string, string> = {};
  const definitions = basePrefixes(store.baseIRI).def;
  for (const quad of await collectQuads(store, [null, null, null, vocabularyGraph(store.baseIRI)])) {
    const iri = quad.subject.value;
    if (quad.subject.termType !== 'NamedNode' || !iri.startsWith(definitions)) continue;
    const name = /^([a-z][a-z0-9-]*)#/.exec(iri.slice(definitions.length))?.[1];
    if (name && !(name in own)) own[name] = `${definitions}${name}#`;
  }
  const { rdf, rdfs, xsd, owl, skos, dcat, dct, foaf, prov, dqv, geo, schema } = prefixes;
  return { rdf, rdfs, xsd, owl, skos, dcat, dct, foaf, prov, dqv, geo, schema, ...own };
}

/** `PREFIX` lines for the prefixes a query text uses (all of them when `only` is omitted). */
export function prefixBlock(known: Record<string, string>, only?: string): string {
  return Object.entries(known)
    .filter(([name]) => only === undefined || new RegExp(`(^|[\\s(/^|])${name}:`).test(only))
    .map(([name, iri]) => `PREFIX ${name}: <${iri}>`)
    .join('\n');
}

function compact(iri: string, known: Record<string, string>): string {
  for (const [name, namespaceIri] of Object.entries(known)) {
    const local = iri.slice(namespaceIri.length);
    if (iri.startsWith(namespaceIri) && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(local)) return `${name}:${local}`;
  }
  return `<${iri}>`;
}

function withPrefixes(body: string, known: Record<string, string>): string {
  const block = prefixBlock(known, body);
  return block === '' ? body : `${block}\n\n${body}`;
}

const numericTypes = new Set([ns.xsd('integer').value, ns.xsd('decimal').value, ns.xsd('double').value, ns.xsd('float').value, ns.xsd('long').value, ns.xsd('int').value]);

/**
 * Example queries for one dataset, written from its data: its resources of the most common class
 * with their names, the count of resources per class (a chart), and, when that class has a
 * numeric property, its top ten by it.
 * @throws BadRequest for an invalid dataset id; whatever the store raises while matching.
 */
export async function exampleQueries(store: VinculoStore, id: string, language: UiLanguage, known?: Record<string, string>): Promise<ExampleQuery[]> {
  // Writing them reads every typed resource of the dataset: once per store version is enough.
  const cache = cachedExamples.get(store);
  const key = `${id}|${language}|${known === undefined ? '' : JSON.stringify(known)}`;
  if (cache && cache.version === store.version) {
    const hit = cache.queries.get(key);
    if (hit) return hit;
  }
  const queries = await writeExamples(store, id, language, known);
  const fresh = cache && cache.version === store.version ? cache : { version: store.version, queries: new Map<string, ExampleQuery[]>() };
  fresh.queries.set(key, queries);
  cachedExamples.set(store, fresh);
  return queries;
}

const cachedExamples = new WeakMap<VinculoStore, { version: number; queries: Map<string, ExampleQuery[]> }>();

/**
 * The label property a dataset's resources actually carry (SKOS concepts have `skos:prefLabel`,
 * not `rdfs:label`): the most used in the graph, or among resources of `type` the first in
 * `labelPredicates` order.
 * @throws whatever error the store raises while matching.
 */
export async function labelPredicateOf(store: VinculoStore, graph: RDF.NamedNode, type?: RDF.NamedNode): Promise<string | undefined> {
  if (type === undefined) {
    // The most used one: a SKOS dataset may label its scheme with rdfs:label and its concepts with skos:prefLabel.
    const counts = labelPredicates.map((predicate) => ({ predicate, count: store.countQuads(null, DataFactory.namedNode(predicate), null, graph) }));
    const best = counts.reduce((most, candidate) => (candidate.count > most.count ? candidate : most));
    return best.count > 0 ? best.predicate : undefined;
  }
  const used = new Set<string>();
  for (const typed of await collectQuads(store, [null, ns.rdf('type'), type, graph], 20)) {
    for (const quad of await collectQuads(store, [typed.subject, null, null, graph])) used.add(quad.predicate.value);
  }
  return labelPredicates.find((predicate) => used.has(predicate));
}

async function writeExamples(store: VinculoStore, id: string, language: UiLanguage, known?: Record<string, string>): Promise<ExampleQuery[]> {
  const words = uiWordsFor(language);
  const names = known ?? (await queryPrefixes(store));
  const graph = datasetGraph(store.baseIRI, id);
  const classCounts = new Map<string, number>();
  for (const quad of await collectQuads(store, [null, ns.rdf('type'), null, graph])) {
    classCounts.set(quad.object.value, (classCounts.get(quad.object.value) ?? 0) + 1);
  }
  const graphRef = `<${graph.value}>`;
  const queries: ExampleQuery[] = [];
  const top = [...classCounts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const label = top === undefined ? undefined : await labelPredicateOf(store, graph, DataFactory.namedNode(top));
  const labelTerm = label === undefined ? undefined : compact(label, names);
  if (top !== undefined) {
    const type = compact(top, names);
    const labelled = labelTerm === undefined ? '' : `\n    OPTIONAL { ?item ${labelTerm} ?label }`;
    queries.push({
      title: `${words.listItems} (${type})`,
      query: withPrefixes(`SELECT ?item${labelTerm === undefined ? '' : ' ?label'} WHERE {\n  GRAPH ${graphRef} {\n    ?item a ${type} .${labelled}\n  }\n}\nORDER BY ${labelTerm === undefined ? '?item' : '?label'}\nLIMIT 100`, names),
    });
  }
  queries.push({
    title: words.countByClass,
    query: withPrefixes(`SELECT ?class (COUNT(?item) AS ?total) WHERE {\n  GRAPH ${graphRef} { ?item a ?class }\n}\nGROUP BY ?class\nORDER BY DESC(?total)`, names),
  });
  if (top !== undefined) {
    const numeric = await numericProperty(store, DataFactory.namedNode(top), graph);
    if (numeric !== undefined) {
      const property = compact(numeric, names);
      queries.push({
        title: `Top 10: ${property}`,
        query: withPrefixes(
          `SELECT ?item${labelTerm === undefined ? '' : ' ?label'} ?value WHERE {\n  GRAPH ${graphRef} {\n    ?item a ${compact(top, names)} ;\n${labelTerm === undefined ? '' : `      ${labelTerm} ?label ;\n`}      ${property} ?value .\n  }\n}\nORDER BY DESC(?value)\nLIMIT 10`,
          names,
        ),
      });
    }
  }
  return queries;
}

/** A property with numeric values on a few resources of `type`, preferring integers (counts, populations). */
async function numericProperty(store: VinculoStore, type: RDF.NamedNode, graph: RDF.NamedNode): Promise<string | undefined> {
  const scores = new Map<string, number>();
  for (const typed of await collectQuads(store, [null, ns.rdf('type'), type, graph], 20)) {
    for (const quad of await collectQuads(store, [typed.subject, null, null, graph])) {
      if (quad.object.termType !== 'Literal' || !numericTypes.has(quad.object.datatype.value)) continue;
      const weight = quad.object.datatype.value === ns.xsd('integer').value ? 2 : 1;
      scores.set(quad.predicate.value, (scores.get(quad.predicate.value) ?? 0) + weight);
    }
  }
  return [...scores.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

/** The editor's address with `query` in the fragment, the form YASGUI reads and writes as a shareable link. */
export function queryLink(root: string, query: string): string {
  return `${root}sparql#query=${encodeURIComponent(query)}`;
}
