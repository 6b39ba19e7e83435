// A status bar item with the index state: "indexing 42%", "19,765 files indexed", "stale".
// Clicking it indexes the tree (or asks for one when there is none).
import * as vscode from 'vscode';
import { ClientCommands, IndexStateNotification, IndexStateRequest, type IndexState } from '../../server/protocol';
import type { ClientContext } from '../shared';

export function describe(s: IndexState): { text: string; tooltip: string } {
  const tree = s.tree ?? 'no kernel tree';
  switch (s.phase) {
    case 'no-tree': return { text: '$(warning) KPL: no kernel tree', tooltip: s.detail ?? 'Select a kernel tree' };
    case 'not-indexed': return { text: '$(database) KPL: not indexed', tooltip: `${tree}\n${s.detail ?? ''}\nClick to index the whole tree (callers are found on demand meanwhile).` };
    case 'indexing': return { text: `$(sync~spin) KPL: indexing ${s.percent ?? 0}%`, tooltip: `${tree}: ${(s.files ?? 0).toLocaleString('en-US')} files so far` };
    case 'indexed': return { text: `$(check) KPL: ${(s.files ?? 0).toLocaleString('en-US')} files indexed`, tooltip: `${tree}\n${s.detail ?? ''}` };
    case 'stale': return { text: '$(history) KPL: index stale', tooltip: `${tree}\n${s.detail ?? ''}\nClick to reindex.` };
    case 'failed': return { text: '$(error) KPL: index failed', tooltip: `${tree}\n${s.detail ?? ''}` };
  }
}

export function activate(ctx: ClientContext): void {
  const item = vscode.window.createStatusBarItem('kernelPatchLens.index', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Kernel Patch Lens index';
  ctx.extension.subscriptions.push(item);
  const show = (s: IndexState) => {
    const d = describe(s);
    item.text = d.text;
    item.tooltip = d.tooltip;
    item.command = s.phase === 'no-tree' ? ClientCommands.selectTree : s.phase === 'indexing' ? undefined : ClientCommands.indexTree;
    item.show();
  };
  ctx.extension.subscriptions.push(ctx.client.onNotification(IndexStateNotification, show));
  void ctx.client.sendRequest(IndexStateRequest).then(show, () => undefined);
}
