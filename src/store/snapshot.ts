/**
 * N-Quads snapshot files, as the store wrote them before its binary snapshots: read once, with a
 * checksum and quad count check, to migrate a data directory of that format (a truncated or
 * edited file stops start-up instead of serving part of a graph).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type * as RDF from '@rdfjs/types';
import { StreamParser } from 'n3';
import { StorageError } from '../errors/index.js';
import { DataFactory } from '../rdf/index.js';

/** What the manifest remembers about a snapshot file to check it on load. */
export interface SnapshotInfo {
  readonly file: string;
  readonly quads: number;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * Reads a snapshot's quads into `add`, checking that every quad is in `graph` and that the
 * checksum and count match the manifest.
 * @throws StorageError naming the file when it is missing, does not parse, or does not match.
 */
export async function readSnapshot(directory: string, info: SnapshotInfo, graph: RDF.Quad_Graph, add: (quad: RDF.Quad) => void): Promise<void> {
  const path = join(directory, info.file);
  const hash = createHash('sha256');
  let bytes = 0;
  let count = 0;
  await new Promise<void>((resolve, reject) => {
    const input = createReadStream(path);
    const parser = new StreamParser({ format: 'N-Quads', blankNodePrefix: '', factory: DataFactory });
    const fail = (error: Error): void => {
      input.destroy();
      reject(error);
    };
    input.on('data', (chunk) => {
      const buffer = chunk as Buffer;
      hash.update(buffer);
      bytes += buffer.length;
    });
    input.on('error', fail);
    parser.on('error', fail);
    parser.on('data', (quad: RDF.Quad) => {
      if (!quad.graph.equals(graph)) {
        fail(new Error(`quad in graph <${quad.graph.value}> where only <${graph.value}> belongs`));
        return;
      }
      try {
        add(quad);
        count++;
      } catch (error) {
        fail(error as Error);
      }
    });
    parser.on('end', resolve);
    input.pipe(parser);
  }).catch((error: unknown) => {
    throw new StorageError(`corrupt snapshot ${path}: ${(error as Error).message}`, { cause: error });
  });
  const digest = hash.digest('hex');
  if (bytes !== info.bytes || digest !== info.sha256) {
    throw new StorageError(`corrupt snapshot ${path}: ${bytes} bytes with sha256 ${digest}, expected ${info.bytes} bytes with ${info.sha256}`);
  }
  if (count !== info.quads) {
    throw new StorageError(`corrupt snapshot ${path}: ${count} quads, expected ${info.quads}`);
  }
}
