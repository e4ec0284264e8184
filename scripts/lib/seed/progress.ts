/**
 * A progress bar per phase, on one terminal line (no dependency): redrawn at
 * most ten times a second on a TTY, and one summary line per phase otherwise
 * (CI logs, redirected output).
 */
export interface Phase {
  /** Counts `n` more units done. */
  tick(n?: number): void;
  /** Ends the phase with its final count and duration. */
  done(note?: string): void;
}

export interface Progress {
  phase(label: string, total: number): Phase;
  /** A line of its own (between phases). */
  note(text: string): void;
}

const BAR = 24;

function formatCount(n: number): string {
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(2)}M` : n >= 10_000 ? `${Math.round(n / 1_000)}k` : String(n);
}

function seconds(ms: number): string {
  return ms >= 60_000
    ? `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1_000)).padStart(2, '0')}s`
    : `${(ms / 1_000).toFixed(1)}s`;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress {
  const tty = stream.isTTY === true;
  return {
    note(text) {
      if (!quiet) stream.write(`${text}\n`);
    },
    phase(label, total) {
      const started = performance.now();
      let count = 0;
      let lastDraw = 0;
      const draw = () => {
        const fraction = total > 0 ? Math.min(1, count / total) : 1;
        const filled = Math.round(fraction * BAR);
        const elapsed = performance.now() - started;
        const rate = elapsed > 0 ? (count / elapsed) * 1_000 : 0;
        stream.write(
          `\r  ${label.padEnd(34)} [${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${formatCount(count)}/${formatCount(total)} ${formatCount(Math.round(rate))}/s  `,
        );
      };
      return {
        tick(n = 1) {
          count += n;
          if (!tty || quiet) return;
          const now = performance.now();
          if (now - lastDraw >= 100) {
            lastDraw = now;
            draw();
          }
        },
        done(note) {
          if (quiet) return;
          const elapsed = performance.now() - started;
          const rate = elapsed > 0 ? Math.round((count / elapsed) * 1_000) : 0;
          const line = `  ${label.padEnd(34)} ${formatCount(count).padStart(7)} rows  ${seconds(elapsed).padStart(7)}  ${formatCount(rate)}/s${note ? `  ${note}` : ''}`;
          stream.write(tty ? `\r${line}${' '.repeat(30)}\n` : `${line}\n`);
        },
      };
    },
  };
}
