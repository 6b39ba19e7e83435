// A language server's first review of a kernel patch runs on code the JavaScript engine has not
// compiled yet and a parser it has not used: on a kernel tree that costs about a quarter of a
// second more than any later review. Once a tree's whole index is loaded, the server reviews a
// one-line change of its own, made in memory to a file of the tree, and throws the result away.
// Nothing is written; the answers the call graph keeps meanwhile are as valid as any others.
import type { CallGraph } from './index/graph';
import { oneLineDiff, swapErrno } from './patch/edit';
import { review } from './review';
import { WorkTree } from './tree';

/** Common kernel functions whose callers lead to ordinary driver and fs code. */
const SEEDS = ['kfree', 'mutex_lock', 'spin_lock', 'printk'];
const ERRNO_RETURN = /^\s*return -E[A-Z0-9]+;\s*$/;

/**
 * A unified diff changing one `return -E...;` line of the tree, in a function with callers (so
 * that the walk, the verdicts and the probe all run), found in files that call one of SEEDS;
 * null when the tree has none that way.
 */
export async function warmUpPatch(root: string, graph: CallGraph, maxFiles = 40): Promise<Buffer | null> {
  const tree = new WorkTree(root);
  const tried = new Set<string>();
  // The candidate whose function has the most callers (up to a bound): the fuller the walk, the
  // more of the analysis is compiled before the reviewer's first review.
  let best: { file: string; lines: string[]; at: number; callers: number } | null = null;
  for (const seed of SEEDS) {
    for (const site of await graph.callers(seed)) {
      if (tried.size >= maxFiles) break;
      if (tried.has(site.file) || !site.file.endsWith('.c') || site.file.startsWith('Documentation/')) continue;
      tried.add(site.file);
      const lines = tree.read(site.file)?.split('\n');
      if (!lines) continue;
      const functions = (await graph.file(site.file))?.functions ?? [];
      for (let i = 0; i < lines.length; i++) {
        if (!ERRNO_RETURN.test(lines[i])) continue;
        const fn = functions.find((f) => f.line <= i + 1 && i + 1 <= f.endLine);
        const callers = fn ? (await graph.callers(fn.name)).length : 0;
        if (callers <= 50 && callers > (best?.callers ?? 0)) best = { file: site.file, lines, at: i, callers };
      }
    }
  }
  if (!best) return null;
  const { file, lines, at } = best;
  return Buffer.from([...oneLineDiff(file, lines, at, swapErrno(lines[at])), ''].join('\n'));
}

/** Reviews warmUpPatch's change on the held graph and drops the result. Says whether it ran. */
export async function warmUp(root: string, graph: CallGraph): Promise<boolean> {
  const input = await warmUpPatch(root, graph);
  if (!input) return false;
  await review({ input, tree: root, graph });
  return true;
}
