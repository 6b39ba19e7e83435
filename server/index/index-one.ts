// Indexes one file of the tree into its packed form, inside its own error boundary: the same
// steps in a worker thread (full index) and on the main thread (reindexing one changed file).
// Nothing here throws for a bad file; the reason lands in `problem` and the run goes on.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { Parser } from 'web-tree-sitter';
import type { FileIndex } from '../model';
import { indexFile } from './file-indexer';
import { decodeBytes } from '../tree';
import { packFileIndex, type StringSink } from './packed';

/** Files larger than this are skipped (generated tables, firmware blobs): 2 MiB by default. */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

export interface IndexedFile {
  size: number;
  mtimeMs: number;
  hash: string;
  problem?: string;
  data: Int32Array;
}

export function contentHash(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

function mb(n: number): string {
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

const EMPTY: FileIndex = { file: '', hash: '', functions: [], calls: [], bindings: [], refs: [], macros: [], exports: [] };

/**
 * Reads and indexes `abs` (tree-relative name `rel`). Returns undefined when the file is gone
 * (not a problem of the file: it no longer belongs to the tree).
 */
export function indexOneFile(parser: Parser, abs: string, rel: string, maxBytes: number, strings: StringSink): IndexedFile | undefined {
  let size: number, mtimeMs: number;
  try {
    const st = statSync(abs);
    if (!st.isFile()) return undefined;
    size = st.size;
    mtimeMs = st.mtimeMs;
  } catch {
    return undefined;
  }
  if (size > maxBytes) {
    // Hash of the stat, not the bytes: the point is not to read a huge file at all.
    return { size, mtimeMs, hash: `size:${size}:${mtimeMs}`, problem: `skipped: ${mb(size)} is over the size limit of ${mb(maxBytes)} (maxFileBytes, --max-file-size)`, data: packFileIndex(EMPTY, strings) };
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(abs);
  } catch (e) {
    return { size, mtimeMs, hash: `unreadable:${size}:${mtimeMs}`, problem: `unreadable: ${(e as Error).message}`, data: packFileIndex(EMPTY, strings) };
  }
  return indexBytes(parser, rel, bytes, { size: bytes.length, mtimeMs }, strings);
}

/** Indexes bytes already read (also used for text held in an editor). */
export function indexBytes(parser: Parser, rel: string, bytes: Uint8Array, stat: { size: number; mtimeMs: number }, strings: StringSink): IndexedFile {
  const hash = contentHash(bytes);
  const { text, latin1 } = decodeBytes(bytes);
  // Old kernel files carry Latin-1 names in comments: index them anyway, but say so.
  let problem: string | undefined = latin1 ? 'not valid UTF-8: read as Latin-1' : undefined;
  let index: FileIndex;
  try {
    index = indexFile(parser, rel, text);
  } catch (e) {
    index = { ...EMPTY, file: rel, problem: `indexer failed: ${(e as Error).message}` };
  }
  if (index.problem) problem = problem ? `${problem}; ${index.problem}` : index.problem;
  let data: Int32Array;
  try {
    data = packFileIndex(index, strings);
  } catch (e) {
    data = packFileIndex(EMPTY, strings);
    problem = `could not store the index: ${(e as Error).message}`;
  }
  const out: IndexedFile = { size: stat.size, mtimeMs: stat.mtimeMs, hash, data };
  if (problem !== undefined) out.problem = problem;
  return out;
}
