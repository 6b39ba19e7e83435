// The in-memory index of a tree: one packed entry per file (see packed.ts), one string table,
// and a posting list from every name to the files that mention it as a callee, a definition, a
// binding or a macro. Queries decode only the records they return.
import type { FileIndex } from '../model';
import {
  decodeRecord, forEachStringSlot, KINDS, recordCount, recordsStart, remapStrings, unpackFileIndex, WIDTH,
  type RecordKind, type StringSink, type StringSource,
} from './packed';

/** What the cache knows about one file: its stat and content hash, and what it holds. */
export interface Entry {
  /** Tree-relative path with `/`. */
  path: string;
  size: number;
  mtimeMs: number;
  /** Hex content hash of the bytes the entry was built from. */
  hash: string;
  /** Why the file was skipped or only partly indexed. */
  problem?: string;
  /** Packed records, string ids in the store's table. */
  data: Int32Array;
}

/** The store's string table: dense ids, so per-name arrays can be indexed by id. */
export class StringTable implements StringSink, StringSource {
  private ids: Map<string, number> | undefined;
  constructor(readonly list: string[] = []) {}
  private map(): Map<string, number> {
    if (!this.ids) {
      this.ids = new Map();
      for (let i = 0; i < this.list.length; i++) this.ids.set(this.list[i], i);
    }
    return this.ids;
  }
  id(s: string): number {
    const m = this.map();
    let id = m.get(s);
    if (id === undefined) { id = this.list.length; this.list.push(s); m.set(s, id); }
    return id;
  }
  /** The id of a string already in the table, or -1. */
  find(s: string): number {
    return this.map().get(s) ?? -1;
  }
  str(id: number): string { return this.list[id]; }
}

// The slots whose names are worth a posting: a query asks for them by name.
const POSTED: { kind: RecordKind; slot: number }[] = [
  { kind: 'functions', slot: 0 },
  { kind: 'calls', slot: 1 },
  { kind: 'bindings', slot: 1 },
  { kind: 'bindings', slot: 0 },
  { kind: 'macros', slot: 1 },
  { kind: 'macros', slot: 0 },
];

export class IndexStore {
  readonly strings: StringTable;
  private readonly entries = new Map<string, Entry>();
  // name id -> entries mentioning it in a posted slot; built on first query, then kept up to date.
  private postings: (Entry[] | undefined)[] | undefined;
  /** Goes up whenever an entry is added, replaced or removed: answers kept from before are stale. */
  generation = 0;

  constructor(strings = new StringTable()) {
    this.strings = strings;
  }

  get size(): number { return this.entries.size; }
  get(path: string): Entry | undefined { return this.entries.get(path); }
  all(): IterableIterator<Entry> { return this.entries.values(); }

  /** Adds or replaces an entry whose data uses this store's string ids. */
  put(entry: Entry): void {
    const old = this.entries.get(entry.path);
    if (old && this.postings) this.unpost(old);
    this.generation++;
    this.entries.set(entry.path, entry);
    if (this.postings) this.post(entry);
  }

  /** Adds an entry whose data uses another string table (a worker's), remapping it. */
  putForeign(entry: Entry, from: StringSource): void {
    remapStrings(entry.data, from, this.strings);
    this.put(entry);
  }

  /** Updates the stat of an entry whose content was found unchanged. */
  touch(path: string, size: number, mtimeMs: number): void {
    const e = this.entries.get(path);
    if (e) { e.size = size; e.mtimeMs = mtimeMs; }
  }

  delete(path: string): void {
    const old = this.entries.get(path);
    if (!old) return;
    if (this.postings) this.unpost(old);
    this.generation++;
    this.entries.delete(path);
  }

  private namesOf(entry: Entry, fn: (id: number) => void): void {
    for (const { kind, slot } of POSTED) {
      const start = recordsStart(entry.data, kind);
      const w = WIDTH[kind];
      for (let r = 0, n = recordCount(entry.data, kind); r < n; r++) {
        const id = entry.data[start + r * w + slot];
        if (id >= 0) fn(id);
      }
    }
  }

  private post(entry: Entry): void {
    const postings = this.postings!;
    const seen = new Set<number>();
    this.namesOf(entry, (id) => {
      if (seen.has(id)) return;
      seen.add(id);
      (postings[id] ??= []).push(entry);
    });
  }

  private unpost(entry: Entry): void {
    const postings = this.postings!;
    const seen = new Set<number>();
    this.namesOf(entry, (id) => {
      if (seen.has(id)) return;
      seen.add(id);
      const list = postings[id];
      if (list) postings[id] = list.filter((e) => e !== entry);
    });
  }

  private ensurePostings(): (Entry[] | undefined)[] {
    if (!this.postings) {
      // Runs over every record of a whole tree at once (a million call sites for a kernel), so
      // plain loops, and a stamp per name id instead of a Set per file to dedupe within a file.
      const n = this.strings.list.length;
      const postings: (Entry[] | undefined)[] = new Array(n).fill(undefined);
      const stamp = new Int32Array(n).fill(-1);
      let mark = 0;
      for (const entry of this.entries.values()) {
        const data = entry.data;
        for (const { kind, slot } of POSTED) {
          const start = recordsStart(data, kind) + slot;
          const w = WIDTH[kind];
          const end = start + recordCount(data, kind) * w;
          for (let at = start; at < end; at += w) {
            const id = data[at];
            if (id < 0 || stamp[id] === mark) continue;
            stamp[id] = mark;
            const list = postings[id];
            if (list) list.push(entry); else postings[id] = [entry];
          }
        }
        mark++;
      }
      this.postings = postings;
    }
    return this.postings;
  }

  /** Entries that mention `name` in a posted slot (callee, definition, binding, macro). */
  mentioning(name: string): Entry[] {
    const id = this.strings.find(name);
    if (id < 0) return [];
    return this.ensurePostings()[id] ?? [];
  }

  /**
   * Records of `kind` in `entry` whose string `slot` holds `name`, decoded. With no name, all
   * records of that kind.
   */
  records<T>(entry: Entry, kind: RecordKind, slot: number, name?: string): T[] {
    const id = name === undefined ? -2 : this.strings.find(name);
    if (id === -1) return [];
    const start = recordsStart(entry.data, kind);
    const w = WIDTH[kind];
    const out: T[] = [];
    for (let r = 0, n = recordCount(entry.data, kind); r < n; r++) {
      const at = start + r * w;
      if (id === -2 || entry.data[at + slot] === id) out.push(decodeRecord<T>(kind, entry.data, at, entry.path, this.strings));
    }
    return out;
  }

  fileIndex(entry: Entry): FileIndex {
    return unpackFileIndex(entry.data, { file: entry.path, hash: entry.hash, problem: entry.problem }, this.strings);
  }

  /** Totals over the store, for summaries. */
  counts(): { files: number; functions: number; calls: number; bindings: number; problems: number } {
    let functions = 0, calls = 0, bindings = 0, problems = 0;
    for (const e of this.entries.values()) {
      functions += recordCount(e.data, 'functions');
      calls += recordCount(e.data, 'calls');
      bindings += recordCount(e.data, 'bindings');
      if (e.problem !== undefined) problems++;
    }
    return { files: this.entries.size, functions, calls, bindings, problems };
  }
}

/** Checks that every string id in packed data is inside a table of `n` strings (cache sanity). */
export function idsInRange(data: Int32Array, n: number): boolean {
  let ok = true;
  if (data.length < KINDS.length + 1) return false;
  try {
    let need = KINDS.length + 1 + data[KINDS.length];
    for (const k of KINDS) { if (data[KINDS.indexOf(k)] < 0) return false; need += data[KINDS.indexOf(k)] * WIDTH[k]; }
    if (need !== data.length) return false;
    forEachStringSlot(data, (at) => { if (data[at] >= n || data[at] < -1) ok = false; });
  } catch {
    return false;
  }
  return ok;
}
