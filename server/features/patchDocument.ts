// Questions about places in a patch document: the word under the cursor, the hunk and the
// errno changes a line belongs to. Positions here are LSP positions (0-based line).
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ErrnoChange, FileDiff, Hunk, Patch } from '../model';
import type { DocumentAnalysis } from './analysis';

export interface HunkPlace {
  patch: Patch;
  file: FileDiff;
  hunk: Hunk;
}

/** The C identifier under (or just before) a position, or null. */
export function identifierAt(doc: TextDocument, line: number, character: number): string | null {
  const text = lineText(doc, line);
  if (!text) return null;
  const isWord = (c: string | undefined) => !!c && /[A-Za-z0-9_]/.test(c);
  let start = Math.min(character, text.length);
  if (!isWord(text[start]) && isWord(text[start - 1])) start--;
  if (!isWord(text[start])) return null;
  let end = start;
  while (start > 0 && isWord(text[start - 1])) start--;
  while (end < text.length && isWord(text[end])) end++;
  const word = text.slice(start, end);
  return /^[A-Za-z_]\w*$/.test(word) ? word : null;
}

export function lineText(doc: TextDocument, line: number): string {
  if (line < 0 || line >= doc.lineCount) return '';
  return doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
}

/** The hunk holding a 1-based patch line (its `@@` line or one of its lines). */
export function hunkAt(a: DocumentAnalysis, patchLine: number): HunkPlace | undefined {
  for (const patch of a.series.patches) {
    if (patchLine < patch.startLine || patchLine > patch.endLine) continue;
    for (const file of patch.files) {
      for (const hunk of file.hunks) {
        const last = hunk.lines.length ? hunk.lines[hunk.lines.length - 1].patchLine : hunk.patchLine;
        if (patchLine >= hunk.patchLine && patchLine <= last) return { patch, file, hunk };
      }
    }
  }
  return undefined;
}

/** Errno changes on a 1-based patch line, or, on another line of a hunk, those of that hunk. */
export function changesAt(a: DocumentAnalysis, patchLine: number): ErrnoChange[] {
  const exact = a.review.changes.filter((c) => c.patchLine === patchLine);
  if (exact.length) return exact;
  const place = hunkAt(a, patchLine);
  if (!place) return [];
  const first = place.hunk.patchLine;
  const last = place.hunk.lines.length ? place.hunk.lines[place.hunk.lines.length - 1].patchLine : first;
  return a.review.changes.filter((c) => c.patchLine >= first && c.patchLine <= last);
}

/** True for a `+`/`-` line of a hunk (not context, not headers). */
export function isChangedLine(a: DocumentAnalysis, patchLine: number): boolean {
  const place = hunkAt(a, patchLine);
  return !!place?.hunk.lines.some((l) => l.patchLine === patchLine && l.kind !== 'context');
}

/** Names the patch is about: changed functions and every caller on their paths. */
export function knownFunctions(a: DocumentAnalysis): Set<string> {
  const names = new Set<string>();
  for (const c of a.review.changes) if (c.function) names.add(c.function);
  for (const i of a.review.impacts) { names.add(i.function); for (const c of i.callers) names.add(c.function); }
  return names;
}
