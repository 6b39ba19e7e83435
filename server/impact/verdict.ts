// The verdict at one call site, from what the caller does with the value (CallSite.uses) and the
// delta the walk carries: the design's caller-verdict table, made exact by asking whether each
// test's outcome really differs for the old and the new values (-EIO and -EBUSY are both
// negative, so a sign check does not notice; -EIO and 0 differ, so it does).
import type { CallSite, ReturnUse, Verdict } from '../model';
import { changedBranch, renderBranch, testsOf, evalCondition, type BranchChange, type Subject } from './branch';
import { nodesIn, type FunctionBody } from './c-syntax';
import { SUCCESS, UNKNOWN, signClass, testIsErr, testSign, testTruth, userValue, type Delta, type Tri } from './values';

export interface SiteJudgement {
  /** The use that decides the verdict. */
  use: ReturnUse;
  verdict: Verdict;
  reason: string;
  /** When the value goes on up to the caller's callers: the delta it carries there. */
  next: Delta | null;
}

const USE_ORDER: ReturnUse[] = ['compared', 'propagated', 'passed', 'stored', 'sign-checked', 'truth-checked', 'is-err', 'overwritten', 'ignored', 'unknown'];
const RANK: Record<Verdict, number> = { 'behaviour-change': 3, unknown: 2, 'value-change': 1, 'no-change': 0 };

function sameOutcome(test: (v: string) => Tri, d: Delta): Tri {
  if (d.before.length === 0 || d.after.length === 0) return null;
  const o = [...d.before, ...d.after].map(test);
  if (o.some((t) => t === null)) return null;
  return d.before.map(test).every((t) => d.after.map(test).every((u) => u === t));
}

const codes = (vs: string[]) => vs.map(userValue).join('/') || '(none)';

/** The delta that goes up when a test flipped: what the newly taken branch returns, if told. */
function deltaAfterFlip(d: Delta, b: BranchChange | null): Delta {
  if (b?.returns && b.now === true) return { before: d.before, after: b.returns };
  // A branch that neither returns nor jumps (`if (err) abort_handle(...); return err;`) lets
  // the value go on as it was.
  if (b && b.now === true && !/\b(returns|jumps to|breaks out|continues the loop|skips the branch)\b/.test(b.does)) return d;
  const wasError = d.before.every((v) => signClass(v) === 'neg');
  const nowOk = d.after.every((v) => ['zero', 'pos', 'nonneg'].includes(signClass(v)));
  return { before: d.before, after: wasError && nowOk ? [SUCCESS] : [UNKNOWN] };
}

/**
 * Whether every test in the caller that compares the value with one of `codes` is seen to come
 * out the same for the old and the new values (`ret != -EINVAL && ret != -ENOTTY` for -EINVAL ->
 * -ENOTTY). False when there is no such test or one cannot be evaluated.
 */
function sameTests(body: FunctionBody, s: Subject, codes: string[], d: Delta): boolean {
  const tests = testsOf(body, s).filter((t) => codes.some((c) => (t.childForFieldName('condition') ?? t).text.replace(/\s+/g, '').includes(c)));
  if (tests.length === 0) return false;
  return tests.every((t) => {
    const cond = t.childForFieldName('condition');
    if (!cond || t.type === 'switch_statement') return false;
    const all = [...d.before, ...d.after].map((v) => evalCondition(cond, s, v));
    return all.every((x) => x !== null && x === all[0]);
  });
}

/**
 * Whether the caller returns the local only under tests that are false for every value of the
 * delta (`if (err != -EIO && err != -EBUSY) return err;`): then the changed codes do not go up.
 * False when any `return local;` is unguarded or its guard cannot be evaluated.
 */
function returnedOnlyOtherwise(body: FunctionBody, s: Subject, d: Delta): string | null {
  if (!s.local) return null;
  const rets = nodesIn(body, 'return_statement').filter((r) => r.namedChildren.some((c) => c.type === 'identifier' && c.text === s.local));
  if (rets.length === 0) return null;
  const guards: string[] = [];
  for (const r of rets) {
    let stmt = r, p = r.parent;
    if (p?.type === 'compound_statement') { stmt = p; p = p.parent; }
    if (p?.type !== 'if_statement' || p.childForFieldName('consequence')?.id !== stmt.id) return null;
    const cond = p.childForFieldName('condition')!;
    if (![...d.before, ...d.after].every((v) => evalCondition(cond, s, v) === false)) return null;
    guards.push(cond.text.replace(/^\(|\)$/g, '').replace(/\s+/g, ' '));
  }
  return [...new Set(guards)].map((g) => `\`${g}\``).join(', ');
}

/**
 * Whether judgeSite will read the caller's body for this site and delta: to find and describe a
 * test whose outcome flips, to check the tests on a compared code, or to see whether a local is
 * returned only under tests the delta never passes. Most sites of a wide fan-out need none of
 * that, and their files are then never parsed. `returnedLocal` false: the returned-local check is
 * not wanted (the probe past the bound lets the value go on rather than parse for it).
 */
export function needsBody(site: CallSite, delta: Delta, returnedLocal = true): boolean {
  const uses = site.uses.length ? site.uses : [site.use];
  const moved = [...delta.before, ...delta.after];
  return uses.some((use) => {
    switch (use) {
      case 'compared': return (site.comparedWith ?? []).some((c) => moved.includes(c));
      case 'sign-checked': return sameOutcome((v) => testSign(v, '<0'), delta) === false;
      case 'truth-checked': return sameOutcome(testTruth, delta) === false;
      case 'is-err': return sameOutcome(testIsErr, delta) === false;
      case 'propagated': return returnedLocal && !!site.local;
      default: return false;
    }
  });
}

/**
 * Judges one call site. `body` is the caller's definition in the image the site was read from
 * (the post-image when the patch changes the caller), used to find and describe branches.
 */
export function judgeSite(site: CallSite, delta: Delta, body: FunctionBody | null): SiteJudgement {
  const uses = site.uses.length ? site.uses : [site.use];
  const subject: Subject = { local: site.local, callee: site.macro ?? site.callee, via: site.via, line: site.line };
  const moved = [...delta.before, ...delta.after];
  const parts: { use: ReturnUse; verdict: Verdict; reason: string }[] = [];
  let flip: BranchChange | null = null;
  let flipped = false;
  let stopped = false;

  const branchOr = (fallback: string) => {
    const b = body ? changedBranch(body, subject, delta.before, delta.after) : null;
    if (b) flip ??= b;
    return b ? renderBranch(b) : fallback;
  };
  const checked = (use: ReturnUse, test: (v: string) => Tri, what: string) => {
    const same = sameOutcome(test, delta);
    if (same === true) parts.push({ use, verdict: 'no-change', reason: `${what} only: ${codes(delta.before)} and ${codes(delta.after)} give the same outcome` });
    else if (same === false) { flipped = true; parts.push({ use, verdict: 'behaviour-change', reason: branchOr(`${what}: the outcome differs for ${codes(delta.before)} and ${codes(delta.after)}`) }); }
    else parts.push({ use, verdict: 'unknown', reason: `${what}: the outcome cannot be told for ${codes(moved)}` });
  };

  for (const use of [...new Set(uses)]) {
    switch (use) {
      case 'compared': {
        const against = site.comparedWith ?? [];
        const hit = against.filter((c) => moved.includes(c));
        if (against.length === 0) parts.push({ use, verdict: 'unknown', reason: 'compared, but the index could not tell with what' });
        else if (hit.length === 0) parts.push({ use, verdict: 'no-change', reason: `compared only with ${against.join(', ')}` });
        else if (body && sameTests(body, subject, hit, delta)) {
          parts.push({ use, verdict: 'no-change', reason: `compared with ${hit.join(', ')}, but every such test comes out the same for ${codes(delta.before)} and ${codes(delta.after)}` });
        } else { flipped = true; parts.push({ use, verdict: 'behaviour-change', reason: branchOr(`compared with ${hit.join(', ')}: that test now comes out differently`) }); }
        break;
      }
      case 'sign-checked': checked(use, (v) => testSign(v, '<0'), 'sign-checked'); break;
      case 'truth-checked': checked(use, testTruth, 'truth-checked'); break;
      case 'is-err': checked(use, testIsErr, 'IS_ERR()-checked'); break;
      case 'propagated': {
        const only = body ? returnedOnlyOtherwise(body, subject, delta) : null;
        if (only) { stopped = true; parts.push({ use, verdict: 'no-change', reason: `returned only when ${only}, which is false for ${codes(delta.before)} and ${codes(delta.after)}` }); }
        else parts.push({ use, verdict: 'value-change', reason: '' }); // said below, once the delta going up is known
        break;
      }
      case 'passed': parts.push({ use, verdict: 'value-change', reason: 'passed to another function (not followed)' }); break;
      case 'stored': parts.push({ use, verdict: 'value-change', reason: 'stored in a field or global (not followed)' }); break;
      case 'overwritten': parts.push({ use, verdict: 'no-change', reason: "replaced by the caller's own code" }); break;
      case 'ignored': parts.push({ use, verdict: 'no-change', reason: 'the value is ignored' }); break;
      default: parts.push({ use, verdict: 'unknown', reason: 'what the caller does with the value could not be resolved' });
    }
  }

  // Between uses of equal verdict, the one that says most about where the value goes.
  const decisive = parts.reduce((a, b) =>
    RANK[b.verdict] > RANK[a.verdict] || (RANK[b.verdict] === RANK[a.verdict] && USE_ORDER.indexOf(b.use) < USE_ORDER.indexOf(a.use)) ? b : a);
  const propagates = uses.includes('propagated') && !stopped;
  const next = propagates ? (flipped ? deltaAfterFlip(delta, flip) : delta) : null;
  for (const p of parts) if (p.use === 'propagated' && next && p.reason === '') p.reason = `returned on to its callers: ${codes(next.before)} -> ${codes(next.after)}`;
  const reason = [...new Set([decisive, ...parts.filter((p) => p !== decisive)].map((p) => p.reason))].join('; ');
  return { use: decisive.use, verdict: decisive.verdict, reason, next };
}
