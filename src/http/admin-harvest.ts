/** `POST /admin/harvest`: a running server harvests a Socrata dataset for `vinculo harvest`, streaming its progress as NDJSON. */
import express, { type Router } from 'express';
import type { Logger } from 'pino';
import { BadRequest } from '../errors/index.js';
import type { HarvestResult } from '../harvest/index.js';
import { type AdminStreamLine, authorizeAdmin, streamAdminTask } from './admin-import.js';

export interface HarvestRequest {
  readonly url: string;
  readonly full: boolean;
  readonly pageSize: number | undefined;
  /** A progress line, as `vinculo harvest` prints it. */
  readonly say: (line: string) => void;
}

/** What the server does to harvest: its scheduler's queue, so that a harvest never overlaps a scheduled one. */
export type HarvestUrl = (request: HarvestRequest) => Promise<HarvestResult>;

export type HarvestStreamLine = AdminStreamLine<HarvestResult>;

/** @throws BadRequest naming the field that is missing or wrong. */
function harvestBody(body: unknown): Omit<HarvestRequest, 'say'> {
  const { url, full = false, pageSize } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw new BadRequest('"url" must be the http(s) URL of a Socrata dataset');
  if (typeof full !== 'boolean') throw new BadRequest('"full" must be true or false');
  if (pageSize !== undefined && !(typeof pageSize === 'number' && Number.isInteger(pageSize) && pageSize > 0)) throw new BadRequest('"pageSize" must be a positive whole number');
  return { url, full, pageSize };
}

/** The harvest route, guarded like `POST /admin/import` (the run's token or `updateToken`). */
export function adminHarvestRouter({ harvestUrl, token, updateToken, logger }: { readonly harvestUrl: HarvestUrl; readonly token: string; readonly updateToken: string | undefined; readonly logger: Logger }): Router {
  const router = express.Router();
  router.post('/admin/harvest', authorizeAdmin(token, updateToken), express.json({ limit: '16kb', type: () => true }), async (request, response) => {
    const body = harvestBody(request.body);
    await streamAdminTask(response, { logger, about: { url: body.url }, failure: 'harvest failed; the previous version of the dataset stays published' }, (say) => harvestUrl({ ...body, say }));
  });
  return router;
}
