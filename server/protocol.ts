// Every custom `kpl/...` request and notification between the extension and the language
// server, with its types, and the command identifiers both halves agree on. The client imports
// this module; it imports only the protocol library and the data model, never `vscode`.
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { CallerImpact, Verdict } from './model';

// ---------------------------------------------------------------------------------------------
// Settings (contributes.configuration `kernelPatchLens.*`), as the server reads them.

/** How much the inline annotations say: only behaviour changes, every change, or every changed line. */
export type AnnotationLevel = 'behaviour-changes' | 'all-changes' | 'everything';

export interface KplSettings {
  /** Kernel tree folder; empty: the workspace folder (or a folder right below it) holding Makefile, mm/ and fs/. */
  tree: string;
  /** How far up the caller walk goes (1 = direct callers only). */
  callerDepth: number;
  /** Where the index cache lives; empty: the user's cache folder. */
  cacheFolder: string;
  annotations: {
    enabled: boolean;
    level: AnnotationLevel;
    /** Verdicts counted in annotations (the filter). */
    verdicts: Verdict[];
  };
}

export const defaultSettings: KplSettings = {
  tree: '',
  callerDepth: 4,
  cacheFolder: '',
  annotations: { enabled: true, level: 'all-changes', verdicts: ['behaviour-change', 'value-change', 'no-change', 'unknown'] },
};

// ---------------------------------------------------------------------------------------------
// Caller paths: the caller walk of each changed function, as a tree.

/**
 * One call site on a caller path (the engine's CallerImpact without its flat `path`, which the
 * tree shape replaces); `children` are its own callers (when the value goes on up).
 */
export interface CallerNode extends Omit<CallerImpact, 'path'> {
  /** The call site's file as a URI, for opening it. */
  uri: string;
  children: CallerNode[];
}

export interface ChangedFunction {
  function: string;
  file: string;
  /** Where the function's change is in the patch document (1-based), for revealing it. */
  patchLine: number;
  /** "-EIO → -EBUSY" as shown on the lens. */
  codes: string;
  returnsBefore: string[];
  returnsAfter: string[];
  /** Direct callers; deeper ones hang below them. */
  callers: CallerNode[];
  /** How many call sites of each verdict on all paths. */
  counts: Record<Verdict, number>;
}

export interface CallerPathsParams {
  /** The patch document. */
  uri: string;
  /** Only this changed function; all when absent. */
  function?: string;
}

export interface CallerPathsResult {
  /** Absolute kernel tree root the paths refer to; null when there is none. */
  tree: string | null;
  functions: ChangedFunction[];
  /** Set when callers cannot be shown: why (no tree, the analysis did not run, ...). */
  callersUnavailable: string | null;
  warnings: string[];
}

/** The caller tree of one patch document (client: the Caller Paths view, Show Caller Paths). */
export const CallerPathsRequest = new RequestType<CallerPathsParams, CallerPathsResult, void>('kpl/callerPaths');

// ---------------------------------------------------------------------------------------------
// Indexing the kernel tree

export interface IndexTreeParams {
  /** Tree to index; the server's current tree when absent. */
  tree?: string;
  /** Progress token the client listens on (LSP work-done progress). */
  workDoneToken?: string | number;
}

export interface IndexTreeResult {
  tree: string;
  files: number;
  /** Files the indexer skipped, with why. */
  skipped: number;
  milliseconds: number;
  cancelled: boolean;
}

/** Indexes (or refreshes the cache of) the kernel tree; reports work-done progress; cancellable. */
export const IndexTreeRequest = new RequestType<IndexTreeParams, IndexTreeResult, void>('kpl/indexTree');

export type IndexPhase = 'no-tree' | 'not-indexed' | 'indexing' | 'indexed' | 'stale' | 'failed';

export interface IndexState {
  phase: IndexPhase;
  tree: string | null;
  /** 0..100 while indexing. */
  percent?: number;
  files?: number;
  /** A sentence for the tooltip (why it failed, how the tree was found). */
  detail?: string;
}

/** Server → client whenever the index state changes (status bar). */
export const IndexStateNotification = new NotificationType<IndexState>('kpl/indexState');

/** Client → server: asks for the current IndexState (answered by the notification too). */
export const IndexStateRequest = new RequestType0<IndexState, void>('kpl/indexState');

// Room for the race simulator (a later issue): `kpl/raceRun` (run the scenarios of a patch) and
// `kpl/trace` (a witness trace, step by step) will live here with their types.

// ---------------------------------------------------------------------------------------------
// Commands

/** Client-side commands (contributes.commands); lenses and hovers link to them. */
export const ClientCommands = {
  showCallerPaths: 'kernelPatchLens.showCallerPaths',
  indexTree: 'kernelPatchLens.indexTree',
  selectTree: 'kernelPatchLens.selectTree',
  toggleAnnotations: 'kernelPatchLens.toggleAnnotations',
  showOutput: 'kernelPatchLens.showOutput',
  openCallerPath: 'kernelPatchLens.openCallerPath',
  // Later: runRaces: 'kernelPatchLens.runRaces', showTrace: 'kernelPatchLens.showTrace'.
} as const;

/** Server-side commands (LSP workspace/executeCommand). */
export const ServerCommands = {
  /** Re-analyses an open patch document (args: [uri]); returns a ReanalyseResult. */
  reanalyse: 'kernelPatchLens.server.reanalyse',
} as const;

export interface ReanalyseResult {
  uri: string;
  changes: number;
  functions: number;
  callers: number;
  behaviourChanges: number;
  callersUnavailable: string | null;
}
