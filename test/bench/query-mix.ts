/**
 * The bench's query mix (issues 10 and 19): one query per common shape, over the procurement
 * datasets, including the shapes real users send — named graphs, decimals, dates, paths, text search.
 */

export interface BenchQuery {
  /** Short id, used as the table row and JSON key. */
  readonly id: string;
  readonly label: string;
  /** Whether it is an aggregate or ORDER BY query (the issue asks ≥ 10× Comunica on those). */
  readonly heavy: boolean;
  /** True when the result is a graph (DESCRIBE / CONSTRUCT). */
  readonly graph: boolean;
  readonly text: string;
}

/** The mix for a dataset whose IRIs are under `base` (ends in `/`). */
export function queryMix(base: string): BenchQuery[] {
  const prologue = [
    'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>',
    'PREFIX dct: <http://purl.org/dc/terms/>',
    'PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>',
    `PREFIX c: <${base}def/contratos#>`,
    `PREFIX t: <${base}def/territorio#>`,
    `PREFIX id: <${base}id/>`,
    `PREFIX g: <${base}graph/>`,
    '',
  ].join('\n');
  const query = (id: string, label: string, heavy: boolean, body: string, graph = false): BenchQuery => ({
    id,
    label,
    heavy,
    graph,
    text: prologue + body,
  });
  const contract = `<${base}id/contrato/CO1.PCCNTR.0000042>`;
  return [
    query('subject', 'subject lookup', false, `SELECT ?p ?o WHERE { ${contract} ?p ?o }`),
    query(
      'star',
      'star join + filter',
      false,
      `SELECT ?c ?v ?d WHERE { ?c a c:Contrato ; c:modalidad "Licitación pública" ; c:valor ?v ; c:fechaFirma ?d . FILTER(?v > 1900000000) }`,
    ),
    query(
      'join3',
      '3-way join',
      false,
      `SELECT ?c ?e ?n WHERE { ?c c:entidad ?e . ?e c:orden "Nacional" . ?e c:municipio ?m . ?m t:departamento <${base}id/departamento/05> . ?e rdfs:label ?n }`,
    ),
    query(
      'optional-top',
      'OPTIONAL + ORDER BY + LIMIT 20',
      true,
      'SELECT ?c ?v ?fin WHERE { ?c c:valor ?v . OPTIONAL { ?c c:fechaFin ?fin } } ORDER BY DESC(?v) LIMIT 20',
    ),
    query(
      'group',
      'GROUP BY + COUNT/SUM',
      true,
      'SELECT ?e (COUNT(?c) AS ?n) (SUM(?v) AS ?total) WHERE { ?c c:entidad ?e ; c:valor ?v } GROUP BY ?e',
    ),
    query('count', 'COUNT(*)', true, 'SELECT (COUNT(*) AS ?n) WHERE { ?c a c:Contrato }'),
    query('distinct', 'DISTINCT', false, 'SELECT DISTINCT ?p WHERE { ?c c:proveedor ?p ; c:modalidad "Mínima cuantía" }'),
    query(
      'path',
      'property path',
      false,
      `SELECT ?c WHERE { ?c c:entidad/c:municipio/t:departamento <${base}id/departamento/05> }`,
    ),
    query('text', 'text filter', false, 'SELECT ?c ?l WHERE { ?c a c:Contrato ; rdfs:label ?l . FILTER(CONTAINS(?l, "acueducto veredal en La Vega")) }'),
    query('describe', 'DESCRIBE', false, `DESCRIBE ${contract}`, true),
    query(
      'graph',
      'GRAPH <…> + decimal filter',
      false,
      'SELECT ?c ?v WHERE { GRAPH g:contratos { ?c c:modalidad "Mínima cuantía" ; c:valor ?v } FILTER(?v > 1990000000.50) }',
    ),
    query('graph-var', 'GRAPH ?g + COUNT', true, 'SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ?t } } GROUP BY ?g'),
    query('from', 'FROM', false, 'SELECT ?m ?l FROM g:territorio WHERE { ?m a t:Municipio ; rdfs:label ?l }'),
    query(
      'construct',
      'CONSTRUCT',
      false,
      `CONSTRUCT { ?c dct:title ?l ; c:valor ?v } WHERE { ?c c:entidad <${base}id/entidad/00007> ; rdfs:label ?l ; c:valor ?v }`,
      true,
    ),
    query('path-plus', 'path + (transitive)', true, `SELECT (COUNT(?m) AS ?n) WHERE { ?m t:parteDe+ <${base}id/pais/CO> }`),
    query('path-star', 'path * (reflexive)', false, `SELECT ?c WHERE { ?c c:modalidad "Concurso de méritos" ; c:municipio/t:parteDe* <${base}id/departamento/05> }`),
    query(
      'avg-concat',
      'AVG + GROUP_CONCAT',
      true,
      // The concatenation's order is each engine's own: its length is what all must agree on.
      'SELECT ?mod (AVG(?v) AS ?avg) (STRLEN(GROUP_CONCAT(DISTINCT ?estado; separator="|")) AS ?states) WHERE { ?c c:modalidad ?mod ; c:valor ?v ; c:estado ?estado } GROUP BY ?mod',
    ),
    query(
      'date-range',
      'date range filter',
      false,
      'SELECT ?c ?d WHERE { ?c c:fechaFirma ?d FILTER(?d >= "2023-01-01"^^xsd:date && ?d < "2023-01-08"^^xsd:date) }',
    ),
    query(
      'datetime-top',
      'dateTime (time zones) ORDER BY',
      true,
      'SELECT ?c ?t WHERE { ?c c:publicado ?t FILTER(?t >= "2023-06-30T20:00:00-05:00"^^xsd:dateTime) } ORDER BY ?t ?c LIMIT 20',
    ),
    query('decimal-sum', 'decimal SUM', true, 'SELECT (SUM(?v) AS ?total) WHERE { ?c c:estado "Liquidado" ; c:valor ?v }'),
    query('minus', 'MINUS', false, 'SELECT ?c WHERE { ?c c:modalidad "Concurso de méritos" ; c:estado "Terminado" MINUS { ?c c:fechaFin ?f } }'),
    query(
      'not-exists',
      'NOT EXISTS',
      false,
      'SELECT ?e WHERE { ?e a c:Entidad FILTER NOT EXISTS { ?c c:entidad ?e ; c:estado "Cancelado" ; c:valor ?v FILTER(?v > 1900000000) } }',
    ),
    query(
      'regex',
      'REGEX on labels',
      false,
      'SELECT ?c ?l WHERE { ?c a c:Contrato ; rdfs:label ?l FILTER(LANG(?l) = "es" && REGEX(?l, "^construcción de acueducto.*Rionegro \\\\(1", "i")) }',
    ),
    query(
      'label-contains',
      'CONTAINS on es/en labels',
      false,
      'SELECT ?d ?l WHERE { ?d a t:Departamento ; rdfs:label ?l FILTER(CONTAINS(?l, "ment 1") || CONTAINS(?l, "mento 2")) }',
    ),
  ];
}
