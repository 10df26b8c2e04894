/** Shared set-up of the harvest tests: a generated Socrata dataset on the local portal, and a fresh store with a client allowed to reach it. */
import type * as RDF from '@rdfjs/types';
import { type HarvestOptions, SocrataClient } from '../../../src/harvest/index.ts';
import { freshProject } from '../../catalog/support.ts';
import { random } from '../../support/random.ts';
import { type PortalDataset, type SocrataServer, startSocrataServer } from './socrata-server.ts';

export const sedes: PortalDataset = {
  id: 'sede-2026',
  name: 'Sedes educativas de prueba',
  description: 'Sedes educativas generadas para las pruebas del cosechador.',
  category: 'Educación',
  attribution: 'Ministerio de Educación Nacional',
  frequency: 'Diaria',
  columns: [
    { fieldName: 'codigo', name: 'Código', dataTypeName: 'text' },
    { fieldName: 'nombre', name: 'Nombre', dataTypeName: 'text' },
    { fieldName: 'matricula', name: 'Matrícula', dataTypeName: 'number' },
    { fieldName: 'fecha_corte', name: 'Fecha de corte', dataTypeName: 'calendar_date' },
    { fieldName: 'activa', name: 'Activa', dataTypeName: 'checkbox' },
  ],
};

/** Row `n` of the generated dataset, its cells as SODA writes them (strings). */
export function sedeCells(n: number, next: () => number): Record<string, string> {
  const day = String(1 + Math.floor(next() * 28)).padStart(2, '0');
  return {
    codigo: `S${String(n).padStart(7, '0')}`,
    nombre: `Sede "${n}", ${['Norte', 'Sur', 'Centro'][n % 3]}`,
    matricula: String(Math.floor(next() * 2000)),
    fecha_corte: `2025-03-${day}T00:00:00.000`,
    activa: next() < 0.8 ? 'true' : 'false',
    ...(n % 17 === 0 ? { nombre: '' } : {}),
  };
}

export async function startPortal(rowCount: number, seed = 22): Promise<SocrataServer> {
  const portal = await startSocrataServer(sedes);
  const next = random(seed);
  for (let n = 1; n <= rowCount; n++) portal.addRow(sedeCells(n, next));
  return portal;
}

export const datasetUrl = (portal: SocrataServer): string => `${portal.origin}/d/${sedes.id}`;

/** A store in a fresh folder, and harvest options whose client may reach only `portal` (tests close the store). */
export async function harvestProject(portal: SocrataServer, client: Partial<ConstructorParameters<typeof SocrataClient>[0]> = {}) {
  const project = await freshProject();
  const messages: string[] = [];
  const options: HarvestOptions = {
    config: project.config,
    store: project.store,
    client: new SocrataClient({ allowedHosts: [portal.host], backoffMs: 10, ...client }),
    say: (message) => messages.push(message),
    pageSize: 5000,
  };
  return { ...project, options, messages };
}

export async function graphQuads(store: { exportQuads(graph?: RDF.Quad_Graph): AsyncIterable<RDF.Quad> }, graph: RDF.Quad_Graph): Promise<RDF.Quad[]> {
  const quads: RDF.Quad[] = [];
  for await (const quad of store.exportQuads(graph)) quads.push(quad);
  return quads;
}

/** Another small dataset, for portals with several (its rows: `bibliotecaCells`). */
export const bibliotecas: PortalDataset = {
  id: 'bibl-2026',
  name: 'Bibliotecas públicas de prueba',
  description: 'Bibliotecas generadas para las pruebas del cosechador.',
  category: 'Cultura',
  attribution: 'Ministerio de Cultura',
  frequency: 'Semanal',
  columns: [
    { fieldName: 'codigo', name: 'Código', dataTypeName: 'text' },
    { fieldName: 'nombre', name: 'Nombre', dataTypeName: 'text' },
    { fieldName: 'libros', name: 'Libros', dataTypeName: 'number' },
  ],
};

export const bibliotecaCells = (n: number): Record<string, string> => ({ codigo: `B${String(n).padStart(5, '0')}`, nombre: `Biblioteca ${n}`, libros: String(100 * n) });

/** Resolves once `check` holds (polled every 25 ms); fails after `timeoutMs` with `what`. Never a timing assertion: only "it eventually happened". */
export async function eventually(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs / 1000} s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
