// Turns the engine's flat caller list of a changed function (each caller with its chain down to
// the function) into the caller tree every feature shows: lens counts, hover markdown, the
// Caller Paths view and the call hierarchy all read the same tree, so they never disagree.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { CallerImpact, ErrnoChange, FunctionImpact, Verdict } from '../model';
import type { CallerNode, ChangedFunction } from '../protocol';
import type { DocumentAnalysis } from './analysis';

export const verdictOrder: readonly Verdict[] = ['behaviour-change', 'value-change', 'unknown', 'no-change'];

/** The URI of a tree-relative file (with a `#Lnn` fragment when a line is given). */
export function treeUri(tree: string, file: string, line?: number): string {
  const uri = pathToFileURL(join(tree, file)).href;
  return line ? `${uri}#L${line}` : uri;
}

export function emptyCounts(): Record<Verdict, number> {
  return { 'behaviour-change': 0, 'value-change': 0, 'no-change': 0, unknown: 0 };
}

function key(path: string[]): string {
  return path.join('\u0000');
}

/** The chain of a caller; engines that leave `path` empty get [caller, function] for direct callers. */
function chainOf(c: CallerImpact, fn: string): string[] {
  return c.path && c.path.length > 0 ? c.path : [c.function, fn];
}

/** Builds the caller forest of one impact: direct callers at the top, their callers below. */
export function buildCallerTree(impact: FunctionImpact, tree: string): CallerNode[] {
  const byParent = new Map<string, CallerNode[]>();
  const nodes: { node: CallerNode; chain: string[] }[] = [];
  const sorted = [...impact.callers].sort((a, b) => a.depth - b.depth || a.file.localeCompare(b.file) || a.line - b.line);
  for (const c of sorted) {
    const chain = chainOf(c, impact.function);
    const node: CallerNode = {
      function: c.function, file: c.file, line: c.line, uri: treeUri(tree, c.file), use: c.use, verdict: c.verdict,
      depth: c.depth, via: c.via, userVisible: c.userVisible, reason: c.reason, children: [],
    };
    nodes.push({ node, chain });
    const parent = key(chain.slice(1));
    byParent.set(parent, [...(byParent.get(parent) ?? []), node]);
  }
  // A caller's own callers are those whose chain continues it; a cycle in a bad chain cannot
  // loop here because each node is attached under a strictly shorter chain.
  // Chains name functions, not call sites: when one function calls several times, its callers
  // hang under the sites the walk went on from (not the ignored or overwritten ones).
  const sameChain = new Map<string, CallerNode[]>();
  for (const { node, chain } of nodes) sameChain.set(key(chain), [...(sameChain.get(key(chain)) ?? []), node]);
  for (const [k, sites] of sameChain) {
    const kids = byParent.get(k);
    if (!kids) continue;
    const goesOn = sites.filter((s) => s.verdict !== 'no-change');
    for (const s of goesOn.length ? goesOn : sites.slice(0, 1)) s.children = kids;
  }
  // Roots are callers whose chain continues no other caller's: the direct callers, whether the
  // engine's chains end with the changed function or not.
  const chains = new Set(nodes.map((n) => key(n.chain)));
  return nodes.filter((n) => !chains.has(key(n.chain.slice(1)))).map((n) => n.node);
}

export function countVerdicts(impact: FunctionImpact | undefined, filter?: readonly Verdict[]): Record<Verdict, number> {
  const counts = emptyCounts();
  for (const c of impact?.callers ?? []) if (!filter || filter.includes(c.verdict)) counts[c.verdict]++;
  return counts;
}

/** "-EIO → -EBUSY", "new -ENOMEM", "handles -EBUSY", "-EIO dropped". */
export function codesText(change: Pick<ErrnoChange, 'old' | 'new'> & { kind?: ErrnoChange['kind'] }): string {
  if (change.old.length && change.new.length) return `${change.old.join(', ')} → ${change.new.join(', ')}`;
  if (change.new.length) return `${change.kind === 'compare' || change.kind === 'case' ? 'handles' : 'new'} ${change.new.join(', ')}`;
  if (change.old.length) return `${change.old.join(', ')} dropped`;
  return 'error return changed';
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "5 callers · 1 behaviour change · 2 value changes" (zero counts left out, except callers). */
export function countsText(total: number, counts: Record<Verdict, number>): string {
  const parts = [plural(total, 'caller')];
  if (counts['behaviour-change']) parts.push(plural(counts['behaviour-change'], 'behaviour change'));
  if (counts['value-change']) parts.push(plural(counts['value-change'], 'value change'));
  if (counts.unknown) parts.push(`${counts.unknown} unknown`);
  return parts.join(' · ');
}

/**
 * What to say about a change whose function has no impact of its own: callers are not available
 * (and why), or the function is itself a caller on another change's paths, or the analysis found
 * its return values unchanged.
 */
export function noImpactText(a: DocumentAnalysis, fn: string | null): string {
  if (a.callersUnavailable) return `callers not available: ${a.callersUnavailable}`;
  for (const i of a.review.impacts) {
    const c = fn ? i.callers.find((x) => x.function === fn) : undefined;
    if (c) return `caller of ${i.function}: ${c.use} · ${c.verdict}`;
  }
  return fn ? 'its return values do not change' : 'the function could not be told';
}

/** The function as a caller on another change's paths (the patch changed its handling), if it is one. */
export function asCaller(a: DocumentAnalysis, fn: string | null): CallerImpact | undefined {
  if (!fn) return undefined;
  for (const i of a.review.impacts) {
    const c = i.callers.find((x) => x.function === fn);
    if (c) return c;
  }
  return undefined;
}

export function impactOf(a: DocumentAnalysis, fn: string | null): FunctionImpact | undefined {
  return fn ? a.review.impacts.find((i) => i.function === fn) : undefined;
}

/** The changed functions of a document, in patch order, with their caller trees. */
export function changedFunctions(a: DocumentAnalysis): ChangedFunction[] {
  const out = new Map<string, ChangedFunction>();
  for (const ch of [...a.review.changes].sort((x, y) => x.patchLine - y.patchLine)) {
    const name = ch.function ?? `(unknown function in ${ch.file})`;
    if (out.has(name)) continue;
    const impact = impactOf(a, ch.function);
    out.set(name, {
      function: name, file: ch.file, patchLine: ch.patchLine, codes: codesText(ch),
      returnsBefore: impact?.returnsBefore ?? [], returnsAfter: impact?.returnsAfter ?? [],
      callers: impact && a.tree ? buildCallerTree(impact, a.tree) : [],
      counts: countVerdicts(impact),
    });
  }
  // Impacts of functions the patch did not touch directly (e.g. a callee's change) still count.
  for (const impact of a.review.impacts) {
    if (out.has(impact.function)) continue;
    out.set(impact.function, {
      function: impact.function, file: impact.file, patchLine: 0,
      codes: `${impact.returnsBefore.join(', ')} → ${impact.returnsAfter.join(', ')}`,
      returnsBefore: impact.returnsBefore, returnsAfter: impact.returnsAfter,
      callers: a.tree ? buildCallerTree(impact, a.tree) : [], counts: countVerdicts(impact),
    });
  }
  return [...out.values()];
}

/** Walks a caller forest depth-first. */
export function* walkCallers(nodes: CallerNode[], seen = new Set<CallerNode>()): Generator<CallerNode> {
  for (const n of nodes) {
    if (seen.has(n)) continue;
    seen.add(n);
    yield n;
    yield* walkCallers(n.children, seen);
  }
}
