// The on-disk index cache: one packed file per tree, outside the tree. Layout (little-endian):
//   "KPLI" | u32 header length | header JSON | strings (UTF-8, NUL-separated) | pad to 4 |
//   i32 records: per file [path id, size, hash id, problem id, data length, ...data] | pad to 8 |
//   f64 mtimes, one per file
// so that loading is one read, one string split and typed-array views: no per-record parsing.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { IndexStore, StringTable, idsInRange, type Entry } from './store';

/** Bumped whenever the packed layout or the cache file layout changes. */
export const FORMAT_VERSION = 1;
const MAGIC = 'KPLI';

/** The user's cache folder for Kernel Patch Lens ($XDG_CACHE_HOME or ~/.cache). */
export function defaultCacheBase(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'kernel-patch-lens');
}

/** Thrown when a cache folder would be written inside the tree: the user's tree is never written. */
export class CacheLocationError extends Error {}

function inside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function real(p: string): string {
  // The cache folder may not exist yet: resolve its nearest existing ancestor.
  let at = resolve(p);
  const rest: string[] = [];
  while (!existsSync(at) && dirname(at) !== at) { rest.unshift(basename(at)); at = dirname(at); }
  try { return join(realpathSync(at), ...rest); } catch { return resolve(p); }
}

/** The cache file for a tree: `<base>/<tree name>-<hash of its real path>/index.kpl`. */
export function cacheFileFor(root: string, base = defaultCacheBase()): string {
  const tree = real(root);
  const folder = real(base);
  if (inside(folder, tree)) throw new CacheLocationError(`the cache folder ${base} is inside the tree ${root}; pick one outside it (--cache DIR)`);
  const key = createHash('sha1').update(tree).digest('hex').slice(0, 12);
  return join(folder, `${basename(tree) || 'root'}-${key}`, 'index.kpl');
}

let fingerprintMemo: string | undefined;
declare const __KPL_INDEX_FINGERPRINT__: string | undefined;

// Modules that move, store or query indexes but do not decide what a file's index holds (splice.ts
// derives post-image indexes that are never stored):
// editing them must not throw away a tree's cache (everything else in server/index/ does).
const INFRASTRUCTURE = new Set(['project.ts', 'pool.ts', 'store.ts', 'cache-file.ts', 'walk.ts', 'word-scan.ts', 'call-queries.ts', 'worker.ts', 'graph.ts', 'progress.ts', 'splice.ts']);

/**
 * A fingerprint of the indexer's own code, so that a cache built by another version of the
 * extractor is never trusted: a hash of the sources in server/index/ that decide what a file's
 * index holds.
 */
export function indexerFingerprint(): string {
  // The bundles carry the fingerprint of the sources they were built from (scripts/build.mjs
  // computes it the same way, reading FORMAT_VERSION and INFRASTRUCTURE from this file), so
  // the CLI, the language server and runs from sources share one cache when the code agrees.
  if (typeof __KPL_INDEX_FINGERPRINT__ === 'string') return __KPL_INDEX_FINGERPRINT__;
  if (fingerprintMemo) return fingerprintMemo;
  const h = createHash('sha1').update(`format ${FORMAT_VERSION}\n`);
  for (const name of readdirSync(__dirname).sort()) {
    if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !INFRASTRUCTURE.has(name)) h.update(name).update(readFileSync(join(__dirname, name)));
  }
  fingerprintMemo = h.digest('hex').slice(0, 16);
  return fingerprintMemo;
}

interface Header {
  format: number;
  fingerprint: string;
  root: string;
  files: number;
  stringBytes: number;
  ints: number;
  savedAt: string;
  /** The store once held every source file of the tree (a complete index was saved). */
  complete?: boolean;
}

/** Writes the store atomically (temporary file + rename), never inside the tree. */
export function saveStore(store: IndexStore, file: string, root: string, complete = false): void {
  mkdirSync(dirname(file), { recursive: true });
  const entries = [...store.all()];
  const strings = store.strings;
  // Intern paths, hashes and problems first, so that the table written below holds their ids.
  for (const e of entries) { strings.id(e.path); strings.id(e.hash); if (e.problem !== undefined) strings.id(e.problem); }
  const text = Buffer.from(strings.list.map((s) => s.replaceAll('\0', ' ')).join('\0'), 'utf8');
  let ints = 0;
  for (const e of entries) ints += 5 + e.data.length;
  const header: Header = { format: FORMAT_VERSION, fingerprint: indexerFingerprint(), root: real(root), files: entries.length, stringBytes: text.length, ints, savedAt: new Date().toISOString(), complete };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const intsAt = align(8 + headerBytes.length + text.length, 4);
  const mtimesAt = align(intsAt + ints * 4, 8);
  const buf = Buffer.alloc(mtimesAt + entries.length * 8);
  buf.write(MAGIC, 0, 'latin1');
  buf.writeUInt32LE(headerBytes.length, 4);
  headerBytes.copy(buf, 8);
  text.copy(buf, 8 + headerBytes.length);
  const i32 = new Int32Array(buf.buffer, buf.byteOffset + intsAt, ints);
  const f64 = new Float64Array(buf.buffer, buf.byteOffset + mtimesAt, entries.length);
  let at = 0;
  entries.forEach((e, n) => {
    i32[at++] = strings.id(e.path);
    i32[at++] = e.size;
    i32[at++] = strings.id(e.hash);
    i32[at++] = e.problem === undefined ? -1 : strings.id(e.problem);
    i32[at++] = e.data.length;
    i32.set(e.data, at);
    at += e.data.length;
    f64[n] = e.mtimeMs;
  });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, buf);
    renameSync(tmp, file);
  } finally {
    if (existsSync(tmp)) try { unlinkSync(tmp); } catch { /* already gone */ }
  }
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/** Why a cache file could not be used; the index then starts cold. */
export interface LoadResult {
  store: IndexStore;
  /** Set when a cache file existed but was not used. */
  rejected?: string;
  loaded: boolean;
  /** The cache was saved from a complete index of the tree (at some time). */
  complete?: boolean;
}

/** Reads a cache file into a new store; a missing, foreign or damaged file gives an empty store. */
export function loadStore(file: string, root: string): LoadResult {
  let buf: Buffer;
  try {
    if (!statSync(file).isFile()) return { store: new IndexStore(), loaded: false };
    buf = readFileSync(file);
  } catch {
    return { store: new IndexStore(), loaded: false };
  }
  try {
    if (buf.toString('latin1', 0, 4) !== MAGIC) throw new Error('not a Kernel Patch Lens cache file');
    const headerLen = buf.readUInt32LE(4);
    const header = JSON.parse(buf.toString('utf8', 8, 8 + headerLen)) as Header;
    if (header.format !== FORMAT_VERSION) throw new Error(`cache format ${header.format}, this version reads ${FORMAT_VERSION}`);
    if (header.fingerprint !== indexerFingerprint()) throw new Error('built by another version of the indexer');
    if (header.root !== real(root)) throw new Error(`built for another tree (${header.root})`);
    const textAt = 8 + headerLen;
    const list = header.stringBytes === 0 ? [] : buf.toString('utf8', textAt, textAt + header.stringBytes).split('\0');
    const intsAt = align(textAt + header.stringBytes, 4);
    const mtimesAt = align(intsAt + header.ints * 4, 8);
    if (mtimesAt + header.files * 8 !== buf.length) throw new Error('truncated');
    // A Buffer from readFileSync may start at any offset of its ArrayBuffer: copy if misaligned.
    const base = (buf.byteOffset % 8 === 0) ? buf : Buffer.from(buf);
    const i32 = new Int32Array(base.buffer, base.byteOffset + intsAt, header.ints);
    const f64 = new Float64Array(base.buffer, base.byteOffset + mtimesAt, header.files);
    const strings = new StringTable(list);
    const store = new IndexStore(strings);
    let at = 0;
    for (let n = 0; n < header.files; n++) {
      const [pathId, size, hashId, problemId, len] = [i32[at], i32[at + 1], i32[at + 2], i32[at + 3], i32[at + 4]];
      at += 5;
      if (len < 0 || at + len > i32.length || pathId < 0 || pathId >= list.length || hashId < 0 || hashId >= list.length || problemId >= list.length) throw new Error('damaged record table');
      const data = i32.subarray(at, at + len);
      at += len;
      if (!idsInRange(data, list.length)) throw new Error(`damaged entry for ${list[pathId]}`);
      const entry: Entry = { path: list[pathId], size, mtimeMs: f64[n], hash: list[hashId], data };
      if (problemId >= 0) entry.problem = list[problemId];
      store.put(entry);
    }
    return { store, loaded: true, complete: header.complete === true };
  } catch (e) {
    return { store: new IndexStore(), loaded: false, rejected: `ignored the cache ${file}: ${e instanceof Error ? e.message : String(e)}` };
  }
}
