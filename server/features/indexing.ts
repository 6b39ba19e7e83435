// Indexing the kernel tree on request (kpl/indexTree, with work-done progress and cancel), and
// the index state the status bar shows (kpl/indexState): indexing 42%, 19,765 files indexed, stale.
import { ResponseError } from 'vscode-languageserver';
import { IndexStateNotification, IndexStateRequest, IndexTreeRequest, type IndexState, type IndexTreeResult } from '../protocol';
import type { FeatureContext } from './context';

export class IndexStatus {
  private state: IndexState = { phase: 'no-tree', tree: null };
  constructor(private readonly ctx: FeatureContext) {}

  get(): IndexState {
    return this.state;
  }

  set(state: IndexState): void {
    this.state = state;
    void this.ctx.connection.sendNotification(IndexStateNotification, state);
  }

  /** The tree moved (settings, workspace folders): start over from what is known. */
  treeChanged(): void {
    const t = this.ctx.tree();
    this.set(t.root ? { phase: 'not-indexed', tree: t.root, detail: `found by ${t.how}; indexed on demand` } : { phase: 'no-tree', tree: null, detail: t.how });
  }

  /** A C file of the tree changed on disk: the index is out of date until reindexed. */
  treeFilesChanged(): void {
    if (this.state.phase === 'indexed') this.set({ ...this.state, phase: 'stale', detail: 'files of the tree changed since it was indexed' });
  }
}

export function activateIndexing(ctx: FeatureContext, status: IndexStatus, afterIndex: () => void): void {
  ctx.connection.onRequest(IndexStateRequest, () => status.get());
  let running: AbortController | undefined;

  ctx.connection.onRequest(IndexTreeRequest, async (params, token): Promise<IndexTreeResult> => {
    // A custom request gets no progress reporter of its own: attach one to the client's token.
    const workDone = ctx.connection.window.attachWorkDoneProgress(params.workDoneToken);
    const tree = params.tree ?? ctx.tree().root;
    if (!tree) throw new ResponseError(1, `no kernel tree: ${ctx.tree().how}`);
    running?.abort();
    const abort = new AbortController();
    running = abort;
    token.onCancellationRequested(() => abort.abort());
    const started = performance.now();
    workDone.begin('Indexing kernel tree', 0, tree, true);
    status.set({ phase: 'indexing', tree, percent: 0 });
    let lastPercent = -1;
    try {
      const cacheDir = ctx.settings().cacheFolder || undefined;
      const result = await ctx.engine.index(tree, {
        cacheDir,
        signal: abort.signal,
        onProgress: (done, total) => {
          const percent = total > 0 ? Math.floor((100 * done) / total) : 0;
          if (percent === lastPercent) return;
          lastPercent = percent;
          workDone.report(percent, `${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} files`);
          status.set({ phase: 'indexing', tree, percent, files: done });
        },
      });
      const cancelled = abort.signal.aborted;
      const milliseconds = Math.round(performance.now() - started);
      status.set(cancelled
        ? { phase: 'not-indexed', tree, detail: 'indexing was cancelled' }
        : { phase: 'indexed', tree, files: result.files, detail: `${result.skipped} files skipped; took ${(milliseconds / 1000).toFixed(1)} s` });
      if (!cancelled) afterIndex();
      return { tree, files: result.files, skipped: result.skipped, milliseconds, cancelled };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      status.set({ phase: 'failed', tree, detail: message });
      ctx.log(`indexing ${tree} failed: ${message}`);
      throw new ResponseError(2, `indexing failed: ${message}`);
    } finally {
      workDone.done();
      if (running === abort) running = undefined;
    }
  });
}
