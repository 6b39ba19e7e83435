// The call-graph questions over the store, the same for a complete index and a lazy one: the
// only difference is how the files that mention a name are found (postings, or a word scan of
// the tree followed by parsing what is new), which the caller supplies.
import type { CallSite, FunctionDef, OpsBinding } from '../model';
import { definitionsInEffect, type NameDefinition } from './macro-scope';
import { SLOT } from './packed';
import type { Entry, IndexStore } from './store';

/** The fresh entries of the files that may mention `name` (a function, macro or `.field`). */
export type EntriesFor = (name: string) => Promise<Entry[]>;

/**
 * Answers a graph keeps between questions while its index does not change: the call records of
 * each name (a generic ops field such as `.open` is asked for again by every function bound to
 * it). Only a complete index keeps one; a lazy one re-checks the files each time.
 */
export interface QueryMemo {
  /** Call records whose callee (as written: a function, a macro or a `.field`) is the key. */
  calls: Map<string, CallSite[]>;
}

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
 *
 * A call of a wrapper counts only where a definition of that wrapper which leads to `name` is
 * in effect (macro-scope.ts): an architecture's `#define ioremap(…) __arch_ioremap(…)` is not a
 * call of `__arch_ioremap` in another architecture or in generic code that other definitions
 * serve, and a macro of a .c file is that file's alone. For wrappers of wrappers, every link of
 * the chain must be in effect at the call site (macros expand where they are used).
 */
export async function findCallers(store: IndexStore, entriesFor: EntriesFor, name: string, memo?: QueryMemo): Promise<CallSite[]> {
  const found = new Map<string, CallSite>();
  const add = (c: CallSite) => { if (!found.has(siteKey(c))) found.set(siteKey(c), c); };
  const seen = new Set<string>();
  const fields = new Set<string>();
  // For each wrapper walked: every definition of its name (macros wrapping anything, function
  // bodies), and the calls of it, judged once the whole chain is known.
  const defs = new Map<string, NameDefinition[]>();
  const wrapperCalls: { macro: string; site: CallSite }[] = [];

  const walk = async (target: string, depth: number): Promise<void> => {
    if (seen.has(target) || depth > MAX_WRAPPER_DEPTH) return;
    seen.add(target);
    const wrappers = new Set<string>();
    const mine: NameDefinition[] = [];
    const entries = await entriesFor(target);
    for (const c of callsOf(store, entries, target, memo)) {
      if (target === name) add(c); else wrapperCalls.push({ macro: target, site: c });
    }
    for (const e of entries) {
      for (const m of store.records<{ name: string }>(e, 'macros', SLOT.macroCallee, target)) if (m.name !== target) wrappers.add(m.name);
      if (target === name) for (const b of store.records<OpsBinding>(e, 'bindings', SLOT.bindingFunction, target)) fields.add(b.field);
      else {
        for (const m of store.records<{ callee: string }>(e, 'macros', SLOT.macroName, target)) mine.push({ file: e.path, callee: m.callee });
        for (const f of store.records<FunctionDef>(e, 'functions', SLOT.functionName, target)) mine.push({ file: e.path, callee: null, isStatic: f.isStatic });
      }
    }
    if (target !== name) defs.set(target, mine);
    for (const w of [...wrappers].sort()) await walk(w, depth + 1);
  };
  await walk(name, 0);

  // Does a call of `macro` in `file` expand, through definitions in effect there, to `name`?
  const leads = new Map<string, boolean>();
  const leadsToName = (macro: string, file: string, open: Set<string>): boolean => {
    if (macro === name) return true;
    // Only answers asked from the top are kept: one found inside a cycle depends on the path.
    const top = open.size === 0;
    const key = `${macro}\0${file}`;
    const known = top ? leads.get(key) : undefined;
    if (known !== undefined) return known;
    if (open.has(macro)) return false; // a cycle of macros leads nowhere
    open.add(macro);
    const yes = definitionsInEffect(defs.get(macro) ?? [], file)
      .some((d) => d.callee !== null && d.callee !== macro && seen.has(d.callee) && leadsToName(d.callee, file, open));
    open.delete(macro);
    if (top) leads.set(key, yes);
    return yes;
  };
  for (const { macro, site } of wrapperCalls) {
    if (leadsToName(macro, site.file, new Set())) add({ ...site, callee: name, macro });
  }

  for (const field of [...fields].sort()) {
    for (const c of callsOf(store, await entriesFor(field), field, memo)) add({ ...c, callee: name, via: field });
  }
  return [...found.values()].sort(byPlace);
}

/** The call records of `target` (as written) in `entries`, kept in `memo` when there is one. */
function callsOf(store: IndexStore, entries: Entry[], target: string, memo?: QueryMemo): CallSite[] {
  let calls = memo?.calls.get(target);
  if (!calls) {
    calls = [];
    for (const e of entries) for (const c of store.records<CallSite>(e, 'calls', SLOT.callCallee, target)) calls.push(c);
    memo?.calls.set(target, calls);
  }
  return calls;
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
