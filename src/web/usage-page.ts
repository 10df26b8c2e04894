/** The portal's use (`/uso`, `/usage`): the most used datasets and agencies of the last 30 days by kind, and a map of Colombia by the publishing agencies' departments; plus reading the usage measurements the counting publishes in the catalog graph. */
import type * as RDF from '@rdfjs/types';
import { DataFactory, catalogGraph, collectQuads, datasetIri, datasetSpace, divipolaIri, ns, vinculoTerm, vocabularyNamespace } from '../rdf/index.js';
import type { VinculoStore } from '../store/index.js';
import { labelOf } from './catalog-entries.js';
import { queryLink } from './example-queries.js';
import { escapeHtml, siteHref } from './html.js';
import { pickLiteral } from './labels.js';
import type { UiLanguage } from './language.js';
import { departmentNamed, renderColombiaMap } from './maps/index.js';
import { renderPageShell } from './page-shell.js';
import { type UiWords, uiWordsFor } from './ui-words.js';
import { type UsageMeasurement, daysEnding, shownKinds } from './usage-chart.js';
import { type ChartedMetric, chartedMetrics } from './usage-kinds.js';

const first = async (store: RDF.Source<RDF.Quad>, subject: RDF.Term, predicate: RDF.NamedNode, graph: RDF.Term) => (await collectQuads(store, [subject, predicate, null, graph], 1))[0]?.object;

export interface UsageQuery {
  /** First and last day, `YYYY-MM-DD`, both included. */
  readonly from: string;
  readonly to: string;
  /** One dataset's measurements only (its `dcat:Dataset` IRI). */
  readonly dataset?: RDF.NamedNode;
}

/**
 * The usage measurements in the catalog graph between two days: DQV measurements `dqv:computedOn`
 * a dataset, `dqv:isMeasurementOf` one of the usage metrics (`vin:{metric}`), with `dqv:value`
 * and `dct:date`. One dataset's are found from the dataset; the portal's, day by day from the dates.
 * @throws whatever the store raises while matching.
 */
export async function readUsage(store: VinculoStore, { from, to, dataset }: UsageQuery): Promise<UsageMeasurement[]> {
  const graph = catalogGraph(store.baseIRI);
  const metricByIri = new Map<string, ChartedMetric>(chartedMetrics.map((metric) => [vinculoTerm(store.baseIRI, metric).value, metric]));
  const datasets = datasetSpace(store.baseIRI);
  let subjects: RDF.Term[];
  if (dataset) {
    subjects = (await collectQuads(store, [null, ns.dqv('computedOn'), dataset, graph])).map((quad) => quad.subject);
  } else {
    const days = daysEnding(to, Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1);
    subjects = [];
    for (const day of days) subjects.push(...(await collectQuads(store, [null, ns.dct('date'), DataFactory.literal(day, ns.xsd('date')), graph])).map((quad) => quad.subject));
  }
  const measurements: UsageMeasurement[] = [];
  // One match per measurement for all its properties: four lookups each made the dataset page slow.
  const wanted = [ns.dqv('isMeasurementOf'), ns.dct('date'), ns.dqv('computedOn'), ns.dqv('value')].map((predicate) => predicate.value);
  for (const subject of subjects) {
    const properties = new Map<string, string>();
    for (const quad of await collectQuads(store, [subject, null, null, graph])) {
      if (wanted.includes(quad.predicate.value) && !properties.has(quad.predicate.value)) properties.set(quad.predicate.value, quad.object.value);
    }
    const [measured = '', day = '', computedOn = '', figure] = wanted.map((predicate) => properties.get(predicate));
    const metric = metricByIri.get(measured);
    const date = day.slice(0, 10);
    const value = Number(figure);
    if (!metric || date === '' || date < from || date > to || !computedOn.startsWith(datasets) || figure === undefined || !Number.isFinite(value)) continue;
    measurements.push({ dataset: computedOn.slice(datasets.length), date, metric, value });
  }
  return measurements;
}

/** The request kinds added up as "uses": each request once (harvests are requests of these kinds already; result rows and clients are not requests). */
const useKinds: readonly ChartedMetric[] = ['documentViews', 'sparqlQueries', 'dumpDownloads', 'fragmentPages', 'ldesPages'];

export type UsageTotals = Readonly<Partial<Record<ChartedMetric, number>>>;

/** The uses in `totals`: document views (their human/machine split when there is no total) plus the other request kinds. */
export function usesOf(totals: UsageTotals): number {
  const views = totals.documentViews ?? (totals.documentViewsHuman ?? 0) + (totals.documentViewsMachine ?? 0);
  return views + useKinds.filter((kind) => kind !== 'documentViews').reduce((sum, kind) => sum + (totals[kind] ?? 0), 0);
}

export interface UsageRow {
  readonly key: string;
  readonly name: string;
  /** A site path for datasets. */
  readonly href?: string;
  readonly totals: UsageTotals;
  readonly uses: number;
  /** Datasets: the agency's name; agencies: how many of its datasets were used. */
  readonly detail: string;
  /** The DIVIPOLA department code of the agency, undefined for national or unknown. */
  readonly department?: string;
}

export interface UsageSummary {
  readonly from: string;
  readonly to: string;
  readonly kinds: readonly ChartedMetric[];
  readonly datasets: readonly UsageRow[];
  readonly agencies: readonly UsageRow[];
  /** Uses by the department of the publishing agency. */
  readonly departments: ReadonlyMap<string, number>;
  /** Uses of datasets whose agency is national or has no known department. */
  readonly national: number;
}

/**
 * The department of the agency publishing `dataset`, by this rule: none for an agency of the
 * national order (`vin:orden "nacional"`); else the agency's `vin:departamento` (a DIVIPOLA code or a
 * department's name), else the department of its `vin:municipio` code; else the one department
 * among the dataset's `dct:spatial` DIVIPOLA concepts (`{base}kos/divipola/…`); else none.
 * @throws whatever the store raises while matching.
 */
export async function agencyDepartment(store: VinculoStore, dataset: RDF.NamedNode, publisher: RDF.Term | undefined): Promise<string | undefined> {
  const graph = catalogGraph(store.baseIRI);
  const own = (local: string) => vinculoTerm(store.baseIRI, local);
  if (publisher) {
    const order = await first(store, publisher, own('orden'), graph);
    if (order && order.value.trim().toLowerCase() === 'nacional') return undefined;
    for (const predicate of [own('departamento'), own('municipio')]) {
      const named = await first(store, publisher, predicate, graph);
      const department = named && departmentNamed(named.value);
      // A municipality's name alone is ambiguous (several share one): only its code says the department.
      if (department && (predicate.value === own('departamento').value || /^\d{5}$/.test(named.value.trim()))) return department.code;
    }
  }
  const divipola = divipolaIri(store.baseIRI, '').value;
  const covered = new Set<string>();
  for (const quad of await collectQuads(store, [dataset, ns.dct('spatial'), null, graph])) {
    const code = quad.object.value.startsWith(divipola) ? quad.object.value.slice(divipola.length) : '';
    const department = /^\d{2}(\d{3})?$/.test(code) ? departmentNamed(code) : undefined;
    if (department) covered.add(department.code);
  }
  return covered.size === 1 ? [...covered][0] : undefined;
}

function addTotals(into: Map<string, Partial<Record<ChartedMetric, number>>>, key: string, metric: ChartedMetric, value: number): void {
  const totals = into.get(key) ?? {};
  totals[metric] = (totals[metric] ?? 0) + value;
  into.set(key, totals);
}

/**
 * The portal's use over the 30 days ending `today`: datasets and agencies ranked by uses, and the
 * uses by the department of the publishing agency.
 * @throws whatever the store raises while matching.
 */
export async function usageSummary(store: VinculoStore, { language, today }: { readonly language: UiLanguage; readonly today: string }): Promise<UsageSummary> {
  const days = daysEnding(today, 30);
  const from = days[0] ?? today;
  const measurements = await readUsage(store, { from, to: today });
  const graph = catalogGraph(store.baseIRI);
  const byDataset = new Map<string, Partial<Record<ChartedMetric, number>>>();
  // Distinct clients are estimates per day and dataset: they do not add up, so rankings leave them out.
  for (const { dataset, metric, value } of measurements) if (metric !== 'distinctClients') addTotals(byDataset, dataset, metric, value);

  const datasets: UsageRow[] = [];
  const byAgency = new Map<string, Partial<Record<ChartedMetric, number>>>();
  const agencyNames = new Map<string, string>();
  const agencyDatasets = new Map<string, number>();
  const agencyDepartments = new Map<string, string | undefined>();
  const departments = new Map<string, number>();
  let national = 0;
  for (const [id, totals] of byDataset) {
    const node = datasetIri(store.baseIRI, id);
    const title = pickLiteral(await collectQuads(store, [node, ns.dct('title'), null, graph]), language) ?? id;
    const publisher = await first(store, node, ns.dct('publisher'), graph);
    const agencyName = publisher ? ((await labelOf(store, publisher, language)) ?? publisher.value) : '—';
    const agencyKey = publisher?.value ?? '';
    const department = await agencyDepartment(store, node, publisher);
    const uses = usesOf(totals);
    datasets.push({ key: id, name: title, href: siteHref(node.value, store.baseIRI), totals, uses, detail: agencyName, department });
    for (const [metric, value] of Object.entries(totals) as Array<[ChartedMetric, number]>) addTotals(byAgency, agencyKey, metric, value);
    agencyNames.set(agencyKey, agencyName);
    agencyDatasets.set(agencyKey, (agencyDatasets.get(agencyKey) ?? 0) + 1);
    agencyDepartments.set(agencyKey, department);
    if (department) departments.set(department, (departments.get(department) ?? 0) + uses);
    else national += uses;
  }
  const agencies: UsageRow[] = [...byAgency.entries()].map(([key, totals]) => ({
    key,
    name: agencyNames.get(key) ?? key,
    totals,
    uses: usesOf(totals),
    detail: String(agencyDatasets.get(key) ?? 0),
    department: agencyDepartments.get(key),
  }));
  const byUses = (a: UsageRow, b: UsageRow) => b.uses - a.uses || a.name.localeCompare(b.name, language);
  return { from, to: today, kinds: shownKinds(measurements), datasets: datasets.sort(byUses), agencies: agencies.sort(byUses), departments, national };
}

/** The usage page's path in `language`: `/uso` in Spanish, `/usage` in English. */
export function usagePagePath(root: string, language: UiLanguage): string {
  return `${root}${uiWordsFor(language).usage.pagePath}`;
}

/** What a ranking can be ordered by: uses, or one kind. */
export type UsageRanking = 'uses' | ChartedMetric;

/** The ranking a `?kind=` parameter asks for, among the kinds shown; uses otherwise. */
export function rankingOf(asked: string | undefined, summary: UsageSummary): UsageRanking {
  return summary.kinds.find((kind) => kind === asked) ?? 'uses';
}

export interface UsagePageInput {
  readonly summary: UsageSummary;
  readonly language: UiLanguage;
  readonly root: string;
  readonly baseIRI: string;
  readonly ranking: UsageRanking;
  /** The page's own path (`/uso` or `/usage`) and the other language's. */
  readonly path: string;
  readonly otherPath: string;
}

/** The SPARQL behind the ranking, for readers who want the figures themselves. */
function topDatasetsQuery(baseIRI: string, from: string, language: UiLanguage): string {
  return `PREFIX dct: <http://purl.org/dc/terms/>
PREFIX dqv: <http://www.w3.org/ns/dqv#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX vin: <${vocabularyNamespace(baseIRI, 'vinculo')}>
SELECT ?dataset (SAMPLE(?name) AS ?title) (SUM(?n) AS ?uses) WHERE {
  GRAPH <${catalogGraph(baseIRI).value}> {
    VALUES ?metric { ${useKinds.map((kind) => `vin:${kind}`).join(' ')} }
    ?m dqv:isMeasurementOf ?metric ; dqv:computedOn ?dataset ; dqv:value ?n ; dct:date ?day .
    FILTER (?day >= "${from}"^^xsd:date)
    OPTIONAL { ?dataset dct:title ?name FILTER (lang(?name) = "${language}") }
  }
}
GROUP BY ?dataset ORDER BY DESC(?uses) LIMIT 10`;
}

function rankingTable(rows: readonly UsageRow[], { words, kinds, ranking, first: firstColumn, detail, number }: { words: UiWords['usage']; kinds: readonly ChartedMetric[]; ranking: UsageRanking; first: string; detail: string; number: (value: number) => string }): string {
  const figureOf = (row: UsageRow, column: UsageRanking) => (column === 'uses' ? row.uses : (row.totals[column] ?? 0));
  const sorted = [...rows].sort((a, b) => figureOf(b, ranking) - figureOf(a, ranking) || b.uses - a.uses).slice(0, 20);
  const columns: UsageRanking[] = ['uses', ...kinds];
  const heading = (column: UsageRanking) => escapeHtml(column === 'uses' ? words.uses : words.kinds[column]);
  return `<table class="usage-ranking"><thead><tr><th scope="col">#</th><th scope="col">${escapeHtml(firstColumn)}</th><th scope="col">${escapeHtml(detail)}</th>${columns
    .map((column) => `<th scope="col"${column === ranking ? ' aria-sort="descending"' : ''}>${heading(column)}</th>`)
    .join('')}</tr></thead><tbody>
${sorted
  .map(
    (row, index) =>
      `<tr><td>${index + 1}</td><th scope="row">${row.href ? `<a href="${escapeHtml(row.href)}">${escapeHtml(row.name)}</a>` : escapeHtml(row.name)}</th><td>${escapeHtml(row.detail)}</td>${columns.map((column) => `<td>${number(figureOf(row, column))}</td>`).join('')}</tr>`,
  )
  .join('\n')}
</tbody></table>`;
}

/** The usage page: rankings (ordered by `ranking`, with links to order by each kind), the department map, and the SPARQL behind them. */
export function renderUsagePage({ summary, language, root, baseIRI, ranking, path, otherPath }: UsagePageInput): string {
  const ui = uiWordsFor(language);
  const words = ui.usage;
  const locale = language === 'es' ? 'es-CO' : 'en-US';
  const number = (value: number) => value.toLocaleString(locale, { maximumFractionDigits: 0 });
  const choices: UsageRanking[] = ['uses', ...summary.kinds];
  const rankLinks = `<nav class="usage-rank" aria-label="${escapeHtml(words.rankBy)}"><span>${escapeHtml(words.rankBy)}:</span><ul>${choices
    .map((choice) => {
      const label = escapeHtml(choice === 'uses' ? words.uses : words.kinds[choice]);
      return choice === ranking ? `<li><a href="${escapeHtml(path)}?kind=${choice}" aria-current="true">${label}</a></li>` : `<li><a href="${escapeHtml(path)}?kind=${choice}">${label}</a></li>`;
    })
    .join('')}</ul></nav>`;
  const datasetsSection =
    summary.datasets.length === 0
      ? `<p>${escapeHtml(words.nothingCounted)}</p>`
      : `${rankLinks}
<section aria-labelledby="top-datasets"><h2 id="top-datasets">${escapeHtml(words.topDatasets)}</h2>
${rankingTable(summary.datasets, { words, kinds: summary.kinds, ranking, first: words.dataset, detail: words.agency, number })}
</section>
<section aria-labelledby="top-agencies"><h2 id="top-agencies">${escapeHtml(words.topAgencies)}</h2>
${rankingTable(summary.agencies, { words, kinds: summary.kinds, ranking, first: words.agency, detail: words.usedDatasets, number })}
</section>
<p class="meta">${escapeHtml(words.usesExplained)}</p>`;
  const map = renderColombiaMap({
    id: 'usage-map',
    title: words.mapTitle,
    summary: words.mapSummary,
    values: summary.departments,
    valueName: words.uses,
    size: 'large',
    words: words.map,
    formatNumber: number,
  });
  const main = `<h1>${escapeHtml(words.pageTitle)}</h1>
<p>${escapeHtml(words.intro(summary.from, summary.to))}</p>
${datasetsSection}
<section aria-labelledby="usage-by-department"><h2 id="usage-by-department">${escapeHtml(words.mapTitle)}</h2>
${map}
<p>${escapeHtml(words.nationalUses(number(summary.national)))}</p>
<p class="meta">${escapeHtml(words.departmentRule)}</p>
</section>
<p><a class="example-query" href="${escapeHtml(queryLink(root, topDatasetsQuery(baseIRI, summary.from, language)))}">${escapeHtml(words.asSparql)}</a></p>`;
  const other: UiLanguage = language === 'es' ? 'en' : 'es';
  const head = `<link rel="alternate" hreflang="${other}" href="${escapeHtml(otherPath)}">`;
  return renderPageShell({ language, title: words.pageTitle, head, main, root, breadcrumbs: [{ label: ui.home, href: root }, { label: words.pageTitle }] });
}
