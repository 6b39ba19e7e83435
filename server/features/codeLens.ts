// A code lens on every changed error return: "-EIO → -EBUSY · 5 callers · 1 behaviour change ·
// 2 value changes"; clicking it opens the caller paths of that function.
import type { CodeLens } from 'vscode-languageserver';
import { ClientCommands } from '../protocol';
import type { DocumentAnalysis } from './analysis';
import { codesText, countVerdicts, countsText, impactOf, noImpactText } from './callerTree';
import type { FeatureContext } from './context';

export function lensesFor(a: DocumentAnalysis): CodeLens[] {
  return a.review.changes.map((ch) => {
    const impact = impactOf(a, ch.function);
    const tail = impact
      ? countsText(impact.callers.length, countVerdicts(impact))
      : noImpactText(a, ch.function);
    const line = Math.max(0, ch.patchLine - 1);
    return {
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
      command: {
        title: `${codesText(ch)} · ${tail}`,
        command: ClientCommands.showCallerPaths,
        arguments: [a.uri, ch.function ?? undefined],
      },
    };
  });
}

export function activateCodeLens(ctx: FeatureContext): void {
  ctx.connection.onCodeLens(async (params) => {
    const a = await ctx.analyser.current(params.textDocument.uri);
    return a ? lensesFor(a) : [];
  });
}
