// Runs inside a desktop VS Code started by scripts/e2e-electron.mjs: opens the example patch and
// checks, through VS Code's own command API, the lenses, diagnostics and hover the extension gives.
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

async function until(what, fn, timeoutMs = 30000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

exports.run = async function run() {
  const file = path.join(__dirname, '..', '..', '..', 'examples', 'patches', 'vfs-dio-eio-ebusy.patch');
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  const lenses = await until('code lenses', async () => {
    const l = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri);
    return l && l.some((x) => x.command && x.command.title.startsWith('-EIO → -EBUSY')) ? l : undefined;
  });
  for (const l of lenses.filter((x) => x.command)) assert.match(l.command.title, /^-EIO → -EBUSY · (\d+ callers?|callers not available: )/);
  const diags = await until('diagnostics', () => { const d = vscode.languages.getDiagnostics(doc.uri); return d.length ? d : undefined; });
  assert.ok(diags.some((d) => d.message.startsWith('invalidate_inode_pages2_range: -EIO → -EBUSY')));
  const line = doc.getText().split('\n').findIndex((l) => l.startsWith('-') && l.includes('ret2 = -EIO'));
  const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, 8));
  const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  assert.match(text, /invalidate_inode_pages2_range/);
  await vscode.commands.executeCommand('kernelPatchLens.showCallerPaths');
};
