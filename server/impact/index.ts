// Impact analysis: from changed return codes to caller paths and what user space sees.
// Contract used by server/review.ts; the implementation lands with the impact issue.
import type { CallGraph } from '../index/graph';
import type { ErrnoChange, FunctionImpact, Warning } from '../model';
import type { TreeSource } from '../tree';

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
}

export async function computeImpacts(_changes: ErrnoChange[], ctx: ImpactContext): Promise<FunctionImpact[]> {
  ctx.warnings.push({ message: 'impact analysis is not built yet: callers are not reported' });
  return [];
}
