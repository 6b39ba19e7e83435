// Diagnostics on the patch: one per changed return code, one per caller path that changes
// behaviour (related information points at the caller's line in the tree), and the reader's
// warnings about what it skipped. Severity follows the verdict.
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { ErrnoChange, Verdict } from '../model';
import type { DocumentAnalysis } from './analysis';
import { asCaller, codesText, countVerdicts, countsText, impactOf, noImpactText, treeUri } from './callerTree';
import type { FeatureContext } from './context';

const source = 'Kernel Patch Lens';

export function severityOf(v: Verdict | null): DiagnosticSeverity {
  switch (v) {
    case 'behaviour-change': return DiagnosticSeverity.Warning;
    case 'value-change': case 'unknown': return DiagnosticSeverity.Information;
    default: return DiagnosticSeverity.Hint;
  }
}

function lineRange(patchLine: number, length = 1000) {
  const line = Math.max(0, patchLine - 1);
  return { start: { line, character: 0 }, end: { line, character: length } };
}

function changeDiagnostic(a: DocumentAnalysis, ch: ErrnoChange): Diagnostic {
  const impact = impactOf(a, ch.function);
  const fn = ch.function ?? `a function of ${ch.file} that could not be told`;
  const counts = countVerdicts(impact);
  const worst: Verdict | null = impact ? (['behaviour-change', 'value-change', 'unknown', 'no-change'] as Verdict[]).find((v) => counts[v] > 0) ?? null : null;
  const tail = impact
    ? `: ${countsText(impact.callers.length, counts)}`
    : ` (${noImpactText(a, ch.function)})`;
  const related: DiagnosticRelatedInformation[] = [];
  if (a.tree && ch.line > 0) related.push({ location: { uri: treeUri(a.tree, ch.file), range: lineRange(ch.line) }, message: `${fn} in ${ch.file}:${ch.line}` });
  return {
    range: lineRange(ch.patchLine),
    // Without callers the change itself is still worth a line in the Problems panel (hints are not listed there).
    severity: impact ? severityOf(worst) : severityOf(asCaller(a, ch.function)?.verdict ?? 'unknown'),
    source,
    code: `errno-${ch.kind}`,
    message: `${fn}: ${codesText(ch)}${tail}`,
    relatedInformation: related.length ? related : undefined,
  };
}

/** The diagnostics of one analysed patch document. */
export function diagnosticsFor(a: DocumentAnalysis): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const ch of a.review.changes) out.push(changeDiagnostic(a, ch));
  for (const impact of a.review.impacts) {
    const anchor = a.review.changes.find((c) => c.function === impact.function);
    if (!anchor || !a.tree) continue;
    for (const c of impact.callers) {
      if (c.verdict !== 'behaviour-change') continue;
      const chain = (c.path?.length ? c.path : [c.function, impact.function]).join(' → ');
      const seen = c.userVisible ? `; user space: ${c.userVisible}` : '';
      out.push({
        range: lineRange(anchor.patchLine),
        severity: severityOf(c.verdict),
        source,
        code: 'caller-behaviour-change',
        message: `${c.function} (${c.file}:${c.line}, ${c.use}) changes behaviour: ${c.reason || 'its branch on the code flips'} [${chain}]${seen}`,
        relatedInformation: [{ location: { uri: treeUri(a.tree, c.file), range: lineRange(c.line) }, message: `${c.function} calls ${c.path?.[1] ?? impact.function} here (${c.use})` }],
      });
    }
  }
  for (const w of a.review.warnings) {
    if (w.patchLine) out.push({ range: lineRange(w.patchLine), severity: DiagnosticSeverity.Hint, source, code: 'skipped', message: w.message });
  }
  return out;
}

export function publishDiagnostics(ctx: FeatureContext, a: DocumentAnalysis): void {
  void ctx.connection.sendDiagnostics({ uri: a.uri, version: a.version, diagnostics: diagnosticsFor(a) });
}
