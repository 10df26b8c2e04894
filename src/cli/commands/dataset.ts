/** `vinculo dataset list|drop|export`: the lifecycle of datasets already in the store. */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from '../../config/index.js';
import { NotFound } from '../../errors/index.js';
import { dropPublishedDataset } from '../../publish/index.js';
import { rdfFormat } from '../../rdf/index.js';
import { datasetGraph, exportDataset } from '../../store/index.js';
import { openConfiguredStore } from '../open-store.js';
import { commonOptions, commonUsage, configFlags, parseCommand, UsageError } from '../usage.js';

const spec = {
  name: 'dataset',
  usage: `usage: vinculo dataset list
       vinculo dataset drop ID
       vinculo dataset export [ID] [--format nquads|turtle|trig] [--gzip] [--out FILE]

list    one line per dataset on stdout: id, quads, version, last modified (tab-separated)
drop    removes a dataset, its graph and its catalog description
export  writes one dataset (or the whole store) as RDF to stdout or FILE
${commonUsage}`,
  options: { ...commonOptions, format: { type: 'string', default: 'nquads' }, gzip: { type: 'boolean' }, out: { type: 'string' } },
  minPositionals: 1,
  maxPositionals: 2,
} as const;

const exportFormats = ['nquads', 'turtle', 'trig'] as const;

export async function datasetCommand(args: string[]): Promise<void> {
  const parsed = parseCommand(spec, args);
  if (!parsed) return;
  const { values, positionals } = parsed;
  const [action, id] = positionals as [string, string | undefined];
  if (!['list', 'drop', 'export'].includes(action)) throw new UsageError(`unknown action "${action}"`, spec.usage);
  if (action === 'drop' && id === undefined) throw new UsageError('drop needs a dataset id', spec.usage);
  const format = rdfFormat(values.format);
  if (!(exportFormats as readonly string[]).includes(format.name)) {
    throw new UsageError(`--format must be one of ${exportFormats.join(', ')}`, spec.usage);
  }
  const config = await loadConfig({ cwd: process.cwd(), configFile: values.config, flags: configFlags(values) });
  const store = await openConfiguredStore(config, (message) => process.stderr.write(`${message}\n`));
  try {
    if (action === 'list') {
      for (const dataset of store.listDatasets()) {
        process.stdout.write(`${dataset.id}\t${dataset.quads}\t${dataset.version}\t${dataset.modified.toISOString()}\n`);
      }
    } else if (action === 'drop') {
      if (!(await dropPublishedDataset(store, id as string))) throw new NotFound(`no dataset "${id}"`);
      process.stderr.write(`dropped ${id}\n`);
    } else {
      if (id !== undefined && !store.dataset(id)) throw new NotFound(`no dataset "${id}"`);
      const graph = id === undefined ? undefined : datasetGraph(config.baseIRI, id);
      const body = Readable.from(exportDataset(store, { graph, format: format.name as (typeof exportFormats)[number], gzip: values.gzip }));
      await pipeline(body, values.out ? createWriteStream(values.out) : process.stdout);
    }
  } finally {
    await store.close();
  }
}
