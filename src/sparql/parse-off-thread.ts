/**
 * Parsing long SPARQL texts on a worker thread: the parser is synchronous, and a query near the
 * length limit (or a large INSERT DATA) held the event loop for most of a second, past any time
 * limit. On the worker it runs beside the server and is stopped when its deadline passes.
 */
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import type * as RDF from '@rdfjs/types';
import { QueryTimeout, SyntaxProblem, type SourcePosition } from '../errors/index.js';
import { type ParsedSparql, parseSparql } from './parse-sparql.js';

/** Texts shorter than this parse in a few milliseconds: a round trip to the worker would cost more. */
export const offThreadParseChars = 4_000;

type ParseOptions = Parameters<typeof parseSparql>[1];

interface ParseRequest {
  readonly id: number;
  readonly text: string;
  readonly options: ParseOptions;
}

type ParseReply =
  | { readonly id: number; readonly parsed: ParsedSparql }
  | { readonly id: number; readonly syntax: { readonly detail: string; readonly position: SourcePosition } }
  | { readonly id: number; readonly failure: string };

const xsdString = 'http://www.w3.org/2001/XMLSchema#string';
const standardTermKeys = new Set(['termType', 'value', 'language', 'datatype', 'direction', 'subject', 'predicate', 'object', 'graph']);

/** RDF/JS equality (term types, values, and a literal's language and datatype, a quad's parts). */
function sameTerm(left: RDF.Term, right: RDF.Term | null | undefined): boolean {
  if (!right || left.termType !== right.termType) return false;
  if (left.termType === 'Quad') {
    const other = right as RDF.Quad;
    return sameTerm(left.subject, other.subject) && sameTerm(left.predicate, other.predicate) && sameTerm(left.object, other.object) && sameTerm(left.graph, other.graph);
  }
  if (left.termType === 'Literal') {
    const other = right as RDF.Literal;
    return left.value === other.value && left.language === other.language && sameTerm(left.datatype, other.datatype);
  }
  return left.value === right.value;
}

/**
 * A term as the worker sent it (structured clone keeps its fields, not its class) made an RDF/JS
 * term again, with every field its own: the algebra tools copy nodes by spreading them, which
 * loses fields that a class keeps behind getters (N3's terms do).
 */
function termOf(value: Record<string, unknown>): RDF.Term {
  const plain = value as { termType: string; value: string; language?: string; direction?: string; datatype?: Record<string, unknown> };
  let term: Omit<RDF.Term, 'equals'> & Record<string, unknown>;
  switch (plain.termType) {
    case 'NamedNode':
    case 'BlankNode':
    case 'Variable':
      term = { termType: plain.termType, value: plain.value };
      break;
    case 'DefaultGraph':
      term = { termType: 'DefaultGraph', value: '' };
      break;
    case 'Literal':
      term = { termType: 'Literal', value: plain.value, language: plain.language ?? '', direction: plain.direction ?? '', datatype: termOf(plain.datatype ?? { termType: 'NamedNode', value: xsdString }) };
      break;
    case 'Quad': {
      const part = (key: string) => termOf(value[key] as Record<string, unknown>);
      // An update template's quads may come without a graph: the default graph.
      const graph = value.graph === undefined ? termOf({ termType: 'DefaultGraph' }) : part('graph');
      term = { termType: 'Quad', value: '', subject: part('subject'), predicate: part('predicate'), object: part('object'), graph };
      break;
    }
    default:
      throw new Error(`unknown term type ${plain.termType}`);
  }
  const complete = term as unknown as RDF.Term;
  term.equals = (other: RDF.Term | null | undefined) => sameTerm(complete, other);
  return complete;
}

/** The algebra as the worker sent it, with RDF/JS terms again (the algebra's own fields on them, such as a pattern's `type`, kept). */
function revived(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revived);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (typeof record.termType === 'string') {
    const term = termOf(record) as unknown as Record<string, unknown>;
    for (const [key, field] of Object.entries(record)) if (!standardTermKeys.has(key)) term[key] = revived(field);
    return term;
  }
  return Object.fromEntries(Object.entries(record).map(([key, field]) => [key, revived(field)]));
}

interface Waiting {
  readonly request: ParseRequest;
  /** The thread parsing it. */
  thread: Worker;
  readonly resolve: (parsed: ParsedSparql) => void;
  readonly reject: (error: unknown) => void;
}

let worker: Worker | undefined;
let nextId = 0;
const waiting = new Map<number, Waiting>();

function startWorker(): Worker {
  // Under tsx (tests, `npx tsx src/…`) this module is TypeScript: the thread registers tsx's loader first.
  const started = import.meta.url.endsWith('.ts')
    ? new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); });`, { eval: true })
    : new Worker(new URL(import.meta.url));
  started.on('message', (reply: ParseReply) => {
    const pending = waiting.get(reply.id);
    if (!pending) return;
    waiting.delete(reply.id);
    if ('parsed' in reply) pending.resolve(revived(reply.parsed) as ParsedSparql);
    else if ('syntax' in reply) pending.reject(new SyntaxProblem(reply.syntax.detail, reply.syntax.position));
    else pending.reject(new Error(reply.failure));
  });
  started.on('error', (error) => {
    // A thread that fails on its own takes its waiting parses with it.
    if (worker === started) worker = undefined;
    for (const [id, pending] of waiting) {
      if (pending.thread !== started) continue;
      waiting.delete(id);
      pending.reject(error);
    }
  });
  started.on('exit', () => {
    // Ended because one parse ran out of time: the others it held go to a new thread.
    if (worker === started) worker = undefined;
    for (const pending of waiting.values()) {
      if (pending.thread !== started) continue;
      worker ??= startWorker();
      pending.thread = worker;
      worker.postMessage(pending.request);
    }
  });
  // After the listeners: attaching one refs the thread's port again, and a parser thread must not keep the process alive.
  started.unref();
  return started;
}

/**
 * Parses on the worker thread within `remainingMs`.
 * @throws SyntaxProblem as parseSparql does; QueryTimeout when the deadline passes first (the
 *   parse is stopped: the worker is ended and the next call starts another).
 */
export function parseOffThread(text: string, options: ParseOptions, remainingMs: number): Promise<ParsedSparql> {
  worker ??= startWorker();
  const running = worker;
  const id = nextId++;
  return new Promise<ParsedSparql>((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      if (worker === running) worker = undefined;
      void running.terminate();
      reject(new QueryTimeout(`parsing the request exceeded the time limit (${text.length} characters)`));
    }, Math.max(0, remainingMs));
    const request: ParseRequest = { id, text, options };
    waiting.set(id, {
      request,
      thread: running,
      resolve: (parsed) => {
        clearTimeout(timer);
        resolve(parsed);
      },
      reject: (error) => {
        clearTimeout(timer);
        reject(error);
      },
    });
    running.postMessage(request);
  });
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  port.on('message', ({ id, text, options }: ParseRequest) => {
    try {
      port.postMessage({ id, parsed: parseSparql(text, options) } satisfies ParseReply);
    } catch (error) {
      if (error instanceof SyntaxProblem) port.postMessage({ id, syntax: { detail: error.detail, position: error.position } } satisfies ParseReply);
      else port.postMessage({ id, failure: error instanceof Error ? error.message : String(error) } satisfies ParseReply);
    }
  });
}
