/** The bench's query mix (issue 10): one query per common shape, over the procurement dataset. */

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
  ];
}
