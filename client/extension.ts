// Kernel Patch Lens in VS Code: starts the language server for patch documents and activates
// the client features (commands, Caller Paths view, status bar). Start-up failures are shown.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { createClient } from './context';
import { activate as activateCallerPaths } from './features/callerPathsView';
import { createOutput, showError } from './features/output';
import { activate as activateStatusBar } from './features/statusBar';
import type { ClientContext } from './shared';

let client: LanguageClient | undefined;

export async function activate(extension: vscode.ExtensionContext): Promise<void> {
  const output = createOutput(extension);
  client = createClient(extension, output);
  const ctx: ClientContext = { extension, client, output, callerPaths: { show: async () => undefined } };
  registerCommands(ctx);
  try {
    await client.start();
  } catch (e) {
    showError(output, 'the language server did not start', e);
    return;
  }
  ctx.callerPaths = activateCallerPaths(ctx);
  activateStatusBar(ctx);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
