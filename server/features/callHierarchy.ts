// LSP call hierarchy on the patch: prepare on a changed function (its name, or a changed line),
// incoming calls = its callers from the impact walk, each labelled with use and verdict. For a
// function the walk did not cover, incoming calls come straight from the call graph (use only).
import { SymbolKind, type CallHierarchyIncomingCall, type CallHierarchyItem } from 'vscode-languageserver';
import type { CallerNode } from '../protocol';
import type { DocumentAnalysis } from './analysis';
import { changedFunctions, treeUri } from './callerTree';
import type { FeatureContext } from './context';
import { changesAt, identifierAt } from './patchDocument';

interface Step { function: string; file: string; line: number }
interface ItemData { doc: string; fn: string; trail: Step[]; fromGraph?: boolean }

const at = (line: number) => {
  const l = Math.max(0, line - 1);
  return { start: { line: l, character: 0 }, end: { line: l, character: 0 } };
};

function nodeItem(tree: string, n: CallerNode, data: ItemData): CallHierarchyItem {
  const via = n.via ? ` via ${n.via}` : '';
  return {
    name: n.function,
    kind: SymbolKind.Function,
    detail: `${n.use} · ${n.verdict}${via}${n.userVisible ? ` · ${n.userVisible}` : ''}`,
    uri: treeUri(tree, n.file),
    range: at(n.line),
    selectionRange: at(n.line),
    data,
  };
}

/** The caller nodes reached by following a trail of call sites down from the function's direct callers. */
function nodesAfter(roots: CallerNode[], trail: Step[]): CallerNode[] | undefined {
  let level = roots;
  for (const step of trail) {
    const next = level.find((n) => n.function === step.function && n.file === step.file && n.line === step.line);
    if (!next) return undefined;
    level = next.children;
  }
  return level;
}

export async function prepareItems(ctx: FeatureContext, a: DocumentAnalysis, word: string | null, patchLine: number): Promise<CallHierarchyItem[]> {
  if (!a.tree) return [];
  const functions = changedFunctions(a);
  let names = word && functions.some((f) => f.function === word) ? [word] : [];
  if (names.length === 0) names = [...new Set(changesAt(a, patchLine).map((c) => c.function).filter((f): f is string => !!f))];
  if (names.length === 0 && word) {
    // Not a changed function: offer the call graph's view of it if the tree defines it.
    const defs = await ctx.definitions(word);
    return defs.slice(0, 1).map((d) => ({
      name: word, kind: SymbolKind.Function, detail: `${d.file}:${d.line}`, uri: treeUri(a.tree!, d.file),
      range: at(d.line), selectionRange: at(d.line), data: { doc: a.uri, fn: word, trail: [], fromGraph: true } satisfies ItemData,
    }));
  }
  const items: CallHierarchyItem[] = [];
  for (const name of names) {
    const f = functions.find((x) => x.function === name);
    if (!f) continue;
    const def = (await ctx.definitions(name)).find((d) => d.file === f.file);
    const change = a.review.changes.find((c) => c.function === name);
    const line = def?.line ?? change?.line ?? 1;
    items.push({
      name, kind: SymbolKind.Function, detail: `${f.codes} · ${f.file}`, uri: treeUri(a.tree, f.file),
      range: at(line), selectionRange: at(line), data: { doc: a.uri, fn: name, trail: [] } satisfies ItemData,
    });
  }
  return items;
}

export async function incomingCalls(ctx: FeatureContext, item: CallHierarchyItem): Promise<CallHierarchyIncomingCall[]> {
  const data = item.data as ItemData | undefined;
  if (!data || typeof data.doc !== 'string') return [];
  const a = await ctx.analyser.current(data.doc);
  if (!a?.tree) return [];
  const tree = a.tree;
  const f = changedFunctions(a).find((x) => x.function === data.fn);
  if (f && !data.fromGraph) {
    const nodes = nodesAfter(f.callers, data.trail) ?? [];
    return nodes.map((n) => ({
      from: nodeItem(tree, n, { doc: data.doc, fn: data.fn, trail: [...data.trail, { function: n.function, file: n.file, line: n.line }] }),
      fromRanges: [at(n.line)],
    }));
  }
  // Outside the impact walk: direct call sites from the index, labelled with their use.
  const name = data.trail.length ? data.trail[data.trail.length - 1].function : data.fn;
  const sites = await ctx.callSites(name);
  return sites.filter((s) => s.caller).map((s) => ({
    from: {
      name: s.caller!, kind: SymbolKind.Function, detail: `${s.use}${s.via ? ` via ${s.via}` : ''} · not analysed`,
      uri: treeUri(tree, s.file), range: at(s.line), selectionRange: at(s.line),
      data: { doc: data.doc, fn: s.caller!, trail: [], fromGraph: true } satisfies ItemData,
    },
    fromRanges: [at(s.line)],
  }));
}

export function activateCallHierarchy(ctx: FeatureContext): void {
  ctx.connection.languages.callHierarchy.onPrepare(async (params) => {
    const doc = ctx.documents.get(params.textDocument.uri);
    const a = await ctx.analyser.current(params.textDocument.uri);
    if (!doc || !a) return null;
    const items = await prepareItems(ctx, a, identifierAt(doc, params.position.line, params.position.character), params.position.line + 1);
    return items.length ? items : null;
  });
  ctx.connection.languages.callHierarchy.onIncomingCalls(async (params) => incomingCalls(ctx, params.item));
  ctx.connection.languages.callHierarchy.onOutgoingCalls(async () => []);
}
