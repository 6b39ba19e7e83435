// The review as a reviewer's note: one finding a line in `file:line: ...` form (the way
// checkpatch speaks), grouped per patch, then each changed function's caller tree with the
// verdict, the use, the call site's source line, and a summary line per patch.
import type { CallerImpact, ErrnoChange, FunctionImpact, Review } from '../model';
import type { TreeSource } from '../tree';

export interface TextOptions {
  /** The pre-image tree, to quote call sites' source lines. */
  tree?: TreeSource;
}

const list = (codes: string[]) => codes.join(', ');
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What one change says, in words. */
export function describeChange(c: ErrnoChange): string {
  const was = list(c.old);
  const now = list(c.new);
  switch (c.kind) {
    case 'return': return `returns ${now} instead of ${was}`;
    case 'assign': return `assigns ${now} instead of ${was}`;
    case 'added': return `new error return ${now}`;
    case 'removed': return `error return ${was} removed`;
    case 'case':
      return !c.old.length ? `new \`case ${now}:\`` : !c.new.length ? `\`case ${was}:\` removed` : `\`case ${was}:\` becomes \`case ${now}:\``;
    case 'compare':
      return !c.old.length ? `new handling: compares with ${now}` : !c.new.length ? `no longer compares with ${was}` : `compares with ${now} instead of ${was}`;
    case 'doc':
      return !c.old.length ? `comment now mentions ${now}` : !c.new.length ? `comment no longer mentions ${was}` : `comment says ${now} instead of ${was}`;
  }
}

export function changeLine(c: ErrnoChange): string {
  const fn = c.function ? `${c.function}(): ` : '(function unknown): ';
  return `${c.file}:${c.line}: ${fn}${describeChange(c)} [${c.kind}, patch line ${c.patchLine}]`;
}

function callerLine(c: CallerImpact, indent: string, tree?: TreeSource): string[] {
  const via = c.via ? ` via ${c.via}` : '';
  const user = c.userVisible ? `; user space sees ${c.userVisible}` : '';
  const reason = c.reason ? ` (${c.reason})` : '';
  const out = [`${indent}${c.file}:${c.line}: ${c.function}() ${c.use}${via} -> ${c.verdict}${user}${reason}`];
  const source = tree?.read(c.file)?.split('\n')[c.line - 1]?.trim();
  if (source) out.push(`${indent}    | ${source}`);
  return out;
}

/** Callers as a tree: each caller under the one it calls (its path minus itself). */
function callerTree(impact: FunctionImpact, tree?: TreeSource): string[] {
  const key = (c: CallerImpact) => c.path.join(' < ');
  const parentKey = (c: CallerImpact) => c.path.slice(1).join(' < ');
  const shown = new Set<CallerImpact>();
  const out: string[] = [];
  const walk = (parent: string, depth: number) => {
    for (const c of impact.callers) {
      if (shown.has(c) || c.depth !== depth || parentKey(c) !== parent) continue;
      shown.add(c);
      out.push(...callerLine(c, '  '.repeat(depth + 1), tree));
      walk(key(c), depth + 1);
    }
  };
  walk(impact.function, 1);
  // Callers whose chain is not spelled out in `path` still get shown, at their depth.
  for (const c of impact.callers) if (!shown.has(c)) out.push(...callerLine(c, '  '.repeat(c.depth + 1), tree));
  return out;
}

function impactBlock(impact: FunctionImpact, tree?: TreeSource): string[] {
  const before = impact.returnsBefore.length ? list(impact.returnsBefore) : '(nothing known)';
  const after = impact.returnsAfter.length ? list(impact.returnsAfter) : '(nothing known)';
  const head = `  ${impact.function}() in ${impact.file}: returns ${before} -> ${after}`;
  if (impact.callers.length === 0) return [head, '    no callers found'];
  return [head, ...callerTree(impact, tree)];
}

function summaryLine(changes: ErrnoChange[], impacts: FunctionImpact[]): string {
  const functions = new Set(changes.map((c) => c.function ?? `?${c.file}:${c.line}`));
  const callers = impacts.flatMap((i) => i.callers);
  const behaviour = callers.filter((c) => c.verdict === 'behaviour-change').length;
  const unknown = callers.filter((c) => c.verdict === 'unknown').length;
  return `  summary: ${plural(functions.size, 'function', 'functions')} changed, ${plural(callers.length, 'caller', 'callers')}, ` +
    `${plural(behaviour, 'behaviour change', 'behaviour changes')}, ${unknown} unknown`;
}

/** The whole review as text (ends with a newline). */
export function renderText(review: Review, opts: TextOptions = {}): string {
  const out: string[] = [];
  const total = review.patches.length;
  const claimed = new Set<FunctionImpact>();
  review.patches.forEach((p, k) => {
    if (k > 0) out.push('');
    out.push(`[PATCH ${k + 1}/${total}] ${p.subject || '(no subject)'}`);
    if (p.author) out.push(`  author: ${p.author}`);
    if (p.baseCommit) out.push(`  base-commit: ${p.baseCommit}`);
    out.push(`  files: ${p.files.join(', ') || '(none)'}`);
    const changes = review.changes.filter((c) => c.patch === k);
    if (changes.length === 0) out.push('  no return-code changes found');
    for (const c of changes) out.push(changeLine(c));
    const names = new Set(changes.map((c) => c.function));
    const impacts = review.impacts.filter((i) => !claimed.has(i) && names.has(i.function));
    for (const i of impacts) { claimed.add(i); out.push('', ...impactBlock(i, opts.tree)); }
    out.push(summaryLine(changes, impacts));
  });
  const rest = review.impacts.filter((i) => !claimed.has(i));
  if (rest.length) { out.push('', 'other impacts:'); for (const i of rest) out.push(...impactBlock(i, opts.tree)); }
  for (const r of review.races) out.push('', `race ${r.scenario}: ${r.changed ? 'outcomes differ before and after the patch' : 'no change'}`);
  if (review.warnings.length) {
    out.push('', 'warnings:');
    for (const w of review.warnings) out.push(`  ${w.patchLine ? `patch line ${w.patchLine}: ` : ''}${w.message}`);
  }
  return out.join('\n') + '\n';
}
