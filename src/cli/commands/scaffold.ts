/** `vinculo scaffold`: a draft YARRRML mapping with DCAT metadata from a Socrata export or a bare CSV. */
import { readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { readSocrataView, type SocrataView, scaffoldMapping } from '../../catalog/index.js';
import { commonOptions, commonUsage, parseCommand, UsageError } from '../usage.js';

const spec = {
  name: 'scaffold',
  usage: `usage: vinculo scaffold CSV_OR_SOCRATA_EXPORT [--rows FILE] [--out FILE]

Writes a draft YARRRML mapping (stdout, or FILE) with a DCAT \`dataset:\` block, inferred
datatypes and a guessed key, for a person to review (lines marked REVIEW).
CSV_OR_SOCRATA_EXPORT is one of:
  a CSV file (bare, or a Socrata rows.csv)      the metadata block is a skeleton
  a SODA JSON rows export (an array of objects)
  a view metadata file (/api/views/{4x4}.json)   with --rows FILE, or {4x4}.csv/.json beside it
  a folder holding a view metadata file and its rows
--rows FILE  the rows of the view (CSV or SODA JSON)
--out FILE   where to write; source paths in the mapping are relative to its folder
${commonUsage}`,
  options: { ...commonOptions, rows: { type: 'string' }, out: { type: 'string' } },
  minPositionals: 1,
  maxPositionals: 1,
} as const;

async function isViewFile(path: string): Promise<SocrataView | undefined> {
  if (extname(path).toLowerCase() !== '.json') return undefined;
  try {
    const view = await readSocrataView(path);
    return 'columns' in view || 'metadata' in view || 'viewType' in view ? view : undefined;
  } catch {
    return undefined;
  }
}

/** Finds the view metadata and the rows file among the arguments and beside them. */
async function locate(input: string, rows: string | undefined): Promise<{ rowsPath: string; view: SocrataView | undefined }> {
  if ((await stat(input)).isDirectory()) {
    const files = (await readdir(input)).sort().map((name) => join(input, name));
    let view: SocrataView | undefined;
    let rowsPath = rows;
    for (const file of files) {
      const candidate = await isViewFile(file);
      if (candidate && !view) view = candidate;
      else if (!rowsPath && /\.(csv|json)$/i.test(file)) rowsPath = file;
    }
    if (!rowsPath) throw new UsageError(`no rows file (CSV or JSON) in ${input}`, spec.usage);
    return { rowsPath, view };
  }
  const view = await isViewFile(input);
  if (!view) return { rowsPath: input, view: undefined };
  if (rows) return { rowsPath: rows, view };
  for (const extension of ['.csv', '.json']) {
    const beside = join(dirname(input), `${view.id ?? ''}${extension}`);
    if (beside !== input && (await stat(beside).catch(() => undefined))?.isFile()) return { rowsPath: beside, view };
  }
  throw new UsageError(`${input} is view metadata; give its rows with --rows FILE`, spec.usage);
}

export async function scaffoldCommand(args: string[]): Promise<void> {
  const parsed = parseCommand(spec, args);
  if (!parsed) return;
  const { values, positionals } = parsed;
  const { rowsPath, view } = await locate(positionals[0] as string, values.rows);
  const outDir = values.out ? dirname(resolve(values.out)) : process.cwd();
  const rowsReference = relative(outDir, resolve(rowsPath)) || rowsPath;
  const draft = await scaffoldMapping({ rowsPath, rowsReference, view });
  if (values.out) await writeFile(values.out, draft.yaml);
  else process.stdout.write(draft.yaml);
  process.stderr.write(
    `scaffold: ${draft.columns.length} columns${draft.delimiter === ',' ? '' : `, delimiter ${JSON.stringify(draft.delimiter)}`}, key ${draft.key.join(' + ')}; review the lines marked REVIEW before importing\n`,
  );
}
