// Read access to a kernel tree's files. The work tree is one source; git objects at a
// patch's base commit are another (server/impact). Nothing here ever writes to the tree.
import { readFileSync } from 'node:fs';
import { isAbsolute, join, normalize, relative } from 'node:path';

export interface TreeSource {
  /** Absolute root of the tree. */
  readonly root: string;
  /** Says where the text comes from, for reports: "work tree" or "git object 1a2b3c4". */
  readonly description: string;
  /** The text of a tree-relative file, or undefined if it does not exist (or is not a file). */
  read(file: string): string | undefined;
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
 * The files of a tree as they are on disk. Each file is read once per WorkTree (one review):
 * the analysis asks for the same files many times, and the same text object each time lets
 * later stages tell an unchanged file by identity.
 */
export class WorkTree implements TreeSource {
  readonly description = 'work tree';
  private readonly texts = new Map<string, string | undefined>();
  constructor(readonly root: string) {}

  read(file: string): string | undefined {
    if (this.texts.has(file)) return this.texts.get(file);
    const abs = join(this.root, normalize(file));
    const rel = relative(this.root, abs);
    let text: string | undefined;
    if (!rel.startsWith('..') && !isAbsolute(rel)) {
      try { text = decodeText(readFileSync(abs)); } catch { text = undefined; }
    }
    this.texts.set(file, text);
    return text;
  }
}
