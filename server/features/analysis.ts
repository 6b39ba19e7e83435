// Keeps one analysis per open patch document: the engine's Review, the parsed series (for
// outline and hunk lookups), and why callers are missing when they are. Edits are debounced and
// the last result is kept while a new one is computed, so lenses and hints do not flicker.
import type { PatchSeries, Review } from '../model';
import type { Engine } from './engine';

export interface DocumentAnalysis {
  uri: string;
  /** Document version the analysis was made from. */
  version: number;
  review: Review;
  series: PatchSeries;
  /** Absolute tree root the review was made against, or null. */
  tree: string | null;
  /** Why callers are not shown; null when the review has impacts or nothing changed. */
  callersUnavailable: string | null;
  milliseconds: number;
}

export interface AnalysisOptions {
  tree: string | null;
  /** Why there is no tree (used as the reason when callers are missing). */
  treeHow: string;
  depth: number;
  cacheDir?: string;
}

/** The reason to give when a review has changes but no impacts: from its warnings, else generic. */
export function callersUnavailableReason(review: Review, tree: string | null, treeHow: string): string | null {
  if (review.changes.length === 0 || review.impacts.length > 0) return null;
  if (!tree) return treeHow;
  const said = review.warnings.map((w) => w.message).find((m) => /caller|impact|index/i.test(m));
  return said ?? 'the impact analysis found no caller information for the changed functions';
}

export class Analyser {
  private readonly latest = new Map<string, DocumentAnalysis>();
  private readonly running = new Map<string, { version: number; promise: Promise<DocumentAnalysis | undefined> }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private generation = 0;

  constructor(
    private readonly engine: Engine,
    private readonly options: () => AnalysisOptions,
    private readonly onAnalysed: (a: DocumentAnalysis) => void,
    private readonly onError: (uri: string, e: unknown) => void,
    private readonly debounceMs = 250,
  ) {}

  /** The last finished analysis, whatever version it was for. */
  last(uri: string): DocumentAnalysis | undefined {
    return this.latest.get(uri);
  }

  /** The last analysis, or, when there is none yet, the one being made. */
  async current(uri: string): Promise<DocumentAnalysis | undefined> {
    return this.latest.get(uri) ?? (await this.running.get(uri)?.promise);
  }

  /** Schedules an analysis; `immediate` for open and explicit requests, debounced for edits. */
  schedule(uri: string, version: number, text: () => string, immediate = false): void {
    clearTimeout(this.timers.get(uri));
    const go = () => { this.timers.delete(uri); void this.run(uri, version, text()); };
    if (immediate) go();
    else this.timers.set(uri, setTimeout(go, this.debounceMs));
  }

  /** Runs an analysis now and waits for it. */
  async run(uri: string, version: number, text: string): Promise<DocumentAnalysis | undefined> {
    const generation = this.generation;
    const promise = this.analyse(uri, version, text).then(
      (a) => {
        // A newer edit or a settings change may have overtaken this run: keep the newer one.
        const newer = this.latest.get(uri);
        if (generation !== this.generation || (newer && newer.version > version)) return newer;
        this.latest.set(uri, a);
        this.onAnalysed(a);
        return a;
      },
      (e) => { this.onError(uri, e); return this.latest.get(uri); },
    );
    this.running.set(uri, { version, promise });
    try { return await promise; } finally {
      if (this.running.get(uri)?.promise === promise) this.running.delete(uri);
    }
  }

  private async analyse(uri: string, version: number, text: string): Promise<DocumentAnalysis> {
    const o = this.options();
    const started = performance.now();
    const input = Buffer.from(text, 'utf8');
    const series = this.engine.readSeries(input);
    const review = await this.engine.review(input, { tree: o.tree ?? undefined, depth: o.depth, cacheDir: o.cacheDir });
    return {
      uri, version, review, series, tree: o.tree,
      callersUnavailable: callersUnavailableReason(review, o.tree, o.treeHow),
      milliseconds: Math.round(performance.now() - started),
    };
  }

  /** Forgets a closed document. */
  forget(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.latest.delete(uri);
  }

  /** After a change of tree or depth: older runs must not overwrite what comes next. */
  invalidate(): void {
    this.generation++;
  }

  uris(): string[] {
    return [...this.latest.keys()];
  }
}
