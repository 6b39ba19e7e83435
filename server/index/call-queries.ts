// The call-graph questions over the store, the same for a complete index and a lazy one: the
// only difference is how the files that mention a name are found (postings, or a word scan of
// the tree followed by parsing what is new), which the caller supplies.
import type { CallSite, FunctionDef, OpsBinding } from '../model';
import { SLOT } from './packed';
import type { Entry, IndexStore } from './store';

/** The fresh entries of the files that may mention `name` (a function, macro or `.field`). */
export type EntriesFor = (name: string) => Promise<Entry[]>;

/** How deep macro wrappers of wrappers are followed (`#define a(x) b(x)`, `#define b(x) c(x)`). */
const MAX_WRAPPER_DEPTH = 8;

function siteKey(c: CallSite): string {
  return `${c.file}:${c.line}:${c.column}:${c.via ?? ''}`;
}

export function byPlace(a: { file: string; line: number; column?: number }, b: { file: string; line: number; column?: number }): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.column ?? 0) - (b.column ?? 0);
}

/**
 * Every call site of `name`: direct calls; calls of function-like macros that wrap it (then
 * `macro` names the wrapper); indirect calls through every ops field it is bound to (then
 * `via` names the field). Each site's `callee` is `name`.
 */
export async function findCallers(store: IndexStore, entriesFor: EntriesFor, name: string): Promise<CallSite[]> {
  const found = new Map<string, CallSite>();
  const add = (c: CallSite) => { if (!found.has(siteKey(c))) found.set(siteKey(c), c); };
  const seen = new Set<string>();
  const fields = new Set<string>();

  const walk = async (target: string, depth: number): Promise<void> => {
    if (seen.has(target) || depth > MAX_WRAPPER_DEPTH) return;
    seen.add(target);
    const wrappers = new Set<string>();
    for (const e of await entriesFor(target)) {
      for (const c of store.records<CallSite>(e, 'calls', SLOT.callCallee, target)) {
        add(target === name ? c : { ...c, callee: name, macro: target });
      }
      for (const m of store.records<{ name: string }>(e, 'macros', SLOT.macroCallee, target)) if (m.name !== target) wrappers.add(m.name);
      if (target === name) for (const b of store.records<OpsBinding>(e, 'bindings', SLOT.bindingFunction, target)) fields.add(b.field);
    }
    for (const w of [...wrappers].sort()) await walk(w, depth + 1);
  };
  await walk(name, 0);

  for (const field of [...fields].sort()) {
    for (const e of await entriesFor(field)) {
      for (const c of store.records<CallSite>(e, 'calls', SLOT.callCallee, field)) add({ ...c, callee: name, via: field });
    }
  }
  return [...found.values()].sort(byPlace);
}

export async function findDefinitions(store: IndexStore, entriesFor: EntriesFor, name: string): Promise<FunctionDef[]> {
  const out: FunctionDef[] = [];
  for (const e of await entriesFor(name)) out.push(...store.records<FunctionDef>(e, 'functions', SLOT.functionName, name));
  return out.sort(byPlace);
}

export async function findBindings(store: IndexStore, entriesFor: EntriesFor, name: string): Promise<OpsBinding[]> {
  const out: OpsBinding[] = [];
  for (const e of await entriesFor(name)) out.push(...store.records<OpsBinding>(e, 'bindings', SLOT.bindingFunction, name));
  return out.sort(byPlace);
}
