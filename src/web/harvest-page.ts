/** The `/harvest` page: each configured dataset's last sync, next sync and last error. */
import { datasetIri } from '../rdf/index.js';
import { escapeHtml } from './html.js';
import type { UiLanguage } from './language.js';
import { renderPageShell } from './page-shell.js';
import { uiWordsFor } from './ui-words.js';

/** One dataset as the page shows it (the harvest scheduler's status, in plain data). */
export interface HarvestPageDataset {
  readonly url: string;
  readonly socrataId: string;
  readonly schedule: string;
  /** The interval in force, written as the configuration writes it (`1d`). */
  readonly interval: string;
  readonly declaredFrequency?: string;
  readonly lastSync?: {
    readonly datasetId: string;
    readonly kind: 'full' | 'sync' | 'unchanged';
    readonly finishedAt: string;
    readonly durationMs: number;
    readonly rowsAdded: number;
    readonly rowsChanged: number;
    readonly rowsDeleted: number;
  };
  readonly lastError?: { readonly at: string; readonly message: string };
  readonly failuresInARow: number;
  readonly nextSyncAt?: string;
  readonly running: boolean;
}

export interface HarvestPageInput {
  readonly datasets: readonly HarvestPageDataset[];
  readonly language: UiLanguage;
  readonly root: string;
}

const words = {
  es: {
    title: 'Cosecha de portales',
    intro: 'Los conjuntos de datos que este servidor sincroniza con su portal Socrata, fila por fila.',
    none: 'No hay conjuntos configurados en "harvest.datasets".',
    dataset: 'Conjunto',
    schedule: 'Frecuencia',
    declared: (word: string | undefined, interval: string) => `la declarada${word ? ` (${word})` : ' (sin declarar)'}: cada ${interval}`,
    every: (interval: string) => `cada ${interval}`,
    lastSync: 'Última sincronización',
    nextSync: 'Próxima',
    lastError: 'Último error',
    never: 'nunca',
    running: 'en curso',
    kinds: { full: 'completa', sync: 'incremental', unchanged: 'sin cambios' },
    rows: (added: number, changed: number, deleted: number) => `${added} filas nuevas, ${changed} cambiadas, ${deleted} borradas`,
    took: (seconds: string) => `en ${seconds} s`,
    failuresInARow: (count: number) => (count === 1 ? 'falló la última vez' : `falló las últimas ${count} veces`),
    resolved: 'resuelto después',
    json: 'Este estado en JSON',
  },
  en: {
    title: 'Portal harvests',
    intro: 'The datasets this server keeps in sync with their Socrata portal, row by row.',
    none: 'No datasets are configured in "harvest.datasets".',
    dataset: 'Dataset',
    schedule: 'Schedule',
    declared: (word: string | undefined, interval: string) => `as declared${word ? ` (${word})` : ' (none declared)'}: every ${interval}`,
    every: (interval: string) => `every ${interval}`,
    lastSync: 'Last sync',
    nextSync: 'Next',
    lastError: 'Last error',
    never: 'never',
    running: 'running',
    kinds: { full: 'full', sync: 'incremental', unchanged: 'unchanged' },
    rows: (added: number, changed: number, deleted: number) => `${added} rows added, ${changed} changed, ${deleted} deleted`,
    took: (seconds: string) => `in ${seconds} s`,
    failuresInARow: (count: number) => (count === 1 ? 'failed last time' : `failed the last ${count} times`),
    resolved: 'resolved since',
    json: 'This status as JSON',
  },
} as const;

function time(iso: string, language: UiLanguage): string {
  const text = new Intl.DateTimeFormat(language === 'es' ? 'es-CO' : 'en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso));
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(text)} UTC</time>`;
}

function row(dataset: HarvestPageDataset, language: UiLanguage, root: string): string {
  const say = words[language];
  const sync = dataset.lastSync;
  const name = sync ? `<a href="${escapeHtml(datasetIri(root, sync.datasetId).value)}">${escapeHtml(sync.datasetId)}</a>` : escapeHtml(dataset.socrataId);
  const schedule = dataset.schedule === 'declared' ? say.declared(dataset.declaredFrequency, dataset.interval) : say.every(dataset.interval);
  const last = sync
    ? `${time(sync.finishedAt, language)}<br>${escapeHtml(say.kinds[sync.kind])} · ${escapeHtml(say.rows(sync.rowsAdded, sync.rowsChanged, sync.rowsDeleted))} · ${escapeHtml(say.took((sync.durationMs / 1000).toFixed(1)))}`
    : escapeHtml(say.never);
  const next = dataset.running ? escapeHtml(say.running) : dataset.nextSyncAt ? time(dataset.nextSyncAt, language) : '–';
  const error = dataset.lastError
    ? `<span class="${dataset.failuresInARow > 0 ? 'error' : 'meta'}">${time(dataset.lastError.at, language)} · ${escapeHtml(dataset.failuresInARow > 0 ? say.failuresInARow(dataset.failuresInARow) : say.resolved)}</span><br>${escapeHtml(dataset.lastError.message)}`
    : '–';
  return `<tr><th scope="row">${name}<br><a class="meta" href="${escapeHtml(dataset.url)}" rel="external">${escapeHtml(dataset.socrataId)}</a></th><td>${escapeHtml(schedule)}</td><td>${last}</td><td>${next}</td><td>${error}</td></tr>`;
}

export function renderHarvestPage({ datasets, language, root }: HarvestPageInput): string {
  const say = words[language];
  const table =
    datasets.length === 0
      ? `<p>${escapeHtml(say.none)}</p>`
      : `<table>
<thead><tr><th scope="col">${escapeHtml(say.dataset)}</th><th scope="col">${escapeHtml(say.schedule)}</th><th scope="col">${escapeHtml(say.lastSync)}</th><th scope="col">${escapeHtml(say.nextSync)}</th><th scope="col">${escapeHtml(say.lastError)}</th></tr></thead>
<tbody>
${datasets.map((dataset) => row(dataset, language, root)).join('\n')}
</tbody>
</table>`;
  const main = `<h1>${escapeHtml(say.title)}</h1>
<p>${escapeHtml(say.intro)}</p>
${table}
<p><a href="${escapeHtml(root)}harvest.json" type="application/json">${escapeHtml(say.json)}</a></p>`;
  const head = `<link rel="alternate" type="application/json" href="${escapeHtml(root)}harvest.json">`;
  return renderPageShell({ language, title: say.title, head, main, root, breadcrumbs: [{ label: uiWordsFor(language).home, href: root }, { label: say.title }] });
}
