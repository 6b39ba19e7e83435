// Impact analysis: from changed return codes to caller paths and what user space sees.
// computeImpacts is what server/review.ts calls: for every function the patch changes, its return
// set before and after (return-set.ts), then the caller walk with the delta (walk.ts).
import type { CallGraph } from '../index/graph';
import type { ErrnoChange, FunctionImpact, Warning } from '../model';
import type { TreeSource } from '../tree';
import { CachedGraph } from './cached-graph';
import { ParsedFiles } from './c-syntax';

export { ParsedFiles } from './c-syntax';
import { loadOverrides } from './overrides';
import { ReturnSets } from './return-set';
import { CallerWalk } from './walk';
import { UNKNOWN, deltaIsEmpty, deltaOf, renderSet, signClass, type Delta, type ReturnSet } from './values';

export { GitTree, openBaseTree } from './git-tree';
export { loadOverrides, parseOverrides, OVERRIDES_FILE } from './overrides';

export interface ImpactContext {
  graph: CallGraph;
  /** The tree before the patch (work tree, or git objects at the base commit). */
  pre: TreeSource;
  /** The tree after the patch: `pre` with the patch applied in memory. */
  post: TreeSource;
  /** How far up the caller walk goes (1 = direct callers only). */
  depth: number;
  /** Where the analysis says what it could not do. */
  warnings: Warning[];
  /** Function → return set for what the analysis gets wrong; default: `.kpl-overrides.json` in the tree root. */
  overrides?: Map<string, string[]>;
  /** How deep `return f(...)` is followed into callees for return sets (default 3). */
  callDepth?: number;
  /** Levels past `depth` a silent probe follows propagation to name the system calls reached (default 4; 0: none). */
  probe?: number;
  /** Budget of judged call sites per changed function (default 2000). */
  maxSites?: number;
  /**
   * Parsed files and answers kept per file text, to share between the patches of a series (the
   * caller disposes of it). Without it the analysis keeps its own for this call.
   */
  files?: ParsedFiles;
}

/** Kinds that say the function's own returned codes changed (not just how it handles a callee's). */
const RETURNING = new Set(['return', 'assign', 'doc', 'added', 'removed']);
/** Kinds that say a function handles a callee's codes differently. */
const HANDLING = new Set(['compare', 'case']);

/**
 * Whether a group of changes says what the function itself returns changed. A kernel-doc change
 * next to new handling of a callee's code describes that handling (the complete fix rewords
 * "we can return -EIO" as it starts catching -EBUSY), so it does not count then.
 */
function returningGroup(group: ErrnoChange[]): boolean {
  const handles = group.some((c) => HANDLING.has(c.kind));
  return group.some((c) => RETURNING.has(c.kind) && !(handles && c.kind === 'doc'));
}

/** The delta the patch text itself states, for when the source analysis sees none (e.g. kernel-doc only). */
function statedDelta(changes: ErrnoChange[]): Delta {
  const olds = new Set(changes.flatMap((c) => c.old)), news = new Set(changes.flatMap((c) => c.new));
  return { before: [...olds].filter((v) => !news.has(v)).sort(), after: [...news].filter((v) => !olds.has(v)).sort() };
}

export async function computeImpacts(changes: ErrnoChange[], ctx: ImpactContext): Promise<FunctionImpact[]> {
  const files = ctx.files ?? new ParsedFiles();
  try {
    const overrides = ctx.overrides ?? loadOverrides(ctx.pre.root, ctx.warnings);
    const graph = new CachedGraph(ctx.graph);
    const sets = new ReturnSets(graph, files, { maxCallDepth: ctx.callDepth ?? 3, overrides });
    const walk = new CallerWalk({ graph, pre: ctx.pre, post: ctx.post, files, depth: Math.max(1, ctx.depth), probe: ctx.probe, maxSites: ctx.maxSites });

    const groups = new Map<string, ErrnoChange[]>();
    for (const c of changes) {
      if (!c.function) {
        ctx.warnings.push({ patchLine: c.patchLine, message: `${c.file}:${c.line}: change not inside a known function: its callers are not walked` });
        continue;
      }
      const key = `${c.file}\0${c.function}`;
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    // Functions that change what they return first; then those that only change how they handle
    // a callee's codes, which the first walks usually already show (read on their post-image).
    const ordered = [...groups.values()].sort((a, b) => Number(!returningGroup(a)) - Number(!returningGroup(b)));
    const seenAsCaller = new Set<string>();
    const impacts: FunctionImpact[] = [];

    for (const group of ordered) {
      const { file, function: name } = group[0] as ErrnoChange & { function: string };
      const returning = returningGroup(group);
      if (!returning && seenAsCaller.has(name)) continue;
      const before = await sets.of(ctx.pre, file, name);
      const after = await sets.of(ctx.post, file, name);
      if (!before && !after) {
        ctx.warnings.push({ patchLine: group[0].patchLine, message: `${name} is not found in ${file} (before or after the patch): its return set is not computed` });
        continue;
      }
      const impact: FunctionImpact = { function: name, file, returnsBefore: before ? renderSet(before) : [], returnsAfter: after ? renderSet(after) : [], callers: [] };
      impacts.push(impact);
      if (!before) { ctx.warnings.push({ message: `${name} is new in ${file}: it has no callers before the patch` }); continue; }
      const unknowns = [...new Set([...before.unknown, ...(after?.unknown ?? [])])];
      if (unknowns.length) ctx.warnings.push({ message: `${name}: part of its return set is unknown (${unknowns.slice(0, 3).join('; ')}${unknowns.length > 3 ? '; ...' : ''})` });

      let delta = after ? deltaOf(before, after) : { before: renderSet(before).filter((v) => v !== 'unknown'), after: [] };
      if (deltaIsEmpty(delta) && returning) {
        // The sets hide a change when the code was returned elsewhere already (an added
        // `return -EIO;` beside an old one), or when only the kernel-doc changed. But a code the
        // patch assigns that never reaches a return (`ret = -ENOTTY; break; ... return 0;`) is no
        // change of what the function returns: the source is trusted then.
        const stated = statedDelta(group);
        const docOnly = group.every((c) => c.kind === 'doc');
        const reaches = stated.after.every((v) => after?.values.has(v)) && stated.before.every((v) => before.values.has(v));
        if (!deltaIsEmpty(stated) && (docOnly || reaches)) {
          delta = stated;
          ctx.warnings.push({ patchLine: group[0].patchLine, message: `${name}: the return set read from the source does not change; the codes the patch states (${delta.before.join(', ') || '(none)'} -> ${delta.after.join(', ') || '(none)'}) are walked instead` });
        } else if (!deltaIsEmpty(stated)) {
          ctx.warnings.push({ patchLine: group[0].patchLine, message: `${name}: the codes the patch changes (${stated.before.join(', ') || '(none)'} -> ${stated.after.join(', ') || '(none)'}) never reach a return of ${name}: what it returns does not change, so its callers are not walked` });
        }
      }
      if (deltaIsEmpty(delta)) continue;
      // A side the sets leave empty because the code was already returned elsewhere
      // (`return -1;` -> `return -EINVAL;` where -EINVAL was returned before): on this path the
      // value is still the one the patch states.
      const stated = statedDelta(group);
      if (delta.after.length === 0 && stated.after.length > 0) delta = { ...delta, after: stated.after };
      if (delta.before.length === 0 && stated.before.length > 0) delta = { ...delta, before: stated.before };
      // An added error return takes over a path that returned one of the function's other
      // values: its success values when it has known ones (journal_dirty_data: 0 -> -EIO), else
      // unknown. Likewise for a removed one. An empty side would make every test look unchanged.
      const successes = (set: ReturnSet | null) => [...(set?.values ?? [])].filter((v) => ['zero', 'pos'].includes(signClass(v)));
      if (delta.before.length === 0) delta = { ...delta, before: successes(before).length ? successes(before) : [UNKNOWN] };
      if (delta.after.length === 0) delta = { ...delta, after: successes(after).length ? successes(after) : [UNKNOWN] };
      impact.callers = await walk.run({ function: name, file, delta });
      for (const n of walk.notes) ctx.warnings.push({ message: n });
      if (walk.skipped.size > 0) {
        const per = [...walk.skipped].map(([f, at]) => `${f}: ${at.size}`).join(', ');
        ctx.warnings.push({ message: `${name}: indirect call sites whose receiver does not look like the ops table the callee is bound in were left out (${per})` });
      }
      walk.notes.clear();
      walk.skipped.clear();
      for (const c of impact.callers) seenAsCaller.add(c.function);
    }
    return impacts;
  } finally {
    if (!ctx.files) files.dispose();
  }
}
