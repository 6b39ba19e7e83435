// kpl/callerPaths: the caller tree of a patch document for the client's Caller Paths view and
// its Show Caller Paths command.
import { CallerPathsRequest, type CallerPathsResult } from '../protocol';
import type { DocumentAnalysis } from './analysis';
import { changedFunctions } from './callerTree';
import type { FeatureContext } from './context';

export function callerPathsOf(a: DocumentAnalysis, only?: string): CallerPathsResult {
  const functions = changedFunctions(a).filter((f) => !only || f.function === only);
  return { tree: a.tree, functions, callersUnavailable: a.callersUnavailable, warnings: a.review.warnings.map((w) => (w.patchLine ? `line ${w.patchLine}: ${w.message}` : w.message)) };
}

export function activateCallerPaths(ctx: FeatureContext): void {
  ctx.connection.onRequest(CallerPathsRequest, async (params): Promise<CallerPathsResult> => {
    let a = await ctx.analyser.current(params.uri);
    const doc = ctx.documents.get(params.uri);
    if (!a && doc) a = await ctx.analyser.run(params.uri, doc.version, doc.getText());
    if (!a) return { tree: ctx.tree().root, functions: [], callersUnavailable: 'the document is not open as a patch', warnings: [] };
    return callerPathsOf(a, params.function);
  });
}
