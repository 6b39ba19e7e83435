// The Caller Paths view: each changed function of the patch in the active editor, its callers
// as a tree with use and verdict, and the user-visible end of each path. Clicking a caller opens
// the tree's source at the call site; clicking a function reveals its change in the patch.
import * as vscode from 'vscode';
import { CallerPathsRequest, ClientCommands, type CallerNode, type CallerPathsResult, type ChangedFunction } from '../../server/protocol';
import { isPatchDocument } from '../context';
import type { CallerPathsPresenter, ClientContext } from '../shared';

type Item =
  | { kind: 'note'; text: string; tooltip?: string }
  | { kind: 'function'; f: ChangedFunction; doc: string }
  | { kind: 'caller'; n: CallerNode }
  | { kind: 'user'; text: string };

const verdictIcon: Record<string, vscode.ThemeIcon> = {
  'behaviour-change': new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  'value-change': new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground')),
  'no-change': new vscode.ThemeIcon('pass'),
  unknown: new vscode.ThemeIcon('question'),
};

function counts(f: ChangedFunction): string {
  const c = f.counts;
  const total = c['behaviour-change'] + c['value-change'] + c['no-change'] + c.unknown;
  return `${f.codes} · ${total} callers · ${c['behaviour-change']} behaviour · ${c['value-change']} value`;
}

class CallerPathsProvider implements vscode.TreeDataProvider<Item> {
  private readonly changed = new vscode.EventEmitter<Item | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  result: CallerPathsResult | undefined;
  uri: string | undefined;
  only: string | undefined;
  message = 'Open a kernel patch to see the callers of the functions it changes.';

  refresh(): void { this.changed.fire(undefined); }

  getTreeItem(item: Item): vscode.TreeItem {
    switch (item.kind) {
      case 'note': {
        const t = new vscode.TreeItem(item.text, vscode.TreeItemCollapsibleState.None);
        t.iconPath = new vscode.ThemeIcon('circle-slash');
        t.tooltip = item.tooltip ?? item.text;
        return t;
      }
      case 'user': {
        const t = new vscode.TreeItem(`user space: ${item.text}`, vscode.TreeItemCollapsibleState.None);
        t.iconPath = new vscode.ThemeIcon('person');
        return t;
      }
      case 'function': {
        const hasKids = item.f.callers.length > 0 || !!this.result?.callersUnavailable;
        const t = new vscode.TreeItem(item.f.function, hasKids ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
        // Zero counts would claim "no caller notices": without callers, say only what changed.
        t.description = this.result?.callersUnavailable ? `${item.f.codes} · callers not available` : counts(item.f);
        t.iconPath = new vscode.ThemeIcon('symbol-function');
        t.tooltip = `${item.f.function} (${item.f.file})\nreturns {${item.f.returnsBefore.join(', ')}} → {${item.f.returnsAfter.join(', ')}}`;
        if (item.f.patchLine > 0) t.command = { title: 'Reveal in patch', command: ClientCommands.openCallerPath, arguments: [item.doc, item.f.patchLine] };
        return t;
      }
      case 'caller': {
        const n = item.n;
        const kids = n.children.length > 0 || !!n.userVisible;
        const t = new vscode.TreeItem(n.function, kids ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
        t.description = `${n.use} · ${n.verdict}${n.via ? ` · via ${n.via}` : ''} · ${n.file}:${n.line}`;
        t.tooltip = new vscode.MarkdownString(`**${n.function}** at ${n.file}:${n.line}\n\n\`${n.use}\` → **${n.verdict}**${n.reason ? `\n\n${n.reason}` : ''}${n.userVisible ? `\n\nuser space: ${n.userVisible}` : ''}`);
        t.iconPath = verdictIcon[n.verdict];
        t.command = { title: 'Open call site', command: ClientCommands.openCallerPath, arguments: [n.uri, n.line] };
        t.contextValue = `caller.${n.verdict}`;
        return t;
      }
    }
  }

  getChildren(item?: Item): Item[] {
    if (!item) {
      if (!this.result || !this.uri) return [{ kind: 'note', text: this.message }];
      const fns = this.result.functions.filter((f) => !this.only || f.function === this.only);
      if (fns.length === 0) return [{ kind: 'note', text: 'This patch changes no error codes.' }];
      return fns.map((f) => ({ kind: 'function', f, doc: this.uri! }));
    }
    if (item.kind === 'function') {
      if (this.result?.callersUnavailable) return [{ kind: 'note', text: `callers not available: ${this.result.callersUnavailable}` }];
      return item.f.callers.map((n) => ({ kind: 'caller', n }));
    }
    if (item.kind === 'caller') {
      const kids: Item[] = item.n.children.filter((c) => c.depth > item.n.depth).map((n) => ({ kind: 'caller', n }));
      if (item.n.userVisible) kids.push({ kind: 'user', text: item.n.userVisible });
      return kids;
    }
    return [];
  }
}

export function activate(ctx: ClientContext): CallerPathsPresenter {
  const provider = new CallerPathsProvider();
  const view = vscode.window.createTreeView('kernelPatchLens.callerPaths', { treeDataProvider: provider, showCollapseAll: true });
  ctx.extension.subscriptions.push(view);

  const load = async (uri: string, only?: string) => {
    try {
      provider.result = await ctx.client.sendRequest(CallerPathsRequest, { uri });
      provider.uri = uri;
      provider.only = only;
      view.message = provider.result.tree ? `Kernel tree: ${provider.result.tree}` : 'No kernel tree: callers not available';
    } catch (e) {
      provider.result = undefined;
      provider.message = `Could not get caller paths: ${e instanceof Error ? e.message : String(e)}`;
    }
    provider.refresh();
  };

  const followEditor = (editor: vscode.TextEditor | undefined) => {
    if (editor && isPatchDocument(editor.document)) void load(editor.document.uri.toString());
  };
  ctx.extension.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(followEditor),
    // The server publishes diagnostics after every analysis: the cue to redraw the view.
    vscode.languages.onDidChangeDiagnostics((e) => {
      if (provider.uri && e.uris.some((u) => u.toString() === provider.uri)) void load(provider.uri, provider.only);
    }),
  );
  followEditor(vscode.window.activeTextEditor);

  return {
    async show(uri, fn) {
      await load(uri, fn);
      await vscode.commands.executeCommand('kernelPatchLens.callerPaths.focus');
    },
  };
}
