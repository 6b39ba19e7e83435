// The command table: every palette command of Kernel Patch Lens with the function that runs it,
// registered in one place. Race commands (Run Races, Show Trace) will join when the simulator lands.
import * as vscode from 'vscode';
import { ClientCommands } from '../server/protocol';
import { config } from './config';
import { isPatchDocument } from './context';
import { indexTree } from './features/indexTree';
import { selectTree } from './features/selectTree';
import type { ClientContext } from './shared';

type Handler = (...args: any[]) => unknown;

const table: Record<string, (ctx: ClientContext) => Handler> = {
  [ClientCommands.showCallerPaths]: (ctx) => async (uri?: string, fn?: string) => {
    const target = uri ?? (vscode.window.activeTextEditor && isPatchDocument(vscode.window.activeTextEditor.document) ? vscode.window.activeTextEditor.document.uri.toString() : undefined);
    if (!target) return void vscode.window.showInformationMessage('Kernel Patch Lens: open a patch first (.patch, .diff, .mbox, .eml).');
    await ctx.callerPaths.show(target, fn);
  },
  [ClientCommands.indexTree]: (ctx) => () => indexTree(ctx),
  [ClientCommands.selectTree]: () => () => selectTree(),
  [ClientCommands.toggleAnnotations]: () => async () => {
    const on = !config.annotationsEnabled();
    await config.setAnnotationsEnabled(on);
    vscode.window.setStatusBarMessage(`Kernel Patch Lens: inline annotations ${on ? 'on' : 'off'}`, 3000);
  },
  [ClientCommands.showOutput]: (ctx) => () => ctx.output.show(true),
  [ClientCommands.openCallerPath]: () => async (uri: string, line: number) => {
    const at = new vscode.Position(Math.max(0, (Number(line) || 1) - 1), 0);
    await vscode.window.showTextDocument(vscode.Uri.parse(String(uri).replace(/#L\d+$/, '')), { selection: new vscode.Range(at, at), preview: true });
  },
};

export function registerCommands(ctx: ClientContext): void {
  for (const [id, make] of Object.entries(table)) ctx.extension.subscriptions.push(vscode.commands.registerCommand(id, make(ctx)));
}
