/** `vinculo query`: runs one SPARQL query against the persistent store or against RDF files, printing results to stdout. */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type * as RDF from '@rdfjs/types';
import { loadConfig, type VinculoConfig } from '../../config/index.js';
import { basePrefixes, findRdfFormat, findResultsFormat, parseRdf, rdfFormatOfPath, serializeRdf, whenDone } from '../../rdf/index.js';
import { createSparqlEngine, type QueryResult, serializeResults } from '../../sparql/index.js';
import { openStore, type VinculoStore } from '../../store/index.js';
import { openConfiguredStore } from '../open-store.js';
import { commonOptions, commonUsage, configFlags, parseCommand, UsageError } from '../usage.js';

const spec = {
  name: 'query',
  usage: `usage: vinculo query QUERY|@FILE [--data-dir DIR | --data RDF_FILE...] [--format FORMAT]

Runs a SPARQL query. Without --data it reads the persistent store (--data-dir); with --data it
loads the RDF files (each into its own graph named by its file URL) into memory and queries them.
SELECT and ASK print json (default), xml, csv or tsv; CONSTRUCT and DESCRIBE print nquads
(default), turtle, trig, ntriples, jsonld or rdfxml. The default graph is the union of all graphs.
${commonUsage}
  --data FILE        an RDF file to query (repeatable)
  --format FORMAT    output syntax (see above)`,
  options: { ...commonOptions, data: { type: 'string', multiple: true }, format: { type: 'string' } },
  minPositionals: 1,
  maxPositionals: 1,
} as const;

async function queryText(argument: string): Promise<string> {
  return argument.startsWith('@') ? readFile(argument.slice(1), 'utf8') : argument;
}

async function storeOfFiles(config: VinculoConfig, files: readonly string[]): Promise<VinculoStore> {
  const store = await openStore({ baseIRI: config.baseIRI });
  for (const file of files.map((path) => resolve(path))) {
    const format = rdfFormatOfPath(file);
    if (!format) throw new UsageError(`${file}: unknown RDF syntax (use .ttl .nt .nq .trig .rdf .jsonld)`, spec.usage);
    const graph = `file://${file}`;
    await store.write(async (target) => {
      const quads = Readable.from(parseRdf(createReadStream(file, 'utf8'), { format: format.name, baseIRI: graph, source: file }));
      await whenDone(target.import(quads));
    });
  }
  return store;
}

function output(result: QueryResult, format: string | undefined, config: VinculoConfig): AsyncIterable<string> {
  if (result.type === 'quads') {
    const rdf = findRdfFormat(format ?? 'nquads');
    if (!rdf) throw new UsageError(`--format ${format} is not an RDF syntax, and this query returns triples`, spec.usage);
    return serializeRdf(result.quads as AsyncIterable<RDF.Quad>, { format: rdf.name, prefixes: basePrefixes(config.baseIRI) });
  }
  const results = findResultsFormat(format ?? 'json');
  if (!results) throw new UsageError(`--format ${format} is not a results syntax (json, xml, csv, tsv)`, spec.usage);
  return serializeResults(result, { format: results.name, maxResultRows: config.limits.maxResultRows });
}

export async function queryCommand(args: string[]): Promise<void> {
  const parsed = parseCommand(spec, args);
  if (!parsed) return;
  const { values, positionals } = parsed;
  if (values.data && values['data-dir']) throw new UsageError('give either --data or --data-dir, not both', spec.usage);
  const config = await loadConfig({ cwd: process.cwd(), configFile: values.config, flags: configFlags(values) });
  const text = await queryText(positionals[0] as string);
  const store = values.data
    ? await storeOfFiles(config, values.data)
    : await openConfiguredStore(config, (message) => process.stderr.write(`${message}\n`));
  try {
    const engine = createSparqlEngine({
      store,
      defaultGraph: 'union',
      limits: {
        timeoutMs: config.limits.queryTimeoutMs,
        maxResultRows: config.limits.maxResultRows,
        maxQueryLength: config.limits.maxQueryLength,
        serviceAllowlist: config.sparql.serviceAllowlist,
      },
    });
    const result = await engine.query(text);
    await pipeline(Readable.from(output(result, values.format, config)), process.stdout);
    if (result.type !== 'boolean' && result.truncated()) {
      process.stderr.write(`results cut at ${config.limits.maxResultRows} rows (limits.maxResultRows)\n`);
    }
  } finally {
    await store.close();
  }
}
