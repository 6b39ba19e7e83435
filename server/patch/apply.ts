// Applies a patch in memory, never on disk: hunks are matched by their context with an offset
// search (the stated line first, then growing offsets, as GNU patch does), then with fuzz
// (ignoring up to two outer context lines). Hunks that do not apply are reported, not forced.
// PatchedTree overlays a TreeSource with the post-image of the files a patch touches.
import type { FileDiff, Hunk } from '../model';
import type { TreeSource } from '../tree';

/** Where a hunk landed: its first pre-image line in the file, and its first post-image line in the result. */
export interface HunkPlacement {
  /** 1-based line in the original text where the hunk's pre-image starts. */
  oldStart: number;
  /** 1-based line in the patched text where the hunk's post-image starts. */
  newStart: number;
  /** Lines away from where the hunk header said (0 = exact). */
  offset: number;
  /** Outer context lines ignored to make it apply. */
  fuzz: number;
}

export interface HunkFailure {
  file: string;
  /** 1-based line of the hunk's `@@` line in the patch document. */
  patchLine: number;
  reason: string;
}

export interface ApplyResult {
  /** The post-image; undefined when the file is deleted. */
  text: string | undefined;
  placements: Map<Hunk, HunkPlacement>;
  failures: HunkFailure[];
}

export interface ApplyOptions {
  /** Most outer context lines that may be ignored on each side (GNU patch's default is 2). */
  maxFuzz?: number;
}

const pre = (h: Hunk) => h.lines.filter((l) => l.kind !== 'add').map((l) => l.text);
const post = (h: Hunk) => h.lines.filter((l) => l.kind !== 'del').map((l) => l.text);

/** Leading and trailing context lines of a hunk (the only lines fuzz may ignore). */
function outerContext(h: Hunk): [number, number] {
  let lead = 0;
  while (lead < h.lines.length && h.lines[lead].kind === 'context') lead++;
  let trail = 0;
  while (trail < h.lines.length - lead && h.lines[h.lines.length - 1 - trail].kind === 'context') trail++;
  return [lead, trail];
}

function matchesAt(lines: string[], at: number, want: string[]): boolean {
  if (at < 0 || at + want.length > lines.length) return false;
  for (let k = 0; k < want.length; k++) if (lines[at + k] !== want[k]) return false;
  return true;
}

/** The index where `want` matches nearest to `expected`, not before `floor`; -1 if nowhere. */
function search(lines: string[], want: string[], stated: number, floor: number): number {
  // A hunk header may name any line (even 10^12): start from the nearest place in the file.
  const expected = Math.min(Math.max(stated, floor), lines.length);
  const limit = Math.max(expected - floor, lines.length - expected) + 1;
  for (let d = 0; d <= limit; d++) {
    if (expected + d >= floor && matchesAt(lines, expected + d, want)) return expected + d;
    if (d > 0 && expected - d >= floor && matchesAt(lines, expected - d, want)) return expected - d;
  }
  return -1;
}

function splitText(text: string): { lines: string[]; eol: string; finalNewline: boolean } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const finalNewline = text.endsWith('\n');
  const lines = text.split(/\r?\n/);
  if (finalNewline) lines.pop();
  return { lines, eol, finalNewline };
}

/** Applies one file's hunks to `text` (the file's pre-image; undefined for a new file). */
export function applyFileDiff(text: string | undefined, diff: FileDiff, opts: ApplyOptions = {}): ApplyResult {
  const name = diff.newPath ?? diff.oldPath ?? '(unnamed file)';
  const placements = new Map<Hunk, HunkPlacement>();
  const failures: HunkFailure[] = [];
  if (diff.status === 'deleted') return { text: undefined, placements, failures };
  if (diff.status === 'binary') {
    return { text, placements, failures: [{ file: name, patchLine: diff.patchLine, reason: 'binary patch: not applied' }] };
  }
  if (text === undefined && diff.status !== 'added') {
    return { text, placements, failures: diff.hunks.map((h) => ({ file: name, patchLine: h.patchLine, reason: 'file not found in the tree' })) };
  }
  const src = text === undefined ? { lines: [] as string[], eol: '\n', finalNewline: true } : splitText(text);
  const maxFuzz = opts.maxFuzz ?? 2;
  const out: string[] = [];
  let copied = 0;
  let lastOffset = 0;
  for (const h of diff.hunks) {
    const want = pre(h);
    const [lead, trail] = outerContext(h);
    const stated = (h.oldLines === 0 ? h.oldStart : h.oldStart - 1);
    let found = -1;
    let fuzz = 0;
    for (; fuzz <= maxFuzz && found < 0; fuzz++) {
      const cutLead = Math.min(fuzz, lead);
      const cutTrail = Math.min(fuzz, trail);
      if (fuzz > 0 && cutLead === 0 && cutTrail === 0) break;
      const core = want.slice(cutLead, want.length - cutTrail);
      if (core.length === 0 && want.length > 0) break;
      const at = search(src.lines, core, stated + lastOffset + cutLead, copied);
      if (at >= 0) {
        found = at - cutLead;
        // Keep the ignored outer context from the file, replace only the core.
        const newLines = post(h);
        const body = newLines.slice(cutLead, newLines.length - cutTrail);
        out.push(...src.lines.slice(copied, at));
        const newStart = out.length + 1 - cutLead;
        out.push(...body);
        copied = at + core.length;
        placements.set(h, { oldStart: found + 1, newStart, offset: found - stated, fuzz });
        lastOffset = found - stated;
      }
    }
    if (found < 0) failures.push({ file: name, patchLine: h.patchLine, reason: `hunk @@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@ does not apply (its context is not in the file)` });
  }
  out.push(...src.lines.slice(copied));
  const result = out.join(src.eol) + (src.finalNewline && out.length > 0 ? src.eol : '');
  return { text: result, placements, failures };
}

/**
 * A tree with a patch's files applied in memory (the post-image). Reads of untouched files go
 * to the base tree; nothing is ever written. Chain them for a series: patch 2 over patch 1.
 */
export class PatchedTree implements TreeSource {
  readonly root: string;
  readonly description: string;
  readonly failures: HunkFailure[] = [];
  readonly placements = new Map<Hunk, HunkPlacement>();
  private readonly files = new Map<string, string | undefined>();

  constructor(readonly base: TreeSource, diffs: FileDiff[], opts: ApplyOptions = {}) {
    this.root = base.root;
    this.description = `${base.description} + patch (in memory)`;
    for (const d of diffs) {
      const from = d.oldPath ?? d.newPath;
      const current = d.oldPath === null ? undefined : this.read(d.oldPath);
      const r = applyFileDiff(current, d, opts);
      this.failures.push(...r.failures);
      for (const [h, p] of r.placements) this.placements.set(h, p);
      if (d.status === 'renamed' && d.oldPath) this.files.set(d.oldPath, undefined);
      if (d.status === 'deleted' && from) this.files.set(from, undefined);
      else if (d.newPath) this.files.set(d.newPath, r.text);
    }
  }

  read(file: string): string | undefined {
    return this.files.has(file) ? this.files.get(file) : this.base.read(file);
  }

  get derivedFrom(): TreeSource { return this.base; }

  edited(file: string): boolean { return this.files.has(file); }

  /** The tree-relative files this patch touched. */
  touched(): string[] {
    return [...this.files.keys()];
  }
}
