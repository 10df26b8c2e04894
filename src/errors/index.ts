/**
 * Typed errors shared by every layer. Each carries a stable `code` and the HTTP status the
 * HTTP layer renders it with (in exactly one place: `src/http/errors.ts`).
 */

export interface SourcePosition {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

export class VinculoError extends Error {
  readonly code: string = 'internal';
  readonly status: number = 500;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input that does not parse: a query, an RDF upload, a mapping, a config file. */
export class SyntaxProblem extends VinculoError {
  override readonly code = 'syntax';
  override readonly status = 400;
  readonly position: SourcePosition;
  /** The message without its position, to rebuild the error elsewhere (a worker thread's, say). */
  readonly detail: string;
  constructor(message: string, position: SourcePosition = {}, options?: { cause?: unknown }) {
    super(withPosition(message, position), options);
    this.position = position;
    this.detail = message;
  }
}

/** Well-formed input that asks for something invalid (bad parameter, bad option value). */
export class BadRequest extends VinculoError {
  override readonly code = 'bad-request';
  override readonly status = 400;
}

export class ConfigError extends VinculoError {
  override readonly code = 'config';
  override readonly status = 500;
}

export class NotAcceptable extends VinculoError {
  override readonly code = 'not-acceptable';
  override readonly status = 406;
}

export class UnsupportedMediaType extends VinculoError {
  override readonly code = 'unsupported-media-type';
  override readonly status = 415;
}

export class NotFound extends VinculoError {
  override readonly code = 'not-found';
  override readonly status = 404;
}

export class Gone extends VinculoError {
  override readonly code = 'gone';
  override readonly status = 410;
}

export class Unauthorized extends VinculoError {
  override readonly code = 'unauthorized';
  override readonly status = 401;
}

export class Forbidden extends VinculoError {
  override readonly code = 'forbidden';
  override readonly status = 403;
}

export class TooLarge extends VinculoError {
  override readonly code = 'too-large';
  override readonly status = 413;
}

export class QueryTimeout extends VinculoError {
  override readonly code = 'timeout';
  override readonly status = 503;
}

/** The feature exists in the contract but is not built yet; never pretend it is. */
export class NotImplemented extends VinculoError {
  override readonly code = 'not-implemented';
  override readonly status = 501;
}

/** Files on disk that cannot be trusted (corrupt snapshot, unreadable journal). */
export class StorageError extends VinculoError {
  override readonly code = 'storage';
  override readonly status = 500;
}

function withPosition(message: string, { file, line, column }: SourcePosition): string {
  if (file === undefined && line === undefined) return message;
  const where = [file, line, column].filter((part) => part !== undefined).join(':');
  return `${where}: ${message}`;
}
