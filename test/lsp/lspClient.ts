// A small LSP client for the protocol tests: spawns the BUILT server (node dist/server.js
// --stdio) and speaks JSON-RPC to it through vscode-languageserver-protocol's node connection,
// answering the few requests a server sends to its client (configuration, registrations,
// progress creation) the way VS Code does.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection,
  type PublishDiagnosticsParams, type InitializeResult,
} from 'vscode-languageserver-protocol/node';

export const root = join(__dirname, '..', '..');
export const serverJs = join(root, 'dist', 'server.js');
export const exampleDir = join(root, 'examples');
export const exampleTree = join(exampleDir, 'tree');
export const examplePatch = join(exampleDir, 'patches', 'vfs-dio-eio-ebusy.patch');
export const uriOf = (p: string) => pathToFileURL(p).href;

export interface Session {
  connection: ProtocolConnection;
  child: ChildProcess;
  initialize: InitializeResult;
  /** Every publishDiagnostics notification, by URI (the latest last). */
  diagnostics: Map<string, PublishDiagnosticsParams[]>;
  /** Every kpl/indexState notification. */
  indexStates: unknown[];
  /** Every $/progress value, by token. */
  progress: Map<string | number, unknown[]>;
  stderr: string[];
  /** Resolves with the first diagnostics for a URI published after now (or already seen, if `seen`). */
  nextDiagnostics(uri: string, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  close(): Promise<void>;
}

export interface StartOptions {
  workspaceFolders?: string[];
  settings?: Record<string, unknown>;
  /** Answer workspace/configuration (VS Code does); without it settings go by initializationOptions. */
  configurationCapability?: boolean;
  cacheDir?: string;
}

export async function startServer(o: StartOptions = {}): Promise<Session> {
  if (!existsSync(serverJs)) throw new Error(`${serverJs} is missing: run npm run build first (npm run test:lsp does)`);
  const child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, XDG_CACHE_HOME: o.cacheDir ?? process.env.XDG_CACHE_HOME } });
  const stderr: string[] = [];
  child.stderr!.on('data', (d) => stderr.push(String(d)));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  const waiters: { uri: string; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  const indexStates: unknown[] = [];
  const progress = new Map<string | number, unknown[]>();
  const settings = o.settings ?? {};

  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    diagnostics.set(p.uri, [...(diagnostics.get(p.uri) ?? []), p]);
    const ready = waiters.filter((w) => w.uri === p.uri);
    waiters.splice(0, waiters.length, ...waiters.filter((w) => w.uri !== p.uri));
    for (const w of ready) w.resolve(p);
  });
  connection.onNotification('kpl/indexState', (s: unknown) => { indexStates.push(s); });
  connection.onNotification('$/progress', (p: { token: string | number; value: unknown }) => { progress.set(p.token, [...(progress.get(p.token) ?? []), p.value]); });
  connection.onNotification('window/logMessage', () => undefined);
  connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((i) => (i.section === 'kernelPatchLens' ? settings : null)));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('workspace/inlayHint/refresh', () => null);
  connection.onRequest('workspace/codeLens/refresh', () => null);
  connection.listen();

  const folders = o.workspaceFolders ?? [];
  const initialize = (await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: folders[0] ? uriOf(folders[0]) : null,
    workspaceFolders: folders.map((f) => ({ uri: uriOf(f), name: f })),
    initializationOptions: { settings },
    capabilities: {
      workspace: { configuration: !!o.configurationCapability, workspaceFolders: true, inlayHint: { refreshSupport: true }, codeLens: { refreshSupport: true } },
      window: { workDoneProgress: true },
      textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] }, publishDiagnostics: { relatedInformation: true }, callHierarchy: {}, inlayHint: {}, documentSymbol: { hierarchicalDocumentSymbolSupport: true } },
    },
  })) as InitializeResult;
  await connection.sendNotification('initialized', {});

  return {
    connection, child, initialize, diagnostics, indexStates, progress, stderr,
    nextDiagnostics(uri, timeoutMs = 20000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms; server stderr: ${stderr.join('')}`)), timeoutMs);
        waiters.push({ uri, resolve: (p) => { clearTimeout(timer); resolve(p); } });
      });
    },
    async close() {
      try {
        await connection.sendRequest('shutdown');
        await connection.sendNotification('exit');
      } catch { /* already gone */ }
      const exited = new Promise((r) => child.once('exit', r));
      const timer = setTimeout(() => child.kill(), 3000);
      await exited;
      clearTimeout(timer);
      connection.dispose();
    },
  };
}

/** Opens a document and waits for the diagnostics of its first analysis. */
export async function openDocument(s: Session, uri: string, text: string, languageId = 'diff') {
  const first = s.nextDiagnostics(uri);
  await s.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  return first;
}
