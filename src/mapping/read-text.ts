/** Opens a source file as a stream of text: decompression and character encoding (declared or detected), invalid UTF-8 reported. */
import { isAscii, isUtf8 } from 'node:buffer';
import { channel } from 'node:diagnostics_channel';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import { createGunzip } from 'node:zlib';
import { decompress } from './archive.js';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** Bytes of a UTF-8 stream that are not UTF-8; the text has one U+FFFD in their place. */
export interface InvalidSequence {
  /** Offset of the first byte in the (decompressed) stream. */
  readonly byteOffset: number;
  /** The bytes in hex, `C9` or `E2 82`. */
  readonly bytes: string;
}

/**
 * Called once per U+FFFD of the decoded text, in text order, before the chunk holding it is
 * yielded: with the invalid sequence it replaces, or `undefined` for a U+FFFD the file itself
 * contains. Readers that meet U+FFFD in order (a CSV parser) can so tell which cell had bad bytes.
 */
export type ReplacementListener = (sequence: InvalidSequence | undefined) => void;

export interface ReadTextOptions {
  readonly encoding?: TextEncoding;
  readonly compression?: 'gzip' | 'zip' | 'targz';
  readonly onReplacement?: ReplacementListener;
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

/**
 * A file detected as Windows-1252 turned out to hold UTF-8 further on: reading on would publish
 * mojibake, and switching would re-read what was already published, so reading stops.
 */
export class EncodingMismatchError extends Error {}

/** Bytes examined, from the first non-ASCII byte on, to tell UTF-8 from Windows-1252. */
const sniffBytes = 1 << 20;
const replacementCharacter = '\uFFFD';

/**
 * The UTF-8 sequence starting at `bytes[i]` (Unicode §3.9, table 3-7): its length when
 * well-formed; minus the length of its maximal ill-formed subpart (what one U+FFFD replaces,
 * as TextDecoder does); 0 when the buffer ends inside a sequence that is well-formed so far.
 */
function sequenceAt(bytes: Uint8Array, i: number): number {
  const lead = bytes[i]!;
  if (lead < 0x80) return 1;
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead === 0xe0) low = 0xa0;
    else if (lead === 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead === 0xf0) low = 0x90;
    else if (lead === 0xf4) high = 0x8f;
  } else return -1;
  for (let k = 1; k < length; k++) {
    if (i + k >= bytes.length) return 0;
    const byte = bytes[i + k]!;
    if (byte < low || byte > high) return -k;
    low = 0x80;
    high = 0xbf;
  }
  return length;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

function announceOwnReplacements(text: string, listener: ReplacementListener | undefined): void {
  if (!listener) return;
  for (let at = text.indexOf(replacementCharacter); at !== -1; at = text.indexOf(replacementCharacter, at + 1)) listener(undefined);
}

/**
 * Decodes UTF-8 chunk by chunk, each invalid sequence becoming one U+FFFD announced to the
 * listener with its offset. A sequence cut by the chunk's end waits for the next chunk.
 */
class Utf8Decoder {
  private carry: Buffer = Buffer.alloc(0);

  constructor(
    private readonly listener: ReplacementListener | undefined,
    /** Stream offset of the next byte to decode (`carry`'s first). */
    private offset: number,
  ) {}

  decode(chunk: Buffer, final: boolean): string {
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const start = this.offset;
    let end = bytes.length;
    if (!final) {
      // Keep a trailing incomplete sequence (at most 3 bytes) for the next chunk.
      for (let back = 1; back <= 3 && back <= end; back++) {
        const lead = bytes[end - back]!;
        if (lead < 0x80) break;
        if (lead >= 0xc0) {
          if (sequenceAt(bytes, end - back) === 0) end -= back;
          break;
        }
      }
    }
    this.carry = Buffer.from(bytes.subarray(end));
    this.offset = start + end;
    const body = bytes.subarray(0, end);
    // The fast path: a native check, then a native decode.
    if (isUtf8(body)) {
      const text = body.toString('utf8');
      if (text.includes(replacementCharacter)) announceOwnReplacements(text, this.listener);
      return text;
    }
    let text = '';
    let run = 0;
    for (let i = 0; i < body.length; ) {
      const length = sequenceAt(body, i);
      if (length > 0) {
        i += length;
        continue;
      }
      const invalid = length === 0 ? body.length - i : -length;
      const valid = body.toString('utf8', run, i);
      announceOwnReplacements(valid, this.listener);
      this.listener?.({ byteOffset: start + i, bytes: hex(body.subarray(i, i + invalid)) });
      text += valid + replacementCharacter;
      i += invalid;
      run = i;
    }
    const rest = body.toString('utf8', run);
    announceOwnReplacements(rest, this.listener);
    return text + rest;
  }
}

/** Counts, over a sample, the evidence for UTF-8 (well-formed multi-byte sequences) and against it. */
function utf8Evidence(sample: Uint8Array, final: boolean): { wellFormed: number; illFormed: number } {
  let wellFormed = 0;
  let illFormed = 0;
  for (let i = 0; i < sample.length; ) {
    const length = sequenceAt(sample, i);
    if (length > 1) wellFormed++;
    else if (length < 0) illFormed++;
    else if (length === 0) {
      // Cut by the sample's end: evidence only when the file itself ends there.
      if (final) illFormed++;
      break;
    }
    i += length === 0 ? 1 : Math.abs(length);
  }
  return { wellFormed, illFormed };
}

/**
 * Decides the encoding of a source without a BOM or a declaration, from a sample starting at
 * its first non-ASCII byte. Windows-1252 only when the sample has no well-formed multi-byte
 * UTF-8 sequence at all: Latin-1 text almost never forms one by chance (it would take an
 * accented capital followed by a C1 control or a symbol such as `©`), so a file with such
 * sequences is UTF-8, and its few invalid bytes are errors to report, not a reason to
 * re-read every `É` as `Ã‰`.
 */
export function detectEncoding(sample: Uint8Array, final: boolean): TextEncoding {
  const { wellFormed, illFormed } = utf8Evidence(sample, final);
  return wellFormed === 0 && illFormed > 0 ? 'windows-1252' : 'utf-8';
}

/** The encoding a BOM announces, and the BOM's length. */
export function byteOrderMark(head: Uint8Array): { encoding: TextEncoding; length: number } | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/**
 * Once a file is read as Windows-1252, a well-formed multi-byte UTF-8 sequence later on means
 * the sample misled detection.
 * @throws EncodingMismatchError naming the offset.
 */
function checkStillWindows1252(chunk: Buffer, offset: number, decidedAt: number): void {
  if (isAscii(chunk)) return;
  for (let i = 0; i < chunk.length; i++) {
    if (chunk[i]! < 0xc2) continue;
    const length = sequenceAt(chunk, i);
    if (length > 1) {
      throw new EncodingMismatchError(
        `bytes ${hex(chunk.subarray(i, i + length))} at byte ${offset + i} are UTF-8 ("${chunk.toString('utf8', i, i + length)}"), but the bytes from ${decidedAt} on were read as Windows-1252: declare the source's encoding`,
      );
    }
  }
}

/**
 * Turns byte chunks into text: a BOM wins, then the declared encoding, else detection. Pure
 * ASCII is the same text in both candidate encodings, so detection waits for the first
 * non-ASCII byte wherever it is, then decides on the next MiB (memory stays bounded).
 * @throws EncodingMismatchError when UTF-8 turns up in a file read as Windows-1252.
 */
export async function* decodeChunks(chunks: AsyncIterable<Buffer> | Iterable<Buffer>, options: ReadTextOptions): AsyncGenerator<string> {
  type Mode = { kind: 'utf-8'; decoder: Utf8Decoder } | { kind: 'other'; decoder: TextDecoder } | { kind: 'windows-1252'; decoder: TextDecoder; decidedAt: number };
  let mode: Mode | undefined;
  let first = true;
  let offset = 0;
  const pending: Buffer[] = [];
  let pendingLength = 0;
  const choose = (encoding: TextEncoding, detected: boolean): Mode => {
    if (encoding === 'utf-8') return { kind: 'utf-8', decoder: new Utf8Decoder(options.onReplacement, offset) };
    if (encoding === 'windows-1252' && detected) return { kind: 'windows-1252', decoder: new TextDecoder(encoding), decidedAt: offset };
    return { kind: 'other', decoder: new TextDecoder(encoding) };
  };
  const decode = (current: Mode, chunk: Buffer, final: boolean): string => {
    if (current.kind === 'utf-8') return current.decoder.decode(chunk, final);
    if (current.kind === 'windows-1252') checkStillWindows1252(chunk, offset, current.decidedAt);
    return current.decoder.decode(chunk, { stream: !final });
  };
  for await (let chunk of chunks) {
    if (first) {
      first = false;
      const bom = byteOrderMark(chunk);
      if (bom) {
        chunk = chunk.subarray(bom.length);
        offset = bom.length;
        mode = choose(bom.encoding, false);
      } else if (options.encoding) mode = choose(options.encoding, false);
    }
    if (mode) {
      yield decode(mode, chunk, false);
      offset += chunk.length;
      continue;
    }
    if (pendingLength === 0 && isAscii(chunk)) {
      yield chunk.toString('latin1');
      offset += chunk.length;
      continue;
    }
    pending.push(chunk);
    pendingLength += chunk.length;
    if (pendingLength < sniffBytes) continue;
    const sample = Buffer.concat(pending);
    pending.length = 0;
    pendingLength = 0;
    mode = choose(detectEncoding(sample, false), true);
    yield decode(mode, sample, false);
    offset += sample.length;
  }
  if (!mode) {
    const sample = Buffer.concat(pending);
    mode = choose(detectEncoding(sample, true), true);
    yield decode(mode, sample, true);
    return;
  }
  const rest = decode(mode, Buffer.alloc(0), true);
  if (rest !== '') yield rest;
}

/**
 * Decodes a whole document (JSON sources are parsed whole) by the same rules as `readText`.
 * @throws EncodingMismatchError as `readText`.
 */
export async function decodeText(bytes: Buffer, options: Omit<ReadTextOptions, 'compression'> = {}): Promise<string> {
  let text = '';
  for await (const chunk of decodeChunks([bytes], options)) text += chunk;
  return text;
}

/**
 * Streams a file as decoded text chunks.
 * @throws the file system's error (ENOENT) on first iteration; EncodingMismatchError.
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
  async function* reported(): AsyncGenerator<Buffer> {
    for await (const chunk of bytes) {
      if (sourceProgress.hasSubscribers) sourceProgress.publish({ path, bytesRead: bytesRead(), totalBytes } satisfies SourceProgress);
      yield chunk;
    }
  }
  yield* decodeChunks(reported(), options);
}
