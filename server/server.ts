// The Kernel Patch Lens language server: wires the LSP connection to the features in
// server/features/. Runs over stdio (`node dist/server.js --stdio`) or IPC from the extension.
import { CodeLensRefreshRequest, createConnection, DidChangeConfigurationNotification, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultSettings, type KplSettings } from './protocol';
import { Analyser, type DocumentAnalysis } from './features/analysis';
import { activateCallerPaths } from './features/callerPaths';
import { activateCallHierarchy } from './features/callHierarchy';
import { activateCodeLens } from './features/codeLens';
import { activateCommands, serverCommandIds } from './features/commands';
import type { FeatureContext, RecordedCapabilities } from './features/context';
import { activateDefinition } from './features/definition';
import { publishDiagnostics } from './features/diagnostics';
import { activateDocumentSymbols } from './features/documentSymbols';
import { createEngine } from './features/engine';
import { activateHover } from './features/hover';
import { activateIndexing, IndexStatus } from './features/indexing';
import { activateInlayHints, refreshInlayHints } from './features/inlayHints';
import { needsReanalysis, readSettings } from './features/settings';
import { locateTree, uriToPath, type LocatedTree } from './features/treeLocator';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const engine = createEngine();

let settings: KplSettings = defaultSettings;
let folders: string[] = [];
let located: LocatedTree = { root: null, how: 'not initialised yet' };
const capabilities: RecordedCapabilities = {
  configuration: false, workspaceFolders: false, inlayHintRefresh: false, codeLensRefresh: false,
  workDoneProgress: false, markdownHover: false, relatedInformation: false,
};

const log = (message: string) => connection.console.log(message);

const analyser = new Analyser(
  engine,
  () => ({ tree: located.root, treeHow: located.how, depth: settings.callerDepth, cacheDir: settings.cacheFolder || undefined }),
  (a: DocumentAnalysis) => {
    publishDiagnostics(ctx, a);
    refreshInlayHints(ctx);
    if (capabilities.codeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    log(`analysed ${a.uri} v${a.version} in ${a.milliseconds} ms: ${a.review.changes.length} changes, ${a.review.impacts.length} impacts${a.callersUnavailable ? ` (callers not available: ${a.callersUnavailable})` : ''}`);
  },
  (uri, e) => connection.console.error(`analysing ${uri} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`),
);

const ctx: FeatureContext = {
  connection, documents, analyser, engine, capabilities,
  settings: () => settings,
  tree: () => located,
  definitions: async (name) => (located.root ? engine.definitions(located.root, name, settings.cacheFolder || undefined) : []),
  callSites: async (name) => (located.root ? engine.callSites(located.root, name, settings.cacheFolder || undefined) : []),
  log,
};
const status = new IndexStatus(ctx);

function reanalyseAll(): void {
  analyser.invalidate();
  for (const doc of documents.all()) analyser.schedule(doc.uri, doc.version, () => doc.getText(), true);
}

/** Settings or folders changed: find the tree again; re-analyse if what the engine sees moved. */
async function reconfigure(raw?: unknown): Promise<void> {
  const before = settings;
  const previousTree = located.root;
  if (raw !== undefined) settings = readSettings(raw);
  else if (capabilities.configuration) {
    try { settings = readSettings(await connection.workspace.getConfiguration('kernelPatchLens')); } catch { /* keep what we had */ }
  }
  located = locateTree(settings.tree, folders);
  if (located.root !== previousTree) status.treeChanged();
  if (needsReanalysis(before, settings) || located.root !== previousTree) reanalyseAll();
  else refreshInlayHints(ctx);
}

connection.onInitialize((params): InitializeResult => {
  const c = params.capabilities;
  capabilities.configuration = !!c.workspace?.configuration;
  capabilities.workspaceFolders = !!c.workspace?.workspaceFolders;
  capabilities.inlayHintRefresh = !!c.workspace?.inlayHint?.refreshSupport;
  capabilities.codeLensRefresh = !!c.workspace?.codeLens?.refreshSupport;
  capabilities.workDoneProgress = !!c.window?.workDoneProgress;
  capabilities.markdownHover = !!c.textDocument?.hover?.contentFormat?.includes('markdown');
  capabilities.relatedInformation = !!c.textDocument?.publishDiagnostics?.relatedInformation;
  const init = (params.initializationOptions ?? {}) as { settings?: unknown };
  settings = readSettings(init.settings);
  folders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
  if (folders.length === 0 && params.rootUri) { const p = uriToPath(params.rootUri); if (p) folders = [p]; }
  located = locateTree(settings.tree, folders);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeLensProvider: { resolveProvider: false },
      hoverProvider: true,
      inlayHintProvider: { resolveProvider: false },
      callHierarchyProvider: true,
      definitionProvider: true,
      documentSymbolProvider: { label: 'Kernel patch' },
      executeCommandProvider: { commands: serverCommandIds },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'kernel-patch-lens', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  if (capabilities.configuration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'kernelPatchLens' });
  if (capabilities.workspaceFolders) {
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(e.removed.map((f) => uriToPath(f.uri)));
      folders = [...folders.filter((f) => !removed.has(f)), ...e.added.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p)];
      void reconfigure(settings);
    });
  }
  status.treeChanged();
  if (capabilities.configuration) void reconfigure();
});

connection.onDidChangeConfiguration((change) => {
  // VS Code sends null settings with pull-style configuration; others push them.
  const pushed = (change.settings as { kernelPatchLens?: unknown } | null)?.kernelPatchLens;
  void reconfigure(pushed !== undefined ? pushed : capabilities.configuration ? undefined : settings);
});

connection.onDidChangeWatchedFiles((e) => {
  if (e.changes.some((c) => { const p = uriToPath(c.uri); return !!p && !!located.root && p.startsWith(located.root); })) status.treeFilesChanged();
});

// onDidChangeContent also fires for the open itself: that one is analysed at once, edits debounced.
const openedAt = new Map<string, number>();
documents.onDidOpen((e) => {
  openedAt.set(e.document.uri, e.document.version);
  analyser.schedule(e.document.uri, e.document.version, () => e.document.getText(), true);
});
documents.onDidChangeContent((e) => {
  if (openedAt.get(e.document.uri) !== e.document.version) analyser.schedule(e.document.uri, e.document.version, () => e.document.getText());
});
documents.onDidClose((e) => {
  analyser.forget(e.document.uri);
  openedAt.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

activateCodeLens(ctx);
activateInlayHints(ctx);
activateHover(ctx);
activateCallHierarchy(ctx);
activateDefinition(ctx);
activateDocumentSymbols(ctx);
activateCommands(ctx);
activateCallerPaths(ctx);
activateIndexing(ctx, status, reanalyseAll);

documents.listen(connection);
connection.listen();
