/** The usage metrics the pages show (a selection of those the counting publishes, `src/usage`): the per-syntax and per-format breakdowns stay in the data. */
import type { UsageMetric } from '../usage/index.js';

export const chartedMetrics = [
  'documentViews',
  'documentViewsHuman',
  'documentViewsMachine',
  'sparqlQueries',
  'sparqlResultRows',
  'dumpDownloads',
  'fragmentPages',
  'ldesPages',
  'portalHarvests',
  'distinctClients',
] as const satisfies readonly UsageMetric[];

export type ChartedMetric = (typeof chartedMetrics)[number];
