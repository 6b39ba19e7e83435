// Read access to a kernel tree's files. The work tree is one source; git objects at a
// patch's base commit are another (server/impact). Nothing here ever writes to the tree.
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, relative } from 'node:path';

export interface TreeSource {
  /** Absolute root of the tree. */
  readonly root: string;
  /** Says where the text comes from, for reports: "work tree" or "git object 1a2b3c4". */
  readonly description: string;
  /** The text of a tree-relative file, or undefined if it does not exist (or is not a file). */
  read(file: string): string | undefined;
  /** The tree this one was made from by an edit (a patch's post-image: its pre-image), if any. */
  readonly derivedFrom?: TreeSource;
  /** With derivedFrom: whether the edit touched `file`; an untouched file reads as derivedFrom's. */
  edited?(file: string): boolean;
}

/**
 * Decodes bytes as UTF-8, or byte-per-character (latin1) when they are not valid UTF-8, so that
 * no byte is ever lost; `latin1` says which, for callers that warn about it.
 */
export function decodeBytes(bytes: Uint8Array): { text: string; latin1: boolean } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), latin1: false };
  } catch {
    return { text: Buffer.from(bytes).toString('latin1'), latin1: true };
  }
}

/** The text of a file's bytes (see decodeBytes). */
export function decodeText(bytes: Uint8Array): string {
  return decodeBytes(bytes).text;
}

/**
 * Texts of files kept between reviews (the language server's), each checked against its file's
 * size and modification time when asked again: an unchanged file gives the very same string.
 */
export class TextCache {
  private readonly texts = new Map<string, { size: number; mtimeMs: number; text: string }>();
  /** The text of an absolute path, or undefined when it is not a readable file. */
  read(abs: string): string | undefined {
    let st;
    try { st = statSync(abs); } catch { this.texts.delete(abs); return undefined; }
    if (!st.isFile()) return undefined;
    const kept = this.texts.get(abs);
    if (kept && kept.size === st.size && kept.mtimeMs === st.mtimeMs) return kept.text;
    let text: string;
    try { text = decodeText(readFileSync(abs)); } catch { return undefined; }
    this.texts.set(abs, { size: st.size, mtimeMs: st.mtimeMs, text });
    return text;
  }
  get size(): number { return this.texts.size; }
  clear(): void { this.texts.clear(); }
}

/**
 * The files of a tree as they are on disk. Each file is read once per WorkTree (one review):
 * the analysis asks for the same files many times, and the same text object each time lets
 * later stages tell an unchanged file by identity. With a TextCache, files unchanged since an
 * earlier review are not read again.
 */
export class WorkTree implements TreeSource {
  readonly description = 'work tree';
  private readonly texts = new Map<string, string | undefined>();
  constructor(readonly root: string, private readonly kept?: TextCache) {}

  read(file: string): string | undefined {
    if (this.texts.has(file)) return this.texts.get(file);
    const abs = join(this.root, normalize(file));
    const rel = relative(this.root, abs);
    let text: string | undefined;
    if (!rel.startsWith('..') && !isAbsolute(rel)) {
      if (this.kept) text = this.kept.read(abs);
      else try { text = decodeText(readFileSync(abs)); } catch { text = undefined; }
    }
    this.texts.set(file, text);
    return text;
  }
}
