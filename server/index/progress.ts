// Progress of a long index run for people: a redrawn bar on a terminal (files done/total,
// files per second, ETA), plain lines at most every few seconds otherwise (logs, CI).
import type { IndexProgress } from './project';

export interface ProgressSink {
  update(p: IndexProgress): void;
  finish(): void;
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function progressText(p: IndexProgress, elapsedSeconds: number, width = 30): string {
  const frac = p.total === 0 ? 1 : p.done / p.total;
  const rate = elapsedSeconds > 0 ? p.done / elapsedSeconds : 0;
  const eta = rate > 0 ? (p.total - p.done) / rate : Infinity;
  const filled = Math.round(frac * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  return `${bar} ${p.done}/${p.total} files ${(frac * 100).toFixed(0)}% ${rate.toFixed(0)} files/s ETA ${clock(eta)}`;
}

/** A sink writing to `stream`: a bar if it is a terminal, else a line every `every` seconds. */
export function progressSink(stream: NodeJS.WriteStream, every = 5): ProgressSink {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  let lastDraw = -Infinity;
  let last: IndexProgress | undefined;
  if (stream.isTTY) {
    const width = Math.max(10, Math.min(30, (stream.columns ?? 80) - 60));
    return {
      update(p) {
        last = p;
        const now = performance.now();
        if (now - lastDraw < 100 && p.done < p.total) return;
        lastDraw = now;
        stream.write(`\r${progressText(p, elapsed(), width)}\x1b[K`);
      },
      finish() { if (last) stream.write(`\r${progressText(last, elapsed(), width)}\x1b[K\n`); },
    };
  }
  return {
    update(p) {
      last = p;
      const t = elapsed();
      if (t - lastDraw < every && p.done < p.total) return;
      if (p.done === 0 && p.total > 0) { lastDraw = t; stream.write(`indexing ${p.total} files\n`); return; }
      lastDraw = t;
      stream.write(`${progressText(p, t, 20)}\n`);
    },
    finish() { /* the last update already printed the final line */ },
  };
}
