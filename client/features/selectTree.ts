// Select Kernel Tree: pick a workspace folder (kernel-looking ones first) or browse for one;
// the choice goes into the kernelPatchLens.tree setting, which makes the server re-analyse.
import * as vscode from 'vscode';
import { config } from '../config';

async function looksLikeKernel(uri: vscode.Uri): Promise<boolean> {
  try {
    const [mk, mm, fs] = await Promise.all(['Makefile', 'mm', 'fs'].map((n) => vscode.workspace.fs.stat(vscode.Uri.joinPath(uri, n))));
    return mk.type === vscode.FileType.File && (mm.type & vscode.FileType.Directory) !== 0 && (fs.type & vscode.FileType.Directory) !== 0;
  } catch {
    return false;
  }
}

export async function selectTree(): Promise<void> {
  const candidates: { label: string; description?: string; uri?: vscode.Uri }[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const below = await vscode.workspace.fs.readDirectory(folder.uri).then((e) => e.filter(([, t]) => t === vscode.FileType.Directory).map(([n]) => vscode.Uri.joinPath(folder.uri, n)), () => []);
    for (const uri of [folder.uri, ...below]) {
      if (await looksLikeKernel(uri)) candidates.push({ label: vscode.workspace.asRelativePath(uri, true) || uri.fsPath, description: uri.fsPath, uri });
    }
  }
  const current = config.tree();
  const picks = [
    ...candidates.map((c) => ({ ...c, detail: 'Makefile, mm/ and fs/ found' })),
    { label: '$(folder-opened) Browse…' },
    ...(current ? [{ label: '$(close) Detect automatically', description: `now: ${current}` }] : []),
  ];
  const pick = await vscode.window.showQuickPick(picks, { title: 'Kernel Patch Lens: select the kernel tree', placeHolder: current || 'detected from the workspace' });
  if (!pick) return;
  if (pick.label.includes('Detect automatically')) return config.setTree('');
  let uri = (pick as { uri?: vscode.Uri }).uri;
  if (!uri) {
    const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Use as kernel tree' });
    uri = chosen?.[0];
  }
  if (!uri) return;
  if (!(await looksLikeKernel(uri))) {
    const go = await vscode.window.showWarningMessage(`${uri.fsPath} has no Makefile, mm/ and fs/: use it anyway?`, 'Use it', 'Cancel');
    if (go !== 'Use it') return;
  }
  await config.setTree(uri.fsPath);
}
