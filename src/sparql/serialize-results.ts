/** Writing SELECT and ASK results as SPARQL JSON, XML, CSV and TSV, streamed row by row. */
import type * as RDF from '@rdfjs/types';
import { escapeXml, type ResultsFormatName } from '../rdf/index.js';
import type { BindingsResult, BooleanResult } from './engine.js';

const xsdString = 'http://www.w3.org/2001/XMLSchema#string';
const rdfLangString = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';

/** A term as SPARQL JSON (§3.2.2), written directly: no object per term to stringify. */
function jsonTerm(term: RDF.Term): string {
  const value = JSON.stringify(term.value);
  if (term.termType === 'NamedNode') return `{"type":"uri","value":${value}}`;
  if (term.termType === 'BlankNode') return `{"type":"bnode","value":${value}}`;
  if (term.termType === 'Literal') {
    if (term.language !== '') return `{"type":"literal","value":${value},"xml:lang":${JSON.stringify(term.language)}}`;
    if (term.datatype.value !== xsdString) return `{"type":"literal","value":${value},"datatype":${JSON.stringify(term.datatype.value)}}`;
  }
  return `{"type":"literal","value":${value}}`;
}

function xmlTerm(term: RDF.Term): string {
  if (term.termType === 'NamedNode') return `<uri>${escapeXml(term.value)}</uri>`;
  if (term.termType === 'BlankNode') return `<bnode>${escapeXml(term.value)}</bnode>`;
  if (term.termType === 'Literal') {
    const attribute =
      term.language !== ''
        ? ` xml:lang="${escapeXml(term.language)}"`
        : term.datatype.value !== xsdString && term.datatype.value !== rdfLangString
          ? ` datatype="${escapeXml(term.datatype.value)}"`
          : '';
    return `<literal${attribute}>${escapeXml(term.value)}</literal>`;
  }
  return `<literal>${escapeXml(term.value)}</literal>`;
}

/** SPARQL 1.1 CSV (§2): plain values, quoted when they hold a comma, quote or line break. */
function csvValue(term: RDF.Term | undefined): string {
  if (!term) return '';
  const text = term.termType === 'BlankNode' ? `_:${term.value}` : term.value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function escapeNt(text: string): string {
  return text.replace(/[\\"\n\r\t]/g, (char) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[char] ?? char);
}

/** SPARQL 1.1 TSV (§3): terms in their Turtle/N-Triples form. */
function tsvValue(term: RDF.Term | undefined): string {
  if (!term) return '';
  if (term.termType === 'NamedNode') return `<${term.value}>`;
  if (term.termType === 'BlankNode') return `_:${term.value}`;
  if (term.termType === 'Literal') {
    const quoted = `"${escapeNt(term.value)}"`;
    if (term.language !== '') return `${quoted}@${term.language}`;
    return term.datatype.value === xsdString ? quoted : `${quoted}^^<${term.datatype.value}>`;
  }
  return term.value;
}

/**
 * Rows are written in chunks of about this many characters: one write per row made the HTTP
 * layer's per-write cost (backpressure check, socket write) the larger part of a big result.
 */
const batchChars = 16_384;

export interface ResultsSerializeOptions {
  readonly format: ResultsFormatName;
  /** The row cap, for the note written when the results were cut. */
  readonly maxResultRows?: number;
}

/**
 * Serialises SELECT (bindings) or ASK (boolean) results. When the row cap cut a SELECT result,
 * JSON gets a top-level `"vinculo:limit"` note and XML a comment at the end (the header that
 * says so is the HTTP layer's business).
 * @throws whatever reading the bindings throws (QueryTimeout), after the text written so far.
 */
export async function* serializeResults(
  result: BindingsResult | BooleanResult,
  options: ResultsSerializeOptions,
): AsyncGenerator<string> {
  const { format } = options;
  if (result.type === 'boolean') {
    if (format === 'json') yield `{"head":{},"boolean":${result.value}}\n`;
    else if (format === 'xml')
      yield `<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head/>\n<boolean>${result.value}</boolean>\n</sparql>\n`;
    else yield `${result.value}\r\n`;
    return;
  }
  const names = result.variables.map((variable) => variable.value);
  const note = () =>
    `the result was cut at the row limit (${options.maxResultRows ?? 'configured'} rows); add LIMIT/OFFSET to page through it`;
  if (format === 'json') {
    yield `{"head":{"vars":${JSON.stringify(names)}},"results":{"bindings":[`;
    const keys = new Map(names.map((name) => [name, JSON.stringify(name)]));
    let separator = '\n{';
    yield* inBatches(result.bindings, (bindings) => {
      let row = separator;
      let comma = '';
      for (const [variable, term] of bindings) {
        row += `${comma}${keys.get(variable.value) ?? JSON.stringify(variable.value)}:${jsonTerm(term)}`;
        comma = ',';
      }
      separator = ',\n{';
      return `${row}}`;
    });
    const limit = result.truncated()
      ? `,"vinculo:limit":${JSON.stringify({ truncated: true, maxResultRows: options.maxResultRows, note: note() })}`
      : '';
    yield `\n]}${limit}}\n`;
    return;
  }
  if (format === 'xml') {
    yield `<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>\n${names
      .map((name) => `  <variable name="${escapeXml(name)}"/>\n`)
      .join('')}</head>\n<results>\n`;
    yield* inBatches(result.bindings, (bindings) => {
      let row = '<result>';
      for (const [variable, term] of bindings) row += `<binding name="${escapeXml(variable.value)}">${xmlTerm(term)}</binding>`;
      return `${row}</result>\n`;
    });
    yield `</results>\n${result.truncated() ? `<!-- ${escapeXml(note())} -->\n` : ''}</sparql>\n`;
    return;
  }
  const csv = format === 'csv';
  yield `${names.map((name) => (csv ? name : `?${name}`)).join(csv ? ',' : '\t')}${csv ? '\r\n' : '\n'}`;
  yield* inBatches(result.bindings, (bindings) => {
    const cells = result.variables.map((variable) => (csv ? csvValue : tsvValue)(bindings.get(variable)));
    return `${cells.join(csv ? ',' : '\t')}${csv ? '\r\n' : '\n'}`;
  });
}

/** Each row written by `write`, joined into chunks of about `batchChars`. */
async function* inBatches(rows: AsyncIterable<RDF.Bindings>, write: (row: RDF.Bindings) => string): AsyncGenerator<string> {
  let batch = '';
  for await (const row of rows) {
    batch += write(row);
    if (batch.length >= batchChars) {
      yield batch;
      batch = '';
    }
  }
  if (batch !== '') yield batch;
}
