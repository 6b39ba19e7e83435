// The server's own commands (workspace/executeCommand); the client's palette commands are in
// client/commands.ts. Re-analysing is here because only the server holds the documents' analyses.
import { ResponseError } from 'vscode-languageserver';
import { ServerCommands, type ReanalyseResult } from '../protocol';
import type { FeatureContext } from './context';

export const serverCommandIds: string[] = Object.values(ServerCommands);

export function activateCommands(ctx: FeatureContext): void {
  ctx.connection.onExecuteCommand(async (params): Promise<ReanalyseResult | null> => {
    if (params.command !== ServerCommands.reanalyse) throw new ResponseError(-32601, `unknown command ${params.command}`);
    const uri = params.arguments?.[0];
    if (typeof uri !== 'string') throw new ResponseError(-32602, `${params.command} takes the patch document's URI`);
    const doc = ctx.documents.get(uri);
    if (!doc) throw new ResponseError(-32602, `${uri} is not open`);
    const a = await ctx.analyser.run(uri, doc.version, doc.getText());
    if (!a) return null;
    return {
      uri,
      changes: a.review.changes.length,
      functions: new Set(a.review.changes.map((c) => c.function)).size,
      callers: a.review.impacts.reduce((n, i) => n + i.callers.length, 0),
      behaviourChanges: a.review.impacts.reduce((n, i) => n + i.callers.filter((c) => c.verdict === 'behaviour-change').length, 0),
      callersUnavailable: a.callersUnavailable,
    };
  });
}
