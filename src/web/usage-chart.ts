/** The dataset page's chart of use: one strip of daily bars per kind of use over the last 90 days (server-rendered SVG, each strip on its own scale), with every day's figures in a table. */
import { escapeHtml } from './html.js';
import type { UiLanguage } from './language.js';
import { uiWordsFor } from './ui-words.js';
import { type ChartedMetric, chartedMetrics } from './usage-kinds.js';

/** One published figure: a dataset's use of one kind on one day. */
export interface UsageMeasurement {
  readonly dataset: string;
  /** `YYYY-MM-DD`. */
  readonly date: string;
  readonly metric: ChartedMetric;
  readonly value: number;
}

/** The kinds of use that are requests people or programs made, in the order pages show them; views split by human and machine where the counting splits them. */
const requestKinds: readonly ChartedMetric[] = ['documentViewsHuman', 'documentViewsMachine', 'documentViews', 'sparqlQueries', 'dumpDownloads', 'fragmentPages', 'ldesPages', 'portalHarvests'];

/**
 * The kinds a chart or a ranking shows for `measurements`: every request kind with use, except the
 * total of document views when its human/machine split is there (it would count them twice).
 */
export function shownKinds(measurements: readonly UsageMeasurement[]): ChartedMetric[] {
  const used = new Set(measurements.filter((measurement) => measurement.value > 0).map((measurement) => measurement.metric));
  const split = used.has('documentViewsHuman') || used.has('documentViewsMachine');
  return requestKinds.filter((kind) => used.has(kind) && !(split && kind === 'documentViews'));
}

/** The `count` days ending with `last` (`YYYY-MM-DD`, UTC), oldest first. */
export function daysEnding(last: string, count: number): string[] {
  const end = Date.parse(`${last}T00:00:00Z`);
  return Array.from({ length: count }, (_, index) => new Date(end - (count - 1 - index) * 86_400_000).toISOString().slice(0, 10));
}

const chartWidth = 640;
const fontSize = 14;
const stripHeight = 40;
const labelHeight = 20;
const gap = 14;
const axisHeight = 20;

/**
 * The chart of one dataset's use over the `days` days ending `today`, with its table; a sentence
 * instead when nothing was counted in that time.
 */
export function renderUsageChart(measurements: readonly UsageMeasurement[], { language, today, days = 90 }: { readonly language: UiLanguage; readonly today: string; readonly days?: number }): string {
  const words = uiWordsFor(language).usage;
  const locale = language === 'es' ? 'es-CO' : 'en-US';
  const number = (value: number) => value.toLocaleString(locale, { maximumFractionDigits: 0 });
  const dates = daysEnding(today, days);
  const inWindow = measurements.filter((measurement) => measurement.date >= (dates[0] ?? today) && measurement.date <= today);
  const kinds = shownKinds(inWindow);
  if (kinds.length === 0) return `<p>${escapeHtml(words.noUse(days))}</p>`;
  const byMetricDay = new Map(inWindow.map((measurement) => [`${measurement.metric} ${measurement.date}`, measurement.value]));
  const value = (metric: ChartedMetric, date: string) => byMetricDay.get(`${metric} ${date}`) ?? 0;
  const slot = chartWidth / days;
  let y = 0;
  const facts: string[] = [];
  const strips = kinds.map((kind) => {
    const series = dates.map((date) => value(kind, date));
    const max = Math.max(...series);
    const total = series.reduce((sum, count) => sum + count, 0);
    const peak = dates[series.indexOf(max)] ?? today;
    facts.push(words.kindSummary(words.kinds[kind], number(total), number(max), peak));
    const top = y + labelHeight;
    const bars = series
      .map((count, index) => {
        if (count === 0) return '';
        const height = Math.max(1, (stripHeight * count) / max);
        return `<rect x="${(index * slot + 0.5).toFixed(1)}" y="${(top + stripHeight - height).toFixed(1)}" width="${(slot - 1).toFixed(1)}" height="${height.toFixed(1)}"></rect>`;
      })
      .join('');
    const strip = `<g class="usage-strip" data-kind="${kind}"><text class="strip-label" x="0" y="${top - 6}">${escapeHtml(`${words.kinds[kind]} — ${words.total(number(total))}, ${words.peak(number(max))}`)}</text><line class="baseline" x1="0" x2="${chartWidth}" y1="${top + stripHeight + 0.5}" y2="${top + stripHeight + 0.5}"></line>${bars}</g>`;
    y = top + stripHeight + gap;
    return strip;
  });
  const height = y + axisHeight;
  const middle = dates[Math.floor(days / 2)] ?? today;
  const axis = `<g class="axis"><text x="0" y="${height - 4}">${escapeHtml(dates[0] ?? today)}</text><text x="${chartWidth / 2}" y="${height - 4}" text-anchor="middle">${escapeHtml(middle)}</text><text x="${chartWidth}" y="${height - 4}" text-anchor="end">${escapeHtml(today)}</text></g>`;
  const title = words.chartTitle(days);
  const description = `${words.chartScale}. ${facts.join('; ')}.`;
  const svg = `<svg class="usage-chart" role="img" aria-labelledby="usage-chart-title usage-chart-desc" viewBox="0 0 ${chartWidth} ${height}" font-size="${fontSize}"><title id="usage-chart-title">${escapeHtml(title)}</title><desc id="usage-chart-desc">${escapeHtml(description)}</desc>${strips.join('')}${axis}</svg>`;

  // The table lists the days with any use, every kind the counting published (result rows and distinct clients too).
  const columns = chartedMetrics.filter((metric) => inWindow.some((measurement) => measurement.metric === metric && measurement.value > 0));
  const usedDates = dates.filter((date) => columns.some((metric) => value(metric, date) > 0)).reverse();
  const table = `<details class="usage-table"><summary>${escapeHtml(words.dailyTable)}</summary><table><thead><tr><th scope="col">${escapeHtml(words.day)}</th>${columns.map((metric) => `<th scope="col">${escapeHtml(words.kinds[metric])}</th>`).join('')}</tr></thead><tbody>
${usedDates.map((date) => `<tr><th scope="row"><time datetime="${date}">${date}</time></th>${columns.map((metric) => `<td>${number(value(metric, date))}</td>`).join('')}</tr>`).join('\n')}
</tbody></table></details>`;
  return `<figure class="usage-figure">
${svg}
<figcaption>${escapeHtml(title)}</figcaption>
</figure>
${table}`;
}
