/** The page of one dataset: its DCAT metadata, quality measurements as charts by unit, downloads, example queries, sample resources and the provenance of its import. */
import type * as RDF from '@rdfjs/types';
import { catalogIri, collectQuads, DataFactory, datasetIri, dumpUrl, graphSpace, ns, rdfFormat, vinculoTerm } from '../rdf/index.js';
import { type VinculoStore, catalogGraph, datasetGraph } from '../store/index.js';
import { type CatalogEntry, catalogEntry, labelOf, localName } from './catalog-entries.js';
import { type ExampleQuery, exampleQueries, labelPredicateOf, queryLink } from './example-queries.js';
import { escapeHtml, siteHref, timeElement } from './html.js';
import { pickLiteral } from './labels.js';
import type { UiLanguage } from './language.js';
import { renderPageShell } from './page-shell.js';
import { type QualityMeasurement, renderQualitySection } from './quality-chart.js';
import { type DatasetPlaces, datasetPlaces, renderColombiaMap } from './maps/index.js';
import { uiWordsFor } from './ui-words.js';
import { type UsageMeasurement, daysEnding, renderUsageChart } from './usage-chart.js';
import { readUsage, usagePagePath } from './usage-page.js';

export interface Download {
  readonly title: string;
  readonly href: string;
  readonly format: string;
}

export interface ProvenanceRecord {
  readonly started?: string;
  readonly ended?: string;
  readonly rowsRead?: string;
  readonly triplesWritten?: string;
  readonly problems?: string;
  readonly inputs: readonly string[];
}

export interface DatasetDetails {
  readonly entry: CatalogEntry;
  readonly graph: string;
  readonly license?: string;
  readonly issued?: string;
  readonly identifier?: string;
  readonly downloads: readonly Download[];
  readonly quality: readonly QualityMeasurement[];
  readonly examples: readonly ExampleQuery[];
  readonly samples: ReadonlyArray<{ readonly iri: string; readonly label: string }>;
  readonly provenance?: ProvenanceRecord;
  /** The last 90 days' usage measurements, up to `today` (`YYYY-MM-DD`, UTC). */
  readonly usage: readonly UsageMeasurement[];
  readonly today: string;
  /** Known reuses (`dct:isReferencedBy`): an app, a paper, a story. */
  readonly reuses: ReadonlyArray<{ readonly title: string; readonly href?: string }>;
  readonly places: DatasetPlaces;
}

/** Days the dataset page charts use over. */
const usageDays = 90;

const first = async (store: VinculoStore, subject: RDF.Term, predicate: RDF.NamedNode, graph: RDF.Term | null) =>
  (await collectQuads(store, [subject, predicate, null, graph], 1))[0]?.object;

/** The downloads every dataset has, whatever DCAT says: the whole graph and its compressed dumps. */
function builtInDownloads(root: string, id: string): Download[] {
  return [
    ...(['turtle', 'ntriples', 'nquads'] as const).map((name) => {
      const format = rdfFormat(name);
      return { title: format.label, href: `${graphSpace(root)}${id}.${format.suffix}`, format: format.mediaType };
    }),
    { title: 'N-Triples (gzip)', href: dumpUrl(root, id, 'nt'), format: 'application/gzip' },
    { title: 'Turtle (gzip)', href: dumpUrl(root, id, 'ttl'), format: 'application/gzip' },
  ];
}

/**
 * Everything the dataset page shows, read from the catalog graph (DCAT, DQV, PROV-O) and the
 * dataset's own graph; undefined when the store has no such dataset.
 * @throws BadRequest for an invalid dataset id; whatever the store raises while matching.
 */
export async function datasetDetails(store: VinculoStore, id: string, language: UiLanguage, { today = new Date().toISOString().slice(0, 10) }: { readonly today?: string } = {}): Promise<DatasetDetails | undefined> {
  const entry = await catalogEntry(store, id, language);
  if (!entry) return undefined;
  const catalog = catalogGraph(store.baseIRI);
  const graph = datasetGraph(store.baseIRI, id);
  const dataset = DataFactory.namedNode(entry.iri);
  const root = new URL(store.baseIRI).pathname;
  const text = async (predicate: RDF.NamedNode) => {
    const term = await first(store, dataset, predicate, catalog);
    return term?.value;
  };

  const downloads: Download[] = [];
  for (const link of await collectQuads(store, [dataset, ns.dcat('distribution'), null, catalog])) {
    const distribution = link.object;
    const url = (await first(store, distribution, ns.dcat('downloadURL'), catalog)) ?? (await first(store, distribution, ns.dcat('accessURL'), catalog));
    if (!url) continue;
    const format = (await first(store, distribution, ns.dcat('mediaType'), catalog)) ?? (await first(store, distribution, ns.dct('format'), catalog));
    const title = pickLiteral(await collectQuads(store, [distribution, ns.dct('title'), null, catalog]), language);
    const formatText = format ? (format.termType === 'Literal' ? format.value : localName(format.value)) : '';
    downloads.push({ title: title ?? (formatText || localName(url.value)), href: siteHref(url.value, store.baseIRI), format: formatText });
  }

  const quality: QualityMeasurement[] = [];
  for (const link of await collectQuads(store, [dataset, ns.dqv('hasQualityMeasurement'), null, catalog])) {
    const metric = await first(store, link.object, ns.dqv('isMeasurementOf'), catalog);
    const value = await first(store, link.object, ns.dqv('value'), catalog);
    if (!metric || value?.termType !== 'Literal') continue;
    const number = value.value.trim() === '' ? Number.NaN : Number(value.value);
    // Per-column measurements name their column; without it they would read as repeats.
    const column = await first(store, link.object, vinculoTerm(store.baseIRI, 'columna'), catalog);
    const name = (await labelOf(store, metric, language)) ?? localName(metric.value);
    quality.push({
      metric: column ? `${name} (${column.value})` : name,
      metricIri: metric.value,
      column: column?.value,
      text: value.value,
      datatype: value.datatype.value,
      value: Number.isFinite(number) ? number : undefined,
    });
  }

  // Whatever label the dataset's resources carry (a SKOS scheme's concepts have skos:prefLabel only).
  const samples: Array<{ iri: string; label: string }> = [];
  const seen = new Set<string>();
  const label = await labelPredicateOf(store, graph);
  const labelled = label === undefined ? [] : await collectQuads(store, [null, DataFactory.namedNode(label), null, graph], 200);
  for (const quad of labelled) {
    if (quad.subject.termType !== 'NamedNode' || seen.has(quad.subject.value)) continue;
    seen.add(quad.subject.value);
    samples.push({ iri: quad.subject.value, label: quad.object.value });
    if (samples.length >= 10) break;
  }

  let provenance: ProvenanceRecord | undefined;
  const activity = await first(store, dataset, ns.prov('wasGeneratedBy'), catalog);
  if (activity) {
    const own = (local: string) => vinculoTerm(store.baseIRI, local);
    const value = async (predicate: RDF.NamedNode) => (await first(store, activity, predicate, catalog))?.value;
    const inputs: string[] = [];
    for (const used of await collectQuads(store, [activity, ns.prov('used'), null, catalog])) {
      const label = await first(store, used.object, ns.rdfs('label'), catalog);
      if (label) inputs.push(label.value);
    }
    provenance = {
      started: await value(ns.prov('startedAtTime')),
      ended: await value(ns.prov('endedAtTime')),
      rowsRead: await value(own('rowsRead')),
      triplesWritten: await value(own('triplesWritten')),
      problems: await value(own('problems')),
      inputs: inputs.sort(),
    };
  }

  const reuses: Array<{ title: string; href?: string }> = [];
  for (const link of await collectQuads(store, [dataset, ns.dct('isReferencedBy'), null, catalog])) {
    const title = pickLiteral(await collectQuads(store, [link.object, ns.dct('title'), null, catalog]), language);
    const page = (await first(store, link.object, ns.foaf('page'), catalog))?.value ?? (link.object.termType === 'NamedNode' ? link.object.value : undefined);
    reuses.push({ title: title ?? page ?? localName(link.object.value), href: page });
  }
  reuses.sort((a, b) => a.title.localeCompare(b.title, language));

  const licenseTerm = await first(store, dataset, ns.dct('license'), catalog);
  return {
    entry,
    graph: graph.value,
    license: licenseTerm?.value,
    issued: await text(ns.dct('issued')),
    identifier: await text(ns.dct('identifier')),
    downloads: downloads.length > 0 ? downloads : builtInDownloads(root, id),
    quality,
    examples: await exampleQueries(store, id, language),
    samples,
    provenance,
    usage: await readUsage(store, { from: daysEnding(today, usageDays)[0] ?? today, to: today, dataset }),
    today,
    reuses,
    places: await datasetPlaces(store, graph, { baseIRI: store.baseIRI }),
  };
}

/** The dataset page. */
export function renderDatasetPage(details: DatasetDetails, { language, root, baseIRI }: { readonly language: UiLanguage; readonly root: string; readonly baseIRI: string }): string {
  const words = uiWordsFor(language);
  const { entry } = details;
  const row = (name: string, value: string | undefined) => (value === undefined || value === '' ? '' : `<tr><th scope="row">${escapeHtml(name)}</th><td>${value}</td></tr>`);
  const tagLinks = (name: string, values: CatalogEntry['themes']) => values.map((value) => `<a href="${escapeHtml(root)}catalog?${name}=${encodeURIComponent(value.key)}">${escapeHtml(value.label)}</a>`).join(', ');
  const metadata = `<section aria-labelledby="metadata"><h2 id="metadata">${escapeHtml(words.metadata)}</h2><table>
${row(words.description, entry.description === undefined ? undefined : escapeHtml(entry.description))}
${row(words.publisher, tagLinks('publisher', entry.publishers))}
${row(words.themes, tagLinks('theme', entry.themes))}
${row(words.categories, tagLinks('category', entry.categories))}
${row(words.keywords, tagLinks('keyword', entry.keywords))}
${row(words.license, details.license === undefined ? undefined : `<a href="${escapeHtml(siteHref(details.license, baseIRI))}">${escapeHtml(details.license)}</a>`)}
${row(words.issued, details.issued === undefined ? undefined : timeElement(details.issued))}
${row(words.modified, entry.updated === undefined ? undefined : timeElement(entry.updated))}
${row(words.imported, timeElement(entry.imported))}
${row(words.identifier, details.identifier === undefined ? undefined : escapeHtml(details.identifier))}
${row(words.graph, `<code>${escapeHtml(details.graph)}</code> — ${escapeHtml(words.triples(entry.triples))}`)}
</table>
<p><a href="${escapeHtml(datasetIri(root, entry.id).value)}.ttl">${escapeHtml(words.allDescriptions)}</a></p></section>`;
  const quality =
    details.quality.length === 0
      ? ''
      : `<section aria-labelledby="quality"><h2 id="quality">${escapeHtml(words.quality)}</h2>
${renderQualitySection(details.quality, { language, baseIRI })}
</section>`;
  const downloads = `<section aria-labelledby="downloads"><h2 id="downloads">${escapeHtml(words.downloads)}</h2><ul>
${details.downloads.map((download) => `<li><a href="${escapeHtml(download.href)}"${download.format.includes('/') ? ` type="${escapeHtml(download.format)}"` : ''} download>${escapeHtml(download.title)}</a>${download.format ? ` <span class="meta">(${escapeHtml(download.format)})</span>` : ''}</li>`).join('\n')}
</ul></section>`;
  const examples = `<section aria-labelledby="examples"><h2 id="examples">${escapeHtml(words.exampleQueries)}</h2><ol class="examples">
${details.examples.map((example) => `<li><a class="example-query" href="${escapeHtml(queryLink(root, example.query))}">${escapeHtml(example.title)}</a> — ${escapeHtml(words.openInEditor)}<details><summary>SPARQL</summary><pre><code>${escapeHtml(example.query)}</code></pre></details></li>`).join('\n')}
</ol></section>`;
  const samples =
    details.samples.length === 0
      ? ''
      : `<section aria-labelledby="samples"><h2 id="samples">${escapeHtml(words.sampleResources)}</h2><ul>
${details.samples.map((sample) => `<li><a href="${escapeHtml(siteHref(sample.iri, baseIRI))}">${escapeHtml(sample.label)}</a></li>`).join('\n')}
</ul></section>`;
  const usage = `<section aria-labelledby="usage"><h2 id="usage">${escapeHtml(words.usage.datasetUse)}</h2>
${renderUsageChart(details.usage, { language, today: details.today, days: usageDays })}
<p><a href="${escapeHtml(usagePagePath(root, language))}">${escapeHtml(words.usage.portalUse)}</a></p></section>`;
  const { places } = details;
  const placesSection =
    places.points.length === 0 && places.departments.size === 0
      ? ''
      : `<section aria-labelledby="places"><h2 id="places">${escapeHtml(words.usage.places)}</h2>
${renderColombiaMap({
  id: 'places-map',
  title: words.usage.placesTitle,
  summary: words.usage.placesSummary(places.sampled),
  values: places.departments.size === 0 ? undefined : places.departments,
  valueName: words.usage.divipolaCodes,
  points: places.points,
  size: 'small',
  words: words.usage.map,
  formatNumber: (value) => value.toLocaleString(language === 'es' ? 'es-CO' : 'en-US'),
})}
</section>`;
  const reuses =
    details.reuses.length === 0
      ? ''
      : `<section aria-labelledby="reuses"><h2 id="reuses">${escapeHtml(words.usage.reuses)}</h2><ul>
${details.reuses.map((reuse) => `<li>${reuse.href ? `<a href="${escapeHtml(siteHref(reuse.href, baseIRI))}">${escapeHtml(reuse.title)}</a>` : escapeHtml(reuse.title)}</li>`).join('\n')}
</ul></section>`;
  const record = details.provenance;
  const provenance = `<section aria-labelledby="provenance"><h2 id="provenance">${escapeHtml(words.provenance)}</h2>${
    record
      ? `<table>
${row(words.importStarted, record.started && escapeHtml(record.started))}
${row(words.importEnded, record.ended && escapeHtml(record.ended))}
${row(words.rowsRead, record.rowsRead && escapeHtml(record.rowsRead))}
${row(words.triplesWritten, record.triplesWritten && escapeHtml(record.triplesWritten))}
${row(words.problems, record.problems && escapeHtml(record.problems))}
${row(words.inputs, record.inputs.length === 0 ? undefined : `<ul>${record.inputs.map((input) => `<li><code>${escapeHtml(input)}</code></li>`).join('')}</ul>`)}
</table>`
      : `<p>${escapeHtml(words.noProvenance)}</p>`
  }</section>`;
  const main = `<h1>${escapeHtml(entry.title)}</h1>
<p><code>${escapeHtml(entry.iri)}</code></p>
${metadata}
${placesSection}
${quality}
${usage}
${reuses}
${downloads}
${examples}
${samples}
${provenance}`;
  const head = `<link rel="alternate" type="text/turtle" href="${escapeHtml(datasetIri(root, entry.id).value)}.ttl">`;
  return renderPageShell({ language, title: entry.title, head, main, root, breadcrumbs: [{ label: words.home, href: root }, { label: words.catalog, href: catalogIri(root).value }, { label: entry.title }] });
}
