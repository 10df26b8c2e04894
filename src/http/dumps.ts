/**
 * Dumps at stable URLs (`/dumps/{id}.nt.gz`, `.ttl.gz`, `.nq.gz`). Each is written once per dataset
 * version to `{dataDir}/dumps/{id}/{version}.{kind}.gz` (streamed through gzip, never whole in
 * memory), then served from that file until the dataset changes; the previous version's file is
 * removed once the new one is complete. Without a data directory a dump is streamed on the fly.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type * as RDF from '@rdfjs/types';
import { type Request, type Response, Router } from 'express';
import { Gone, NotFound } from '../errors/index.js';
import { DataFactory, type DumpKind, basePrefixes, dumpSyntaxes, serializeRdf } from '../rdf/index.js';
import type { DatasetInfo, VinculoStore } from '../store/index.js';
import { answerConditional } from './caching.js';
import { type DatasetLedger, datasetLedger } from '../publish/index.js';


export interface DumpsOptions {
  readonly store: VinculoStore;
  readonly baseIRI: string;
  /** Where dumps are cached; streamed on the fly without it. */
  readonly dataDir?: string;
  readonly ledger?: DatasetLedger;
}

async function* dumpQuads(store: VinculoStore, info: DatasetInfo, kind: DumpKind): AsyncGenerator<RDF.Quad> {
  for await (const quad of store.exportQuads(info.graph)) {
    yield kind === 'nq' ? quad : DataFactory.quad(quad.subject, quad.predicate, quad.object);
  }
}

/** The dump as a gzip stream, serialised as the store is read. */
function dumpStream(store: VinculoStore, info: DatasetInfo, kind: DumpKind, baseIRI: string): Readable {
  const text = serializeRdf(dumpQuads(store, info, kind), { format: dumpSyntaxes[kind], prefixes: basePrefixes(baseIRI) });
  return Readable.from(text).pipe(createGzip());
}

/**
 * Serves and caches dumps.
 * @throws NotFound (404) from its handler for names that are not dumps; Gone (410) for dropped datasets.
 */
export function dumps({ store, baseIRI, dataDir, ledger = datasetLedger({ store, baseIRI, dataDir }) }: DumpsOptions): Router {
  const router = Router();
  const directory = dataDir === undefined ? undefined : join(dataDir, 'dumps');
  const inFlight = new Map<string, Promise<string>>();

  /** The file of this dataset version's dump, writing it first if needed (once, however many ask). */
  const dumpFile = (info: DatasetInfo, kind: DumpKind, folder: string): Promise<string> => {
    const file = join(folder, info.id, `${info.version}.${kind}.gz`);
    let pending = inFlight.get(file);
    if (pending) return pending;
    pending = (async () => {
      try {
        await stat(file);
        return file;
      } catch {
        // Not written yet for this version: write it below.
      }
      await mkdir(join(folder, info.id), { recursive: true });
      const partial = `${file}.${process.pid}.part`;
      try {
        await pipeline(dumpStream(store, info, kind, baseIRI), createWriteStream(partial));
        await rename(partial, file);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      // Older versions of this kind are stale now that this one is complete.
      for (const name of await readdir(join(folder, info.id))) {
        if (name.endsWith(`.${kind}.gz`) && name !== `${info.version}.${kind}.gz`) await rm(join(folder, info.id, name), { force: true });
      }
      return file;
    })();
    inFlight.set(file, pending);
    pending.finally(() => inFlight.delete(file)).catch(() => undefined);
    return pending;
  };

  router.get('/dumps/:name', async (request: Request, response: Response) => {
    const match = /^([a-z0-9-]+)\.(nt|ttl|nq)\.gz$/.exec(String(request.params.name));
    if (!match?.[1] || !match[2]) throw new NotFound(`no dump named ${request.params.name}`);
    const [id, kind] = [match[1], match[2] as DumpKind];
    const info = store.dataset(id);
    if (!info) {
      if (await ledger.isDropped(id)) throw new Gone(`dataset ${id} has been withdrawn`);
      throw new NotFound(`no dataset ${id}`);
    }
    response.setHeader('Content-Disposition', `attachment; filename="${id}.${kind}.gz"`);
    response.type('application/gzip');
    if (answerConditional(request, response, { etag: `${id}-${info.version}-${kind}.gz`, lastModified: info.modified, maxAge: 3600 })) return;
    if (!directory) {
      if (request.method === 'HEAD') response.end();
      else await pipeline(dumpStream(store, info, kind, baseIRI), response);
      return;
    }
    const file = await dumpFile(info, kind, directory);
    response.setHeader('Content-Length', String((await stat(file)).size));
    if (request.method === 'HEAD') response.end();
    else await pipeline(createReadStream(file), response);
  });

  return router;
}
