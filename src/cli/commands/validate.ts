/** `vinculo validate FILE…`: checks mapping files (they compile, plus the guide's lint warnings) and RDF files (they parse). */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { formatValidationReport } from '../../catalog/index.js';
import { loadConfig } from '../../config/index.js';
import { BadRequest } from '../../errors/index.js';
import { checkSubjectKeys, type LintVocabulary, lintMapping, loadMapping, readLintVocabulary } from '../../mapping/index.js';
import { parseRdf, rdfFormatOfPath } from '../../rdf/index.js';
import { describeValidation } from '../../publish/index.js';
import { commonOptions, commonUsage, configFlags, parseCommand, UsageError } from '../usage.js';

const spec = {
  name: 'validate',
  usage: `usage: vinculo validate FILE...

Checks each FILE: YARRRML (.yml, .yaml) and RML (.ttl with a triples map) mappings must compile,
RDF files (.ttl .nt .nq .trig .rdf .jsonld) must parse. Prints "ok FILE" or the problem with its
line; a mapping's dataset description is also checked against the DCAT-AP 3 SHACL shapes and
the national profile, findings printed in plain words. Mappings are also linted with the
linked-open-data guide's rules (URI patterns, ad-hoc duplicates of standard terms, terms no
vocabulary defines, dates and numbers left as plain strings), on a sample of their output:
"warning FILE [triples map]: message (suggestion)". Warnings never change the exit status.
A subject key that is not unique is an error: each triples map runs over its whole source (a
sample cannot show a duplicate beyond it), and rows that give the same subject with different
values, which the store would merge, are reported with their counts:
"error FILE [triples map]: subject template … gives 32 distinct subjects for 36,156 rows: …".
Exits 1 if any file is invalid.
${commonUsage}`,
  options: { ...commonOptions },
  minPositionals: 1,
} as const;

const rmlMarkers = ['http://w3id.org/rml/', 'http://semweb.mmlab.be/ns/rml#', 'http://www.w3.org/ns/r2rml#'];

async function isMapping(path: string): Promise<boolean> {
  const extension = extname(path);
  if (extension === '.yml' || extension === '.yaml') return true;
  if (extension !== '.ttl') return false;
  const text = await readFile(path, 'utf8');
  return rmlMarkers.some((marker) => text.includes(marker));
}

/**
 * Validates each file; lint warnings are printed but never make a file invalid, a subject key
 * that merges rows does.
 * @throws UsageError for a file that is neither a mapping nor RDF, or bad arguments.
 * @throws ConfigError for a bad configuration.
 */
export async function validateCommand(args: string[]): Promise<void> {
  const parsed = parseCommand(spec, args);
  if (!parsed) return;
  const { values, positionals } = parsed;
  const config = await loadConfig({ cwd: process.cwd(), configFile: values.config, flags: configFlags(values) });
  let invalid = 0;
  // Read once, and only when a mapping is to be linted.
  let vocabulary: LintVocabulary | undefined;
  for (const file of positionals.map((path) => resolve(path))) {
    try {
      if (await isMapping(file)) {
        const plan = await loadMapping(file, { baseIRI: config.baseIRI, allowedDirs: config.sourceDirs, sourceOverrides: config.sourceOverrides });
        if (!vocabulary) {
          vocabulary = await readLintVocabulary(config.vocabularies, config.baseIRI);
          for (const { file: unread, message } of vocabulary.unreadable) process.stderr.write(`${unread}: warning: vocabulary not read: ${message}\n`);
        }
        for (const warning of await lintMapping(plan, { baseIRI: config.baseIRI, vocabulary })) {
          const suggestion = warning.suggestion ? ` (${warning.suggestion})` : '';
          process.stdout.write(`warning ${warning.file} [${warning.triplesMap}]: ${warning.message}${suggestion}\n`);
        }
        const keyProblems = await checkSubjectKeys(plan);
        for (const problem of keyProblems) process.stdout.write(`error ${problem.file} [${problem.triplesMap}]: ${problem.message}\n`);
        const report = await describeValidation(plan, config.baseIRI, (message) => process.stderr.write(`${message}\n`));
        if (report && report.findings.length > 0) process.stdout.write(`${formatValidationReport(report)}\n`);
        if (report && !report.conforms) throw new BadRequest('the dataset description does not conform to DCAT-AP and the national profile (findings above)');
        if (keyProblems.length > 0) throw new BadRequest(`${keyProblems.length} triples map(s) would merge rows into one subject (errors above)`);
      } else {
        const format = rdfFormatOfPath(file);
        if (!format) throw new UsageError(`${file}: not a mapping or an RDF file this command knows`, spec.usage);
        let count = 0;
        for await (const _quad of parseRdf(createReadStream(file, 'utf8'), { format: format.name, baseIRI: config.baseIRI, source: file })) count++;
        if (count === 0) process.stderr.write(`${file}: warning: no triples\n`);
      }
      process.stdout.write(`ok ${file}\n`);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      invalid++;
      process.stdout.write(`invalid ${file}: ${(error as Error).message}\n`);
    }
  }
  if (invalid > 0) process.exitCode = 1;
}
