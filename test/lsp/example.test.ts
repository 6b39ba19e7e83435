// The language server over real JSON-RPC on the example: the built server, the example tree as
// (a folder of) the workspace, the example patch opened as a document. Asserts what an editor
// would show: diagnostics, lenses, hover, inlay hints, call hierarchy, outline, definition,
// the server command and the custom requests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallHierarchyIncomingCall, CallHierarchyItem, CodeLens, DocumentSymbol, Hover, InlayHint, Location, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { CallerPathsResult, ReanalyseResult } from '../../server/protocol';
import { review } from '../../server/review';
import { exampleDir, examplePatch, exampleTree, openDocument, startServer, uriOf, type Session } from './lspClient';

const text = readFileSync(examplePatch, 'utf8');
const lines = text.split('\n');
const uri = uriOf(examplePatch);
// A change sits on its first changed line: the removed one.
const assignLine = lines.findIndex((l) => /^-\s*ret2 = -EIO;/.test(l));
const docLine = lines.findIndex((l) => /^- \* Returns -EIO/.test(l));
const fnLine = lines.findIndex((l) => / int invalidate_inode_pages2_range\(/.test(l));

describe('example patch against the example tree', () => {
  let s: Session;
  let first: PublishDiagnosticsParams;
  let hasCallers = false;
  const cache = mkdtempSync(join(tmpdir(), 'kpl-lsp-'));

  before(async () => {
    assert.ok(assignLine > 0 && docLine > 0 && fnLine > 0, 'the example patch has its two changed lines and the function line');
    s = await startServer({ workspaceFolders: [exampleDir], cacheDir: cache });
    first = await openDocument(s, uri, text);
    const paths = (await s.connection.sendRequest('kpl/callerPaths', { uri })) as CallerPathsResult;
    hasCallers = paths.callersUnavailable === null && paths.functions.some((f) => f.callers.length > 0);
  });
  after(async () => {
    await s?.close();
    rmSync(cache, { recursive: true, force: true });
  });

  test('initialize announces the features and the tree is found below the workspace folder', () => {
    const c = s.initialize.capabilities;
    assert.ok(c.codeLensProvider && c.hoverProvider && c.inlayHintProvider && c.callHierarchyProvider && c.definitionProvider && c.documentSymbolProvider);
    assert.deepEqual(c.executeCommandProvider?.commands, ['kernelPatchLens.server.reanalyse']);
    const state = s.indexStates.at(-1) as { phase: string; tree: string };
    assert.equal(state.tree, exampleTree);
    assert.notEqual(state.phase, 'no-tree');
  });

  test('one diagnostic per changed return code, on its line, pointing into the tree', () => {
    const perChange = first.diagnostics.filter((d) => String(d.code).startsWith('errno-'));
    assert.deepEqual(perChange.map((d) => d.range.start.line).sort((a, b) => a - b), [docLine, assignLine]);
    for (const d of perChange) {
      assert.match(typeof d.message === 'string' ? d.message : d.message.value, /^invalidate_inode_pages2_range: -EIO → -EBUSY/);
      assert.equal(d.source, 'Kernel Patch Lens');
      const rel = d.relatedInformation?.[0];
      assert.ok(rel, 'related information present');
      assert.equal(rel.location.uri, uriOf(join(exampleTree, 'mm', 'truncate.c')));
      // The line in the tree really holds what the patch changes there.
      const src = readFileSync(join(exampleTree, 'mm', 'truncate.c'), 'utf8').split('\n')[rel.location.range.start.line];
      assert.match(src, d.range.start.line === assignLine ? /ret2 = -EIO;/ : /Returns -EIO/);
    }
  });

  test('the example: callers as the engine computes them, down to what user space sees', async (t) => {
    if (!hasCallers) return t.skip('the engine reports no callers yet');
    // The server shows what `review()` computes: same counts, same callers.
    const engine = await review({ input: Buffer.from(text), tree: exampleTree, depth: 4, cacheDir: cache });
    const callers = engine.impacts.find((i) => i.function === 'invalidate_inode_pages2_range')!.callers;
    const lenses = (await s.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
    const count = (v: string) => callers.filter((c) => c.verdict === v).length;
    assert.match(lenses[0].command!.title, new RegExp(`^-EIO → -EBUSY · ${callers.length} callers`));
    if (count('value-change')) assert.match(lenses[0].command!.title, new RegExp(`· ${count('value-change')} value changes?`));
    const paths = (await s.connection.sendRequest('kpl/callerPaths', { uri })) as CallerPathsResult;
    const direct = paths.functions[0].callers.find((c) => c.function === 'generic_file_direct_write' && c.use === 'propagated');
    assert.ok(direct, 'generic_file_direct_write passes the code on (the partial fix has no -EBUSY handling)');
    assert.equal(direct.file, 'mm/filemap.c');
    assert.equal(direct.verdict, 'value-change');
    const userVisible = JSON.stringify(paths.functions[0].callers);
    assert.match(userVisible, /write\(2\): EIO -> EBUSY/);
  });

  test('the complete fix: the caller that now compares with -EBUSY changes behaviour, with its own diagnostic', async (t) => {
    if (!hasCallers) return t.skip('the engine reports no callers yet');
    const complete = examplePatch.replace('.patch', '-complete.patch');
    const cUri = uriOf(complete);
    const d = await openDocument(s, cUri, readFileSync(complete, 'utf8'));
    const paths = d.diagnostics.filter((x) => x.code === 'caller-behaviour-change');
    assert.ok(paths.length >= 1, JSON.stringify(d.diagnostics.map((x) => x.message)));
    const gfdw = paths.find((x) => /^generic_file_direct_write \(mm\/filemap\.c:\d+, compared\) changes behaviour/.test(String(x.message)));
    assert.ok(gfdw, 'generic_file_direct_write compares with -EBUSY');
    assert.equal(gfdw.severity, 2);
    const rel = gfdw.relatedInformation![0].location;
    assert.equal(rel.uri, uriOf(join(exampleTree, 'mm', 'filemap.c')));
    assert.match(readFileSync(join(exampleTree, 'mm', 'filemap.c'), 'utf8').split('\n')[rel.range.start.line], /invalidate_inode_pages2_range/);
    const lenses = (await s.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: cUri } })) as CodeLens[];
    assert.ok(lenses.some((l) => /^-EIO → -EBUSY · \d+ callers · \d+ behaviour changes?/.test(l.command!.title)), JSON.stringify(lenses.map((l) => l.command!.title)));
    assert.ok(lenses.some((l) => /^handles -EBUSY · caller of invalidate_inode_pages2_range: compared · behaviour-change/.test(l.command!.title)), JSON.stringify(lenses.map((l) => l.command!.title)));
    await s.connection.sendNotification('textDocument/didClose', { textDocument: { uri: cUri } });
  });

  test('a code lens on every changed error return, linking to the caller paths', async () => {
    const lenses = (await s.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
    assert.deepEqual(lenses.map((l) => l.range.start.line).sort((a, b) => a - b), [docLine, assignLine]);
    for (const l of lenses) {
      assert.equal(l.command?.command, 'kernelPatchLens.showCallerPaths');
      assert.deepEqual(l.command?.arguments, [uri, 'invalidate_inode_pages2_range']);
      if (hasCallers) assert.match(l.command!.title, /^-EIO → -EBUSY · \d+ callers?( · \d+ behaviour changes?)?( · \d+ value changes?)?/);
      else assert.match(l.command!.title, /^-EIO → -EBUSY · callers not available: .+/);
    }
  });

  test('hover on the changed line shows the function and its callers (or why not)', async () => {
    const h = (await s.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: assignLine, character: 6 } })) as Hover;
    const md = (h.contents as { kind: string; value: string });
    assert.equal(md.kind, 'markdown');
    assert.match(md.value, /\*\*invalidate_inode_pages2_range\*\* \(mm\/truncate\.c\) · -EIO → -EBUSY/);
    if (hasCallers) assert.match(md.value, /\]\(file:\/\/\/.+#L\d+\)/);
    else assert.match(md.value, /callers not available: /);
    const onName = (await s.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: fnLine, character: lines[fnLine].indexOf('invalidate_') + 3 } })) as Hover;
    assert.match((onName.contents as { value: string }).value, /invalidate_inode_pages2_range/);
    const nothing = await s.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 1 } });
    assert.equal(nothing, null, 'the commit message says nothing');
  });

  test('inlay hints: quiet where nothing changes, everything on request', async () => {
    const range = { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } };
    const hints = (await s.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range })) as InlayHint[];
    if (!hasCallers) assert.deepEqual(hints, [], 'no callers known: nothing changes visibly, so the default level stays quiet');
    else for (const h of hints) assert.match(String(h.label), /⟵ (\d+ behaviour · )?(\d+ value · )?(\d+ unknown · )?\d+ callers?$/);
    // The level is a setting: `everything` speaks on every changed error-code line.
    await s.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kernelPatchLens: { annotations: { level: 'everything' } } } });
    const all = (await s.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range })) as InlayHint[];
    assert.deepEqual(all.map((h) => h.position.line).sort((a, b) => a - b), [docLine, assignLine]);
    assert.equal(all[0].position.character, lines[all[0].position.line].length, 'after the end of the line');
    await s.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kernelPatchLens: { annotations: { enabled: false, level: 'everything' } } } });
    assert.deepEqual(await s.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range }), []);
    await s.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kernelPatchLens: {} } });
  });

  test('outline: patch → file → hunks named after their function', async () => {
    const symbols = (await s.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as DocumentSymbol[];
    assert.equal(symbols.length, 1);
    assert.equal(symbols[0].name, 'VFS: fix dio write returning EIO when try_to_release_page fails');
    assert.deepEqual(symbols[0].children?.map((f) => f.name), ['mm/truncate.c']);
    const hunks = symbols[0].children![0].children!;
    assert.deepEqual(hunks.map((h) => h.name), ['@@ -380,7 +380,7 @@', '@@ -440,7 +440,7 @@']);
    assert.deepEqual(hunks.map((h) => h.detail), ['invalidate_inode_pages2_range', 'invalidate_inode_pages2_range']);
  });

  test('call hierarchy on the changed function: its callers with use and verdict', async () => {
    const items = (await s.connection.sendRequest('textDocument/prepareCallHierarchy', { textDocument: { uri }, position: { line: assignLine, character: 4 } })) as CallHierarchyItem[];
    assert.equal(items.length, 1);
    assert.equal(items[0].name, 'invalidate_inode_pages2_range');
    assert.equal(items[0].uri, uriOf(join(exampleTree, 'mm', 'truncate.c')));
    const src = readFileSync(join(exampleTree, 'mm', 'truncate.c'), 'utf8').split('\n');
    assert.match(src[items[0].range.start.line], /invalidate_inode_pages2_range/, 'the item points at the definition');
    const incoming = (await s.connection.sendRequest('callHierarchy/incomingCalls', { item: items[0] })) as CallHierarchyIncomingCall[];
    if (hasCallers) {
      assert.ok(incoming.length > 0);
      for (const c of incoming) assert.match(c.from.detail ?? '', /^(compared|propagated|overwritten|sign-checked|truth-checked|is-err|passed|stored|ignored|unknown) · (behaviour-change|value-change|no-change|unknown)/);
    } else {
      // Without an impact walk the index still names the call sites, labelled "not analysed".
      for (const c of incoming) assert.match(c.from.detail ?? '', /not analysed/);
    }
    for (const c of incoming) {
      const file = c.from.uri.replace(uriOf(exampleTree) + '/', '');
      const line = readFileSync(join(exampleTree, file), 'utf8').split('\n')[c.fromRanges[0].start.line];
      assert.match(line, /invalidate_inode_pages2_range|\w+\(/, `${file}:${c.fromRanges[0].start.line + 1} is a call`);
    }
  });

  test('go to definition from a function name in the patch into the tree', async () => {
    const col = lines[fnLine].indexOf('invalidate_inode_pages2_range') + 5;
    const locs = (await s.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line: fnLine, character: col } })) as Location[];
    assert.ok(locs && locs.length >= 1);
    assert.equal(locs[0].uri, uriOf(join(exampleTree, 'mm', 'truncate.c')));
    const src = readFileSync(join(exampleTree, 'mm', 'truncate.c'), 'utf8').split('\n');
    assert.match(src.slice(locs[0].range.start.line, locs[0].range.start.line + 2).join(' '), /invalidate_inode_pages2_range\(/);
  });

  test('executeCommand re-analyses and reports the counts; kpl/callerPaths gives the tree', async () => {
    const r = (await s.connection.sendRequest('workspace/executeCommand', { command: 'kernelPatchLens.server.reanalyse', arguments: [uri] })) as ReanalyseResult;
    assert.equal(r.changes, 2);
    assert.equal(r.functions, 1);
    if (!hasCallers) assert.ok(r.callersUnavailable && r.callersUnavailable.length > 0);
    const paths = (await s.connection.sendRequest('kpl/callerPaths', { uri })) as CallerPathsResult;
    assert.equal(paths.tree, exampleTree);
    assert.deepEqual(paths.functions.map((f) => [f.function, f.file, f.codes]), [['invalidate_inode_pages2_range', 'mm/truncate.c', '-EIO → -EBUSY']]);
    await assert.rejects(s.connection.sendRequest('workspace/executeCommand', { command: 'kernelPatchLens.server.reanalyse', arguments: [42] }));
  });
});
