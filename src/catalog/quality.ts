/** Data-quality metrics of an import (completeness, uniqueness, conformity, timeliness, personal data), computed over the source rows. */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { SourceRecord, SourceTable } from '../mapping/index.js';
import { frequencyOf, slug } from './authority-tables.js';

export interface ColumnQuality {
  readonly column: string;
  /** Cells that are empty, blank or null (also the missing cells of short rows). */
  readonly empty: number;
}

export interface TableQuality {
  /** The file's name (no folders: the description must not leak the server's layout). */
  readonly file: string;
  readonly rows: number;
  readonly columns: readonly ColumnQuality[];
  /** Rows equal, cell by cell, to an earlier row. */
  readonly duplicateRows: number;
  /** The columns taken as the row's key (the subject of the main triples map). */
  readonly keys: readonly string[];
  /** Rows whose (non-empty) key an earlier row already had. */
  readonly duplicateKeys: number;
  /** Columns that look like DIVIPOLA codes, and their values that are not valid codes. */
  readonly divipolaColumns: readonly string[];
  readonly invalidDivipola: number;
  /** Columns whose names look like personal data (cédula, teléfono, correo, dirección, nombre). */
  readonly personalDataColumns: readonly string[];
}

export interface Timeliness {
  readonly modified: string | undefined;
  readonly frequency: string | undefined;
  /** Days from `modified` to the measurement. */
  readonly ageDays: number | undefined;
  /** The longest gap the declared frequency allows; undefined for irregular or unknown ones. */
  readonly allowedDays: number | undefined;
  /** `undefined` when it cannot be judged (no date or no regular frequency). */
  readonly timely: boolean | undefined;
}

export interface QualityReport {
  readonly datasetId: string;
  readonly measuredAt: Date;
  readonly tables: readonly TableQuality[];
  /** The mapping's problems by kind (rejected values, ragged rows, ...). */
  readonly problems: Readonly<Record<string, number>>;
  readonly timeliness: Timeliness;
}

/** DANE department codes: the first two digits of every valid DIVIPOLA code. */
const departments = new Set([
  '05', '08', '11', '13', '15', '17', '18', '19', '20', '23', '25', '27', '41', '44', '47', '50', '52', '54', '63', '66', '68', '70', '73', '76',
  '81', '85', '86', '88', '91', '94', '95', '97', '99',
]);

/** A DIVIPOLA department (2 digits) or municipality (5 digits) code with a real department prefix. */
export function isDivipolaCode(value: string): boolean {
  return /^\d{2}(\d{3})?$/.test(value) && departments.has(value.slice(0, 2));
}

const divipolaName = /divipola|^(dp|dpmp|mpio|cod_?mpio|cod_?dpto|c[oó]d[a-z_ ]*(dane|municipio|departamento|mpio|dpto))$|^c[oó]digo[a-z_ ]*(dane|municipio|departamento)/i;
const personalName = /cedula|documento-de-identidad|telefono|celular|correo|e-?mail|direccion|nombre/;

/** Whether a column name suggests DIVIPOLA codes (`codigo_municipio`, `CÓDIGO DANE DEL MUNICIPIO`, `DPMP`, ...). */
export function looksLikeDivipola(column: string): boolean {
  return divipolaName.test(column.trim()) || /^codigo-(dane|municipio|departamento)|^codigo-dane|divipola/.test(slug(column));
}

/** Whether a column name suggests personal data; the import warns about such columns. */
export function looksPersonal(column: string): boolean {
  return personalName.test(slug(column));
}

function cellText(record: SourceRecord, column: string): string {
  const values = record.lookup(column) ?? [];
  return values.map((value) => value.text).join('\u0001');
}

/** What the measurement of one table needs to know of it: its file, columns and key. */
export type MeasuredTable = Pick<SourceTable, 'path' | 'columns' | 'keys'>;

/**
 * Counts, record by record as the mapping reads them, empty cells per column, duplicate rows,
 * duplicate keys and invalid DIVIPOLA codes of one table. Rows and keys are remembered as SHA-1
 * digests only, so memory grows by 20 bytes a row, not by the row's size.
 */
export class TableMeasurer {
  readonly #table: MeasuredTable;
  readonly #empty: Map<string, number>;
  readonly #divipolaColumns: readonly string[];
  readonly #rowsSeen = new Set<string>();
  readonly #keysSeen = new Set<string>();
  #rows = 0;
  #duplicateRows = 0;
  #duplicateKeys = 0;
  #invalidDivipola = 0;

  constructor(table: MeasuredTable) {
    this.#table = table;
    this.#empty = new Map(table.columns.map((column) => [column, 0]));
    this.#divipolaColumns = table.columns.filter(looksLikeDivipola);
  }

  add(record: SourceRecord): void {
    const { columns, keys } = this.#table;
    this.#rows++;
    const cells = columns.map((column) => cellText(record, column));
    cells.forEach((cell, index) => {
      const column = columns[index];
      if (column !== undefined && cell.trim() === '') this.#empty.set(column, (this.#empty.get(column) ?? 0) + 1);
    });
    const rowDigest = createHash('sha1').update(JSON.stringify(cells)).digest('base64');
    if (this.#rowsSeen.has(rowDigest)) this.#duplicateRows++;
    else this.#rowsSeen.add(rowDigest);
    if (keys.length > 0) {
      const key = keys.map((column) => cellText(record, column).trim());
      if (key.every((part) => part !== '')) {
        const keyDigest = createHash('sha1').update(JSON.stringify(key)).digest('base64');
        if (this.#keysSeen.has(keyDigest)) this.#duplicateKeys++;
        else this.#keysSeen.add(keyDigest);
      }
    }
    for (const column of this.#divipolaColumns) {
      const value = cellText(record, column).trim();
      if (value !== '' && !isDivipolaCode(value)) this.#invalidDivipola++;
    }
  }

  result(): TableQuality {
    const { path, columns, keys } = this.#table;
    return {
      file: basename(path),
      rows: this.#rows,
      columns: columns.map((column) => ({ column, empty: this.#empty.get(column) ?? 0 })),
      duplicateRows: this.#duplicateRows,
      keys,
      duplicateKeys: this.#duplicateKeys,
      divipolaColumns: this.#divipolaColumns,
      invalidDivipola: this.#invalidDivipola,
      personalDataColumns: columns.filter(looksPersonal),
    };
  }
}

const dayMs = 86_400_000;

/** `modified` against the declared frequency, at `now`. */
export function timelinessOf(modified: string | undefined, frequency: string | undefined, now: Date): Timeliness {
  const allowedDays = frequency === undefined ? undefined : frequencyOf(frequency)?.days;
  const time = modified === undefined ? Number.NaN : Date.parse(modified);
  const ageDays = Number.isNaN(time) ? undefined : Math.floor((now.getTime() - time) / dayMs);
  const timely = ageDays === undefined || allowedDays === undefined ? undefined : ageDays <= allowedDays;
  return { modified, frequency, ageDays, allowedDays, timely };
}

/** The report as plain words, one finding a line, for the CLI and the logs. */
export function formatQualityReport(report: QualityReport): string {
  const lines = [`quality of ${report.datasetId} (${report.measuredAt.toISOString()}):`];
  for (const table of report.tables) {
    lines.push(`  ${table.file}: ${table.rows} rows`);
    const gaps = table.columns.filter((column) => column.empty > 0);
    lines.push(gaps.length === 0 ? '    completeness: no empty cells' : `    completeness: empty cells in ${gaps.map((c) => `${c.column} (${c.empty})`).join(', ')}`);
    lines.push(`    uniqueness: ${table.duplicateRows} duplicate rows; ${table.duplicateKeys} duplicate keys (${table.keys.join(', ') || 'no key'})`);
    if (table.divipolaColumns.length > 0) lines.push(`    conformity: ${table.invalidDivipola} invalid DIVIPOLA codes in ${table.divipolaColumns.join(', ')}`);
    if (table.personalDataColumns.length > 0) lines.push(`    warning: columns that look like personal data: ${table.personalDataColumns.join(', ')}`);
  }
  const problems = Object.entries(report.problems);
  lines.push(`  mapping: ${problems.length === 0 ? 'no values rejected' : problems.map(([kind, count]) => `${kind} ${count}`).join(', ')}`);
  const t = report.timeliness;
  lines.push(
    t.timely === undefined
      ? `  timeliness: not judged (modified ${t.modified ?? 'unknown'}, frequency ${t.frequency ?? 'unknown'})`
      : `  timeliness: ${t.timely ? 'up to date' : 'overdue'} (modified ${t.ageDays} days ago, ${t.frequency} allows ${t.allowedDays})`,
  );
  return lines.join('\n');
}
