/**
 * Generates a procurement-like open dataset (SECOP-style contracts, agencies, suppliers,
 * municipalities, departments, amendments) as CSV files, deterministically from a seed, so that
 * every engine in the bench sees the same data and reruns are comparable. Values have the shapes
 * of real exports: money as decimals with cents, signature dates, publication times with a time
 * zone (Bogotá's or UTC), labels in Spanish and some in English.
 */
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { random } from '../support/random.ts';

/** How many things of each kind a bench of about `triples` triples needs. */
export interface ProcurementSize {
  readonly contracts: number;
  readonly agencies: number;
  readonly suppliers: number;
  readonly municipalities: number;
  readonly departments: number;
}

/** Triples per row of each table in `procurement.yml` (checked against the mapping's output by the bench). */
const perContract = 11;

/**
 * Sizes for a target triple count: contracts carry ten triples each and dominate, the other
 * tables scale with them the way they do in SECOP (few agencies, many suppliers).
 */
export function procurementSize(triples: number): ProcurementSize {
  const contracts = Math.max(100, Math.round((triples * 0.93) / perContract));
  return {
    contracts,
    agencies: Math.max(10, Math.round(contracts / 300)),
    suppliers: Math.max(20, Math.round(contracts / 8)),
    municipalities: Math.min(1100, Math.max(20, Math.round(contracts / 100))),
    departments: 33,
  };
}


const modalities = [
  'Contratación directa',
  'Licitación pública',
  'Selección abreviada',
  'Mínima cuantía',
  'Concurso de méritos',
  'Régimen especial',
];
const states = ['Celebrado', 'En ejecución', 'Liquidado', 'Terminado', 'Cancelado'];
const objects = [
  'Mantenimiento de vías terciarias',
  'Suministro de alimentación escolar',
  'Prestación de servicios profesionales',
  'Construcción de acueducto veredal',
  'Compra de equipos de cómputo',
  'Interventoría de obra pública',
  'Dotación de puestos de salud',
  'Servicio de transporte escolar',
  'Consultoría para el plan de ordenamiento',
  'Adecuación de parque infantil',
];
const places = ['Rionegro', 'La Vega', 'San Andrés', 'Puerto Asís', 'El Carmen', 'Santa Rosa', 'Villanueva', 'Sabanalarga'];

/** A CSV field, quoted when it has to be (RFC 4180). */
function field(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

async function writeCsv(path: string, header: readonly string[], rows: Iterable<readonly string[]>): Promise<number> {
  const out = createWriteStream(path);
  out.write(`${header.join(',')}\n`);
  let count = 0;
  let chunk = '';
  for (const row of rows) {
    chunk += `${row.map(field).join(',')}\n`;
    count++;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return count;
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** The file names the mapping reads (relative to the mapping's folder). */
export const procurementFiles = ['departamentos.csv', 'municipios.csv', 'entidades.csv', 'proveedores.csv', 'contratos.csv', 'adiciones.csv'] as const;

/**
 * Writes the tables into `dir`; returns the number of data rows written.
 * @throws the file system's errors.
 */
export async function writeProcurementCsv(dir: string, size: ProcurementSize, seed = 20261127): Promise<number> {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const departmentCode = (index: number) => pad(5 + index * 2, 2);
  const municipalityCode = (index: number) => `${departmentCode(index % size.departments)}${pad(1 + Math.floor(index / size.departments), 3)}`;
  let rows = 0;
  rows += await writeCsv(
    join(dir, 'departamentos.csv'),
    ['codigo', 'nombre', 'name'],
    Array.from({ length: size.departments }, (_, index) => [departmentCode(index), `Departamento ${index + 1}`, `Department ${index + 1}`]),
  );
  rows += await writeCsv(
    join(dir, 'municipios.csv'),
    ['codigo', 'nombre', 'departamento'],
    Array.from({ length: size.municipalities }, (_, index) => [
      municipalityCode(index),
      `${pick(places)} ${index + 1}`,
      departmentCode(index % size.departments),
    ]),
  );
  rows += await writeCsv(
    join(dir, 'entidades.csv'),
    ['id', 'nombre', 'nit', 'municipio', 'orden'],
    Array.from({ length: size.agencies }, (_, index) => [
      pad(index + 1, 5),
      `Alcaldía de ${pick(places)} ${index + 1}`,
      `8${pad(Math.floor(next() * 1e8), 8)}`,
      municipalityCode(Math.floor(next() * size.municipalities)),
      next() < 0.2 ? 'Nacional' : 'Territorial',
    ]),
  );
  rows += await writeCsv(
    join(dir, 'proveedores.csv'),
    ['id', 'nombre', 'nit', 'tipo'],
    Array.from({ length: size.suppliers }, (_, index) => [
      pad(index + 1, 7),
      `${pick(['Inversiones', 'Consorcio', 'Unión Temporal', 'Fundación', 'Ingeniería'])} ${pick(places)} ${index + 1} S.A.S.`,
      `9${pad(Math.floor(next() * 1e8), 8)}`,
      next() < 0.3 ? 'Persona natural' : 'Persona jurídica',
    ]),
  );
  function* contracts(): Generator<string[]> {
    for (let index = 0; index < size.contracts; index++) {
      const day = Math.floor(next() * 1461);
      const date = new Date(Date.UTC(2020, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
      // Published some seconds into the signature day or later; SECOP writes Bogotá's offset, some exports UTC.
      const published = new Date(Date.UTC(2020, 0, 1) + day * 86_400_000 + Math.floor(next() * 5 * 86_400) * 1000);
      const bogota = next() < 0.7;
      const publishedText = bogota
        ? `${new Date(published.getTime() - 5 * 3_600_000).toISOString().slice(0, 19)}-05:00`
        : `${published.toISOString().slice(0, 19)}Z`;
      yield [
        `CO1.PCCNTR.${pad(index + 1, 7)}`,
        `${pick(objects)} en ${pick(places)} (${index + 1})`,
        pad(1 + Math.floor(next() * size.agencies), 5),
        // A few suppliers win most contracts, as in real procurement data.
        pad(1 + Math.floor(next() ** 2 * size.suppliers), 7),
        municipalityCode(Math.floor(next() * size.municipalities)),
        // Values are unique in practice, so ORDER BY … LIMIT has no ties between engines.
        // Pesos with cents, as contract values are published (xsd:decimal).
        `${1_000_000 + Math.floor(next() * 2_000_000_000)}.${pad(Math.floor(next() * 100), 2)}`,
        date,
        publishedText,
        pick(modalities),
        pick(states),
      ];
    }
  }
  rows += await writeCsv(
    join(dir, 'contratos.csv'),
    ['id', 'objeto', 'entidad', 'proveedor', 'municipio', 'valor', 'fecha_firma', 'publicado', 'modalidad', 'estado'],
    contracts(),
  );
  function* amendments(): Generator<string[]> {
    for (let index = 0; index < size.contracts; index++) {
      if (next() >= 0.3) continue;
      const day = Math.floor(next() * 365);
      yield [`CO1.PCCNTR.${pad(index + 1, 7)}`, new Date(Date.UTC(2024, 0, 1) + day * 86_400_000).toISOString().slice(0, 10)];
    }
  }
  rows += await writeCsv(join(dir, 'adiciones.csv'), ['contrato', 'fecha_fin'], amendments());
  return rows;
}
