// One-line changes the tool makes itself, written as unified diffs: the language server's warm-up
// review (server/warmup.ts) and the benchmark's generated series (bench/errno-series.mjs).

/** The line with its first errno code swapped: -EIO becomes -EBUSY, any other -EIO. */
export function swapErrno(line: string): string {
  return line.replace(/-E[A-Z0-9]+/, (code) => (code === '-EIO' ? '-EBUSY' : '-EIO'));
}

/**
 * The `---`/`+++` header and one hunk (three lines of context each side) that replace line `at`
 * (0-based) of `lines` with `replacement`, as lines of text.
 */
export function oneLineDiff(file: string, lines: string[], at: number, replacement: string): string[] {
  const from = Math.max(0, at - 3), to = Math.min(lines.length, at + 4);
  const body = lines.slice(from, to).map((l, i) => (from + i === at ? `-${l}\n+${replacement}` : ` ${l}`));
  return [`--- a/${file}`, `+++ b/${file}`, `@@ -${from + 1},${to - from} +${from + 1},${to - from} @@`, ...body];
}
