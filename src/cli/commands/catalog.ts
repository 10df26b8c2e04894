/** `vinculo catalog`: the DCAT-AP catalog of the store on stdout, optionally validated (SHACL) with the report on stderr. */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { formatValidationReport, storeCatalog, validateCatalog } from '../../catalog/index.js';
import { loadConfig } from '../../config/index.js';
import { VinculoError } from '../../errors/index.js';
import { DataFactory, findRdfFormat, serializeRdf } from '../../rdf/index.js';
import { openConfiguredStore } from '../open-store.js';
import { commonOptions, commonUsage, configFlags, parseCommand, UsageError } from '../usage.js';

const spec = {
  name: 'catalog',
  usage: `usage: vinculo catalog [--format turtle|ntriples|nquads|trig|jsonld|rdfxml] [--out FILE] [--validate]

Prints the DCAT-AP catalog of the store: the catalog, its datasets and distributions, the SPARQL
and fragments services, catalog records, quality measurements (DQV) and import provenance.
--validate  also checks it against the DCAT-AP 3 shapes and the national profile; the report
            goes to stderr and the exit status is 1 when there are violations
${commonUsage}`,
  options: { ...commonOptions, format: { type: 'string', default: 'turtle' }, out: { type: 'string' }, validate: { type: 'boolean' } },
  maxPositionals: 0,
} as const;

export async function catalogCommand(args: string[]): Promise<void> {
  const parsed = parseCommand(spec, args);
  if (!parsed) return;
  const { values } = parsed;
  const format = findRdfFormat(values.format);
  if (!format) throw new UsageError(`unknown --format "${values.format}"`, spec.usage);
  const config = await loadConfig({ cwd: process.cwd(), configFile: values.config, flags: configFlags(values) });
  const store = await openConfiguredStore(config, (message) => process.stderr.write(`${message}\n`));
  try {
    const quads = await storeCatalog(store, config.baseIRI);
    const written = format.graphs ? quads : quads.map((item) => DataFactory.quad(item.subject, item.predicate, item.object));
    const body = Readable.from(serializeRdf(written, { format: format.name }));
    await pipeline(body, values.out ? createWriteStream(values.out) : process.stdout, { end: values.out !== undefined });
    if (values.validate) {
      const report = await validateCatalog(quads);
      process.stderr.write(`${formatValidationReport(report)}\n`);
      if (!report.conforms) throw new VinculoError('the catalog does not conform to DCAT-AP 3 and the national profile');
    }
  } finally {
    await store.close();
  }
}
