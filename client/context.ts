// Builds the language client: the bundled server (dist/server.js) over IPC, for patch documents
// only (language `diff`, and *.patch, *.diff, *.mbox, *.eml files), with the settings section
// synchronised and C files of the workspace watched (so the index can say it is stale).
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { config } from './config';

export const patchSelector: vscode.DocumentFilter[] = [
  { language: 'diff' },
  { scheme: 'file', pattern: '**/*.{patch,diff,mbox,eml}' },
  { scheme: 'untitled', language: 'diff' },
];

export function isPatchDocument(doc: vscode.TextDocument): boolean {
  return vscode.languages.match(patchSelector, doc) > 0;
}

export function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: patchSelector.map((f) => ({ ...f })) as LanguageClientOptions['documentSelector'],
    outputChannel: output,
    initializationOptions: { settings: config.all() },
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{c,h}') },
  };
  return new LanguageClient('kernelPatchLens', 'Kernel Patch Lens', serverOptions, clientOptions);
}
