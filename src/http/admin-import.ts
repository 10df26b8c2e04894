/** `POST /admin/import`: a running server imports a mapping for `vinculo import`, streaming its progress as NDJSON. */
import { isAbsolute } from 'node:path';
import express, { type RequestHandler, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { BadRequest, VinculoError } from '../errors/index.js';
import { type ErrorPolicy, errorPolicies, isErrorPolicy } from '../mapping/index.js';
import type { AdminStreamLine, ImportOutcome } from '../publish/index.js';
import { authorizeWrite, type WriteTokens } from './write-auth.js';

export type { AdminStreamLine, ImportOutcome };

export interface ImportRequest {
  /** Absolute path of the mapping file, on the server's machine. */
  readonly mapping: string;
  readonly force: boolean;
  readonly errorPolicy: ErrorPolicy | undefined;
  /** A progress line, as `vinculo import` prints it. */
  readonly say: (line: string) => void;
}

/** What the server does to import: the CLI's pipeline, bound to the server's store and configuration. */
export type ImportMapping = (request: ImportRequest) => Promise<ImportOutcome>;

export interface AdminImport {
  readonly importMapping: ImportMapping;
  /** The per-run token the server wrote to `dataDir/server.json` for the CLI. */
  readonly token: string;
}

export type ImportStreamLine = AdminStreamLine<ImportOutcome>;

/** Admits the run's token or the configured `updateToken` (401 without a token, 403 with another); graph scopes mean nothing here. */
export function authorizeAdmin(token: string, updateToken: string | undefined): RequestHandler {
  const admins: WriteTokens = { all: token, scoped: updateToken === undefined ? [] : [{ token: updateToken, graphs: [] }] };
  return (request, _response, next) => {
    authorizeWrite(request.get('authorization'), admins);
    next();
  };
}

/**
 * Answers with the task's progress lines as they come, then its result or its error, one JSON
 * object per line (the status is 200 before the work starts; the last line says how it ended).
 */
export async function streamAdminTask<Result>(response: Response, log: { readonly logger: Logger; readonly about: Record<string, unknown>; readonly failure: string }, task: (say: (line: string) => void) => Promise<Result>): Promise<void> {
  response.status(200).type('application/x-ndjson').setHeader('Cache-Control', 'no-store');
  const send = (line: AdminStreamLine<Result>) => response.write(`${JSON.stringify(line)}\n`);
  const say = (line: string) => {
    log.logger.info(log.about, line);
    send({ say: line });
  };
  try {
    send({ result: await task(say) });
  } catch (error) {
    log.logger.warn({ ...log.about, err: error }, log.failure);
    send({ error: { code: error instanceof VinculoError ? error.code : 'internal', message: (error as Error).message } });
  }
  response.end();
}

/** @throws BadRequest naming the field that is missing or wrong. */
function importBody(body: unknown): { mapping: string; force: boolean; errorPolicy: ErrorPolicy | undefined } {
  const { mapping, force = false, onError } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof mapping !== 'string' || !isAbsolute(mapping)) throw new BadRequest('"mapping" must be the absolute path of a mapping file');
  if (typeof force !== 'boolean') throw new BadRequest('"force" must be true or false');
  if (onError !== undefined && !isErrorPolicy(onError)) throw new BadRequest(`"onError" must be one of ${errorPolicies.join(', ')}`);
  return { mapping, force, errorPolicy: onError };
}

/**
 * The import route: only with the run's token or the configured `updateToken` (401 without a
 * token, 403 with another). Imports run one at a time, as `vinculo import` runs them; the
 * dataset is replaced atomically, so queries meanwhile see the previous version.
 */
export function adminImportRouter({ importMapping, token, updateToken, logger }: AdminImport & { readonly updateToken: string | undefined; readonly logger: Logger }): Router {
  const router = express.Router();
  let queue: Promise<unknown> = Promise.resolve();
  router.post('/admin/import', authorizeAdmin(token, updateToken), express.json({ limit: '64kb', type: () => true }), async (request, response) => {
    const { mapping, force, errorPolicy } = importBody(request.body);
    await streamAdminTask(response, { logger, about: { mapping }, failure: 'import failed; the previous version of the dataset stays published' }, (say) => {
      const run = queue.then(() => importMapping({ mapping, force, errorPolicy, say }));
      queue = run.catch(() => undefined);
      return run;
    });
  });
  return router;
}
