// Go to definition from a function name in the patch into the kernel tree (the index answers).
import type { Location } from 'vscode-languageserver';
import { treeUri } from './callerTree';
import type { FeatureContext } from './context';
import { identifierAt } from './patchDocument';

export function activateDefinition(ctx: FeatureContext): void {
  ctx.connection.onDefinition(async (params): Promise<Location[] | null> => {
    const doc = ctx.documents.get(params.textDocument.uri);
    const tree = ctx.tree().root;
    if (!doc || !tree) return null;
    const word = identifierAt(doc, params.position.line, params.position.character);
    if (!word) return null;
    const defs = await ctx.definitions(word);
    if (defs.length === 0) return null;
    return defs.map((d) => ({
      uri: treeUri(tree, d.file),
      range: { start: { line: d.line - 1, character: 0 }, end: { line: Math.max(d.line, d.endLine) - 1, character: 0 } },
    }));
  });
}
