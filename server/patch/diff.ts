// Reads the diff part of one patch into FileDiffs with exact patch-document line numbers.
// A small scanner finds file sections and the extent of every hunk (so that a truncated hunk
// never swallows the next file, which parse-diff alone would do); parse-diff then reads each
// cleaned-up section for file names, modes and the old/new line numbers of every hunk line.
import parseDiff from 'parse-diff';
import type { DiffLine, FileDiff, FileStatus, Hunk, Warning } from '../model';

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;

/** Does a file section start at line index `i`? */
export function isFileStart(lines: string[], i: number): boolean {
  const l = lines[i];
  if (isSectionHead(lines, i)) return true;
  return l.startsWith('--- ') && !!lines[i + 1]?.startsWith('+++ ');
}

/** A `diff --git`, `diff -u x y` (followed by `---`) or `Index:` line: the head of a file section. */
function isSectionHead(lines: string[], i: number): boolean {
  const l = lines[i];
  if (l.startsWith('diff --git ')) return true;
  if (/^diff (-\S+ )+\S+ \S+$/.test(l) && !!lines[i + 1]?.startsWith('--- ')) return true;
  return l.startsWith('Index: ') && /^={20,}/.test(lines[i + 1] ?? '');
}

/** Does any line from `from` to `to` (exclusive) start a file section that has a hunk or a git header? */
export function hasDiff(lines: string[], from = 0, to = lines.length): boolean {
  for (let i = from; i < to; i++) {
    if (lines[i].startsWith('diff --git ')) return true;
    if (lines[i].startsWith('--- ') && lines[i + 1]?.startsWith('+++ ') && HUNK_HEADER.test(lines[i + 2] ?? '')) return true;
  }
  return false;
}

interface HunkExtent {
  /** Index of the `@@` line. */
  at: number;
  oldStart: number;
  newStart: number;
  header: string;
  /** Indices of the body lines (context, del, add and `\` lines), in order. */
  body: number[];
  oldCount: number;
  newCount: number;
}

interface Section {
  /** Index of the first line of the section. */
  at: number;
  git: boolean;
  headers: number[];
  hunks: HunkExtent[];
}

/** Walks one hunk's body from the line after `@@`, by its counts, stopping at anything that cannot be a hunk line. */
function walkHunk(lines: string[], at: number, end: number, m: RegExpExecArray, warnings: Warning[]): HunkExtent {
  const oldLines = m[2] === undefined ? 1 : Number(m[2]);
  const newLines = m[4] === undefined ? 1 : Number(m[4]);
  let remOld = oldLines;
  let remNew = newLines;
  const body: number[] = [];
  let j = at + 1;
  for (; j < end && (remOld > 0 || remNew > 0); j++) {
    const l = lines[j];
    const c = l === '' ? ' ' : l[0];
    if (c === '\\') { body.push(j); continue; }
    if (c === ' ' && remOld > 0 && remNew > 0) { remOld--; remNew--; }
    else if (c === '-' && remOld > 0 && !(l.startsWith('--- ') && isFileStart(lines, j))) remOld--;
    else if (c === '+' && remNew > 0) remNew--;
    else break;
    body.push(j);
  }
  while (j < end && lines[j].startsWith('\\')) body.push(j++);
  if (remOld > 0 || remNew > 0) {
    warnings.push({ patchLine: at + 1, message: `hunk @@ -${m[1]},${oldLines} +${m[3]},${newLines} @@ is truncated or its counts do not match its lines (${oldLines - remOld}/${oldLines} old, ${newLines - remNew}/${newLines} new): read as far as it goes` });
  }
  return {
    at, oldStart: Number(m[1]), newStart: Number(m[3]), header: m[5] ?? '', body,
    oldCount: oldLines - remOld, newCount: newLines - remNew,
  };
}

const HEADER_LINE = /^(new file mode|deleted file mode|old mode|new mode|similarity index|dissimilarity index|rename from|rename to|copy from|copy to|index |Binary files|GIT binary patch)/;

/** Finds the file sections and hunks between `from` and `to` (line indices, `to` exclusive). */
function scanSections(lines: string[], from: number, to: number, warnings: Warning[]): Section[] {
  const sections: Section[] = [];
  let cur: Section | undefined;
  for (let i = from; i < to; i++) {
    const l = lines[i];
    if (isSectionHead(lines, i)) {
      cur = { at: i, git: l.startsWith('diff --git '), headers: [i], hunks: [] };
      sections.push(cur);
    } else if (l.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      const ownsIt = cur && cur.hunks.length === 0 && !cur.headers.some((h) => lines[h].startsWith('--- '));
      if (!ownsIt) { cur = { at: i, git: false, headers: [], hunks: [] }; sections.push(cur); }
      cur!.headers.push(i, i + 1);
      i++;
    } else if (HUNK_HEADER.test(l)) {
      const m = HUNK_HEADER.exec(l)!;
      if (!cur) { warnings.push({ patchLine: i + 1, message: 'hunk without a file header: skipped' }); continue; }
      const hunk = walkHunk(lines, i, to, m, warnings);
      cur.hunks.push(hunk);
      i = Math.max(i, (hunk.body.at(-1) ?? i));
    } else if (cur && cur.hunks.length === 0 && HEADER_LINE.test(l)) {
      cur.headers.push(i);
    }
  }
  return sections;
}

/** Strips a `diff -u old/ new/` top folder when both sides have one and they differ (as `patch -p1`). */
function stripTopFolder(oldPath: string | null, newPath: string | null): [string | null, string | null] {
  const top = (p: string) => (p.includes('/') ? p.slice(0, p.indexOf('/')) : null);
  if (oldPath && newPath && top(oldPath) && top(newPath) && top(oldPath) !== top(newPath)) {
    return [oldPath.slice(oldPath.indexOf('/') + 1), newPath.slice(newPath.indexOf('/') + 1)];
  }
  return [oldPath, newPath];
}

function unquotePath(p: string): string {
  return p.replace(/^"(.*)"$/, '$1').replace(/^[ab]\//, '');
}

/** Reads one section with parse-diff and maps its lines back to the patch document. */
function readSection(lines: string[], s: Section, warnings: Warning[]): FileDiff {
  const text: string[] = s.headers.map((h) => lines[h]);
  for (const h of s.hunks) {
    text.push(`@@ -${h.oldStart},${h.oldCount} +${h.newStart},${h.newCount} @@${h.header ? ' ' + h.header : ''}`);
    for (const b of h.body) text.push(lines[b] === '' ? ' ' : lines[b]);
  }
  const parsed = parseDiff(text.join('\n'))[0];
  const header = (re: RegExp) => s.headers.map((h) => re.exec(lines[h])?.[1]).find((v) => v !== undefined);
  const dev = (p: string | undefined) => (p === undefined || p === '/dev/null' ? null : p);
  let oldPath = dev(parsed?.from);
  let newPath = dev(parsed?.to);
  const renameFrom = header(/^(?:rename|copy) from (.*)$/);
  const renameTo = header(/^(?:rename|copy) to (.*)$/);
  if (renameFrom !== undefined) oldPath = unquotePath(renameFrom);
  if (renameTo !== undefined) newPath = unquotePath(renameTo);
  if (!s.git) {
    [oldPath, newPath] = stripTopFolder(oldPath, newPath);
    // A plain `diff -u x.orig x` names the same tree file twice.
    if (oldPath && newPath) oldPath = newPath;
  }
  const has = (re: RegExp) => s.headers.some((h) => re.test(lines[h]));
  const binary = has(/^(Binary files|GIT binary patch)/);
  let status: FileStatus = 'modified';
  if (binary) status = 'binary';
  else if (has(/^rename from/)) status = 'renamed';
  else if (has(/^copy from/)) status = 'copied';
  else if (has(/^new file mode/) || (parsed?.from === '/dev/null' && newPath)) { status = 'added'; oldPath = null; }
  else if (has(/^deleted file mode/) || (parsed?.to === '/dev/null' && oldPath)) { status = 'deleted'; newPath = null; }
  else if (has(/^(old|new) mode/) && s.hunks.length === 0) status = 'mode-only';

  const name = newPath ?? oldPath ?? '(unnamed file)';
  const at = s.at + 1;
  if (binary) warnings.push({ patchLine: at, message: `${name}: binary patch, not analysed` });
  if (status === 'renamed') warnings.push({ patchLine: at, message: `${name}: renamed from ${oldPath}` });
  if (status === 'copied') warnings.push({ patchLine: at, message: `${name}: copied from ${oldPath}` });
  if (status === 'added') warnings.push({ patchLine: at, message: `${name}: new file` });
  if (status === 'deleted') warnings.push({ patchLine: at, message: `${name}: deleted file` });
  if (has(/^(old|new) mode/)) warnings.push({ patchLine: at, message: `${name}: file mode changed` });
  if (!parsed && s.hunks.length > 0) warnings.push({ patchLine: at, message: `${name}: the diff reader could not read this file's hunks` });

  const hunks: Hunk[] = s.hunks.map((h, k) => {
    const chunk = parsed?.chunks[k];
    // parse-diff repeats the previous change for a `\ No newline` line; those carry no line.
    const changes = (chunk?.changes ?? []).filter((c) => !c.content.startsWith('\\'));
    const bodyLines = h.body.filter((b) => !lines[b].startsWith('\\'));
    const out: DiffLine[] = [];
    let oldLine = h.oldStart;
    let newLine = h.newStart;
    bodyLines.forEach((b, n) => {
      const l = lines[b];
      const c = changes[n];
      const kind: DiffLine['kind'] = l.startsWith('-') ? 'del' : l.startsWith('+') ? 'add' : 'context';
      const line: DiffLine = { kind, text: l.slice(1), patchLine: b + 1 };
      if (kind !== 'add') line.oldLine = c?.type === 'normal' ? c.ln1 : c?.type === 'del' ? c.ln : oldLine;
      if (kind !== 'del') line.newLine = c?.type === 'normal' ? c.ln2 : c?.type === 'add' ? c.ln : newLine;
      if (kind !== 'add') oldLine++;
      if (kind !== 'del') newLine++;
      out.push(line);
    });
    return {
      oldStart: h.oldStart, oldLines: h.oldCount, newStart: h.newStart, newLines: h.newCount,
      header: h.header, patchLine: h.at + 1, lines: out,
    };
  });
  return { oldPath, newPath, status, hunks, patchLine: at };
}

/** Reads every file section between line indices `from` and `to` (exclusive). */
export function readFileDiffs(lines: string[], from: number, to: number, warnings: Warning[]): FileDiff[] {
  return scanSections(lines, from, to, warnings).map((s) => readSection(lines, s, warnings));
}
