/**
 * YARRRML through the reference parser (`@rmlio/yarrrml-parser`) into RML quads, plus the
 * top-level keys Vínculo adds and the parser ignores: `dataset:`, `errorPolicy:`, `sourceEncoding:` and `nulls:`;
 * literal function parameters are kept from the parser's prefix and template handling.
 */
import type * as RDF from '@rdfjs/types';
import YARRRML2RML from '@rmlio/yarrrml-parser/lib/rml-generator.js';
import { type Document, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import { SyntaxProblem } from '../errors/index.js';
import { DataFactory } from '../rdf/index.js';
import { type DatasetMetadata, parseDatasetMetadata } from './dataset-metadata.js';
import { MappingError } from './mapping-error.js';
import type { ErrorPolicy, LogicalSource } from './plan.js';
import { encodingNamed } from './rml-reader.js';

export interface YarrrmlMapping {
  readonly quads: RDF.Quad[];
  readonly dataset: DatasetMetadata | undefined;
  readonly errorPolicy: ErrorPolicy | undefined;
  readonly sourceEncoding: LogicalSource['encoding'];
  /** Spreadsheet sentinels (`#N/D`, `NO REPORTA`) that mean an empty cell in every source. */
  readonly nulls: readonly string[];
}

/** The parser's terms (its own N3 copy) become terms of Vínculo's one DataFactory; stand-ins get their literal back. */
function importTerm(term: RDF.Term, literals: ReadonlyMap<string, string>): RDF.Term {
  switch (term.termType) {
    case 'NamedNode':
      return DataFactory.namedNode(term.value);
    case 'BlankNode':
      return DataFactory.blankNode(term.value);
    case 'Literal':
      return DataFactory.literal(literals.get(term.value) ?? term.value, term.language || DataFactory.namedNode(term.datatype.value));
    default:
      return DataFactory.defaultGraph();
  }
}

/** Stand-ins for literal function parameters: letters and digits only, which the parser leaves alone. */
const literalStandIn = (index: number): string => `vinculoLiteralParameter${index}x`;

/**
 * Swaps every literal function parameter (not a `$(reference)` template, not `~iri`) for a
 * stand-in, in the document. The parser reads such a value as a prefixed name and as a template:
 * `(?:a|b)` logs an unknown prefix "(?", `dc:(?:x)` becomes `http://purl.org/dc/terms/(?`,
 * `\(x\)` loses its escapes and `a:b:c` its last part. Returns the originals by stand-in.
 */
function standInLiteralParameters(document: Document): Map<string, string> {
  const originals = new Map<string, string>();
  visit(document, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || (pair.key.value !== 'parameters' && pair.key.value !== 'pms') || !isSeq(pair.value)) return;
      for (const parameter of pair.value.items) {
        const value = isSeq(parameter) ? parameter.items[1] : isMap(parameter) ? (parameter.get('value', true) ?? parameter.get('v', true)) : undefined;
        if (!isScalar(value) || typeof value.value !== 'string' || value.value.includes('$(') || value.value.includes('~iri')) continue;
        const standIn = literalStandIn(originals.size);
        originals.set(standIn, value.value);
        value.value = standIn;
      }
    },
  });
  return originals;
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
  const nulls = top.nulls === undefined ? [] : Array.isArray(top.nulls) ? top.nulls : [top.nulls];
  if (!nulls.every((value): value is string => typeof value === 'string')) {
    throw new MappingError(`nulls must be a list of strings (quote "#N/D", "."), not ${JSON.stringify(top.nulls)}`, { file });
  }
  const literals = standInLiteralParameters(document);
  let quads: RDF.Quad[];
  try {
    // Unfolded: the parser's YAML reader refuses a quoted string folded over several lines.
    // `$(_row)` is our row-number reference, not a YARRRML external one: mapped to itself, the
    // parser keeps it instead of printing a warning into `vinculo map`'s RDF on stdout.
    quads = new YARRRML2RML({ externalReferences: { row: '{_row}' } }).convert(literals.size === 0 ? text : document.toString({ lineWidth: 0 }));
  } catch (error) {
    throw new MappingError(`YARRRML: ${(error as Error).message}`, { file }, { cause: error });
  }
  return {
    quads: quads.map((quad) =>
      DataFactory.quad(
        importTerm(quad.subject, literals) as RDF.Quad_Subject,
        importTerm(quad.predicate, literals) as RDF.Quad_Predicate,
        importTerm(quad.object, literals) as RDF.Quad_Object,
      ),
    ),
    dataset,
    errorPolicy,
    sourceEncoding,
    nulls,
  };
}
