/** SHACL validation of catalog descriptions: the official DCAT-AP 3 shapes plus our national profile, reported in plain words. */
import { access, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type * as RDF from '@rdfjs/types';
import { Store } from 'n3';
import { Validator } from 'shacl-engine';
import { VinculoError } from '../errors/index.js';
import { DataFactory, parseRdfToArray, prefixes } from '../rdf/index.js';

/** `dist/catalog/` and `src/catalog/` are both two folders below the repository, so one relative URL serves both. */
const repositoryRoot = new URL('../../', import.meta.url);
/** The shared conformance data sits beside the repository (`../shared/conformance`), as in CI. */
export const defaultDcatApShapesDir = fileURLToPath(new URL('../shared/conformance/dcat-ap/releases/3.0.1/shacl/', repositoryRoot));
const nationalProfileFile = fileURLToPath(new URL('src/catalog/perfil-nacional.ttl', repositoryRoot));

export type Severity = 'violation' | 'warning' | 'info';
export type ShapesSource = 'DCAT-AP 3.0.1' | 'perfil nacional';

export interface ValidationFinding {
  readonly severity: Severity;
  readonly source: ShapesSource;
  readonly focusNode: string;
  /** The property path, compacted with the known prefixes (`dct:title`), when the shape has one. */
  readonly path: string | undefined;
  readonly message: string;
  readonly value: string | undefined;
}

export interface CatalogValidationReport {
  /** No violation from either set of shapes (warnings allowed). */
  readonly conforms: boolean;
  readonly findings: readonly ValidationFinding[];
}

export interface ValidateCatalogOptions {
  /** Where `dcat-ap-SHACL.ttl` and `ranges.ttl` are; `../shared/conformance/dcat-ap/releases/3.0.1/shacl/` by default. */
  readonly dcatApShapesDir?: string;
  /** Only the national profile: what an import must satisfy. */
  readonly nationalProfileOnly?: boolean;
}

/** The shapes are parsed once per process: the DCAT-AP files are large and never change. */
const validators = new Map<string, Promise<Validator>>();

const factory = { ...DataFactory, dataset: () => new Store() as unknown as RDF.DatasetCore };

async function loadValidator(files: readonly string[]): Promise<Validator> {
  const shapes = new Store();
  for (const file of files) {
    try {
      await access(file);
    } catch {
      throw new VinculoError(
        `the DCAT-AP SHACL shapes are missing: ${file} does not exist (they come from the shared conformance data, ../shared/conformance/dcat-ap/, beside the repository)`,
      );
    }
    shapes.addQuads(await parseRdfToArray(await readFile(file, 'utf8'), { format: 'turtle', baseIRI: `file://${file}`, source: file }));
  }
  return new Validator(shapes as unknown as RDF.DatasetCore, { factory });
}

function validatorFor(files: readonly string[]): Promise<Validator> {
  const key = files.join('\n');
  let validator = validators.get(key);
  if (!validator) {
    validator = loadValidator(files);
    // A failed load (missing shapes) must not stay cached: the files may appear later.
    validator.catch(() => validators.delete(key));
    validators.set(key, validator);
  }
  return validator;
}

/** `http://purl.org/dc/terms/title` → `dct:title`. */
export function compactIri(iri: string): string {
  for (const [prefix, namespace] of Object.entries(prefixes)) if (iri.startsWith(namespace) && iri.length > namespace.length) return `${prefix}:${iri.slice(namespace.length)}`;
  return iri;
}

function termText(term: RDF.Term | undefined): string | undefined {
  if (!term) return undefined;
  if (term.termType === 'BlankNode') return `_:${term.value}`;
  if (term.termType === 'Literal') return JSON.stringify(term.value);
  return term.value;
}

const shClass = DataFactory.namedNode('http://www.w3.org/ns/shacl#class');

const severities: Record<string, Severity> = {
  'http://www.w3.org/ns/shacl#Violation': 'violation',
  'http://www.w3.org/ns/shacl#Warning': 'warning',
  'http://www.w3.org/ns/shacl#Info': 'info',
};

/** Plain words for the constraint components whose results carry no message of their own. */
const componentWords: Record<string, string> = {
  ClassConstraintComponent: 'the value is not an instance of the class the shape requires (add its rdf:type)',
  NodeKindConstraintComponent: 'the value is not of the required kind (IRI, blank node or literal)',
  DatatypeConstraintComponent: 'the value does not have the required datatype',
  NodeConstraintComponent: 'the value does not conform to the shape it must have',
  MaxCountConstraintComponent: 'too many values',
  MinCountConstraintComponent: 'a required value is missing',
  LanguageInConstraintComponent: 'the value is not in an allowed language',
};

async function run(source: ShapesSource, files: readonly string[], data: RDF.DatasetCore): Promise<ValidationFinding[]> {
  const report = await (await validatorFor(files)).validate({ dataset: data });
  return report.results.map((result) => {
    const step = result.path?.[0];
    const predicate = step?.predicates[0];
    const path = predicate === undefined ? undefined : `${step?.start === 'object' ? '^' : ''}${compactIri(predicate.value)}`;
    const english = result.message.find((message) => message.language === 'en');
    const spanish = result.message.find((message) => message.language === 'es');
    const component = result.constraintComponent.value.replace('http://www.w3.org/ns/shacl#', '');
    const required = component === 'ClassConstraintComponent' ? result.shape.ptr.out([shClass]).terms[0] : undefined;
    const message =
      (spanish ?? english ?? result.message[0])?.value ??
      (required ? `the value must be a ${compactIri(required.value)} (state its rdf:type)` : (componentWords[component] ?? component));
    return {
      severity: severities[result.severity.value] ?? 'violation',
      source,
      focusNode: termText(result.focusNode.term) ?? '?',
      path,
      message,
      value: termText(result.value?.term),
    };
  });
}

/**
 * Validates catalog quads (every graph is read as one) against the DCAT-AP 3.0.1 shapes
 * (`dcat-ap-SHACL.ttl` + `ranges.ttl`) and the national profile (`perfil-nacional.ttl`).
 * @throws VinculoError naming the path when the DCAT-AP shapes are not there.
 * @throws SyntaxProblem when a shapes file does not parse.
 */
export async function validateCatalog(quads: Iterable<RDF.Quad>, options: ValidateCatalogOptions = {}): Promise<CatalogValidationReport> {
  const data = new Store();
  for (const item of quads) data.addQuad(DataFactory.quad(item.subject, item.predicate, item.object));
  const dataset = data as unknown as RDF.DatasetCore;
  const findings = await run('perfil nacional', [nationalProfileFile], dataset);
  if (!options.nationalProfileOnly) {
    const dir = options.dcatApShapesDir ?? defaultDcatApShapesDir;
    const dirPath = dir.endsWith('/') ? dir : `${dir}/`;
    findings.push(...(await run('DCAT-AP 3.0.1', [`${dirPath}dcat-ap-SHACL.ttl`, `${dirPath}ranges.ttl`], dataset)));
  }
  return { conforms: !findings.some((finding) => finding.severity === 'violation'), findings };
}

/** The report in plain words: one line a finding (`severity [shapes] focus node — path: message`), then a summary line. */
export function formatValidationReport(report: CatalogValidationReport): string {
  const lines = report.findings.map((finding) => {
    const path = finding.path === undefined ? '' : ` ${finding.path}:`;
    const value = finding.value === undefined ? '' : ` (value ${finding.value})`;
    return `${finding.severity} [${finding.source}] ${finding.focusNode} —${path} ${finding.message}${value}`;
  });
  const count = (severity: Severity) => report.findings.filter((finding) => finding.severity === severity).length;
  lines.push(`catalog ${report.conforms ? 'conforms' : 'does not conform'}: ${count('violation')} violations, ${count('warning')} warnings, ${count('info')} notes`);
  return lines.join('\n');
}
