/**
 * RML conformance: kg-construct rml-core, rml-io (sources and targets) and RMLio's legacy
 * rml-test-cases, run from `../shared/conformance/rml/`. Output is compared with the expected
 * N-Quads by graph isomorphism; a case whose README expects an error passes only if mapping fails.
 * Cases run with `vinculo map`'s defaults: the error policy the mapping's dialect implies (RML-Core
 * stops at a data error, legacy RML skips the term as RMLMapper does) and, for the legacy suite,
 * the mapping's own `@base` over a base IRI nobody configured.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as RDF from '@rdfjs/types';
import { NotImplemented } from '../../src/errors/index.ts';
import { decompress } from '../../src/mapping/archive.ts';
import { loadMapping } from '../../src/mapping/index.ts';
import { executeWithTargets } from '../../src/mapping/targets.ts';
import { parseRdfToArray, type RdfFormatName } from '../../src/rdf/index.ts';
import { describeDifference, sameGraph } from '../support/graphs.ts';
import { type ConformanceCase, type Outcome, type Suite, sharedConformance } from './harness.ts';

const root = join(sharedConformance, 'rml');

interface CaseSpec {
  readonly id: string;
  readonly folder: string;
  readonly baseIRI: string;
  /** Expected files: `[expected file in the case folder, where our run writes it]`; `default` is the default target. */
  readonly outputs: readonly string[];
  readonly errorExpected: boolean;
  readonly skip?: string;
  /** The legacy suite's base is each mapping's `@base`, as RMLMapper reads it. */
  readonly preferMappingBase?: boolean;
}

function dedupe(quads: readonly RDF.Quad[]): RDF.Quad[] {
  const seen = new Map<string, RDF.Quad>();
  for (const quad of quads) {
    const key = [quad.subject, quad.predicate, quad.object, quad.graph]
      .map((term) => `${term.termType}|${term.value}|${term.termType === 'Literal' ? `${term.language}|${term.datatype.value}` : ''}`)
      .join(' ');
    seen.set(key, quad);
  }
  return [...seen.values()];
}

function formatOf(file: string): RdfFormatName {
  if (file.endsWith('.nt')) return 'ntriples';
  if (file.endsWith('.ttl')) return 'turtle';
  if (file.endsWith('.n3')) return 'n3';
  if (file.endsWith('.jsonld')) return 'jsonld';
  if (file.endsWith('.rdfxml') || file.endsWith('.rdf')) return 'rdfxml';
  return 'nquads';
}

async function readExpected(path: string): Promise<RDF.Quad[]> {
  let bytes: Buffer = await readFile(path);
  if (path.endsWith('.tar.gz')) bytes = decompress(bytes, 'targz');
  else if (path.endsWith('.gz')) bytes = decompress(bytes, 'gzip');
  else if (path.endsWith('.zip')) bytes = decompress(bytes, 'zip');
  const text = bytes[0] === 0xff && bytes[1] === 0xfe ? bytes.subarray(2).toString('utf16le') : bytes.toString('utf8');
  return parseRdfToArray(text, { format: formatOf(path.replace(/\.(tar\.gz|gz|zip)$/, '')), baseIRI: 'http://example.com/', source: path });
}

async function runCase(spec: CaseSpec): Promise<Outcome> {
  if (spec.skip) return { status: 'skip', reason: spec.skip };
  const work = await mkdtemp(join(tmpdir(), 'vinculo-rml-'));
  try {
    let defaultQuads: RDF.Quad[];
    try {
      const plan = await loadMapping(join(spec.folder, 'mapping.ttl'), {
        baseIRI: spec.baseIRI,
        preferMappingBase: spec.preferMappingBase,
        allowedDirs: [spec.folder],
        workingDirectory: spec.folder,
      });
      ({ defaultQuads } = await executeWithTargets(plan, { outputDirectory: work }));
    } catch (error) {
      if (error instanceof NotImplemented) return { status: 'skip', reason: error.message };
      if (spec.errorExpected) return { status: 'pass' };
      return { status: 'fail', reason: `mapping failed: ${(error as Error).message}` };
    }
    if (spec.errorExpected) return { status: 'fail', reason: 'an error was expected, the mapping succeeded' };
    for (const output of spec.outputs) {
      const expected = dedupe(await readExpected(join(spec.folder, output)));
      let actual: RDF.Quad[];
      if (output === 'output.nq' || output === 'default.nq') actual = dedupe(defaultQuads);
      else {
        const written = join(work, output);
        if (!existsSync(written)) return { status: 'fail', reason: `target ${output} was not written` };
        actual = dedupe(await readExpected(written));
      }
      if (!sameGraph(actual, expected)) return { status: 'fail', reason: `${output}: ${describeDifference(actual, expected)}` };
    }
    return { status: 'pass' };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function readme(folder: string): Promise<string> {
  try {
    return await readFile(join(folder, 'README.md'), 'utf8');
  } catch {
    return '';
  }
}

async function caseFolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'mapping.ttl')))
    .map((entry) => entry.name)
    .sort();
}

async function specs(): Promise<CaseSpec[]> {
  const all: CaseSpec[] = [];
  const core = join(root, 'rml-core', 'test-cases');
  for (const name of await caseFolders(core)) {
    const folder = join(core, name);
    const text = await readme(folder);
    const base = /\*\*Default Base IRI\*\*:\s*(\S+)/.exec(text)?.[1] ?? 'http://example.com/';
    const hasOutput = existsSync(join(folder, 'output.nq'));
    all.push({
      id: `rml-core/${name}`,
      folder,
      baseIRI: base,
      outputs: hasOutput ? ['output.nq'] : [],
      errorExpected: /Error expected\?\*\*\s*Yes/i.test(text) || !hasOutput,
    });
  }
  const io = join(root, 'rml-io', 'test-cases');
  const ioMetadata = new Map<string, string[]>();
  for (const line of (await readFile(join(io, 'metadata.csv'), 'utf8')).split('\n').slice(1)) {
    const cells = line.split(',');
    if (cells[0]) ioMetadata.set(cells[0], cells);
  }
  for (const name of await caseFolders(io)) {
    const folder = join(io, name);
    const text = await readme(folder);
    const files = await readdir(folder);
    const outputs = files.filter((file) => file === 'default.nq' || file.startsWith('dump')).sort();
    const errorExpected = /Error expected\?\*\*\s*Yes/i.test(text) || !files.includes('default.nq');
    const inputs = (ioMetadata.get(name) ?? []).join(',');
    const skip = /http:\/\/w3id\.org\/rml\/resources/.test(inputs) && !files.some((file) => file.endsWith('.json') || file.endsWith('.csv'))
      ? 'its input is a remote file (w3id.org), not in the suite copy; the network is not used'
      : undefined;
    all.push({ id: `rml-io/${name}`, folder, baseIRI: 'http://example.com/', outputs, errorExpected, skip });
  }
  const legacy = join(root, 'rml-test-cases', 'test-cases');
  for (const name of await caseFolders(legacy)) {
    const folder = join(legacy, name);
    const kind = name.slice(name.lastIndexOf('-') + 1);
    const hasOutput = existsSync(join(folder, 'output.nq'));
    const skip =
      kind === 'CSV' || kind === 'JSON'
        ? undefined
        : kind === 'XML'
          ? 'XML sources (XPath) are out of scope'
          : kind === 'SPARQL'
            ? 'SPARQL endpoint sources need a server; out of scope'
            : `${kind} database sources need a server; out of scope`;
    all.push({ id: `rml-test-cases/${name}`, folder, baseIRI: 'http://localhost:3030/', preferMappingBase: true, outputs: hasOutput ? ['output.nq'] : [],
      errorExpected: !hasOutput,
      skip,
    });
  }
  const fnml = join(root, 'rml-fnml', 'test-cases');
  for (const name of await caseFolders(fnml)) {
    all.push({
      id: `rml-fnml/${name}`,
      folder: join(fnml, name),
      baseIRI: 'http://example.com/',
      outputs: [],
      errorExpected: false,
      skip: 'GREL / IDLab functions are not implemented; Vínculo has its own function library (vfn:)',
    });
  }
  return all;
}

/**
 * The runner's figure the first-steps issue asks for: of the cases Vínculo runs (CSV and JSON
 * sources), those whose expectation is consistent with the specifications — every case except the
 * contested ones in `known-failures/rml.json`, each with its reason — and how many of them pass.
 */
async function reportConsistentShare(outcomes: ReadonlyMap<string, Outcome['status']>): Promise<void> {
  const contested = new Set(Object.keys(JSON.parse(await readFile(new URL('./known-failures/rml.json', import.meta.url), 'utf8')) as Record<string, string>));
  const run = [...outcomes].filter(([, status]) => status !== 'skip');
  const consistent = run.filter(([id]) => !contested.has(id));
  const passed = consistent.filter(([, status]) => status === 'pass').length;
  const share = consistent.length === 0 ? 0 : (100 * passed) / consistent.length;
  console.log(
    `RML runner: ${passed} of ${consistent.length} consistent CSV/JSON cases pass (${share.toFixed(1)}%); denominator: the ${run.length} cases run, less ${run.length - consistent.length} contested (known-failures/rml.json, a reason each); ${outcomes.size - run.length} out of scope (skipped)`,
  );
}

export const suite: Suite = {
  name: 'rml',
  caseTimeoutMs: 20_000,
  async *cases(): AsyncIterable<ConformanceCase> {
    const outcomes = new Map<string, Outcome['status']>();
    for (const spec of await specs()) {
      yield {
        id: spec.id,
        run: async () => {
          // A case that throws or outlives the harness's timeout counts as failed.
          outcomes.set(spec.id, 'fail');
          const outcome = await runCase(spec);
          outcomes.set(spec.id, outcome.status);
          return outcome;
        },
      };
    }
    await reportConsistentShare(outcomes);
  },
};
