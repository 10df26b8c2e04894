/** Opens a source file as a stream of text: decompression and character encoding (declared or detected). */
import { channel } from 'node:diagnostics_channel';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import { createGunzip } from 'node:zlib';
import { decompress } from './archive.js';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface ReadTextOptions {
  readonly encoding?: TextEncoding;
  readonly compression?: 'gzip' | 'zip' | 'targz';
}

/** What `sourceProgress` publishes while a source file is read. */
export interface SourceProgress {
  readonly path: string;
  readonly bytesRead: number;
  readonly totalBytes: number;
}

/**
 * Progress of source reading, for whoever wants to show it (the CLI's progress bar): a
 * diagnostics channel, so that reading a file knows nothing about terminals.
 */
export const sourceProgress = channel('vinculo:mapping:source-progress');

/** Bytes examined to tell UTF-8 from Windows-1252 when no encoding is declared. */
const sniffBytes = 1 << 20;

/**
 * Detects the encoding: a BOM wins, then the declared encoding, then UTF-8 when the first
 * megabyte decodes strictly, else Windows-1252 (a superset of Latin-1, what Excel exports).
 */
export function detectEncoding(head: Buffer, declared?: TextEncoding): { encoding: TextEncoding; bom: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  if (declared) return { encoding: declared, bom: 0 };
  // A multi-byte character cut at the end of the sample is not an error: drop up to 3 bytes.
  let end = head.length;
  if (head.length >= sniffBytes) {
    while (end > head.length - 4 && ((head[end - 1] ?? 0) & 0xc0) === 0x80) end--;
    if (end > 0 && (head[end - 1] ?? 0) >= 0xc0) end--;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return { encoding: 'utf-8', bom: 0 };
  } catch {
    return { encoding: 'windows-1252', bom: 0 };
  }
}

/**
 * Streams a file as decoded text chunks.
 * @throws the file system's error (ENOENT) on first iteration.
 */
export async function* readText(path: string, options: ReadTextOptions = {}): AsyncGenerator<string> {
  let bytes: AsyncIterable<Buffer> | Iterable<Buffer>;
  const totalBytes = sourceProgress.hasSubscribers ? (await stat(path)).size : 0;
  let bytesRead = (): number => totalBytes;
  if (options.compression === 'zip' || options.compression === 'targz') {
    // Archives are unpacked whole: their index is at the end (zip) or needs the entry headers.
    bytes = [decompress(await readFile(path), options.compression)];
  } else {
    const raw = createReadStream(path, { highWaterMark: 256 * 1024 });
    bytesRead = () => raw.bytesRead;
    bytes = options.compression === 'gzip' ? raw.pipe(createGunzip()) : raw;
  }
  const report = () => {
    if (sourceProgress.hasSubscribers) sourceProgress.publish({ path, bytesRead: bytesRead(), totalBytes } satisfies SourceProgress);
  };
  let decoder: TextDecoder | undefined;
  const pending: Buffer[] = [];
  let pendingLength = 0;
  for await (const chunk of bytes) {
    report();
    if (decoder) {
      yield decoder.decode(chunk, { stream: true });
      continue;
    }
    pending.push(chunk);
    pendingLength += chunk.length;
    if (pendingLength < sniffBytes) continue;
    const head = Buffer.concat(pending);
    const { encoding, bom } = detectEncoding(head, options.encoding);
    decoder = new TextDecoder(encoding);
    yield decoder.decode(head.subarray(bom), { stream: true });
  }
  if (!decoder) {
    const head = Buffer.concat(pending);
    const { encoding, bom } = detectEncoding(head, options.encoding);
    decoder = new TextDecoder(encoding);
    yield decoder.decode(head.subarray(bom), { stream: true });
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}
