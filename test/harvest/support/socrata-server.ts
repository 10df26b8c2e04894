/** A local Socrata-compatible portal for the harvest tests: one or more datasets' view metadata, SODA rows with system fields and paging, DCAT-US `/data.json`, and failures on demand. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PortalColumn {
  readonly fieldName: string;
  readonly name: string;
  /** Socrata's `dataTypeName`: `text`, `number`, `calendar_date`, `checkbox`. */
  readonly dataTypeName: string;
}

interface PortalRow {
  readonly id: string;
  readonly createdAt: string;
  updatedAt: string;
  cells: Record<string, string>;
}

export type Failure =
  /** Served normally: places the next failure later in the harvest. */
  | { readonly kind: 'pass' }
  | { readonly kind: '500' }
  | { readonly kind: '429'; readonly retryAfterSeconds: number }
  | { readonly kind: 'cut' }
  | { readonly kind: 'redirect'; readonly location: string }
  /** Served normally, after a pause: a harvest that takes a while. */
  | { readonly kind: 'delay'; readonly ms: number };

export interface PortalDataset {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly category: string;
  readonly attribution: string;
  readonly frequency: string;
  readonly columns: readonly PortalColumn[];
  /** The origin `/data.json` names the dataset under, when not this portal's (a federated catalog's entry). */
  readonly listedAt?: string;
}

/** The rows of one dataset on the portal. */
export interface PortalTable {
  addRow(cells: Record<string, string>): string;
  updateRow(id: string, cells: Record<string, string>): void;
  deleteRow(id: string): void;
  rowIds(): string[];
  /** What Socrata's CSV export (`/resource/ID.csv`) gives: every field quoted, headed by field names. */
  csvExport(): string;
}

/** The portal; its own table methods are the first dataset's. */
export interface SocrataServer extends PortalTable {
  readonly origin: string;
  readonly host: string;
  /** Requests to `/resource/…` so far (any dataset), with their query strings. */
  readonly resourceRequests: string[];
  /** The `X-App-Token` of each request to `/resource/…` (empty when none was sent). */
  readonly appTokens: string[];
  /** The 4x4 id of the dataset each request to `/resource/…` asked for, in order. */
  readonly resourceDatasets: string[];
  /** The table of the dataset `id` (one of those the portal was started with). */
  table(id: string): PortalTable;
  /** The next `/resource/` requests fail this way, one failure per request. */
  failNext(...failures: Failure[]): void;
  close(): Promise<void>;
}

/**
 * The view record follows the shape of datos.gov.co's `/api/views/{4x4}.json` (as in
 * ../shared/data/colombia/datos-gov-co-catalogo/socrata-view-ivxt-5jyc.json), with the
 * `columns` a tabular view carries.
 */
function viewRecord(dataset: PortalDataset, rowsUpdatedAt: number) {
  return {
    id: dataset.id,
    name: dataset.name,
    assetType: 'dataset',
    attribution: dataset.attribution,
    category: dataset.category,
    createdAt: 1_600_000_000,
    description: dataset.description,
    displayType: 'table',
    license: { name: 'Creative Commons Attribution | Share Alike 4.0 International', termsLink: 'https://creativecommons.org/licenses/by-sa/4.0/legalcode' },
    licenseId: 'CC_BYSA_4',
    provenance: 'official',
    publicationDate: 1_600_000_000,
    publicationStage: 'published',
    rowsUpdatedAt,
    viewLastModified: rowsUpdatedAt,
    viewType: 'tabular',
    columns: dataset.columns.map((column, position) => ({ id: 1000 + position, name: column.name, dataTypeName: column.dataTypeName, fieldName: column.fieldName, position: position + 1, renderTypeName: column.dataTypeName, tableColumnId: 2000 + position })),
    metadata: {
      custom_fields: {
        'Información de la Entidad': { 'Nombre de la Entidad': dataset.attribution, Orden: 'Nacional', Departamento: 'Bogotá D.C.', Municipio: 'Bogotá D.C.', 'DIVIPOLA Municipio': '11001' },
        'Información de Datos': { 'Cobertura Geográfica': 'Nacional', Idioma: 'Español', 'Frecuencia de Actualización': dataset.frequency },
      },
    },
    owner: { displayName: dataset.attribution },
  };
}

const updatedAfter = /^:updated_at > '([^']+)'$/;

/** One dataset's rows, kept as a portal's index would keep them. */
function portalTable(dataset: PortalDataset, tick: () => string) {
  const rows = new Map<string, PortalRow>();
  let serial = 0;
  // Sorted once per change: the paging cost stays on the harvester's side.
  let sorted: PortalRow[] | undefined;
  const sortedRows = () => {
    sorted ??= [...rows.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return sorted;
  };
  const table: PortalTable = {
    addRow(cells) {
      const id = `row-${(++serial).toString(36).padStart(6, '0')}`;
      const time = tick();
      rows.set(id, { id, createdAt: time, updatedAt: time, cells: { ...cells } });
      sorted = undefined;
      return id;
    },
    updateRow(id, cells) {
      const row = rows.get(id);
      if (!row) throw new Error(`no row ${id}`);
      row.cells = { ...row.cells, ...cells };
      row.updatedAt = tick();
    },
    deleteRow(id) {
      rows.delete(id);
      sorted = undefined;
      tick();
    },
    rowIds: () => sortedRows().map((row) => row.id),
    csvExport() {
      const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
      const lines = [dataset.columns.map((column) => quote(column.fieldName)).join(',')];
      for (const row of sortedRows()) lines.push(dataset.columns.map((column) => quote(row.cells[column.fieldName] ?? '')).join(','));
      return `${lines.join('\n')}\n`;
    },
  };
  return { table, sortedRows };
}

/** A `/data.json` entry in the shape Socrata's DCAT-US catalog gives (identifier, landing page, publisher, themes, distributions). */
function dataJsonEntry(dataset: PortalDataset, portalOrigin: string, modified: string) {
  const origin = dataset.listedAt ?? portalOrigin;
  return {
    '@type': 'dcat:Dataset',
    identifier: `${origin}/api/views/${dataset.id}`,
    title: dataset.name,
    description: dataset.description,
    keyword: [dataset.category],
    theme: [dataset.category],
    modified,
    publisher: { '@type': 'org:Organization', name: dataset.attribution },
    contactPoint: { '@type': 'vcard:Contact', fn: dataset.attribution, hasEmail: 'mailto:datos@example.gov.co' },
    accessLevel: 'public',
    landingPage: `${origin}/d/${dataset.id}`,
    distribution: [
      { '@type': 'dcat:Distribution', downloadURL: `${origin}/api/views/${dataset.id}/rows.csv?accessType=DOWNLOAD`, mediaType: 'text/csv' },
      { '@type': 'dcat:Distribution', downloadURL: `${origin}/api/views/${dataset.id}/rows.json?accessType=DOWNLOAD`, mediaType: 'application/json' },
    ],
  };
}

/** A portal serving `datasets` (the first one's rows are the server's own table methods). */
export async function startSocrataServer(...datasets: [PortalDataset, ...PortalDataset[]]): Promise<SocrataServer> {
  // A logical clock: every change is one millisecond after the previous, so `:updated_at` strictly increases.
  let clock = Date.parse('2026-01-01T00:00:00.000Z');
  const tick = () => new Date(++clock).toISOString();
  const tables = new Map(datasets.map((dataset) => [dataset.id, { dataset, ...portalTable(dataset, tick) }]));
  const failures: Failure[] = [];
  const resourceRequests: string[] = [];
  const resourceDatasets: string[] = [];
  const appTokens: string[] = [];

  const json = (response: ServerResponse, body: unknown) => {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  };
  const fail = (response: ServerResponse, status: number, message: string) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: true, message }));
  };

  const resource = (url: URL, sortedRows: () => PortalRow[], response: ServerResponse) => {
    const params = url.searchParams;
    for (const name of params.keys()) if (!['$select', '$order', '$limit', '$offset', '$where'].includes(name)) return fail(response, 400, `unsupported parameter ${name}`);
    if (params.has('$order') && params.get('$order') !== ':id') return fail(response, 400, 'only $order=:id here');
    const where = params.get('$where');
    const since = where === null ? undefined : updatedAfter.exec(where)?.[1];
    if (where !== null && since === undefined) return fail(response, 400, `unsupported $where ${where}`);
    const offset = Number(params.get('$offset') ?? 0);
    const limit = Number(params.get('$limit') ?? 1000);
    const selected = sortedRows().filter((row) => since === undefined || row.updatedAt > since).slice(offset, offset + limit);
    const select = (params.get('$select') ?? '*').split(',');
    const page = selected.map((row) => {
      const record: Record<string, string> = {};
      for (const field of select) {
        if (field === ':id') record[':id'] = row.id;
        else if (field === ':updated_at') record[':updated_at'] = row.updatedAt;
        else if (field === ':created_at') record[':created_at'] = row.createdAt;
        else if (field === '*') for (const [name, value] of Object.entries(row.cells)) if (value !== '') record[name] = value;
      }
      return record;
    });
    const body = JSON.stringify(page);
    const failure = failures.shift();
    if (failure?.kind === '500') return fail(response, 500, 'internal error');
    if (failure?.kind === '429') {
      response.writeHead(429, { 'retry-after': String(failure.retryAfterSeconds), 'content-type': 'application/json' });
      return response.end('{"error":true,"message":"too many requests"}');
    }
    if (failure?.kind === 'redirect') {
      response.writeHead(302, { location: failure.location });
      return response.end();
    }
    if (failure?.kind === 'cut') {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
      response.write(body.slice(0, Math.floor(body.length / 2)));
      // The connection dies mid-page, after the status line said everything was fine.
      setTimeout(() => response.socket?.destroy(), 10);
      return;
    }
    const send = () => {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.end(body);
    };
    if (failure?.kind === 'delay') setTimeout(send, failure.ms);
    else send();
  };

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const rowsUpdatedAt = Math.floor(clock / 1000);
    if (url.pathname === '/data.json') {
      const modified = new Date(clock).toISOString().slice(0, 10);
      return json(response, {
        '@context': 'https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld',
        '@id': `${origin}/data.json`,
        '@type': 'dcat:Catalog',
        conformsTo: 'https://project-open-data.cio.gov/v1.1/schema',
        describedBy: 'https://project-open-data.cio.gov/v1.1/schema/catalog.json',
        dataset: datasets.map((dataset) => dataJsonEntry(dataset, origin, modified)),
      });
    }
    const [, kind, file = ''] = /^\/(api\/views|resource)\/([^/]+)$/.exec(url.pathname) ?? [];
    const [id, extension] = file.split('.');
    const entry = id === undefined ? undefined : tables.get(id);
    if (!entry) return fail(response, 404, 'not found');
    if (kind === 'api/views' && extension === 'json') return json(response, viewRecord(entry.dataset, rowsUpdatedAt));
    if (kind === 'resource' && extension === 'json') {
      resourceRequests.push(url.search);
      resourceDatasets.push(entry.dataset.id);
      appTokens.push(String(request.headers['x-app-token'] ?? ''));
      return resource(url, entry.sortedRows, response);
    }
    if (kind === 'resource' && extension === 'csv') {
      response.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
      return response.end(entry.table.csvExport());
    }
    fail(response, 404, 'not found');
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const table = (id: string): PortalTable => {
    const found = tables.get(id);
    if (!found) throw new Error(`no dataset ${id} on this portal`);
    return found.table;
  };
  return {
    ...table(datasets[0].id),
    origin,
    host: `127.0.0.1:${port}`,
    resourceRequests,
    resourceDatasets,
    appTokens,
    table,
    failNext: (...more) => failures.push(...more),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
