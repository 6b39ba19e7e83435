// Finds return-code changes in a patch: removed/added lines whose errno constants differ
// (`return -EIO;`, `ret = -EIO;`, `case -EIO:`, `ERR_PTR(-EIO)`, `== -EIO`, kernel-doc text),
// error returns added or removed, and a caller's new handling of a code. Removed and added
// lines of one change block are paired by shape, so `-EIO` → `-EBUSY` is one change.
import type { DiffLine, ErrnoChange, FileDiff, Hunk, PatchSeries } from '../model';
import { functionFromPatch, isCommentLine } from './functions';

/** Errno names that comments often write without the minus ("returns EIO"). */
const KNOWN_ERRNOS = new Set(('EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EAGAIN ENOMEM EACCES EFAULT ' +
  'EBUSY EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY ETXTBSY EFBIG ENOSPC ESPIPE EROFS EMLINK EPIPE ' +
  'EDOM ERANGE EDEADLK ENAMETOOLONG ENOLCK ENOSYS ENOTEMPTY ELOOP EWOULDBLOCK ENOMSG ENODATA ETIME EOVERFLOW EILSEQ ' +
  'ENOTSUPP EOPNOTSUPP ECONNRESET ETIMEDOUT ESTALE EDQUOT ECANCELED ERESTARTSYS ERESTARTNOINTR EIOCBQUEUED ENOTBLK ' +
  'EUCLEAN ENOKEY EKEYREVOKED EREMOTEIO EPROBE_DEFER').split(' '));

/** Line kinds of the model that a single line can have; added/removed come from pairing. */
type LineKind = 'return' | 'assign' | 'case' | 'compare' | 'doc';

interface Fact {
  kind: LineKind;
  codes: string[];
  /** The line with errno names blanked and spaces collapsed, to pair lines of the same shape. */
  shape: string;
  index: number;
  line: DiffLine;
}

/** Errno codes written as `-EXXX` in code, not counting subtraction (`len - EXTRA`). */
export function codeErrnos(code: string): { code: string; at: number }[] {
  const out: { code: string; at: number }[] = [];
  for (const m of code.matchAll(/-\s*(E[A-Z0-9_]{2,})\b/g)) {
    const before = code.slice(0, m.index).trimEnd();
    const word = /([A-Za-z_]\w*)$/.exec(before)?.[1];
    if (/[\w)\]]$/.test(before) && word !== 'return' && word !== 'case') continue;
    out.push({ code: `-${m[1]}`, at: m.index! });
  }
  return out;
}

/** Errno codes named in comment text: `-EIO`, or a known name written without the minus. */
export function docErrnos(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(-?)\b(E[A-Z0-9_]{2,})\b/g)) {
    if (m[1] || KNOWN_ERRNOS.has(m[2])) out.push(`-${m[2]}`);
  }
  return out;
}

function stripComments(text: string): string {
  return text.replace(/\/\*.*?\*\//g, ' ').replace(/\/\/.*$/, '').replace(/\/\*.*$/, '');
}

function shapeOf(text: string): string {
  return text.replace(/E[A-Z0-9_]{2,}/g, 'E#').replace(/\s+/g, ' ').trim();
}

/** What one changed line says about errno codes, as zero or more facts. */
export function lineFacts(line: DiffLine, index: number, inComment: boolean): Fact[] {
  const shape = shapeOf(line.text);
  if (inComment || isCommentLine(line.text)) {
    const codes = docErrnos(line.text);
    return codes.length ? [{ kind: 'doc', codes, shape, index, line }] : [];
  }
  const code = stripComments(line.text);
  const found = codeErrnos(code);
  const facts: Fact[] = [];
  const byKind = new Map<LineKind, string[]>();
  for (const { code: c, at } of found) {
    const before = code.slice(0, at);
    const after = code.slice(at + c.length);
    let kind: LineKind | undefined;
    if (/\bcase\s*$/.test(before)) kind = 'case';
    else if (/[!=]=\s*$/.test(before) || /^\s*[!=]=/.test(after)) kind = 'compare';
    else if (/\breturn\b/.test(before)) kind = 'return';
    else if (/(^|[^=!<>])=(?!=)/.test(before)) kind = 'assign';
    if (kind) byKind.set(kind, [...(byKind.get(kind) ?? []), c]);
  }
  for (const [kind, codes] of byKind) facts.push({ kind, codes, shape, index, line });
  // Trailing comments may carry doc text too ("ret = -EIO; /* returns -EIO if ... */") - ignored on purpose:
  // the code on the line is what changes behaviour.
  return facts;
}

/** Tracks whether each line of one side of a hunk starts inside a block comment. */
function commentState(lines: DiffLine[], side: 'del' | 'add'): Map<DiffLine, boolean> {
  const state = new Map<DiffLine, boolean>();
  let inside = false;
  for (const l of lines) {
    if (l.kind !== 'context' && l.kind !== side) continue;
    state.set(l, inside);
    const t = l.text.replace(/\/\*.*?\*\//g, '');
    if (t.includes('/*')) inside = true;
    if (t.includes('*/')) inside = false;
  }
  return state;
}

const sameCodes = (a: string[], b: string[]) => [...new Set(a)].sort().join() === [...new Set(b)].sort().join();

/** A change found in one hunk, with the lines it came from (for tree mapping). */
export interface FoundChange {
  change: ErrnoChange;
  fileDiff: FileDiff;
  hunk: Hunk;
  /** The line `change.line`/`patchLine` refer to, and its side. */
  diffLine: DiffLine;
  side: 'old' | 'new';
}

function toChange(kind: ErrnoChange['kind'], old: Fact | undefined, added: Fact | undefined): Omit<ErrnoChange, 'file' | 'function' | 'patch' | 'functionFrom'> & { from: Fact } {
  const from = old ?? added!;
  return {
    kind, old: old?.codes ?? [], new: added?.codes ?? [], patchLine: from.line.patchLine,
    line: (old ? old.line.oldLine : added!.line.newLine) ?? 0, from,
  };
}

/** The errno changes of one hunk (function names from the patch alone). */
function hunkChanges(file: FileDiff, hunkIndex: number, patch: number): FoundChange[] {
  const hunk = file.hunks[hunkIndex];
  const oldComments = commentState(hunk.lines, 'del');
  const newComments = commentState(hunk.lines, 'add');
  const out: FoundChange[] = [];
  let i = 0;
  while (i < hunk.lines.length) {
    if (hunk.lines[i].kind === 'context') { i++; continue; }
    // One change block: a run of removed and added lines between context lines.
    const dels: Fact[] = [];
    const adds: Fact[] = [];
    for (; i < hunk.lines.length && hunk.lines[i].kind !== 'context'; i++) {
      const l = hunk.lines[i];
      if (l.kind === 'del') dels.push(...lineFacts(l, i, oldComments.get(l) ?? false));
      else adds.push(...lineFacts(l, i, newComments.get(l) ?? false));
    }
    const used = new Set<Fact>();
    const pairs: [Fact | undefined, Fact | undefined][] = [];
    // Same shape first (the line was edited in place), then same kind (rewritten lines).
    const partner = new Map<Fact, Fact>();
    for (const same of [true, false]) {
      for (const d of dels) {
        if (partner.has(d)) continue;
        const a = adds.find((x) => !used.has(x) && x.kind === d.kind && (!same || x.shape === d.shape));
        if (a) { used.add(a); partner.set(d, a); }
      }
    }
    for (const d of dels) pairs.push([d, partner.get(d)]);
    for (const a of adds) if (!used.has(a)) pairs.push([undefined, a]);
    for (const [d, a] of pairs) {
      if (d && a && sameCodes(d.codes, a.codes)) continue;
      const base = d ?? a!;
      const lone = !d || !a;
      const kind: ErrnoChange['kind'] = lone && (base.kind === 'return' || base.kind === 'assign') ? (d ? 'removed' : 'added') : base.kind;
      const c = toChange(kind, d, a);
      const fn = functionFromPatch(file, hunkIndex, c.from.index, base.kind);
      out.push({
        change: {
          file: (file.newPath ?? file.oldPath)!, function: fn.name, kind, old: c.old, new: c.new,
          patchLine: c.patchLine, line: c.line, patch, functionFrom: fn.from,
        },
        fileDiff: file, hunk, diffLine: c.from.line, side: d ? 'old' : 'new',
      });
    }
  }
  return out;
}

/** Every errno change of a series, with the hunk lines each came from. */
export function findErrnoChangesWithLines(series: PatchSeries): FoundChange[] {
  const out: FoundChange[] = [];
  series.patches.forEach((p, patch) => {
    for (const file of p.files) {
      if (file.status === 'binary' || !(file.newPath ?? file.oldPath)) continue;
      file.hunks.forEach((_h, k) => out.push(...hunkChanges(file, k, patch)));
    }
  });
  return out.sort((a, b) => a.change.patchLine - b.change.patchLine);
}

/** Every errno change of a series, function names read from the patch alone. */
export function findErrnoChanges(series: PatchSeries): ErrnoChange[] {
  return findErrnoChangesWithLines(series).map((f) => f.change);
}
