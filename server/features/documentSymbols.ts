// The outline of a patch document: patches → files → hunks, with each hunk named after the
// function(s) its errno changes belong to (hunk headers often carry none).
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { DocumentAnalysis } from './analysis';
import type { FeatureContext } from './context';

function range(from: number, to: number) {
  return { start: { line: Math.max(0, from - 1), character: 0 }, end: { line: Math.max(0, Math.max(from, to) - 1), character: 0 } };
}

export function symbolsFor(a: DocumentAnalysis): DocumentSymbol[] {
  return a.series.patches.map((patch, i) => {
    const files = patch.files.map((file): DocumentSymbol => {
      const hunks = file.hunks.map((h): DocumentSymbol => {
        const last = h.lines.length ? h.lines[h.lines.length - 1].patchLine : h.patchLine;
        const fns = [...new Set(a.review.changes.filter((c) => c.patchLine >= h.patchLine && c.patchLine <= last && c.function).map((c) => c.function!))];
        const name = `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`;
        const label = fns.length ? fns.join(', ') : h.header.trim();
        return { name, detail: label, kind: fns.length ? SymbolKind.Function : SymbolKind.Namespace, range: range(h.patchLine, last), selectionRange: range(h.patchLine, h.patchLine) };
      });
      const end = hunks.length ? hunks[hunks.length - 1].range.end.line + 1 : file.patchLine;
      return {
        name: file.newPath ?? file.oldPath ?? '(unnamed file)',
        detail: file.status,
        kind: SymbolKind.File,
        range: range(file.patchLine, end),
        selectionRange: range(file.patchLine, file.patchLine),
        children: hunks,
      };
    });
    return {
      name: patch.meta.subject || `patch ${i + 1}`,
      detail: patch.meta.author,
      kind: SymbolKind.Module,
      range: range(patch.startLine, patch.endLine),
      selectionRange: range(patch.startLine, patch.startLine),
      children: files,
    };
  });
}

export function activateDocumentSymbols(ctx: FeatureContext): void {
  ctx.connection.onDocumentSymbol(async (params) => {
    const a = await ctx.analyser.current(params.textDocument.uri);
    return a ? symbolsFor(a) : [];
  });
}
