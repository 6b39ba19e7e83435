// What the client's features share: the extension context, the language client, the output
// channel, and the Caller Paths view (so that commands can fill and reveal it).
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export interface CallerPathsPresenter {
  /** Shows the caller paths of a patch document (one function, or all), and reveals the view. */
  show(uri: string, fn?: string): Promise<void>;
}

export interface ClientContext {
  extension: vscode.ExtensionContext;
  client: LanguageClient;
  output: vscode.LogOutputChannel;
  callerPaths: CallerPathsPresenter;
}
