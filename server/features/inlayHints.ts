// Inline annotations after changed lines: the verdict summary of the function's callers.
// Quiet by default where nothing changes: the level setting says which lines speak, the verdict
// filter which callers count. While a patch is re-analysed the last hints stay (no flicker).
import { InlayHintKind, type InlayHint } from 'vscode-languageserver';
import type { Verdict } from '../model';
import type { KplSettings } from '../protocol';
import type { DocumentAnalysis } from './analysis';
import { asCaller, countVerdicts, countsText, impactOf, noImpactText } from './callerTree';
import type { FeatureContext } from './context';
import { lineText } from './patchDocument';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/** Short enough for VS Code's inlay hint length limit: "1 behaviour · 2 value · 5 callers". */
export function shortCounts(counts: Record<Verdict, number>): string {
  const total = Object.values(counts).reduce((x, y) => x + y, 0);
  const parts: string[] = [];
  if (counts['behaviour-change']) parts.push(`${counts['behaviour-change']} behaviour`);
  if (counts['value-change']) parts.push(`${counts['value-change']} value`);
  if (counts.unknown) parts.push(`${counts.unknown} unknown`);
  parts.push(`${total} caller${total === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

export function hintsFor(a: DocumentAnalysis, settings: KplSettings, doc?: TextDocument, from = 0, to = Number.MAX_SAFE_INTEGER): InlayHint[] {
  const { enabled, level, verdicts } = settings.annotations;
  if (!enabled) return [];
  const out: InlayHint[] = [];
  const done = new Set<number>();
  for (const ch of a.review.changes) {
    const line = ch.patchLine - 1;
    if (line < from || line > to || done.has(line)) continue;
    const impact = impactOf(a, ch.function);
    const counts = countVerdicts(impact, verdicts);
    // A line whose function is itself a caller (the patch changed its handling) counts as that caller.
    const asCallerOf = impact ? undefined : asCaller(a, ch.function);
    if (asCallerOf && verdicts.includes(asCallerOf.verdict)) counts[asCallerOf.verdict]++;
    const speaks =
      level === 'everything' ||
      counts['behaviour-change'] > 0 ||
      (level === 'all-changes' && counts['value-change'] > 0);
    if (!speaks) continue;
    const label = impact ? shortCounts(counts) : a.callersUnavailable ? 'callers not available' : asCallerOf ? `${asCallerOf.use} · ${asCallerOf.verdict}` : noImpactText(a, ch.function);
    const character = doc ? lineText(doc, line).length : 10000;
    done.add(line);
    out.push({
      position: { line, character },
      label: `  ⟵ ${label}`,
      kind: InlayHintKind.Parameter,
      paddingLeft: true,
      tooltip: impact
        ? `${ch.function}: ${countsText(impact.callers.length, countVerdicts(impact))} (annotation counts: ${verdicts.join(', ')}). Hover the line for the caller tree.`
        : noImpactText(a, ch.function),
    });
  }
  return out;
}

export function activateInlayHints(ctx: FeatureContext): void {
  ctx.connection.languages.inlayHint.on(async (params) => {
    const a = await ctx.analyser.current(params.textDocument.uri);
    if (!a) return [];
    return hintsFor(a, ctx.settings(), ctx.documents.get(params.textDocument.uri), params.range.start.line, params.range.end.line);
  });
}

/** Asks the client to fetch hints again, when it can (capability recorded at initialize). */
export function refreshInlayHints(ctx: FeatureContext): void {
  if (ctx.capabilities.inlayHintRefresh) void ctx.connection.languages.inlayHint.refresh().catch(() => undefined);
}
