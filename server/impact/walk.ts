// The caller walk: from a function whose return values changed, up through its callers (direct,
// through macro wrappers, and through ops fields with `via`), carrying the delta, judging every
// call site, going on where the value propagates, and stopping at system calls and ops-table
// entry points, where it says what user space sees. Depth-bounded; cycles are cut.
import type { CallGraph } from '../index/graph';
import type { CallSite, CallerImpact, FileIndex, FunctionDef, OpsBinding } from '../model';
import type { TreeSource } from '../tree';
import type { FunctionBody, ParsedFiles } from './c-syntax';
import { plausibleSites } from './receiver';
import { judgeSite, needsBody, type SiteJudgement } from './verdict';
import { deltaIsEmpty, renderDelta, userValue, type Delta } from './values';

export interface WalkContext {
  graph: CallGraph;
  pre: TreeSource;
  post: TreeSource;
  files: ParsedFiles;
  /** How far up the walk goes (1 = direct callers only). */
  depth: number;
  /**
   * Past the depth bound, how many more levels a silent probe follows propagating callers to find
   * the system calls the value reaches (reported on the last row, not as rows). 0: no probe.
   */
  probe?: number;
  /** At most this many call sites are judged per walk; then it stops and says so. */
  maxSites?: number;
}

/** Default levels of the probe past the bound: enough for sys_write → ... → f_op->aio_write. */
export const DEFAULT_PROBE = 4;
/** Default budget of judged call sites per walk; each probe past the bound gets at most a quarter, all of them together the whole budget once more. */
export const DEFAULT_MAX_SITES = 2000;
/**
 * Sites every probe may judge even when the probes before it spent the shared budget: a wide
 * fan-out through a generic ops field (`.write` reaching hundreds of tty and PCI helpers) must not
 * leave a later row (vfs_write, one level below sys_write) unable to name its system call.
 */
export const PROBE_FLOOR = 100;

/** Where the walk starts: a changed function, in the file that defines it. */
export interface WalkStart {
  function: string;
  file: string;
  delta: Delta;
}

/**
 * The system call a function is the entry point of: from SYSCALL_DEFINEn (FunctionDef.syscall),
 * else by the kernel's naming rule for `asmlinkage long sys_write(...)` (trees before 2.6.28
 * have no SYSCALL_DEFINE).
 */
export function syscallOf(name: string, def?: FunctionDef): string | null {
  if (def?.syscall) return def.syscall;
  const m = /^(?:compat_)?sys_([a-z0-9_]+)$/.exec(name);
  return m ? m[1] : null;
}

/** What user space sees at a system call: "write(2): EIO -> EBUSY". */
export function syscallSees(syscall: string, d: Delta): string {
  return `${syscall}(2): ${renderDelta(d)}`;
}

/** What an ops-table entry point hands back: ".aio_write (ext3_file_operations): EIO -> EBUSY". */
export function opsEntrySees(b: OpsBinding[], d: Delta): string {
  const where = [...new Set(b.map((x) => (x.owner ? `${x.field} (${x.owner})` : x.field)))].join(', ');
  return `${where}: ${renderDelta(d)}`;
}

/** Call sites of a function as the walk uses them, with the files whose text decided which were left out. */
interface FoundSites { sites: CallSite[]; dropped: CallSite[]; reads: string[] }

/**
 * The texts a kept answer was read from, in the images it was read from. The answer holds for
 * another patch's images where every one of those files has the same text: in a series, all but
 * the few files the patches before it touched.
 */
class Stamp {
  private constructor(private files: string[], private pre: (string | undefined)[], private post: (string | undefined)[] | null) {}
  static of(files: Iterable<string>, pre: TreeSource, post?: TreeSource): Stamp {
    const list = [...files];
    return new Stamp(list, list.map((f) => pre.read(f)), post ? list.map((f) => post.read(f)) : null);
  }
  holds(pre: TreeSource, post?: TreeSource): boolean {
    for (let i = 0; i < this.files.length; i++) {
      if (pre.read(this.files[i]) !== this.pre[i]) return false;
      if (this.post && (!post || post.read(this.files[i]) !== this.post[i])) return false;
    }
    return true;
  }
}

/** Per pre-image (one patch's analysis, its probes included): each function's call sites. */
const siteMemo = new WeakMap<TreeSource, Map<string, Promise<FoundSites>>>();
/** Per review (its ParsedFiles' table): call sites kept across patches, each with the texts it was read from. */
type SharedSites = { stamp: Stamp; found: FoundSites }[];

/**
 * The key under which answers that depend on the call graph are kept past one walk: they hold
 * only for the same graph at the same generation (a reindexed file, or the complete index that
 * replaces a lazy one, starts afresh). A graph without a generation keeps nothing past the walk.
 */
const graphIds = new WeakMap<object, number>();
let nextGraphId = 1;
function graphKey(graph: CallGraph): string | null {
  const g = graph as CallGraph & { underlying?: CallGraph };
  const base = g.underlying ?? graph;
  if (base.generation === undefined) return null;
  let id = graphIds.get(base);
  if (id === undefined) graphIds.set(base, (id = nextGraphId++));
  return `${id}:${base.generation}`;
}

/** What a probe past the bound found, and what that depended on. */
interface ProbeResult {
  /** What user space sees → the path from the entry point down to the probe's start. */
  seen: Map<string, string[]>;
  exhausted: boolean;
  /** Sites it judged, and the budget it had. */
  judged: number;
  budget: number;
  skipped: Map<string, Set<string>>;
  /** Every caller it judged: a path through one of them would be cut as a cycle. */
  visited: Set<string>;
  stamp: Stamp;
}

/** Judgements of sites whose caller's body was read, per body (bodies are kept per file text). */
const judgements = new WeakMap<FunctionBody, Map<string, SiteJudgement>>();

/** judgeSite, kept per body, site and delta: the probes and every patch of a series ask again. */
function judgeOnce(site: CallSite, delta: Delta, body: FunctionBody | null): SiteJudgement {
  if (!body) return judgeSite(site, delta, null);
  let memo = judgements.get(body);
  if (!memo) judgements.set(body, (memo = new Map()));
  const key = [site.line, site.column, site.caller, site.callee, site.macro ?? '', site.via ?? '', site.local ?? '', site.use, site.uses.join(','), (site.comparedWith ?? []).join(','), renderDelta(delta)].join('\0');
  let j = memo.get(key);
  if (!j) memo.set(key, (j = judgeSite(site, delta, body)));
  return j;
}
/** Per call graph (one analysis's CachedGraph): the definition a call from a file reaches. */
const definitionMemo = new WeakMap<CallGraph, Map<string, Promise<FunctionDef | undefined>>>();
/** Per post-image: whether the patch changes a file (the images do not change during a review). */
const changedFiles = new WeakMap<TreeSource, Map<string, boolean>>();

export class CallerWalk {
  /** What the walk left out and why (said as warnings by computeImpacts). */
  readonly notes = new Set<string>();
  /** Indirect call sites left out as implausible, per ops field. */
  readonly skipped = new Map<string, Set<string>>();
  /** Breadth-first mode (the probe): expansions wait here, nearest first. */
  private pending: (() => Promise<void>)[] | null = null;
  /** Call sites judged so far in this walk, against the budget. */
  private judged = 0;

  /** Probe results per (function, file, delta), and the sites all probes of this walk judged. */
  private probeMemo = new Map<string, { seen: Map<string, string[]>; exhausted: boolean }>();
  private probeSpent = 0;
  /** Call-site answers whose reads and left-out sites this walk has counted (since run()). */
  private merged = new Set<FoundSites>();
  /** In a probe: the files whose text its answer depends on, and the callers it judged. */
  private reads: Set<string> | null = null;
  private visited: Set<string> | null = null;

  private get budget(): number { return this.ctx.maxSites ?? DEFAULT_MAX_SITES; }
  private expanded = new Set<string>();

  constructor(private ctx: WalkContext) {}

  /** Every caller of `start.function`, transitively up to the depth, in walk order (a tree, depth-first). */
  async run(start: WalkStart): Promise<CallerImpact[]> {
    const out: CallerImpact[] = [];
    this.expanded.clear();
    this.merged.clear();
    this.judged = 0;
    this.probeSpent = 0;
    await this.up(start.function, start.file, start.delta, 1, [start.function], out);
    return out;
  }

  /** The definition of `name` that a call from `file` reaches: the static one there, else a global one. */
  private definitionFor(name: string, file: string): Promise<FunctionDef | undefined> {
    // Asked for every propagating site; the answer depends on the graph alone (kept per graph).
    let memo = definitionMemo.get(this.ctx.graph);
    if (!memo) definitionMemo.set(this.ctx.graph, (memo = new Map()));
    const key = `${name}\0${file}`;
    let found = memo.get(key);
    if (!found) memo.set(key, (found = this.findDefinition(name, file)));
    return found;
  }

  private async findDefinition(name: string, file: string): Promise<FunctionDef | undefined> {
    // The caller's own file answers without a search of the tree in almost every case.
    const own = (await this.ctx.graph.file(file))?.functions.find((f) => f.name === name);
    if (own) return own;
    const defs = await this.ctx.graph.definitions(name);
    return defs.find((d) => d.file === file) ?? defs.find((d) => !d.isStatic);
  }

  /** Call sites of `name` as defined in `file`: a static function is only called from its own file. */
  private async callSites(name: string, file: string): Promise<CallSite[]> {
    // A function's sites are asked for again by each path and probe that reaches it: the answer
    // (and what was left out) is kept for the run.
    let memo = siteMemo.get(this.ctx.pre);
    if (!memo) siteMemo.set(this.ctx.pre, (memo = new Map()));
    const key = `${name}\0${file}`;
    let found = memo.get(key);
    if (!found) memo.set(key, (found = this.keptCallSites(key, name, file)));
    const got = await found;
    // What was read and left out is the same each time a walk asks: added once per walk.
    if (!this.merged.has(got)) {
      this.merged.add(got);
      if (this.reads) for (const f of got.reads) this.reads.add(f);
      for (const d of got.dropped) this.skipped.set(d.via!, (this.skipped.get(d.via!) ?? new Set()).add(`${d.file}:${d.line}`));
    }
    return got.sites;
  }

  /** The sites another patch of the review found, where the texts they were read from are the same here. */
  private async keptCallSites(key: string, name: string, file: string): Promise<FoundSites> {
    const by = graphKey(this.ctx.graph);
    if (by === null) return this.findCallSites(name, file);
    const shared = this.ctx.files.table<SharedSites>('call sites', by);
    let list = shared.get(key);
    if (!list) shared.set(key, (list = []));
    const hit = list.find((e) => e.stamp.holds(this.ctx.pre));
    if (hit) return hit.found;
    const found = await this.findCallSites(name, file);
    list.push({ stamp: Stamp.of(found.reads, this.ctx.pre), found });
    return found;
  }

  private async findCallSites(name: string, file: string): Promise<FoundSites> {
    const def = await this.definitionFor(name, file);
    let left: CallSite[] = [];
    let sites = await this.ctx.graph.callers(name);
    const reads = new Set<string>();
    if (sites.some((s) => s.via)) {
      const holder = async (s: CallSite) => (await this.ctx.graph.file(s.file))?.functions.find((f) => f.name === s.caller && f.line <= s.line && s.line <= f.endLine);
      const bindings = await this.ctx.graph.bindings(name);
      // Which sites are plausible is read from the sites' files and the tables' files, unless
      // the index holds the receivers and the tables' types already.
      for (const s of sites) if (s.via && s.receiver === undefined) reads.add(s.file);
      for (const b of bindings) if (b.ownerType === undefined) reads.add(b.file);
      const { kept, dropped } = await plausibleSites(name, sites, bindings, this.ctx.pre, this.ctx.files, holder);
      left = dropped;
      sites = kept;
    }
    const local = def?.isStatic && !def.file.endsWith('.h');
    return { reads: [...reads], dropped: left, sites: sites
      // ...except through an ops table, which is how static functions are reached from elsewhere
      .filter((s) => !local || s.file === def.file || s.via !== null)
      .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column) };
  }

  private fileChanged(file: string): boolean {
    // Asked once per call site; the probe walks share the answers through the post-image.
    let known = changedFiles.get(this.ctx.post);
    if (!known) changedFiles.set(this.ctx.post, (known = new Map()));
    let changed = known.get(file);
    if (changed === undefined) {
      // A patch's post-image says which files it touched: the others need not be read at all.
      const { pre, post } = this.ctx;
      const untouched = post.derivedFrom === pre && post.edited !== undefined && !post.edited(file);
      known.set(file, (changed = !untouched && pre.read(file) !== post.read(file)));
    }
    return changed;
  }

  /** The post-image index of a file the patch changes (re-indexed from the post-image text, once per text). */
  private async postIndexOf(file: string): Promise<FileIndex | null> {
    return this.ctx.files.index(this.ctx.post, file, this.ctx.graph);
  }

  /**
   * The call site as the patched caller has it: the k-th call of the callee in the caller's
   * post-image, where the pre-image site is the k-th. Null when the patch removed the call.
   */
  private async postSite(site: CallSite): Promise<CallSite | null> {
    // The per-file index names what is called as written: the field for an indirect call, the
    // macro for a call through a wrapper.
    const written = site.macro ?? site.callee;
    const same = (c: CallSite) => c.caller === site.caller && (site.via ? c.via === site.via : c.callee === written && !c.via);
    const pre = (await this.ctx.graph.file(site.file))?.calls.filter(same) ?? [];
    const post = (await this.postIndexOf(site.file))?.calls.filter(same) ?? [];
    const k = pre.findIndex((c) => c.line === site.line && c.column === site.column);
    if (post.length === 0) return null;
    const found = k >= 0 && pre.length === post.length ? post[k] : [...post].sort((a, b) => Math.abs(a.line - site.line) - Math.abs(b.line - site.line))[0];
    return { ...found, callee: site.callee };
  }

  /**
   * The caller's definition in the image the site is read from: parsed alone from the lines the
   * index gives it (the pre-image index, or the post-image re-index of a patched file).
   */
  private async callerBody(image: TreeSource, patched: boolean, file: string, caller: string, line: number): Promise<FunctionBody | null> {
    const index = patched ? await this.postIndexOf(file) : await this.ctx.graph.file(file);
    const def = index?.functions.find((f) => f.name === caller && f.line <= line && line <= f.endLine);
    if (!def) return this.ctx.files.function(image, file, caller, line);
    return this.ctx.files.functionIn(image, file, caller, def.line, def.endLine);
  }

  private async up(callee: string, calleeFile: string, delta: Delta, depth: number, path: string[], out: CallerImpact[]): Promise<void> {
    for (const pre of await this.callSites(callee, calleeFile)) {
      if (++this.judged > this.budget) {
        this.notes.add(`the caller walk stopped after ${this.budget} call sites (a budget; lower --depth or raise the budget)`);
        return;
      }
      this.reads?.add(pre.file);
      if (!pre.caller) {
        out.push({ function: '(file scope)', file: pre.file, line: pre.line, depth, via: pre.via, userVisible: null, use: pre.use, verdict: 'unknown', reason: 'a call outside any function (initialiser or macro): not judged', path });
        continue;
      }
      this.visited?.add(pre.caller);
      const patched = this.fileChanged(pre.file);
      const site = patched ? await this.postSite(pre) : pre;
      const chain = [pre.caller, ...path];
      if (!site) {
        out.push({ function: pre.caller, file: pre.file, line: pre.line, depth, via: pre.via, userVisible: null, use: pre.use, verdict: 'behaviour-change', reason: 'the patch removes this call', path: chain });
        continue;
      }
      const image = patched ? this.ctx.post : this.ctx.pre;
      // The probe (breadth-first, `pending`) reads a body only to describe a flipped test, whose
      // branch decides the value going up; whether a returned local is caught on the way is
      // not asked there: the value is let go on (the probe may name an entry point too many,
      // never one too few).
      const body = needsBody(site, delta, !this.pending) ? await this.callerBody(image, patched, pre.file, pre.caller, site.line) : null;
      const j = judgeOnce(site, delta, body);
      const impact: CallerImpact = {
        function: pre.caller, file: pre.file, line: pre.line, depth, via: pre.via, userVisible: null,
        use: j.use, verdict: j.verdict, reason: patched ? `${j.reason} (caller read after the patch)` : j.reason, path: chain,
      };
      out.push(impact);
      if (j.next && !deltaIsEmpty(j.next) && j.next.before.join() !== j.next.after.join()) await this.further(impact, pre, j.next, depth, chain, out);
    }
  }

  /** After a propagating site: stop at an entry point, a cycle or the bound; else walk on up. */
  private async further(impact: CallerImpact, site: CallSite, next: Delta, depth: number, chain: string[], out: CallerImpact[]): Promise<void> {
    const caller = site.caller!;
    const def = await this.definitionFor(caller, site.file);
    const syscall = syscallOf(caller, def);
    if (syscall) {
      impact.userVisible = syscallSees(syscall, next);
      impact.reason += `; ${syscall}(2) ${describeSyscall(next)}`;
      return;
    }
    if (chain.indexOf(caller) !== chain.lastIndexOf(caller)) { impact.reason += `; cycle through ${caller}: not followed again`; return; }
    const key = `${caller}\0${site.file}\0${renderDelta(next)}`;
    if (this.expanded.has(key)) { impact.reason += `; ${caller}'s callers are shown above`; return; }
    this.expanded.add(key);
    const above = await this.callSites(caller, site.file);
    if (above.length === 0) {
      const bound = await this.ctx.graph.bindings(caller);
      if (bound.length > 0) {
        impact.userVisible = opsEntrySees(bound, next);
        impact.reason += `; ${caller} is an ops-table entry point (${bound.map((b) => b.field).join(', ')}) with no callers found: its callers see ${renderDelta(next)}`;
      } else {
        impact.reason += `; no callers of ${caller} found${def?.exported ? ' (exported to modules)' : ''}`;
      }
      return;
    }
    if (depth >= this.ctx.depth) {
      impact.reason += `; the walk stops at depth ${this.ctx.depth} (raise --depth to go further)`;
      await this.probeBeyond(impact, caller, site.file, next, depth, chain);
      return;
    }
    if (this.pending) this.pending.push(() => this.up(caller, site.file, next, depth + 1, chain, out));
    else await this.up(caller, site.file, next, depth + 1, chain, out);
  }

  /**
   * Past the bound: follows only what propagates (a fresh walk, its rows not reported) to say
   * which system calls the value still reaches, so the last row can name what user space sees.
   */
  private async probeBeyond(impact: CallerImpact, caller: string, file: string, next: Delta, depth: number, chain: string[]): Promise<void> {
    const extra = this.ctx.probe ?? DEFAULT_PROBE;
    if (extra <= 0) return;
    // Bound rows often share what lies above them: one probe per (function, delta), and one
    // budget for all probes of a walk, so a wide tree does not multiply the work; past it each
    // probe still gets PROBE_FLOOR sites, enough to name a system call a level or two up.
    const key = `${caller}\0${file}\0${renderDelta(next)}`;
    let found = this.probeMemo.get(key);
    if (!found) {
      const left = this.budget - this.probeSpent;
      const quarter = Math.ceil(this.budget / 4);
      const budget = Math.min(quarter, Math.max(PROBE_FLOOR, left));
      const result = await this.probe(caller, file, next, depth, chain, extra, budget);
      this.probeSpent += result.judged;
      for (const [f, at] of result.skipped) for (const a of at) this.skipped.set(f, (this.skipped.get(f) ?? new Set()).add(a));
      found = { seen: result.seen, exhausted: result.exhausted };
      this.probeMemo.set(key, found);
    }
    if (found.exhausted) impact.reason += '; the probe past the bound ran out of budget: what it names may be incomplete';
    if (found.seen.size === 0) return;
    const shown = [...found.seen].slice(0, 6);
    impact.userVisible = shown.map(([uv]) => uv).join('; ');
    impact.reason += `; beyond it the value reaches ${shown.map(([uv, path]) => `${uv} (${path.join(' → ')})`).join(', ')}${found.seen.size > shown.length ? `, and ${found.seen.size - shown.length} more` : ''}`;
  }

  /**
   * One probe: a fresh breadth-first walk of `extra` levels above `caller`, its rows not kept.
   * Another walk of the review (a later patch of a series) that probes the same function with the
   * same delta reuses the result when it would come out the same: the files it read have the
   * same texts, no caller it judged is on this path (a cycle would be cut), and its budget did not
   * run out before this one's would.
   */
  private async probe(caller: string, file: string, next: Delta, depth: number, chain: string[], extra: number, budget: number): Promise<ProbeResult> {
    // Per review (or session): probe results kept across the walks of every patch.
    const by = graphKey(this.ctx.graph);
    const shared = this.ctx.files.table<ProbeResult[]>('probes', by ?? `unkept ${nextGraphId++}`);
    const key = `${caller}\0${file}\0${renderDelta(next)}\0${extra}`;
    let list = shared.get(key);
    if (!list) shared.set(key, (list = []));
    const hit = list.find((r) => (r.budget === budget || (!r.exhausted && r.judged <= budget))
      && !chain.some((f) => r.visited.has(f)) && r.stamp.holds(this.ctx.pre, this.ctx.post));
    if (hit) return hit;
    const probe = new CallerWalk({ ...this.ctx, depth: depth + extra, probe: 0, maxSites: budget });
    const rows: CallerImpact[] = [];
    probe.pending = [];
    probe.reads = new Set();
    probe.visited = new Set();
    await probe.up(caller, file, next, depth + 1, chain, rows);
    while (probe.pending.length > 0 && probe.judged <= probe.budget) await probe.pending.shift()!();
    // System calls first (nearest first, as found): they are what user space sees; ops entries
    // say who else receives the value. Paths are kept from the entry point down to `caller`.
    const reached = rows.filter((r) => r.userVisible).sort((a, b) => Number(!/\(2\): /.test(a.userVisible!)) - Number(!/\(2\): /.test(b.userVisible!)));
    const seen = new Map<string, string[]>();
    for (const r of reached) if (!seen.has(r.userVisible!)) seen.set(r.userVisible!, r.path.slice(0, r.path.length - chain.length + 1));
    const result: ProbeResult = {
      seen, exhausted: probe.judged > probe.budget, judged: probe.judged, budget, skipped: probe.skipped,
      visited: probe.visited, stamp: Stamp.of(probe.reads, this.ctx.pre, this.ctx.post),
    };
    // A result cut short by this path (a caller it judged is on the path below) is this path's alone.
    if (!chain.some((f) => probe.visited!.has(f))) list.push(result);
    return result;
  }
}

/** "may now fail with EBUSY instead of EIO", or "now succeeds where it failed with EIO". */
export function describeSyscall(d: Delta): string {
  const known = (vs: string[]) => vs.filter((v) => v !== 'unknown');
  const b = known(d.before).map(userValue).join('/'), a = known(d.after).map(userValue).join('/');
  if (!b) return `may now fail with ${a}`;
  if (!a) return `no longer fails with ${b}`;
  if (d.after.every((v) => v === 'success' || v === '0')) return `now succeeds where it failed with ${b}`;
  if (d.after.includes('unknown')) return `no longer fails with ${b} here; what it returns instead is not known`;
  return `may now fail with ${a} instead of ${b}`;
}
