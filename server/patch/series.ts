// Splits a patch document into its patches (mbox `From <sha> <date>` lines, `git show`/`git log -p`
// `commit <sha>` lines) and reads each one's header: subject, author, date, message-id, commit
// message and `base-commit:` trailer. Works on line indices so that patch lines stay exact.
import type { PatchMeta } from '../model';
import { isFileStart } from './diff';

/** One patch's place in the document: lines [start, end) as 0-based indices. */
export interface PatchRange {
  start: number;
  end: number;
}

const MBOX_FROM = /^From (?:[0-9a-f]{7,40} |\S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) )/;
const COMMIT = /^commit [0-9a-f]{7,40}(?: |$)/;

function isCommitStart(lines: string[], i: number): boolean {
  if (!COMMIT.test(lines[i])) return false;
  for (let j = i + 1; j < Math.min(i + 5, lines.length); j++) if (lines[j].startsWith('Author:')) return true;
  return false;
}

/** The patches of a document: one per mbox message or commit, or the whole document. */
export function splitSeries(lines: string[]): PatchRange[] {
  const starts: number[] = [];
  for (let i = 0; i < lines.length; i++) if (MBOX_FROM.test(lines[i]) || isCommitStart(lines, i)) starts.push(i);
  if (starts.length === 0) return [{ start: 0, end: lines.length }];
  return starts.map((s, k) => ({ start: k === 0 ? Math.min(s, firstContent(lines)) : s, end: starts[k + 1] ?? lines.length }));
}

function firstContent(lines: string[]): number {
  const i = lines.findIndex((l) => l.trim() !== '');
  return i < 0 ? 0 : i;
}

/** The first line index in [from, to) where a file section starts, or `to`. */
export function diffStart(lines: string[], from: number, to: number): number {
  for (let i = from; i < to; i++) if (isFileStart(lines, i)) return i;
  return to;
}

/** RFC 2047 encoded words (`=?UTF-8?q?...?=`), as mailers write non-ASCII subjects and names. */
function decodeWords(s: string): string {
  return s.replace(/=\?([^?]+)\?([qQbB])\?([^?]*)\?=\s*(?==\?)?/g, (_m, _charset: string, enc: string, data: string) => {
    try {
      if (enc.toLowerCase() === 'b') return Buffer.from(data, 'base64').toString('utf8');
      const bytes = data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    } catch {
      return data;
    }
  });
}

/** Drops `Re:` and `[PATCH v2 3/7]`-style tags in front of a mail subject. */
export function cleanSubject(s: string): string {
  let out = s.trim();
  for (;;) {
    const next = out.replace(/^(?:(?:re|fwd?|aw)\s*:\s*)/i, '').replace(/^\[[^\]]*\]\s*/, '');
    if (next === out) return out;
    out = next;
  }
}

/** Reads RFC 822 headers (with folded continuation lines) from `from` to the first blank line. */
function readHeaders(lines: string[], from: number, to: number): { headers: Map<string, string>; end: number } {
  const headers = new Map<string, string>();
  let last: string | undefined;
  let i = from;
  for (; i < to && lines[i].trim() !== ''; i++) {
    const l = lines[i];
    if (/^[ \t]/.test(l) && last) { headers.set(last, `${headers.get(last)} ${l.trim()}`); continue; }
    const m = /^([A-Za-z][\w-]*):\s?(.*)$/.exec(l);
    if (!m) break;
    last = m[1].toLowerCase();
    if (!headers.has(last)) headers.set(last, m[2]);
  }
  return { headers, end: i };
}

function trimBlank(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a].trim() === '') a++;
  while (b > a && lines[b - 1].trim() === '') b--;
  return lines.slice(a, b);
}

function baseCommit(lines: string[], r: PatchRange): string | undefined {
  for (let i = r.start; i < r.end; i++) {
    const m = /^base-commit: ([0-9a-f]{7,40})\s*$/.exec(lines[i]);
    if (m) return m[1];
  }
  return undefined;
}

/** A mail: headers, blank line, body (with optional in-body From:/Subject:/Date:), `---`, diff. */
function mailMeta(lines: string[], r: PatchRange, from: number, diff: number): PatchMeta {
  const { headers, end } = readHeaders(lines, from, diff);
  let bodyFrom = end + 1;
  const inBody = readHeaders(lines, bodyFrom, diff);
  if (inBody.headers.size > 0 && [...inBody.headers.keys()].every((k) => ['from', 'subject', 'date'].includes(k))) {
    for (const [k, v] of inBody.headers) headers.set(k, v);
    bodyFrom = inBody.end + 1;
  }
  let bodyEnd = diff;
  for (let i = bodyFrom; i < diff; i++) if (/^---\s*$/.test(lines[i])) { bodyEnd = i; break; }
  const get = (k: string) => { const v = headers.get(k); return v === undefined ? undefined : decodeWords(v).trim(); };
  return {
    subject: cleanSubject(get('subject') ?? ''),
    author: get('from'),
    date: get('date'),
    messageId: get('message-id')?.replace(/^<(.*)>$/, '$1'),
    baseCommit: baseCommit(lines, r),
    message: trimBlank(lines.slice(Math.min(bodyFrom, bodyEnd), bodyEnd)).join('\n'),
  };
}

/** `git show` / `git log -p`: `commit`, `Author:`, `Date:`, blank, message indented by four spaces. */
function commitMeta(lines: string[], r: PatchRange, diff: number): PatchMeta {
  const { headers, end } = readHeaders(lines, r.start + 1, diff);
  const message: string[] = [];
  for (let i = end + 1; i < diff; i++) {
    const l = lines[i];
    if (l.trim() !== '' && !l.startsWith('    ')) break;
    message.push(l.slice(4));
  }
  const text = trimBlank(message);
  return {
    subject: (text[0] ?? '').trim(),
    author: headers.get('author')?.trim(),
    date: (headers.get('date') ?? headers.get('authordate'))?.trim(),
    baseCommit: baseCommit(lines, r),
    message: text.join('\n'),
  };
}

/** A commit message (or nothing) followed by a diff, as the defining example is written. */
function plainMeta(lines: string[], r: PatchRange, diff: number): PatchMeta {
  const text = trimBlank(lines.slice(r.start, diff));
  let end = text.length;
  const sep = text.findIndex((l) => /^---\s*$/.test(l));
  if (sep >= 0) end = sep;
  const message = trimBlank(text.slice(0, end));
  return { subject: (message[0] ?? '').trim(), baseCommit: baseCommit(lines, r), message: message.join('\n') };
}

/** The header of the patch in lines `r`. */
export function readMeta(lines: string[], r: PatchRange): PatchMeta {
  const diff = diffStart(lines, r.start, r.end);
  const first = lines[r.start] ?? '';
  if (MBOX_FROM.test(first)) return mailMeta(lines, r, r.start + 1, diff);
  if (COMMIT.test(first)) return commitMeta(lines, r, diff);
  const head = readHeaders(lines, r.start, diff);
  if (head.headers.has('subject') && head.end > r.start) return mailMeta(lines, r, r.start, diff);
  return plainMeta(lines, r, diff);
}
