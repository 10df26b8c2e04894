/**
 * YARRRML through the reference parser (`@rmlio/yarrrml-parser`) into RML quads, plus the
 * top-level keys Vínculo adds and the parser ignores: `dataset:`, `errorPolicy:` and `sourceEncoding:`.
 */
import type * as RDF from '@rdfjs/types';
import YARRRML2RML from '@rmlio/yarrrml-parser/lib/rml-generator.js';
import { parseDocument } from 'yaml';
import { SyntaxProblem } from '../errors/index.js';
import { DataFactory } from '../rdf/index.js';
import { type DatasetMetadata, parseDatasetMetadata } from './dataset-metadata.js';
import { MappingError } from './mapping-error.js';
import type { ErrorPolicy } from './execute.js';
import type { LogicalSource } from './plan.js';
import { encodingNamed } from './rml-reader.js';

export interface YarrrmlMapping {
  readonly quads: RDF.Quad[];
  readonly dataset: DatasetMetadata | undefined;
  readonly errorPolicy: ErrorPolicy | undefined;
  readonly sourceEncoding: LogicalSource['encoding'];
}

/** The parser's terms (its own N3 copy) become terms of Vínculo's one DataFactory. */
function importTerm(term: RDF.Term): RDF.Term {
  switch (term.termType) {
    case 'NamedNode':
      return DataFactory.namedNode(term.value);
    case 'BlankNode':
      return DataFactory.blankNode(term.value);
    case 'Literal':
      return DataFactory.literal(term.value, term.language || DataFactory.namedNode(term.datatype.value));
    default:
      return DataFactory.defaultGraph();
  }
}

/**
 * Reads a YARRRML document.
 * @throws SyntaxProblem for YAML that does not parse (with its line).
 * @throws MappingError for YARRRML the parser refuses, or an invalid `dataset:` block.
 */
export function readYarrrml(text: string, file: string): YarrrmlMapping {
  const document = parseDocument(text, { prettyErrors: false });
  const first = document.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    throw new SyntaxProblem(first.message.split('\n')[0] ?? first.message, { file, line, column: first.linePos?.[0]?.col });
  }
  const root: unknown = document.toJS();
  if (typeof root !== 'object' || root === null || Array.isArray(root)) throw new MappingError('a YARRRML document must be a mapping of keys', { file });
  const top = root as Record<string, unknown>;
  const dataset = top.dataset === undefined ? undefined : parseDatasetMetadata(top.dataset, file);
  let errorPolicy: ErrorPolicy | undefined;
  if (top.errorPolicy !== undefined) {
    if (top.errorPolicy !== 'skip-term' && top.errorPolicy !== 'skip-row' && top.errorPolicy !== 'fail') {
      throw new MappingError(`errorPolicy must be skip-term, skip-row or fail, not ${JSON.stringify(top.errorPolicy)}`, { file });
    }
    errorPolicy = top.errorPolicy;
  }
  let sourceEncoding: LogicalSource['encoding'];
  if (top.sourceEncoding !== undefined) {
    sourceEncoding = typeof top.sourceEncoding === 'string' ? encodingNamed(top.sourceEncoding) : undefined;
    if (!sourceEncoding) throw new MappingError(`sourceEncoding must be UTF-8, UTF-16 or windows-1252 (latin1), not ${JSON.stringify(top.sourceEncoding)}`, { file });
  }
  let quads: RDF.Quad[];
  try {
    quads = new YARRRML2RML().convert(text);
  } catch (error) {
    throw new MappingError(`YARRRML: ${(error as Error).message}`, { file }, { cause: error });
  }
  return {
    quads: quads.map((quad) =>
      DataFactory.quad(
        importTerm(quad.subject) as RDF.Quad_Subject,
        importTerm(quad.predicate) as RDF.Quad_Predicate,
        importTerm(quad.object) as RDF.Quad_Object,
      ),
    ),
    dataset,
    errorPolicy,
    sourceEncoding,
  };
}
