// The language server on bad input and without a kernel tree, and indexing a tree through
// kpl/indexTree with work-done progress: it never crashes, never shows made-up callers, and says
// plainly why something is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeLens, Hover } from 'vscode-languageserver-protocol';
import type { IndexTreeResult } from '../../server/protocol';
import { examplePatch, exampleTree, openDocument, startServer, uriOf } from './lspClient';

test('without a kernel tree, lenses and hovers say callers are not available and why', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'kpl-lsp-empty-'));
  const s = await startServer({ workspaceFolders: [empty], cacheDir: empty });
  try {
    const uri = uriOf(join(empty, 'x.patch'));
    const text = readFileSync(examplePatch, 'utf8');
    const d = await openDocument(s, uri, text);
    assert.equal(d.diagnostics.filter((x) => String(x.code).startsWith('errno-')).length, 2);
    const lenses = (await s.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
    assert.equal(lenses.length, 2);
    for (const l of lenses) assert.match(l.command!.title, /^-EIO → -EBUSY · callers not available: no kernel tree in the workspace/);
    const line = text.split('\n').findIndex((l) => l.startsWith('+\t\t\t\t\tret2 = -EBUSY') || /^\+\s*ret2 = -EBUSY/.test(l));
    const h = (await s.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 8 } })) as Hover;
    assert.match((h.contents as { value: string }).value, /callers not available: no kernel tree/);
    assert.deepEqual(await s.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line, character: 8 } }), null);
    assert.ok(s.indexStates.some((x) => (x as { phase: string }).phase === 'no-tree'));
  } finally {
    await s.close();
    rmSync(empty, { recursive: true, force: true });
  }
});

test('bad documents (no diff, binary bytes, empty, edits mid-hunk) never crash the server', async () => {
  const s = await startServer({ workspaceFolders: [join(exampleTree, '..')] });
  try {
    const docs: [string, string][] = [
      ['file:///nowhere/notes.patch', 'Just some words, no diff at all.\n'],
      ['file:///nowhere/binary.diff', '\u0000\u0001\u00ff\ufffd@@ -1 +1 @@\n-\u0000\n+\u0001\n'],
      ['file:///nowhere/empty.mbox', ''],
      ['untitled:Untitled-1', 'diff --git a/mm/truncate.c b/mm/truncate.c\n--- a/mm/truncate.c\n+++ b/mm/truncate.c\n@@ -999999,3 +999999,3 @@\n-\treturn -EIO;\n+\treturn -EBUSY;\n'],
    ];
    for (const [uri, text] of docs) {
      const d = await openDocument(s, uri, text);
      assert.ok(Array.isArray(d.diagnostics));
      const lenses = await s.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
      assert.ok(Array.isArray(lenses));
      await s.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 9999, character: 9999 } });
      await s.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
    }
    // An edit that breaks a hunk: re-analysed after the debounce, still answered.
    const uri = docs[3][0];
    const next = s.nextDiagnostics(uri);
    await s.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: docs[3][1].replace('@@ -999999,3', '@@ -x') }] });
    await next;
    assert.ok(Array.isArray(await s.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })));
    // A request about a document that is not open is answered, not crashed on.
    assert.deepEqual(await s.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: 'file:///not/open.patch' } }), []);
    assert.equal(s.child.exitCode, null, 'the server is still running');
  } finally {
    await s.close();
  }
});

test('kpl/indexTree indexes the example tree with work-done progress and updates the index state', async () => {
  const cache = mkdtempSync(join(tmpdir(), 'kpl-lsp-index-'));
  const s = await startServer({ workspaceFolders: [exampleTree], settings: { cacheFolder: cache } });
  try {
    const r = (await s.connection.sendRequest('kpl/indexTree', { workDoneToken: 'idx-1' })) as IndexTreeResult;
    assert.equal(r.tree, exampleTree);
    assert.equal(r.cancelled, false);
    assert.ok(r.files >= 5, `indexed ${r.files} files`);
    const values = (s.progress.get('idx-1') ?? []) as { kind: string; percentage?: number }[];
    assert.equal(values[0]?.kind, 'begin');
    assert.equal(values.at(-1)?.kind, 'end');
    assert.ok(values.some((v) => v.kind === 'report' && v.percentage === 100));
    const phases = s.indexStates.map((x) => (x as { phase: string }).phase);
    assert.ok(phases.includes('indexing'));
    assert.equal(phases.at(-1), 'indexed');
    assert.equal((s.indexStates.at(-1) as { files: number }).files, r.files);
  } finally {
    await s.close();
    rmSync(cache, { recursive: true, force: true });
  }
});
