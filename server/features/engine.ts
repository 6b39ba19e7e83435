// The engine as the language server uses it: the patch reader, `review()`, and the tree's call
// graph (one lazily answering graph per tree, replaced by a complete one after indexing).
// Engine errors become warnings here, so a bad document never takes the server down.
import type { CallSite, FunctionDef, PatchSeries, Review } from '../model';
import { openCallGraph, type ProjectIndex } from '../index/project';
import { NoPatchError, readPatchSeries } from '../patch/reader';
import { review } from '../review';
import { ReviewSession } from '../session';
import { warmUp } from '../warmup';

export interface IndexRun {
  cacheDir?: string;
  signal: AbortSignal;
  onProgress: (done: number, total: number) => void;
}

export interface Engine {
  /** The patches of a document; a document without a diff gives none and a warning. */
  readSeries(input: Buffer): PatchSeries;
  review(input: Buffer, o: { tree?: string; depth: number; cacheDir?: string }): Promise<Review>;
  definitions(root: string, name: string, cacheDir?: string): Promise<FunctionDef[]>;
  callSites(root: string, name: string, cacheDir?: string): Promise<CallSite[]>;
  /** Indexes the whole tree; on abort, stops the parsing, keeps what was done, reports `cancelled`. */
  index(root: string, o: IndexRun): Promise<{ files: number; skipped: number }>;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function emptyReview(why: string): Review {
  return { patches: [], changes: [], impacts: [], races: [], warnings: [{ message: why }] };
}

/**
 * With a whole index loaded: its postings and parser ready, then one review of the server's own
 * (warmup.ts) so that the reviewer's first one runs on compiled code. In the background; a
 * failure costs only the head start.
 */
function idle(root: string, g: ProjectIndex): void {
  void (async () => {
    await g.warm();
    await warmUp(root, g);
  })().catch(() => undefined);
}

export function createEngine(): Engine {
  const graphs = new Map<string, Promise<ProjectIndex>>();
  // One per tree, held like its graph: files read and parsed by one review serve the next.
  const sessions = new Map<string, ReviewSession>();
  const sessionFor = (root: string) => {
    let s = sessions.get(root);
    if (!s) sessions.set(root, (s = new ReviewSession()));
    return s;
  };
  const graphKey = (root: string, cacheDir?: string) => `${root}\u0000${cacheDir ?? ''}`;
  const graph = (root: string, cacheDir?: string) => {
    const k = graphKey(root, cacheDir);
    let g = graphs.get(k);
    if (!g) {
      g = openCallGraph(root, { cacheDir, refreshCompleteCache: true });
      g.then((opened) => { if (opened.complete) idle(root, opened); }, () => graphs.delete(k));
      graphs.set(k, g);
    }
    return g;
  };

  return {
    readSeries(input) {
      try {
        return readPatchSeries(input);
      } catch (e) {
        return { patches: [], warnings: [{ message: e instanceof NoPatchError ? e.message : `the patch reader failed: ${message(e)}` }] };
      }
    },

    async review(input, o) {
      try {
        // The graph stays open across reviews: after Index Kernel Tree (or a complete cache)
        // every answer comes from memory; lazily parsed files accumulate for the next review.
        const g = o.tree === undefined ? undefined : await graph(o.tree, o.cacheDir).catch(() => undefined);
        const session = o.tree === undefined ? undefined : sessionFor(o.tree);
        return await review({ input, tree: o.tree, depth: o.depth, cacheDir: o.cacheDir, graph: g, session });
      } catch (e) {
        return emptyReview(e instanceof NoPatchError ? e.message : `the review failed: ${message(e)}`);
      }
    },

    async definitions(root, name, cacheDir) {
      try { return await (await graph(root, cacheDir)).definitions(name); } catch { return []; }
    },

    async callSites(root, name, cacheDir) {
      try { return await (await graph(root, cacheDir)).callers(name); } catch { return []; }
    },

    async index(root, o) {
      const g = await openCallGraph(root, { cacheDir: o.cacheDir, onProgress: (p) => o.onProgress(p.done, p.total) });
      // The indexer has no cancel of its own: closing its worker pool ends the parsing of what
      // is still queued; what was parsed is saved, the rest is parsed next time.
      const stop = () => void g.close();
      o.signal.addEventListener('abort', stop, { once: true });
      try {
        const summary = await g.indexAll();
        g.save();
        await g.close();
        if (o.signal.aborted) {
          graphs.delete(graphKey(root, o.cacheDir));
        } else {
          // The complete graph replaces the lazy one, whose parse workers are no longer needed.
          const previous = graphs.get(graphKey(root, o.cacheDir));
          graphs.set(graphKey(root, o.cacheDir), Promise.resolve(g));
          void previous?.then((p) => (p === g ? undefined : p.close())).catch(() => undefined);
          // Load the parser and the name postings now, not on the reviewer's first open; then
          // warm the analysis up in the background.
          await g.warm();
          idle(root, g);
        }
        return { files: summary.files, skipped: summary.problems.length };
      } finally {
        o.signal.removeEventListener('abort', stop);
      }
    },
  };
}
