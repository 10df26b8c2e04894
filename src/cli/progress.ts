/** The progress bar of `vinculo map` and `vinculo import`: source bytes read, on stderr when it is a terminal. */
import { basename } from 'node:path';
import { type SourceProgress, sourceProgress } from '../mapping/index.js';

export interface ProgressBar {
  /** Writes a line of its own (a problem report) without mixing it into the bar. */
  line(text: string): void;
  stop(): void;
}

const width = 30;
const redrawMs = 100;

const megabytes = (bytes: number): string => (bytes / 1_048_576).toFixed(1);

/** A bar on `stream` while sources are read; on anything but a terminal, plain lines only. */
export function startProgressBar(stream: NodeJS.WriteStream): ProgressBar {
  if (!stream.isTTY) return { line: (text) => stream.write(`${text}\n`), stop: () => undefined };
  let latest: SourceProgress | undefined;
  let drawn = 0;
  let shown = false;
  const draw = () => {
    if (!latest || latest.totalBytes === 0) return;
    const share = Math.min(1, latest.bytesRead / latest.totalBytes);
    const filled = Math.round(share * width);
    stream.write(
      `\r\x1b[K${basename(latest.path)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(share * 100)}% ${megabytes(latest.bytesRead)}/${megabytes(latest.totalBytes)} MB`,
    );
    shown = true;
    drawn = performance.now();
  };
  const clear = () => {
    if (shown) stream.write('\r\x1b[K');
    shown = false;
  };
  const onProgress = (message: unknown) => {
    latest = message as SourceProgress;
    if (performance.now() - drawn >= redrawMs) draw();
  };
  sourceProgress.subscribe(onProgress);
  return {
    line(text) {
      clear();
      stream.write(`${text}\n`);
      draw();
    },
    stop() {
      sourceProgress.unsubscribe(onProgress);
      clear();
    },
  };
}
