// The compact form of a FileIndex: every record becomes a fixed run of 32-bit ints, strings
// become ids into a string table. Workers send it (one transferable buffer instead of a large
// object graph), the store keeps it in memory, and the cache file is a concatenation of it, so a
// 20k-file tree reloads as a few typed-array views instead of a million JSON objects.
import type { CallSite, FileIndex, FunctionDef, FunctionRef, MacroWrapper, OpsBinding } from '../model';

/** A string slot ('s', -1 = null/absent), a plain int ('i'), or the JSON of fields not known here ('x'). */
type Slot = 's' | 'i' | 'x';

/**
 * Record layouts, in order. Fields of the model added later by others are not lost: whatever
 * this table does not name travels in the 'x' slot as JSON.
 */
const LAYOUTS = {
  functions: [['name', 's'], ['line', 'i'], ['endLine', 'i'], ['signature', 's'], ['isStatic', 'i'], ['exported', 'i'], ['syscall', 's'], ['', 'x']],
  calls: [['caller', 's'], ['callee', 's'], ['line', 'i'], ['column', 'i'], ['use', 's'], ['uses', 's'], ['comparedWith', 's'], ['via', 's'], ['local', 's'], ['receiver', 's'], ['', 'x']],
  bindings: [['field', 's'], ['function', 's'], ['line', 'i'], ['owner', 's'], ['ownerType', 's'], ['', 'x']],
  refs: [['function', 's'], ['line', 'i'], ['inFunction', 's'], ['argumentOf', 's'], ['', 'x']],
  macros: [['name', 's'], ['callee', 's'], ['line', 'i'], ['', 'x']],
} as const satisfies Record<string, readonly (readonly [string, Slot])[]>;

export type RecordKind = keyof typeof LAYOUTS;
export const KINDS = Object.keys(LAYOUTS) as RecordKind[];
/** Ints per record of each kind. */
export const WIDTH: Record<RecordKind, number> = Object.fromEntries(KINDS.map((k) => [k, LAYOUTS[k].length])) as Record<RecordKind, number>;
/** Header: one count per kind, then the number of exports. */
export const HEADER = KINDS.length + 1;

/** Offsets of the string slots of each kind (for remapping ids between string tables). */
const STRING_SLOTS: Record<RecordKind, number[]> = Object.fromEntries(
  KINDS.map((k) => [k, LAYOUTS[k].flatMap(([, s], i) => (s === 'i' ? [] : [i]))]),
) as Record<RecordKind, number[]>;

// Fields whose absence is `null` in the model rather than a missing property.
const NULLABLE = new Set(['caller', 'via', 'inFunction']);
// Fields held as one joined string: lists of words.
const LISTS = new Set(['uses', 'comparedWith']);
const SEP = '\u0001';
// Fields never stored: implied by the file the record belongs to.
const IMPLIED = new Set(['file']);

/** Interns strings as dense ids. */
export interface StringSink {
  id(s: string): number;
}
export interface StringSource {
  str(id: number): string;
}

/** A string table local to one packing (a worker's result). */
export class LocalStrings implements StringSink, StringSource {
  readonly list: string[] = [];
  private readonly ids = new Map<string, number>();
  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) { id = this.list.length; this.list.push(s); this.ids.set(s, id); }
    return id;
  }
  str(id: number): string { return this.list[id]; }
}

type AnyRecord = Record<string, unknown>;

function packRecords(kind: RecordKind, records: readonly object[], strings: StringSink, out: number[]): void {
  const layout = LAYOUTS[kind];
  const known = new Set<string>(layout.map(([f]) => f));
  for (const rec of records as AnyRecord[]) {
    for (const [field, slot] of layout) {
      if (slot === 'x') {
        let extra: AnyRecord | undefined;
        for (const key of Object.keys(rec)) {
          if (known.has(key) || IMPLIED.has(key) || rec[key] === undefined) continue;
          (extra ??= {})[key] = rec[key];
        }
        out.push(extra ? strings.id(JSON.stringify(extra)) : -1);
      } else if (slot === 'i') {
        const v = rec[field];
        out.push(typeof v === 'boolean' ? Number(v) : typeof v === 'number' ? v | 0 : 0);
      } else {
        const v = rec[field];
        if (v === null || v === undefined) out.push(-1);
        else if (Array.isArray(v)) out.push(strings.id(v.join(SEP)));
        else out.push(strings.id(String(v)));
      }
    }
  }
}

/** Packs the records of a FileIndex (not its path, hash or problem: the store keeps those). */
export function packFileIndex(index: FileIndex, strings: StringSink): Int32Array {
  const out: number[] = [];
  for (const k of KINDS) out.push((index[k] as readonly object[]).length);
  out.push(index.exports.length);
  for (const k of KINDS) packRecords(k, index[k] as readonly object[], strings, out);
  for (const e of index.exports) out.push(strings.id(e));
  return Int32Array.from(out);
}

/** Start offset of the records of `kind` in packed data. */
export function recordsStart(data: Int32Array, kind: RecordKind): number {
  let at = HEADER;
  for (const k of KINDS) {
    if (k === kind) return at;
    at += data[KINDS.indexOf(k)] * WIDTH[k];
  }
  return at;
}

export function recordCount(data: Int32Array, kind: RecordKind): number {
  return data[KINDS.indexOf(kind)];
}

function exportsStart(data: Int32Array): number {
  const last = KINDS[KINDS.length - 1];
  return recordsStart(data, last) + recordCount(data, last) * WIDTH[last];
}

/** Calls `fn(id)` for every string id in packed data (to intern, remap or index names). */
export function forEachStringSlot(data: Int32Array, fn: (at: number) => void): void {
  for (const k of KINDS) {
    const start = recordsStart(data, k);
    const n = recordCount(data, k);
    const w = WIDTH[k];
    for (let r = 0; r < n; r++) for (const s of STRING_SLOTS[k]) fn(start + r * w + s);
  }
  const ex = exportsStart(data);
  for (let i = 0; i < data[KINDS.length]; i++) fn(ex + i);
}

/** Rewrites the string ids of packed data from one table to another, in place. */
export function remapStrings(data: Int32Array, from: StringSource, to: StringSink): void {
  forEachStringSlot(data, (at) => { if (data[at] >= 0) data[at] = to.id(from.str(data[at])); });
}

/** Decodes one record of `kind` at `offset` into its model object. */
export function decodeRecord<T>(kind: RecordKind, data: Int32Array, offset: number, file: string, strings: StringSource): T {
  const rec: AnyRecord = {};
  const layout = LAYOUTS[kind];
  let extra: AnyRecord | undefined;
  for (let i = 0; i < layout.length; i++) {
    const [field, slot] = layout[i];
    const v = data[offset + i];
    if (slot === 'i') {
      rec[field] = field === 'isStatic' || field === 'exported' ? v !== 0 : v;
    } else if (slot === 'x') {
      if (v >= 0) extra = JSON.parse(strings.str(v)) as AnyRecord;
    } else if (v < 0) {
      if (NULLABLE.has(field)) rec[field] = null;
    } else {
      const s = strings.str(v);
      rec[field] = LISTS.has(field) ? (s === '' ? [] : s.split(SEP)) : s;
    }
    if (i === 0) rec.file = file;
  }
  return (extra ? { ...rec, ...extra } : rec) as T;
}

/** Decodes all records of one kind. */
export function decodeAll<T>(kind: RecordKind, data: Int32Array, file: string, strings: StringSource): T[] {
  const start = recordsStart(data, kind);
  const w = WIDTH[kind];
  const out: T[] = [];
  for (let r = 0, n = recordCount(data, kind); r < n; r++) out.push(decodeRecord<T>(kind, data, start + r * w, file, strings));
  return out;
}

/** The whole FileIndex back from packed data. */
export function unpackFileIndex(data: Int32Array, meta: { file: string; hash: string; problem?: string }, strings: StringSource): FileIndex {
  const ex = exportsStart(data);
  const exports: string[] = [];
  for (let i = 0; i < data[KINDS.length]; i++) exports.push(strings.str(data[ex + i]));
  const index: FileIndex = {
    file: meta.file,
    hash: meta.hash,
    functions: decodeAll<FunctionDef>('functions', data, meta.file, strings),
    calls: decodeAll<CallSite>('calls', data, meta.file, strings),
    bindings: decodeAll<OpsBinding>('bindings', data, meta.file, strings),
    refs: decodeAll<FunctionRef>('refs', data, meta.file, strings),
    macros: decodeAll<MacroWrapper>('macros', data, meta.file, strings),
    exports,
  };
  if (meta.problem !== undefined) index.problem = meta.problem;
  return index;
}

/** Slot offsets callers of the store need without decoding whole records. */
export const SLOT = {
  functionName: 0,
  callCallee: 1,
  callLine: 2,
  bindingField: 0,
  bindingFunction: 1,
  macroName: 0,
  macroCallee: 1,
} as const;
