/**
 * DCAT metadata of a plain RML mapping: a `dcat:Dataset` node in the mapping's own RDF, or a side
 * file `{mapping}.dataset.yml` holding the same keys as YARRRML's `dataset:` block.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type * as RDF from '@rdfjs/types';
import { parse as parseYaml } from 'yaml';
import { SyntaxProblem } from '../errors/index.js';
import { ns } from '../rdf/index.js';
import { type DatasetMetadata, parseDatasetMetadata } from './dataset-metadata.js';
import { MappingError } from './mapping-error.js';

/** `mapping.ttl` → `mapping.dataset.yml`, beside it. */
export function sideMetadataFile(file: string): string {
  return join(dirname(file), `${basename(file, extname(file))}.dataset.yml`);
}

/**
 * The `dcat:Dataset` node of a mapping's RDF as the keys of a `dataset:` block, read with the
 * predicates Vínculo's own DCAT descriptions use (`dcat.ts`), so the catalog shows what was written.
 * @throws MappingError when the mapping describes more than one dataset.
 */
function embeddedBlock(quads: readonly RDF.Quad[], file: string): Record<string, unknown> | undefined {
  const datasets = quads.filter((quad) => quad.predicate.equals(ns.rdf('type')) && quad.object.equals(ns.dcat('Dataset'))).map((quad) => quad.subject);
  if (datasets.length === 0) return undefined;
  if (datasets.length > 1) throw new MappingError(`the mapping describes ${datasets.length} dcat:Dataset nodes; one mapping publishes one dataset`, { file, kind: 'dataset-metadata' });
  const objectsOf = (subject: RDF.Term, predicate: RDF.NamedNode) => quads.filter((quad) => quad.subject.equals(subject) && quad.predicate.equals(predicate)).map((quad) => quad.object);
  const values = (subject: RDF.Term, predicate: RDF.NamedNode) => objectsOf(subject, predicate).map((term) => term.value);
  const first = (subject: RDF.Term, predicate: RDF.NamedNode) => values(subject, predicate)[0];
  const localized = (subject: RDF.Term, predicate: RDF.NamedNode) => {
    const literals = objectsOf(subject, predicate).filter((term): term is RDF.Literal => term.termType === 'Literal');
    const english = literals.find((literal) => literal.language.startsWith('en'))?.value;
    const spanish = literals.find((literal) => literal.language === '' || literal.language.startsWith('es'))?.value;
    return spanish === undefined ? english : { es: spanish, ...(english === undefined ? {} : { en: english }) };
  };
  const dataset = datasets[0] as RDF.Term;
  const block: Record<string, unknown> = {
    title: localized(dataset, ns.dct('title')),
    description: localized(dataset, ns.dct('description')),
    keywords: values(dataset, ns.dcat('keyword')),
    themes: values(dataset, ns.dcat('theme')),
    spatial: values(dataset, ns.dct('spatial')),
    language: values(dataset, ns.dct('language')),
    license: first(dataset, ns.dct('license')),
    issued: first(dataset, ns.dct('issued')),
    modified: first(dataset, ns.dct('modified')),
    identifier: first(dataset, ns.dct('identifier')),
    accrualPeriodicity: first(dataset, ns.dct('accrualPeriodicity')),
  };
  const publisher = objectsOf(dataset, ns.dct('publisher'))[0];
  if (publisher) block.publisher = { name: first(publisher, ns.foaf('name')), nit: first(publisher, ns.dct('identifier')) };
  const contact = objectsOf(dataset, ns.dcat('contactPoint'))[0];
  const email = contact && first(contact, ns.vcard('hasEmail'));
  if (email) block.contactPoint = { email: email.replace(/^mailto:/, '') };
  return Object.fromEntries(Object.entries(block).filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0)));
}

async function sideBlock(file: string): Promise<Record<string, unknown> | undefined> {
  const side = sideMetadataFile(file);
  let text: string;
  try {
    text = await readFile(side, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MappingError(`cannot read ${side}: ${(error as Error).message}`, { file: side, kind: 'dataset-metadata' }, { cause: error });
  }
  try {
    return (parseYaml(text) ?? {}) as Record<string, unknown>;
  } catch (error) {
    throw new SyntaxProblem((error as Error).message.split('\n')[0] ?? 'invalid YAML', { file: side });
  }
}

/**
 * The DCAT metadata of an RML mapping, from its own `dcat:Dataset` node or its side file (not
 * both: two places to edit would drift); `undefined` when neither exists.
 * @throws MappingError for invalid metadata (naming the key), or metadata given in both places.
 */
export async function readRmlDataset(quads: readonly RDF.Quad[], file: string): Promise<DatasetMetadata | undefined> {
  const embedded = embeddedBlock(quads, file);
  const side = await sideBlock(file);
  if (embedded && side) throw new MappingError(`the dataset is described both in the mapping and in ${sideMetadataFile(file)}: keep one`, { file, kind: 'dataset-metadata' });
  if (side) return parseDatasetMetadata(side, file);
  return embedded ? parseDatasetMetadata(embedded, file) : undefined;
}
