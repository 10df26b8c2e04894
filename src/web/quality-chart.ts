/** The dataset page's quality section: DQV measurements grouped by unit, each unit charted on its own scale (server-rendered SVG), the rest as text, and every value in a table. */
import type { QualityMetric } from '../catalog/index.js';
import { qualityTerm, vocabularyNamespace } from '../rdf/index.js';
import { escapeHtml } from './html.js';
import type { UiLanguage } from './language.js';
import { type UiWords, uiWordsFor } from './ui-words.js';

export interface QualityMeasurement {
  /** The metric's label (or local name), with the column it was measured on, if any. */
  readonly metric: string;
  /** The metric's IRI: it decides the unit. */
  readonly metricIri: string;
  /** The source column of a per-column measurement. */
  readonly column?: string;
  /** The value as written (a number, a boolean, a date). */
  readonly text: string;
  /** The value's datatype IRI. */
  readonly datatype: string;
  /** The value as a number, when it is one: only those are charted. */
  readonly value?: number;
}

/** What a measurement counts. Measures of different units never share an axis. */
export type QualityUnit = 'rows' | 'cells' | 'columns' | 'days' | 'ratio' | 'boolean' | 'count';

/** Our metrics (`{base}def/calidad#…`, see `vocabularies/calidad.ttl`) by unit; a `Record` so a new metric cannot be forgotten here. */
const metricUnits: Record<QualityMetric, QualityUnit> = {
  filas: 'rows',
  filasDuplicadas: 'rows',
  clavesDuplicadas: 'rows',
  celdasVacias: 'cells',
  valoresRechazados: 'cells',
  codigosDivipolaInvalidos: 'cells',
  columnasDatosPersonales: 'columns',
  diasDesdeActualizacion: 'days',
  alDia: 'boolean',
};

const xsd = 'http://www.w3.org/2001/XMLSchema#';

/** The unit of `measurement`: from our metric table, else from the value (a fraction of one is a ratio). */
export function unitOf(measurement: QualityMeasurement, baseIRI: string): QualityUnit {
  const ours = vocabularyNamespace(baseIRI, 'calidad');
  if (measurement.metricIri.startsWith(ours)) {
    const unit = (metricUnits as Record<string, QualityUnit | undefined>)[measurement.metricIri.slice(ours.length)];
    if (unit) return unit;
  }
  if (measurement.datatype === `${xsd}boolean`) return 'boolean';
  const fractional = [`${xsd}double`, `${xsd}decimal`, `${xsd}float`].includes(measurement.datatype);
  if (fractional && measurement.value !== undefined && measurement.value >= 0 && measurement.value <= 1) return 'ratio';
  return 'count';
}

interface Bar {
  readonly label: string;
  readonly value: number;
  readonly shown: string;
}

interface Panel {
  readonly unit: 'percent' | QualityUnit;
  readonly title: string;
  /** The scale's top: 100 for percentages, a round number above the largest count otherwise. */
  readonly max: number;
  readonly ticks: readonly number[];
  readonly tickText: (value: number) => string;
  readonly bars: readonly Bar[];
}

/** The SVG's own coordinate width; CSS caps the drawn width at the same number of pixels so text keeps its size on wide screens and shrinks evenly on narrow ones. */
const chartWidth = 480;
const fontSize = 14;
const lineHeight = 18;
const barHeight = 14;
const valueMargin = 90;
/** A wide glyph's width in em: text measured with it never runs past where it is estimated to end. */
const glyphWidth = 0.62;
const charactersPerLine = Math.floor(chartWidth / (fontSize * glyphWidth));

/** `text` broken into lines of at most `width` characters, at spaces where it can, inside long words (column names) where it must. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((part) => part !== '')) {
    const pieces = Array.from({ length: Math.ceil(word.length / width) }, (_, index) => word.slice(index * width, (index + 1) * width));
    for (const piece of pieces) {
      if (line === '') line = piece;
      else if (line.length + 1 + piece.length <= width) line = `${line} ${piece}`;
      else {
        lines.push(line);
        line = piece;
      }
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** 1, 2 or 5 times a power of ten, at least `value`: a scale top people read at a glance. */
function roundUp(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * power).find((top) => top >= value) ?? 10 * power;
}

function renderPanel(panel: Panel, id: string, description: string): string {
  const plotWidth = chartWidth - valueMargin;
  const axisHeight = lineHeight + 6;
  let y = axisHeight;
  const rows = panel.bars.map((bar) => {
    const lines = wrapText(bar.label, charactersPerLine);
    const labelTop = y;
    const barTop = labelTop + lines.length * lineHeight + 2;
    y = barTop + barHeight + 12;
    const width = Math.max(0, Math.min(plotWidth, (plotWidth * bar.value) / panel.max));
    const label = lines.map((line, index) => `<tspan x="0" y="${labelTop + (index + 1) * lineHeight - 4}">${escapeHtml(line)}</tspan>`).join('');
    // A value too long for the room right of its bar goes inside the bar's end instead of past the chart's edge.
    const inside = width + 6 + bar.shown.length * fontSize * glyphWidth > chartWidth;
    const value = inside
      ? `<text class="bar-value inside" x="${(width - 6).toFixed(1)}" y="${barTop + barHeight - 2}" text-anchor="end">${escapeHtml(bar.shown)}</text>`
      : `<text class="bar-value" x="${(width + 6).toFixed(1)}" y="${barTop + barHeight - 2}">${escapeHtml(bar.shown)}</text>`;
    return `<g class="bar-row"><text class="bar-label">${label}</text><rect x="0" y="${barTop}" width="${width.toFixed(1)}" height="${barHeight}"></rect>${value}</g>`;
  });
  const height = y;
  const ticks = panel.ticks.map((tick, index) => {
    const x = (plotWidth * tick) / panel.max;
    // The first and last tick labels hang inward, so neither is cut at the chart's edges.
    const anchor = index === 0 ? 'start' : index === panel.ticks.length - 1 ? 'end' : 'middle';
    return `<line x1="${x.toFixed(1)}" y1="${axisHeight - 4}" x2="${x.toFixed(1)}" y2="${height - 8}"></line><text x="${x.toFixed(1)}" y="${lineHeight - 4}" text-anchor="${anchor}">${escapeHtml(panel.tickText(tick))}</text>`;
  });
  return `<figure class="quality-panel" data-unit="${panel.unit}">
<figcaption id="${id}-caption">${escapeHtml(panel.title)}</figcaption>
<svg class="chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${chartWidth} ${height}" width="100%" font-size="${fontSize}"><title id="${id}-title">${escapeHtml(panel.title)}</title><desc id="${id}-desc">${escapeHtml(description)}</desc><g class="axis">${ticks.join('')}</g><g class="bars">${rows.join('')}</g></svg>
</figure>`;
}

/** The quality section's body for the dataset page: charts by unit, text facts, and the full table. */
export function renderQualitySection(measurements: readonly QualityMeasurement[], { language, baseIRI }: { readonly language: UiLanguage; readonly baseIRI: string }): string {
  const words = uiWordsFor(language);
  const locale = language === 'es' ? 'es-CO' : 'en-US';
  const number = (value: number, digits = 0) => value.toLocaleString(locale, { maximumFractionDigits: digits });
  const percent = (value: number) => `${number(value, 1)} %`;
  const withUnit = measurements.map((measurement) => ({ measurement, unit: unitOf(measurement, baseIRI) }));
  const rowsRead = withUnit.find(({ measurement, unit }) => unit === 'rows' && measurement.metricIri === qualityTerm(baseIRI, 'filas').value)?.measurement.value;

  const panels: Panel[] = [];
  const facts: Array<{ readonly name: string; readonly value: string }> = [];
  const percentPanel = (title: string, bars: Bar[]) => {
    if (bars.length > 0) panels.push({ unit: 'percent', title, max: 100, ticks: [0, 25, 50, 75, 100], tickText: (tick) => `${tick} %`, bars });
  };
  // Empty cells per column mean most as a share of the rows: counts of a 13-row and a 13-million-row column do not compare.
  const perColumn = (entry: (typeof withUnit)[number]) => entry.unit === 'cells' && entry.measurement.column !== undefined && entry.measurement.metricIri === qualityTerm(baseIRI, 'celdasVacias').value;
  const shareable = rowsRead !== undefined && rowsRead > 0;
  if (shareable) {
    percentPanel(
      words.emptyCellsByColumn(number(rowsRead)),
      withUnit.filter(perColumn).map(({ measurement }) => {
        const share = (100 * (measurement.value ?? 0)) / rowsRead;
        return { label: measurement.column ?? measurement.metric, value: share, shown: `${percent(share)} (${number(measurement.value ?? 0)})` };
      }),
    );
  }
  percentPanel(
    words.ratios,
    withUnit.filter(({ unit, measurement }) => unit === 'ratio' && measurement.value !== undefined).map(({ measurement }) => ({ label: measurement.metric, value: 100 * (measurement.value ?? 0), shown: percent(100 * (measurement.value ?? 0)) })),
  );
  for (const unit of ['rows', 'cells', 'columns', 'count'] as const) {
    const entries = withUnit.filter((entry) => entry.unit === unit && entry.measurement.value !== undefined && !(shareable && perColumn(entry)));
    const bars = entries.map(({ measurement }) => ({ label: measurement.metric, value: measurement.value ?? 0, shown: number(measurement.value ?? 0, 2) }));
    if (bars.length === 1) {
      // One bar fills its own scale whatever its value: a sentence says it better.
      const [bar] = bars;
      if (bar) facts.push({ name: bar.label, value: words.unitAmount(unit, bar.shown) });
      continue;
    }
    if (bars.length === 0) continue;
    const max = roundUp(Math.max(...bars.map((bar) => bar.value)));
    const ticks = [0, max / 2, max].filter((tick) => Number.isInteger(tick));
    panels.push({ unit, title: words.unitTitle(unit), max, ticks, tickText: (tick) => number(tick), bars });
  }
  for (const { measurement, unit } of withUnit) {
    if (unit === 'days') facts.push({ name: measurement.metric, value: words.unitAmount('days', measurement.value === undefined ? measurement.text : number(measurement.value)) });
    if (unit === 'boolean') facts.push({ name: measurement.metric, value: measurement.text === 'true' || measurement.text === '1' ? words.yes : words.no });
  }

  const charts = panels.map((panel, index) => renderPanel(panel, `quality-chart-${index + 1}`, describePanel(panel, words)));
  const factList = facts.length === 0 ? '' : `<dl class="quality-facts">${facts.map((fact) => `<div><dt>${escapeHtml(fact.name)}</dt><dd>${escapeHtml(fact.value)}</dd></div>`).join('')}</dl>`;
  const table = `<details class="quality-table"><summary>${escapeHtml(words.qualityTable)}</summary><table><thead><tr><th scope="col">${escapeHtml(words.qualityMetric)}</th><th scope="col">${escapeHtml(words.qualityValue)}</th></tr></thead><tbody>
${measurements.map((measurement) => `<tr><td>${escapeHtml(measurement.metric)}</td><td>${escapeHtml(measurement.text)}</td></tr>`).join('\n')}
</tbody></table></details>`;
  return `${charts.length === 0 ? '' : `<div class="quality-charts">\n${charts.join('\n')}\n</div>`}
${factList}
${table}`;
}

/** The panel's values as one sentence, for readers who do not see the bars. */
function describePanel(panel: Panel, words: UiWords): string {
  return `${words.scale(panel.tickText(0), panel.tickText(panel.max))}. ${panel.bars.map((bar) => `${bar.label}: ${bar.shown}`).join('; ')}.`;
}
