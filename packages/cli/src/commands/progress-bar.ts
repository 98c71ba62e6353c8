/** Options of {@link progressBar}. */
export interface ProgressBarOptions {
  /** Where to draw; stderr by default, so stdout stays clean for results. */
  stream?: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean };
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** Bar width in characters. Default 24. */
  width?: number;
}

/** A one-line progress bar: redrawn in place on a terminal, one line per change otherwise. */
export interface ProgressBar {
  /** Draws `done` of `total` with a short note (counts, batch id). */
  update(done: number, total: number, note?: string): void;
  /** Ends the line. */
  finish(): void;
}

/** Formats milliseconds as `m:ss`. */
function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export function progressBar(label: string, options: ProgressBarOptions = {}): ProgressBar {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const width = options.width ?? 24;
  const started = now();
  const tty = stream.isTTY === true;
  let last = '';
  let drawn = false;
  return {
    update(done, total, note) {
      const ratio = total > 0 ? Math.min(1, done / total) : 0;
      const filled = Math.round(ratio * width);
      const line = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}${
        note ? ` ${note}` : ''
      }`;
      if (line === last && !tty) return;
      last = line;
      const text = `${line} ${formatElapsed(now() - started)}`;
      stream.write(tty ? `\r\x1b[2K${text}` : `${text}\n`);
      drawn = true;
    },
    finish() {
      if (tty && drawn) stream.write('\n');
    },
  };
}
