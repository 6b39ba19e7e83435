// The review pipeline behind `kpl review` and the language server: read the patch, find the
// errno changes, map them onto the tree (pre-image and in-memory post-image), and hand them to
// the impact analysis. Never writes to the tree.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CallGraph } from './index/graph';
import { openCallGraph, type ProjectIndex } from './index/project';
import { computeImpacts, loadOverrides, openBaseTree, ParsedFiles } from './impact/index';
import type { ErrnoChange, FileDiff, FunctionImpact, PatchSeries, PatchSummary, Review, Warning } from './model';
import { PatchedTree } from './patch/apply';
import { findErrnoChangesWithLines, type FoundChange } from './patch/errno';
import { FunctionLocator, type FunctionsOf } from './patch/locate';
import { readPatchSeries } from './patch/reader';
import type { ReviewSession } from './session';
import type { TextCache, TreeSource } from './tree';

export interface ReviewOptions {
  /** The patch document's bytes. */
  input: Uint8Array;
  /** The kernel tree's root; without it only the patch is analysed. */
  tree?: string;
  /** How far up the caller walk goes (1 = direct callers). */
  depth?: number;
  /** Where the index cache lives (default: the user's cache folder). */
  cacheDir?: string;
  /**
   * A call graph of `tree` that the caller keeps open (the language server holds one per tree).
   * Without it the review opens the tree's graph from the cache, and saves and closes it after.
   */
  graph?: CallGraph;
  /**
   * A JSON file of function → return set for what the analysis gets wrong; without it
   * `.kpl-overrides.json` in the tree root is read when there is one.
   */
  overridesFile?: string;
  /**
   * What the caller keeps between reviews of this tree (the language server keeps one per tree):
   * texts read and files parsed are reused where the files did not change.
   */
  session?: ReviewSession;
}

export const DEFAULT_DEPTH = 4;

/** The trees around each patch of a series: the pre-image of patch k is the post-image of k-1. */
export interface SeriesTrees {
  pre: TreeSource;
  /** One per patch. */
  before: TreeSource[];
  after: PatchedTree[];
}

/**
 * Bare `diff -u` paths may carry folders the tree does not have (`linux-2.6.27/mm/...`):
 * strip leading components until the file exists in the tree, and say so.
 */
export function resolvePaths(series: PatchSeries, tree: TreeSource, warnings: Warning[]): void {
  const fix = (p: string | null, d: FileDiff): string | null => {
    if (p === null || tree.read(p) !== undefined) return p;
    for (let rest = p; rest.includes('/'); ) {
      rest = rest.slice(rest.indexOf('/') + 1);
      if (tree.read(rest) !== undefined) {
        warnings.push({ patchLine: d.patchLine, message: `${p} is not in the tree: read as ${rest}` });
        return rest;
      }
    }
    return p;
  };
  for (const patch of series.patches) {
    for (const d of patch.files) {
      const oldPath = fix(d.oldPath, d);
      if (d.newPath !== null && d.newPath === d.oldPath) d.newPath = oldPath;
      d.oldPath = oldPath;
    }
  }
}

/**
 * The tree before the series: git objects at the first patch's `base-commit:` when the tree's
 * repository has that commit, else the work tree (a warning says which).
 */
export function openPreImage(series: PatchSeries, root: string, warnings: Warning[], texts?: TextCache): TreeSource {
  return openBaseTree(root, series.patches[0]?.meta.baseCommit, warnings, texts);
}

/**
 * Applies each patch of the series in memory over the previous one, starting from `pre`
 * (default: openPreImage).
 */
export function buildTrees(series: PatchSeries, root: string, warnings: Warning[], pre: TreeSource = openPreImage(series, root, warnings)): SeriesTrees {
  const before: TreeSource[] = [];
  const after: PatchedTree[] = [];
  let current: TreeSource = pre;
  for (const patch of series.patches) {
    before.push(current);
    const next = new PatchedTree(current, patch.files);
    for (const f of next.failures) warnings.push({ patchLine: f.patchLine, message: `${f.file}: ${f.reason}` });
    after.push(next);
    current = next;
  }
  return { pre, before, after };
}

/** Moves a change onto the tree: its line where the hunk applied, its function from the source. */
export async function mapToTree(found: FoundChange, trees: SeriesTrees, locator: FunctionLocator, functionsOf?: FunctionsOf): Promise<ErrnoChange> {
  const c = { ...found.change };
  const k = c.patch;
  const placed = trees.after[k].placements.get(found.hunk);
  const old = found.side === 'old';
  if (placed) {
    c.line = old
      ? found.diffLine.oldLine! - found.hunk.oldStart + placed.oldStart
      : found.diffLine.newLine! - found.hunk.newStart + placed.newStart;
  }
  const source = old ? trees.before[k] : trees.after[k];
  const file = old ? found.fileDiff.oldPath : found.fileDiff.newPath;
  if (!placed || !file) return c;
  const name = await locator.enclosing(source, file, c.line, c.kind === 'doc', functionsOf);
  if (name) { c.function = name; c.functionFrom = 'tree'; }
  return c;
}

function summaries(series: PatchSeries): PatchSummary[] {
  return series.patches.map((p) => {
    const s: PatchSummary = { subject: p.meta.subject, files: p.files.map((f) => (f.newPath ?? f.oldPath)!).filter(Boolean) };
    if (p.meta.author) s.author = p.meta.author;
    if (p.meta.messageId) s.messageId = p.meta.messageId;
    if (p.meta.baseCommit) s.baseCommit = p.meta.baseCommit;
    return s;
  });
}

/**
 * The one place the call graph is opened (server/index/). Lazy: only files that mention the
 * names asked about are parsed; what was parsed goes to the cache. A graph that cannot be opened
 * (e.g. an unusable cache folder) costs the callers, not the review: said in a warning.
 */
async function withGraph<T>(root: string, cacheDir: string | undefined, warnings: Warning[], use: (g: CallGraph) => Promise<T>): Promise<T | undefined> {
  let graph: ProjectIndex | undefined;
  try {
    graph = await openCallGraph(root, { cacheDir, refreshCompleteCache: true });
  } catch (e) {
    warnings.push({ message: `the call graph could not be opened, callers are not reported: ${(e as Error).message}` });
    return undefined;
  }
  // A cache built by another indexer version (or damaged) is ignored: answers then come from
  // scanning the tree, much slower on a full kernel. Say so, and how to mend it.
  if (graph.cacheRejected) warnings.push({ message: `${graph.cacheRejected}; callers come from scanning the tree until \`kpl index ${root}\` rebuilds it` });
  try {
    const result = await use(graph);
    try { graph.save(); } catch (e) { warnings.push({ message: `could not write the index cache: ${(e as Error).message}` }); }
    return result;
  } finally {
    await graph.close();
  }
}

/** Reviews a patch document. Throws NoPatchError when the input holds no diff. */
export async function review(opts: ReviewOptions): Promise<Review> {
  return opts.session ? opts.session.use(() => reviewWith(opts, opts.session)) : reviewWith(opts);
}

async function reviewWith(opts: ReviewOptions, session?: ReviewSession): Promise<Review> {
  const series = readPatchSeries(opts.input);
  const warnings: Warning[] = [...series.warnings];
  if (opts.tree === undefined) {
    warnings.push({ message: 'no --tree given: callers are not available (only the patch was read)' });
    const changes = findErrnoChangesWithLines(series).map((f) => f.change);
    return { patches: summaries(series), changes, impacts: [], races: [], warnings };
  }
  const root = resolve(opts.tree);
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`tree is not a folder: ${opts.tree}`);
  const pre = openPreImage(series, root, warnings, session?.texts);
  // File names are resolved against the tree before the changes are found, so they carry them.
  resolvePaths(series, pre, warnings);
  const found = findErrnoChangesWithLines(series);
  const trees = buildTrees(series, root, warnings, pre);
  const changes: ErrnoChange[] = [];
  // Each change's function, read from the index of the file's text when there is a call graph
  // (no parse of a file the index was made from), else from a parse.
  const mapAll = async (functionsOf?: FunctionsOf) => {
    if (changes.length > 0 || found.length === 0) return;
    const locator = session?.locator ?? new FunctionLocator();
    try {
      for (const f of found) changes.push(await mapToTree(f, trees, locator, functionsOf));
    } finally {
      if (!session) locator.dispose();
    }
  };
  // Read once for the whole series (each computeImpacts would otherwise read and warn again).
  const overrides = loadOverrides(root, warnings, opts.overridesFile);
  const depth = opts.depth ?? DEFAULT_DEPTH;
  // Patch k is judged on its own trees (the post-image of k-1 and its own post-image), so a
  // change to code an earlier patch of the series added is found there.
  // The files parsed for one patch serve the next: most of a tree is the same text in every image.
  const impactsWith = async (graph: CallGraph) => {
    const all: FunctionImpact[] = [];
    const files = session?.files ?? new ParsedFiles();
    try {
      await mapAll(async (source, file) => (await files.index(source, file, graph))?.functions ?? null);
      for (let k = 0; k < series.patches.length; k++) {
        const mine = changes.filter((c) => c.patch === k);
        if (mine.length === 0) continue;
        all.push(...(await computeImpacts(mine, { graph, pre: trees.before[k], post: trees.after[k], depth, warnings, overrides, files })));
      }
    } finally {
      if (!session) files.dispose();
    }
    return all;
  };
  const computed = opts.graph ? await impactsWith(opts.graph) : await withGraph(root, opts.cacheDir, warnings, impactsWith);
  await mapAll(); // no call graph could be opened: the changes are still placed
  return { patches: summaries(series), changes, impacts: computed ?? [], races: [], warnings };
}
