/** RML-IO logical targets: quads whose term maps name a target are written to that file, the rest stream on. */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type * as RDF from '@rdfjs/types';
import { NotImplemented } from '../errors/index.js';
import { type RdfFormatName, serializeRdfToString } from '../rdf/index.js';
import { compress } from './archive.js';
import { runMapping } from './execute.js';
import type { MappingPlan } from './load-mapping.js';
import type { ErrorPolicy, LogicalTarget, MappingProblem, MappingReport } from './plan.js';

const serializations: Readonly<Record<string, RdfFormatName>> = {
  'N-Quads': 'nquads',
  'N-Triples': 'ntriples',
  Turtle: 'turtle',
  TriG: 'trig',
  'JSON-LD': 'jsonld',
  RDF_XML: 'rdfxml',
  N3: 'n3',
};

async function writeTarget(target: LogicalTarget, quads: readonly RDF.Quad[], outputDirectory: string | undefined): Promise<void> {
  const format = serializations[target.serialization ?? 'N-Quads'];
  if (!format) throw new NotImplemented(`logical target ${target.id}: serialization ${target.serialization} is not supported`);
  const text = await serializeRdfToString(quads, { format });
  let bytes: Buffer =
    target.encoding === 'UTF-16' ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) : Buffer.from(text, 'utf8');
  const path = outputDirectory === undefined ? target.path : join(outputDirectory, basename(target.path));
  if (target.compression === 'gzip' || target.compression === 'zip' || target.compression === 'targz') {
    bytes = compress(bytes, target.compression, basename(path).replace(/\.(gz|zip|tar\.gz)$/, ''));
  } else if (target.compression !== undefined && target.compression !== 'none') {
    throw new NotImplemented(`logical target ${target.id}: ${target.compression} compression is not supported (gzip, zip, targz are)`);
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}

/**
 * Runs a mapping, writing the quads of each logical target to its file when the run ends
 * (targets are kept in memory: they are meant for small side outputs) and returning the
 * quads of the default target.
 * @throws MappingError as `executeMapping`; NotImplemented for a target format not supported.
 */
export async function executeWithTargets(
  plan: MappingPlan,
  options: {
    readonly errorPolicy?: ErrorPolicy;
    readonly onProblem?: (problem: MappingProblem) => void;
    /** Write every target file into this folder instead of its own path (tests). */
    readonly outputDirectory?: string;
  } = {},
): Promise<{ defaultQuads: RDF.Quad[]; report: MappingReport }> {
  const report: MappingReport = { rowsRead: 0, rowsDropped: 0, triplesWritten: 0, problems: {}, sources: plan.sources };
  const errorPolicy = options.errorPolicy ?? plan.errorPolicy ?? 'skip-term';
  const byTarget = new Map<string, RDF.Quad[]>();
  const defaultQuads: RDF.Quad[] = [];
  for await (const batch of runMapping(plan.compiled, plan.file, { errorPolicy, onProblem: options.onProblem }, report)) {
    for (const { quad, targets } of batch) {
      if (targets.length === 0) defaultQuads.push(quad);
      for (const target of targets) {
        const list = byTarget.get(target);
        if (list) list.push(quad);
        else byTarget.set(target, [quad]);
      }
    }
  }
  for (const [id, target] of plan.compiled.targets) await writeTarget(target, byTarget.get(id) ?? [], options.outputDirectory);
  return { defaultQuads, report };
}
