/**
 * Snapshot files: one graph as N-Quads (inspectable, `cat`-able into any tool), written to a
 * temporary name, fsync'd and renamed; read back with a checksum and quad count check, so a
 * truncated or edited file stops start-up instead of serving part of a graph.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type * as RDF from '@rdfjs/types';
import { StreamParser } from 'n3';
import { StorageError } from '../errors/index.js';
import { DataFactory } from '../rdf/index.js';
import { quadLine } from './journal.js';

/** What the manifest remembers about a snapshot file to check it on load. */
export interface SnapshotInfo {
  readonly file: string;
  readonly quads: number;
  readonly bytes: number;
  readonly sha256: string;
}

/** Chunks of this many characters are written at once: few syscalls, bounded memory. */
const chunkChars = 1 << 20;

/**
 * Writes `quads` to `directory/file` (via `file.tmp`, fsync'd, renamed). The caller fsyncs the
 * directory once for all the snapshots of a checkpoint.
 * @throws StorageError when writing fails (the temporary file is removed).
 */
export async function writeSnapshot(directory: string, file: string, quads: Iterable<RDF.Quad>): Promise<SnapshotInfo> {
  const path = join(directory, file);
  const temporary = `${path}.tmp`;
  const hash = createHash('sha256');
  let count = 0;
  let bytes = 0;
  try {
    const handle = await open(temporary, 'w');
    try {
      let text = '';
      const flush = async (): Promise<void> => {
        const buffer = Buffer.from(text, 'utf8');
        text = '';
        hash.update(buffer);
        bytes += buffer.length;
        await handle.write(buffer);
      };
      for (const quad of quads) {
        text += quadLine(quad);
        count++;
        if (text.length >= chunkChars) await flush();
      }
      await flush();
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new StorageError(`cannot write snapshot ${path}: ${(error as Error).message}`, { cause: error });
  }
  return { file, quads: count, bytes, sha256: hash.digest('hex') };
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
