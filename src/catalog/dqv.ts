/** A quality report as DQV: one dqv:QualityMeasurement per metric (and per column), on the dataset. */
import type * as RDF from '@rdfjs/types';
import { DataFactory, datasetIri, measurementIri, ns, qualityTerm, vinculoTerm } from '../rdf/index.js';
import { slug } from './authority-tables.js';
import type { QualityReport } from './quality.js';

const { literal, quad } = DataFactory;

/**
 * Our metrics, `{base}def/calidad#…`, with the datatype of their values. Their labels and LDQD
 * dimensions are in `vocabularies/calidad.ttl` (the vocabulary graph, dereferenceable at
 * `/def/calidad`); a test keeps the two lists equal.
 */
export const qualityMetrics = {
  filas: 'integer',
  celdasVacias: 'integer',
  filasDuplicadas: 'integer',
  clavesDuplicadas: 'integer',
  valoresRechazados: 'integer',
  codigosDivipolaInvalidos: 'integer',
  diasDesdeActualizacion: 'integer',
  alDia: 'boolean',
  columnasDatosPersonales: 'integer',
} as const;

export type QualityMetric = keyof typeof qualityMetrics;

export const metricIri = (baseIRI: string, metric: QualityMetric): RDF.NamedNode => qualityTerm(baseIRI, metric);

/** The report's measurements on `{base}dataset/{id}`; per-column ones name their column with `vinculo:columna`. */
export function qualityMeasurements(baseIRI: string, report: QualityReport): RDF.Quad[] {
  const dataset = datasetIri(baseIRI, report.datasetId);
  const out: RDF.Quad[] = [];
  const when = literal(report.measuredAt.toISOString(), ns.xsd('dateTime'));
  const measure = (name: QualityMetric, local: string, value: number | boolean, column?: string) => {
    const node = measurementIri(baseIRI, report.datasetId, local);
    out.push(
      quad(dataset, ns.dqv('hasQualityMeasurement'), node),
      quad(node, ns.rdf('type'), ns.dqv('QualityMeasurement')),
      quad(node, ns.dqv('computedOn'), dataset),
      quad(node, ns.dqv('isMeasurementOf'), metricIri(baseIRI, name)),
      quad(node, ns.dqv('value'), literal(String(value), ns.xsd(qualityMetrics[name]))),
      quad(node, ns.prov('generatedAtTime'), when),
    );
    if (column !== undefined) out.push(quad(node, vinculoTerm(baseIRI, 'columna'), literal(column)));
  };
  const several = report.tables.length > 1;
  const sum = (pick: (table: QualityReport['tables'][number]) => number) => report.tables.reduce((total, table) => total + pick(table), 0);
  measure('filas', 'filas', sum((t) => t.rows));
  measure('filasDuplicadas', 'filas-duplicadas', sum((t) => t.duplicateRows));
  measure('clavesDuplicadas', 'claves-duplicadas', sum((t) => t.duplicateKeys));
  measure('codigosDivipolaInvalidos', 'divipola-invalidos', sum((t) => t.invalidDivipola));
  measure('columnasDatosPersonales', 'datos-personales', sum((t) => t.personalDataColumns.length));
  measure('celdasVacias', 'celdas-vacias', sum((t) => t.columns.reduce((total, c) => total + c.empty, 0)));
  const used = new Set<string>();
  report.tables.forEach((table, index) => {
    for (const column of table.columns) {
      const base = `celdas-vacias/${several ? `${index + 1}-` : ''}${slug(column.column) || 'columna'}`;
      // Two headers can slug alike ("Año", "AÑO"): each measurement keeps its own IRI.
      let local = base;
      for (let n = 2; used.has(local); n++) local = `${base}-${n}`;
      used.add(local);
      measure('celdasVacias', local, column.empty, column.column);
    }
  });
  const rejected = Object.entries(report.problems).reduce((total, [, count]) => total + count, 0);
  measure('valoresRechazados', 'valores-rechazados', rejected);
  if (report.timeliness.ageDays !== undefined) measure('diasDesdeActualizacion', 'dias-desde-actualizacion', report.timeliness.ageDays);
  if (report.timeliness.timely !== undefined) measure('alDia', 'al-dia', report.timeliness.timely);
  return out;
}
