// The index of a whole tree behind the CallGraph interface. Until a full index has run it
// answers lazily: a word scan finds the files that mention a name, only those are checked
// against the cache (stat, then content hash) and parsed if new. After `indexAll` every answer
// comes from memory. The cache is one packed file per tree, outside the tree (cache-file.ts).
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import type { CallSite, FileIndex, FunctionDef, OpsBinding } from '../model';
import type { CallGraph } from './graph';
import { findBindings, findCallers, findDefinitions, type QueryMemo } from './call-queries';
import { cacheFileFor, defaultCacheBase, loadStore, saveStore } from './cache-file';
import { contentHash, DEFAULT_MAX_FILE_BYTES, indexBytes, indexOneFile, type IndexedFile } from './index-one';
import { HEADER, LocalStrings } from './packed';
import { createCParser } from './parser';
import { defaultWorkerCount, ParsePool } from './pool';
import type { Entry, IndexStore } from './store';
import { listSourceFiles } from './walk';
import { createWordScanner, type ScannerName, type WordScanner } from './word-scan';

export interface IndexProgress { done: number; total: number }

export interface IndexOptions {
  /** Base cache folder (default: $XDG_CACHE_HOME/kernel-patch-lens); one file per tree below it. */
  cacheDir?: string;
  onProgress?: (p: IndexProgress) => void;
  /** Worker threads for parsing (default: the machine's parallelism, at most 8). */
  workers?: number;
  /** Files above this size are skipped with a message (default 2 MiB). */
  maxFileBytes?: number;
  /** Word scanner for lazy answers (default: rg, else git grep, else pure Node). */
  scanner?: ScannerName;
  /**
   * When the cache once held the whole tree (`kpl index` or the editor's Index Kernel Tree ran),
   * bring it up to date on open (a stat per file, parsing only what changed) so that every
   * answer comes from memory instead of a word scan per name.
   */
  refreshCompleteCache?: boolean;
}

/** A tree that cannot be indexed (missing, not a folder). */
export class TreeError extends Error {}

export interface IndexSummary {
  files: number;
  /** Parsed in this run. */
  parsed: number;
  /** Taken unchanged from the cache. */
  fromCache: number;
  /** Entries dropped because their file is gone. */
  removed: number;
  functions: number;
  calls: number;
  bindings: number;
  /** Files skipped or partly indexed, with the reason. */
  problems: { file: string; reason: string }[];
  seconds: number;
  cacheFile: string;
  /** Why an existing cache file was not used, if one was not. */
  cacheRejected?: string;
  /** True when close() stopped the run: files not reached keep their old entries (or none). */
  cancelled?: boolean;
}

export class ProjectIndex implements CallGraph {
  /** True once every file of the tree has been indexed in this session. */
  complete = false;
  /** Why the cache file was not used when opening, if it existed but was not. */
  readonly cacheRejected?: string;
  /** The cache file was written after a complete index of this tree (at some time). */
  readonly cacheWasComplete: boolean;
  /** Set when close() stopped parsing that was under way. */
  private cancelled = false;
  /** Whether the store changed since it was loaded or saved. */
  private dirty = false;
  private pool: ParsePool | undefined;
  private scanner: WordScanner;
  private parser: Promise<Parser> | undefined;
  private readonly maxBytes: number;
  private answers: Answers | undefined;
  private readonly decoded = new WeakMap<Entry, FileIndex>();

  private constructor(readonly root: string, readonly cacheFile: string, private readonly store: IndexStore, private readonly opts: IndexOptions, rejected?: string, wasComplete = false) {
    this.maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.scanner = createWordScanner(root, opts.scanner);
    if (rejected) this.cacheRejected = rejected;
    this.cacheWasComplete = wasComplete;
  }

  /** Opens a tree: loads its cache (if any); answers lazily until `indexAll` runs. */
  static open(root: string, opts: IndexOptions = {}): ProjectIndex {
    const abs = resolve(root);
    let st;
    try { st = statSync(abs); } catch { throw new TreeError(`no such tree: ${root}`); }
    if (!st.isDirectory()) throw new TreeError(`not a folder: ${root}`);
    const cacheFile = cacheFileFor(abs, opts.cacheDir ?? defaultCacheBase());
    const loaded = loadStore(cacheFile, abs);
    return new ProjectIndex(abs, cacheFile, loaded.store, opts, loaded.rejected, loaded.complete);
  }

  /** See CallGraph.generation: the store's, which every put or delete moves on. */
  get generation(): number { return this.store.generation; }

  /** The scanner lazy answers use ("rg", "git" or "node"). */
  get scannerName(): ScannerName { return this.scanner.name; }
  get fileCount(): number { return this.store.size; }

  private workers(): ParsePool {
    this.pool ??= new ParsePool(this.opts.workers ?? defaultWorkerCount(), this.maxBytes);
    return this.pool;
  }

  /** Tree-relative path with `/`, or undefined when outside the tree. */
  private rel(path: string): string | undefined {
    const abs = isAbsolute(path) ? normalize(path) : join(this.root, normalize(path));
    const rel = relative(this.root, abs);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
    return rel.split(sep).join('/');
  }

  private keep(rel: string, r: IndexedFile, strings: string[] | LocalStrings | null): Entry {
    const entry: Entry = { path: rel, size: r.size, mtimeMs: r.mtimeMs, hash: r.hash, data: r.data };
    if (r.problem !== undefined) entry.problem = r.problem;
    if (strings === null) this.store.put(entry);
    else this.store.putForeign(entry, Array.isArray(strings) ? { str: (id) => strings[id] } : strings);
    this.dirty = true;
    return entry;
  }

  /**
   * Brings the entries of `rels` up to date: unchanged stat means fresh; a changed stat with the
   * same content hash too; anything else is parsed in the workers. Gone files are dropped.
   */
  private async refresh(rels: Iterable<string>, onDone?: (parsed: boolean) => void): Promise<{ entries: Entry[]; parsed: number }> {
    const entries: Entry[] = [];
    const jobs: Promise<void>[] = [];
    let parsed = 0;
    for (const rel of rels) {
      const abs = join(this.root, rel);
      let size: number, mtimeMs: number;
      try {
        const st = statSync(abs);
        if (!st.isFile()) throw new Error('not a file');
        size = st.size; mtimeMs = st.mtimeMs;
      } catch {
        if (this.store.get(rel)) { this.store.delete(rel); this.dirty = true; }
        onDone?.(false);
        continue;
      }
      const cached = this.store.get(rel);
      if (cached && cached.size === size && cached.mtimeMs === mtimeMs) { entries.push(cached); onDone?.(false); continue; }
      if (cached && cached.size === size && size <= this.maxBytes) {
        try {
          if (contentHash(readFileSync(abs)) === cached.hash) {
            this.store.touch(rel, size, mtimeMs);
            this.dirty = true;
            entries.push(cached);
            onDone?.(false);
            continue;
          }
        } catch { /* unreadable now: the worker will say so */ }
      }
      parsed++;
      jobs.push(this.workers().index(abs, rel).then((reply) => {
        if (reply.closed) {
          // Cancelled (close() during a run): the file keeps whatever entry it had.
          this.cancelled = true;
          if (cached) entries.push(cached);
        } else if (reply.fatal) {
          // mtime -1: a worker failure may be ours, not the file's; try again next run.
          entries.push(this.keep(rel, { size, mtimeMs: -1, hash: `failed:${size}`, problem: reply.fatal, data: emptyData() }, null));
        } else if (reply.result) {
          entries.push(this.keep(rel, reply.result, reply.strings));
        } else if (this.store.get(rel)) {
          this.store.delete(rel);
        }
        onDone?.(true);
      }));
    }
    await Promise.all(jobs);
    return { entries, parsed };
  }

  /** How a query finds the files that may mention a name. */
  private readonly entriesFor = async (name: string): Promise<Entry[]> => {
    if (this.complete) return this.store.mentioning(name);
    const word = name.startsWith('.') ? name.slice(1) : name;
    // On a cold tree, workers start (and load the grammar) while the scan runs: both take a few
    // hundred ms. With a cache, most answers need no parsing at all: start them on demand.
    if (this.store.size === 0) this.workers().start();
    let files: Set<string>;
    try {
      files = await this.scanner.scan([word]);
    } catch {
      // A scanner that fails (rg removed, git broken) must not fail the answer: scan in Node.
      this.scanner = createWordScanner(this.root, 'node');
      files = await this.scanner.scan([word]);
    }
    return (await this.refresh(files)).entries;
  };

  /**
   * The answers of a complete index, kept while the store does not change (any put or delete
   * drops them): the language server and a series review ask the same names again and again.
   * A lazy index answers afresh, since each answer first brings the files it reads up to date.
   */
  private kept(): Answers | undefined {
    if (!this.complete) return undefined;
    if (this.answers?.generation !== this.store.generation) this.answers = new Answers(this.store.generation);
    return this.answers;
  }

  async callers(name: string): Promise<CallSite[]> {
    const kept = this.kept();
    if (!kept) return findCallers(this.store, this.entriesFor, name);
    return [...(await keep(kept.callers, name, () => findCallers(this.store, this.entriesFor, name, kept)))];
  }

  async definitions(name: string): Promise<FunctionDef[]> {
    const kept = this.kept();
    if (!kept) return findDefinitions(this.store, this.entriesFor, name);
    return [...(await keep(kept.definitions, name, () => findDefinitions(this.store, this.entriesFor, name)))];
  }

  async bindings(name: string): Promise<OpsBinding[]> {
    const kept = this.kept();
    if (!kept) return findBindings(this.store, this.entriesFor, name);
    return [...(await keep(kept.bindings, name, () => findBindings(this.store, this.entriesFor, name)))];
  }

  async file(path: string): Promise<FileIndex | undefined> {
    const rel = this.rel(path);
    if (rel === undefined) return undefined;
    const entry = this.complete ? this.store.get(rel) : (await this.refresh([rel])).entries[0];
    if (!entry) return undefined;
    // Decoded once per entry: a new entry (reindexed file) is a new key.
    let index = this.decoded.get(entry);
    if (!index) this.decoded.set(entry, (index = this.store.fileIndex(entry)));
    return index;
  }

  /** Indexes every source file of the tree (reusing fresh cache entries); then answers from memory. */
  async indexAll(onProgress = this.opts.onProgress): Promise<IndexSummary> {
    const started = performance.now();
    const files = listSourceFiles(this.root);
    const present = new Set(files);
    let removed = 0;
    for (const e of [...this.store.all()]) if (!present.has(e.path)) { this.store.delete(e.path); removed++; this.dirty = true; }
    let done = 0;
    onProgress?.({ done, total: files.length });
    this.cancelled = false;
    const { parsed } = await this.refresh(files, () => { done++; onProgress?.({ done, total: files.length }); });
    // A run stopped by close() leaves the index lazy: answers still scan for what they need.
    this.complete = !this.cancelled;
    const counts = this.store.counts();
    const problems = [...this.store.all()].filter((e) => e.problem !== undefined).map((e) => ({ file: e.path, reason: e.problem! }));
    const summary: IndexSummary = {
      files: counts.files, parsed, fromCache: counts.files - parsed, removed,
      functions: counts.functions, calls: counts.calls, bindings: counts.bindings,
      problems: problems.sort((a, b) => (a.file < b.file ? -1 : 1)),
      seconds: (performance.now() - started) / 1000, cacheFile: this.cacheFile,
    };
    if (this.cacheRejected) summary.cacheRejected = this.cacheRejected;
    if (this.cancelled) summary.cancelled = true;
    return summary;
  }

  /**
   * Reindexes one file on the main thread (no worker round trip), from disk or from the text
   * an editor holds. Returns its new index, or undefined when the file is gone or outside the tree.
   */
  async reindexFile(path: string, text?: string): Promise<FileIndex | undefined> {
    const rel = this.rel(path);
    if (rel === undefined) return undefined;
    const parser = await (this.parser ??= createCParser());
    const strings = this.store.strings;
    let r: IndexedFile | undefined;
    if (text !== undefined) {
      const bytes = Buffer.from(text, 'utf8');
      // An editor's text may differ from the disk: a zero mtime makes the next stat re-check it.
      r = indexBytes(parser, rel, bytes, { size: bytes.length, mtimeMs: 0 }, strings);
    } else {
      r = indexOneFile(parser, join(this.root, rel), rel, this.maxBytes, strings);
    }
    if (!r) {
      this.store.delete(rel);
      this.dirty = true;
      return undefined;
    }
    return this.store.fileIndex(this.keep(rel, r, null));
  }

  /** The names of all functions defined in the files indexed so far, sorted, without repeats. */
  functionNames(): string[] {
    const names = new Set<string>();
    for (const e of this.store.all()) for (const f of this.store.records<{ name: string }>(e, 'functions', 0)) names.add(f.name);
    return [...names].sort();
  }

  /** Loads the parser and the postings ahead of time (the language server calls it when idle). */
  async warm(): Promise<void> {
    await (this.parser ??= createCParser());
    this.store.mentioning('');
  }

  /** Writes the cache file if anything changed. Returns whether it wrote. */
  save(): boolean {
    if (!this.dirty) return false;
    // `complete` says the cache once covered the whole tree; later lazy saves keep that true
    // (entries are only added or refreshed), and a refresh on open catches files added since.
    saveStore(this.store, this.cacheFile, this.root, this.complete || this.cacheWasComplete);
    this.dirty = false;
    return true;
  }

  /** Stops the workers (the index stays usable; parsing restarts them). Closing during
   *  `indexAll` cancels it: what was parsed is kept, the run ends with `cancelled`. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }
}

/** What a complete index keeps of its answers for one generation of its store. */
class Answers implements QueryMemo {
  readonly calls = new Map<string, CallSite[]>();
  readonly callers = new Map<string, Promise<CallSite[]>>();
  readonly definitions = new Map<string, Promise<FunctionDef[]>>();
  readonly bindings = new Map<string, Promise<OpsBinding[]>>();
  constructor(readonly generation: number) {}
}

function keep<T>(map: Map<string, Promise<T>>, key: string, ask: () => Promise<T>): Promise<T> {
  let p = map.get(key);
  if (!p) {
    p = ask();
    map.set(key, p);
    // A failed answer is not kept: the next question asks again.
    p.catch(() => { if (map.get(key) === p) map.delete(key); });
  }
  return p;
}

function emptyData(): Int32Array {
  return new Int32Array(HEADER);
}

/** Opens the call graph of a tree: lazy answers now, from the cache where it is fresh. */
export async function openCallGraph(root: string, opts: IndexOptions = {}): Promise<ProjectIndex> {
  const graph = ProjectIndex.open(root, opts);
  if (opts.refreshCompleteCache && graph.cacheWasComplete) await graph.indexAll(() => undefined);
  return graph;
}


/** Indexes every `.c`/`.h` of a tree (through the cache) and returns the complete graph. */
export async function indexTree(root: string, opts: IndexOptions = {}): Promise<{ graph: ProjectIndex; summary: IndexSummary }> {
  const graph = ProjectIndex.open(root, opts);
  const summary = await graph.indexAll();
  return { graph, summary };
}
