// Turns the bytes of a patch document into lines, keeping one array index per document line so
// that every later step can name exact 1-based patch lines. Decoding, CRLF and mail quoting are
// undone here, once, and each is reported as a warning.
import type { Warning } from '../model';
import { decodeBytes } from '../tree';

/** A patch document as lines: `lines[i]` is document line i + 1, already decoded and unquoted. */
export interface PatchText {
  lines: string[];
  warnings: Warning[];
}

/** Decodes UTF-8, falling back to latin1 (one byte, one character) so that no byte is ever lost. */
export function decodePatchBytes(bytes: Uint8Array, warnings: Warning[]): string {
  const { text, latin1 } = decodeBytes(bytes);
  if (latin1) warnings.push({ patchLine: firstBadUtf8Line(bytes), message: 'the patch is not valid UTF-8: read as latin1 (non-ASCII text may look wrong)' });
  return text;
}

/** The 1-based line holding the first byte sequence that is not valid UTF-8. */
function firstBadUtf8Line(bytes: Uint8Array): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return 1;
}

/** Splits into lines; a final newline does not make an extra empty line. CR before LF is dropped. */
export function splitLines(text: string, warnings: Warning[]): string[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  let crlf = 0;
  let first = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].endsWith('\r')) {
      if (crlf++ === 0) first = i + 1;
      lines[i] = lines[i].slice(0, -1);
    }
  }
  if (crlf > 0) warnings.push({ patchLine: first, message: `CRLF line ends on ${crlf} line(s): read as LF` });
  return lines;
}

/** Stands for a reviewer's own line inside a quoted reply: never a hunk line nor a header. */
export const REPLY_LINE = '\u0000(reply text)';

const QUOTED_DIFF_START = /^((?:> ?)+)(?:diff --git |--- \S|\+\+\+ \S|@@ -\d)/;

/**
 * A review mail quotes the patch with `> ` prefixes. When the document holds no unquoted diff
 * but a quoted one, strip the quote prefix (the depth of the first quoted diff line) from every
 * line that carries it; other lines (the reviewer's words) stay and simply end hunks.
 */
export function unquote(lines: string[], hasDiff: (lines: string[]) => boolean, warnings: Warning[]): string[] {
  if (hasDiff(lines)) return lines;
  const first = lines.findIndex((l) => QUOTED_DIFF_START.test(l));
  if (first < 0) return lines;
  const prefix = QUOTED_DIFF_START.exec(lines[first])![1];
  const depth = (prefix.match(/>/g) ?? []).length;
  const spaced = prefix.endsWith(' ');
  const quote = new RegExp(`^(?:>${spaced ? ' ?' : ''}){${depth}}`);
  let stripped = 0;
  const out = lines.map((l, i) => {
    // The reviewer's own lines (blank ones too) are not part of the quoted patch: make sure no
    // hunk takes them for context lines.
    if (!l.startsWith('>')) return i > first ? REPLY_LINE : l;
    const m = quote.exec(l);
    if (!m || (m[0].match(/>/g) ?? []).length !== depth) return l;
    stripped++;
    return l.slice(m[0].length);
  });
  warnings.push({ patchLine: first + 1, message: `quoted reply: stripped "${'>'.repeat(depth)}" quote prefixes from ${stripped} line(s)` });
  return out;
}

/** Decodes and splits a patch document, undoing CRLF and (when needed) mail quoting. */
export function readPatchText(bytes: Uint8Array, hasDiff: (lines: string[]) => boolean): PatchText {
  const warnings: Warning[] = [];
  const text = decodePatchBytes(bytes, warnings);
  const lines = unquote(splitLines(text, warnings), hasDiff, warnings);
  return { lines, warnings };
}
