/** Test helpers: a temporary folder with data files and a mapping, and running it to an array. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as RDF from '@rdfjs/types';
import { type ExecuteOptions, executeMapping, loadMapping, type MappingPlan, type MappingProblem, type MappingReport } from '../../src/mapping/index.ts';

export const base = 'http://datos.example.co/';

export interface Workspace {
  readonly dir: string;
  load(mappingFile: string): Promise<MappingPlan>;
  close(): Promise<void>;
}

/** Writes `files` (name → text or bytes) into a new temporary folder. */
export async function workspace(files: Record<string, string | Buffer>): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'vinculo-mapping-test-'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return {
    dir,
    load: (mappingFile) => loadMapping(join(dir, mappingFile), { baseIRI: base, allowedDirs: [dir] }),
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface Run {
  readonly quads: RDF.Quad[];
  readonly report: MappingReport;
  readonly problems: MappingProblem[];
}

/** Runs a plan to completion, collecting quads and problems. */
export async function run(plan: MappingPlan, options: Omit<ExecuteOptions, 'onProblem'> = {}): Promise<Run> {
  const problems: MappingProblem[] = [];
  const execution = executeMapping(plan, { ...options, onProblem: (problem) => problems.push(problem) });
  const quads: RDF.Quad[] = [];
  for await (const quad of execution.quads) quads.push(quad);
  return { quads, report: await execution.report, problems };
}

/** The objects of `predicate` (full IRI) in `quads`, as strings `value` or `value@lang` or `value^^datatype`. */
export function objectsOf(quads: readonly RDF.Quad[], predicate: string): string[] {
  return quads
    .filter((quad) => quad.predicate.value === predicate)
    .map((quad) => {
      const object = quad.object;
      if (object.termType !== 'Literal') return object.value;
      if (object.language) return `${object.value}@${object.language}`;
      return object.datatype.value.endsWith('#string') ? object.value : `${object.value}^^${object.datatype.value.replace(/.*#/, 'xsd:')}`;
    });
}

/** A one-triples-map YARRRML mapping over `source` with the given `po` lines (YAML). */
export function yarrrml(source: string, subject: string, po: string[], extra = ''): string {
  return [
    extra,
    'prefixes:',
    '  ex: http://example.org/',
    '  vfn: https://w3id.org/vinculo/fn#',
    'mappings:',
    '  thing:',
    '    sources:',
    `      - ['${source}']`,
    `    s: ${subject}`,
    '    po:',
    ...po.map((line) => `      - ${line}`),
    '',
  ].join('\n');
}
