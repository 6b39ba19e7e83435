// Index Kernel Tree: runs the server's indexer (kpl/indexTree) with a cancellable progress
// notification fed by the server's work-done progress.
import * as vscode from 'vscode';
import { WorkDoneProgress, type WorkDoneProgressReport } from 'vscode-languageclient';
import { IndexTreeRequest } from '../../server/protocol';
import type { ClientContext } from '../shared';
import { showError } from './output';

export async function indexTree(ctx: ClientContext): Promise<void> {
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Kernel Patch Lens: indexing kernel tree', cancellable: true },
    async (progress, token) => {
      const workDoneToken = `kpl-index-${Date.now()}`;
      let last = 0;
      const listener = ctx.client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind !== 'report') return;
        const r = value as WorkDoneProgressReport;
        const pct = r.percentage ?? last;
        progress.report({ increment: Math.max(0, pct - last), message: r.message });
        last = pct;
      });
      try {
        const result = await ctx.client.sendRequest(IndexTreeRequest, { workDoneToken }, token);
        const secs = (result.milliseconds / 1000).toFixed(1);
        const text = result.cancelled
          ? `Indexing cancelled; what was parsed is kept (${result.tree}).`
          : `Indexed ${result.files.toLocaleString('en-US')} files of ${result.tree} in ${secs} s (${result.skipped} skipped).`;
        ctx.output.appendLine(text);
        void vscode.window.showInformationMessage(`Kernel Patch Lens: ${text}`);
      } catch (e) {
        if (!token.isCancellationRequested) showError(ctx.output, 'indexing failed', e);
      } finally {
        listener.dispose();
      }
    },
  );
}
