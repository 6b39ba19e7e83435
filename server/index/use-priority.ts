// Which of the uses seen at one call site decides its verdict. The order follows the design's
// verdict table: what flips a branch (compared) outranks what carries the value on (propagated,
// then passed and stored, which are reported but not followed), which outranks what we could not
// follow (unknown: said, never guessed away by a weaker use), which outranks the no-change uses;
// among those the most specific explanation wins (overwritten says why nothing changes).
import type { ReturnUse } from '../model';

export const USE_PRIORITY: readonly ReturnUse[] = [
  'compared', 'propagated', 'passed', 'stored', 'unknown', 'overwritten', 'is-err', 'sign-checked',
  'truth-checked', 'ignored',
];

const RANK = new Map(USE_PRIORITY.map((u, i) => [u, i]));

/** The uses in first-seen order without repeats; `ignored` only when nothing else was seen. */
export function distinctUses(uses: readonly ReturnUse[]): ReturnUse[] {
  const out = [...new Set(uses)];
  return out.length > 1 ? out.filter((u) => u !== 'ignored') : out.length ? out : ['ignored'];
}

/** The use that decides the verdict. */
export function decidingUse(uses: readonly ReturnUse[]): ReturnUse {
  let best: ReturnUse = 'ignored';
  for (const u of uses) if ((RANK.get(u) ?? 0) < (RANK.get(best) ?? 0)) best = u;
  return best;
}
