/** `vinculo map MAPPING`: runs one mapping and writes its RDF to stdout or a file. */
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { loadConfig } from '../../config/index.js';
import { executeMapping, loadMapping, problemLine } from '../../mapping/index.js';
import { startProgressBar } from '../progress.js';
import { basePrefixes, rdfFormat, serializeRdf } from '../../rdf/index.js';
import { commonOptions, commonUsage, configFlags, parseCommand, UsageError } from '../usage.js';
import { commandLineConfig, errorPolicyOf, sourceDirOption, sourceDirUsage } from '../mapping-options.js';

const spec = {
  name: 'map',
  usage: `usage: vinculo map MAPPING [--format nquads|turtle|trig|jsonld|ntriples|rdfxml] [--out FILE] [--on-error skip-term|skip-row|fail] [--csvw-mode standard|minimal] [--source-dir DIR]...

Runs MAPPING (YARRRML .yml, RML .ttl, CSVW metadata .json, or a CSV whose CSVW metadata is
located beside it) and prints the RDF it produces.
Problems with cells are reported on stderr as file:line:column. Sources may lie in the mapping's
folder, a --source-dir folder or a configured "sourceDirs" folder. Unless a base IRI is configured
(--base-iri, VINCULO_BASE_IRI, "baseIRI"), an RML file's own @base is the base of the relative
IRIs it generates, as in RMLMapper. An RML-Core mapping (http://w3id.org/rml/) stops at the first
data error, as RML-Core requires; legacy RML and YARRRML skip the bad term (--on-error overrides).
${commonUsage}
${sourceDirUsage}`,
  options: { ...commonOptions, ...sourceDirOption, format: { type: 'string', default: 'nquads' }, out: { type: 'string' }, 'on-error': { type: 'string' }, 'csvw-mode': { type: 'string' } },
  minPositionals: 1,
  maxPositionals: 1,
} as const;

export async function mapCommand(args: string[]): Promise<void> {
  const parsed = parseCommand(spec, args);
  if (!parsed) return;
  const { values, positionals } = parsed;
  const format = rdfFormat(values.format);
  if (format.name === 'n3') throw new UsageError('--format n3 is not offered for mapping output', spec.usage);
  const config = await loadConfig({ cwd: process.cwd(), configFile: values.config, flags: configFlags(values) });
  const csvwMode = values['csvw-mode'];
  if (csvwMode !== undefined && csvwMode !== 'standard' && csvwMode !== 'minimal') throw new UsageError('--csvw-mode must be standard or minimal', spec.usage);
  const mappingFile = resolve(positionals[0] as string);
  const { sourceDirs } = commandLineConfig(config, mappingFile, values['source-dir']);
  const plan = await loadMapping(mappingFile, {
    baseIRI: config.baseIRI,
    // A converter run, as with RMLMapper: an RML file's own @base wins over a base nobody configured.
    preferMappingBase: config.baseIRIDerived === true,
    allowedDirs: sourceDirs,
    sourceOverrides: config.sourceOverrides,
  });
  const progress = startProgressBar(process.stderr);
  const { quads, report } = executeMapping(plan, {
    ...(csvwMode !== undefined ? { csvwMode } : {}),
    errorPolicy: errorPolicyOf(values['on-error'], spec.usage),
    onProblem: (problem) => progress.line(problemLine(problem)),
  });
  report.catch(() => undefined);
  const text = Readable.from(serializeRdf(quads, { format: format.name, prefixes: basePrefixes(config.baseIRI) }));
  let summary: Awaited<typeof report>;
  try {
    await pipeline(text, values.out ? createWriteStream(values.out) : process.stdout);
    summary = await report;
  } finally {
    progress.stop();
  }
  const problems = Object.entries(summary.problems).map(([kind, count]) => `${kind} ${count}`).join(', ');
  const dropped = summary.rowsDropped > 0 ? `, ${summary.rowsDropped} rows dropped` : '';
  process.stderr.write(`${summary.rowsRead} rows read${dropped}, ${summary.triplesWritten} triples written${problems ? `; problems: ${problems}` : ''}\n`);
}
