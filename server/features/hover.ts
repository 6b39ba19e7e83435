// Hover on a changed line or a function name in the patch: the caller tree as markdown, each
// caller a link (`file:///...#Lnn`) that opens the tree's source at the call site.
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { CallerNode, ChangedFunction } from '../protocol';
import type { DocumentAnalysis } from './analysis';
import { changedFunctions, countsText, noImpactText, treeUri } from './callerTree';
import type { FeatureContext } from './context';
import { changesAt, identifierAt, isChangedLine } from './patchDocument';

const maxNodes = 60;

function verdictText(v: string): string {
  return v === 'behaviour-change' ? '**behaviour change**' : v === 'value-change' ? '*value change*' : v;
}

function callerLines(nodes: CallerNode[], tree: string, indent: string, budget: { left: number }, seen: Set<CallerNode>): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    if (budget.left <= 0) { out.push(`${indent}- …`); break; }
    if (seen.has(n)) continue;
    seen.add(n);
    budget.left--;
    const via = n.via ? ` via \`${n.via}\`` : '';
    const user = n.userVisible ? ` — user space: ${n.userVisible}` : '';
    // The engine's reason lists every use it saw; the first clause is the one that decides.
    const why = n.reason ? ` — ${n.reason.split('; ')[0]}` : '';
    out.push(`${indent}- [\`${n.function}\`](${treeUri(tree, n.file, n.line)}) ${n.file}:${n.line} · \`${n.use}\`${via} · ${verdictText(n.verdict)}${why}${user}`);
    out.push(...callerLines(n.children, tree, `${indent}  `, budget, seen));
  }
  return out;
}

/** The markdown for one changed function. */
export function functionMarkdown(a: DocumentAnalysis, f: ChangedFunction): string {
  const head = `**${f.function}** (${f.file}) · ${f.codes}`;
  const lines = [head];
  if (f.returnsBefore.length || f.returnsAfter.length) lines.push('', `returns {${f.returnsBefore.join(', ')}} → {${f.returnsAfter.join(', ')}}`);
  const impact = a.review.impacts.find((i) => i.function === f.function);
  if (!impact || !a.tree) {
    lines.push('', noImpactText(a, f.function));
    return lines.join('\n');
  }
  lines.push('', countsText(impact.callers.length, f.counts), '');
  if (f.callers.length === 0) lines.push('no callers in the tree');
  lines.push(...callerLines(f.callers, a.tree, '', { left: maxNodes }, new Set()));
  return lines.join('\n');
}

export function hoverAt(a: DocumentAnalysis, word: string | null, patchLine: number, onChangedLine: boolean): string | null {
  const functions = changedFunctions(a);
  let picked = word ? functions.filter((f) => f.function === word) : [];
  if (picked.length === 0 && onChangedLine) {
    const names = new Set(changesAt(a, patchLine).map((c) => c.function));
    picked = functions.filter((f) => names.has(f.function));
  }
  if (picked.length === 0 && word && a.tree) {
    // A caller's name: show its own place on the paths.
    for (const f of functions) {
      const stack = [...f.callers];
      while (stack.length) {
        const n = stack.pop()!;
        if (n.function === word) return `**${word}** calls toward **${f.function}** at [${n.file}:${n.line}](${treeUri(a.tree, n.file, n.line)}) · \`${n.use}\` · ${verdictText(n.verdict)}${n.reason ? ` — ${n.reason}` : ''}`;
        stack.push(...n.children.filter((c) => c.depth > n.depth));
      }
    }
  }
  if (picked.length === 0) return null;
  return picked.map((f) => functionMarkdown(a, f)).join('\n\n---\n\n');
}

export function activateHover(ctx: FeatureContext): void {
  ctx.connection.onHover(async (params): Promise<Hover | null> => {
    const doc = ctx.documents.get(params.textDocument.uri);
    const a = await ctx.analyser.current(params.textDocument.uri);
    if (!doc || !a) return null;
    const patchLine = params.position.line + 1;
    const word = identifierAt(doc, params.position.line, params.position.character);
    const onChanged = isChangedLine(a, patchLine) || a.review.changes.some((c) => c.patchLine === patchLine);
    const value = hoverAt(a, word, patchLine, onChanged);
    return value ? { contents: { kind: MarkupKind.Markdown, value } } : null;
  });
}
