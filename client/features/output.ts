// The "Kernel Patch Lens" output channel (the server's log goes there too) and Show Output.
import * as vscode from 'vscode';

export function createOutput(context: vscode.ExtensionContext): vscode.LogOutputChannel {
  const output = vscode.window.createOutputChannel('Kernel Patch Lens', { log: true });
  context.subscriptions.push(output);
  return output;
}

/** Failed requests are shown to the user, not only logged. */
export function showError(output: vscode.OutputChannel, what: string, e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  output.appendLine(`${what}: ${message}`);
  void vscode.window.showErrorMessage(`Kernel Patch Lens: ${what}: ${message}`, 'Show Output').then((pick) => { if (pick) output.show(true); });
}
