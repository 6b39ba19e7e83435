// The LSP features on a Review that has callers (written here, shaped as the engine's output):
// caller tree, lens titles, diagnostics, inlay levels and filters, hover markdown. The protocol
// tests run the same code through the built server; these pin the wording and the counting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CallerImpact, Review } from '../../server/model';
import { defaultSettings } from '../../server/protocol';
import type { DocumentAnalysis } from '../../server/features/analysis';
import { callersUnavailableReason } from '../../server/features/analysis';
import { buildCallerTree, changedFunctions, countsText, walkCallers } from '../../server/features/callerTree';
import { lensesFor } from '../../server/features/codeLens';
import { diagnosticsFor } from '../../server/features/diagnostics';
import { hintsFor } from '../../server/features/inlayHints';
import { hoverAt } from '../../server/features/hover';
import { readSettings } from '../../server/features/settings';

const caller = (c: Partial<CallerImpact> & Pick<CallerImpact, 'function' | 'file' | 'line' | 'use' | 'verdict' | 'depth' | 'path'>): CallerImpact =>
  ({ via: null, userVisible: null, reason: '', ...c });

const review: Review = {
  patches: [{ subject: 'mm: say EBUSY', files: ['mm/truncate.c'] }],
  changes: [{ file: 'mm/truncate.c', function: 'invalidate_range', kind: 'assign', old: ['-EIO'], new: ['-EBUSY'], patchLine: 12, line: 40, patch: 0, functionFrom: 'tree' }],
  impacts: [{
    function: 'invalidate_range', file: 'mm/truncate.c', returnsBefore: ['0', '-EIO'], returnsAfter: ['0', '-EBUSY'],
    callers: [
      caller({ function: 'direct_write', file: 'mm/filemap.c', line: 100, use: 'compared', verdict: 'behaviour-change', depth: 1, path: ['direct_write', 'invalidate_range'], reason: '`err == -EIO` now false' }),
      caller({ function: 'invalidate_all', file: 'mm/truncate.c', line: 60, use: 'propagated', verdict: 'value-change', depth: 1, path: ['invalidate_all', 'invalidate_range'] }),
      caller({ function: 'do_sync', file: 'fs/sync.c', line: 20, use: 'propagated', verdict: 'value-change', depth: 2, path: ['do_sync', 'invalidate_all', 'invalidate_range'], userVisible: 'fsync(2): EIO -> EBUSY' }),
      caller({ function: 'drop_caches', file: 'fs/drop.c', line: 7, use: 'ignored', verdict: 'no-change', depth: 2, path: ['drop_caches', 'invalidate_all', 'invalidate_range'] }),
      caller({ function: 'nfs_revalidate', file: 'fs/nfs/inode.c', line: 300, use: 'truth-checked', verdict: 'no-change', depth: 1, path: ['nfs_revalidate', 'invalidate_range'] }),
    ],
  }],
  races: [],
  warnings: [],
};

const text = Array.from({ length: 20 }, (_, i) => (i === 11 ? '-\tret = -EIO;' : i === 12 ? '+\tret = -EBUSY;' : ` line ${i + 1}`)).join('\n');
const analysis: DocumentAnalysis = {
  uri: 'file:///w/p.patch', version: 1, review, tree: '/w/linux', callersUnavailable: null, milliseconds: 1,
  series: { patches: [], warnings: [] },
};

test('the caller tree nests callers under the caller they call, from the chains', () => {
  const roots = buildCallerTree(review.impacts[0], '/w/linux');
  assert.deepEqual(roots.map((r) => r.function).sort(), ['direct_write', 'invalidate_all', 'nfs_revalidate']);
  const all = roots.find((r) => r.function === 'invalidate_all')!;
  assert.deepEqual(all.children.map((c) => c.function).sort(), ['do_sync', 'drop_caches']);
  assert.equal(all.uri, 'file:///w/linux/mm/truncate.c');
  assert.equal([...walkCallers(roots)].length, 5);
  // Two call sites in one function: the callers above hang under the one the value goes on from.
  const twice = { ...review.impacts[0], callers: [...review.impacts[0].callers, caller({ function: 'invalidate_all', file: 'mm/truncate.c', line: 58, use: 'ignored', verdict: 'no-change', depth: 1, path: ['invalidate_all', 'invalidate_range'] })] };
  const sites = buildCallerTree(twice, '/w/linux').filter((r) => r.function === 'invalidate_all');
  assert.deepEqual(sites.map((s) => [s.line, s.children.length]), [[58, 0], [60, 2]]);
});

test('a lens reads "-EIO → -EBUSY · 5 callers · 1 behaviour change · 2 value changes"', () => {
  const [lens] = lensesFor(analysis);
  assert.equal(lens.command?.title, '-EIO → -EBUSY · 5 callers · 1 behaviour change · 2 value changes');
  assert.equal(lens.range.start.line, 11);
  assert.equal(countsText(1, { 'behaviour-change': 1, 'value-change': 0, 'no-change': 0, unknown: 0 }), '1 caller · 1 behaviour change');
});

test('diagnostics: the change at the worst verdict, and one per behaviour-changing path with the call site', () => {
  const d = diagnosticsFor(analysis);
  const change = d.find((x) => x.code === 'errno-assign')!;
  assert.equal(change.severity, 2);
  assert.match(String(change.message), /^invalidate_range: -EIO → -EBUSY: 5 callers · 1 behaviour change · 2 value changes$/);
  const paths = d.filter((x) => x.code === 'caller-behaviour-change');
  assert.equal(paths.length, 1);
  assert.match(String(paths[0].message), /direct_write \(mm\/filemap\.c:100, compared\) changes behaviour: `err == -EIO` now false/);
  assert.deepEqual(paths[0].relatedInformation?.[0].location, { uri: 'file:///w/linux/mm/filemap.c', range: { start: { line: 99, character: 0 }, end: { line: 99, character: 1000 } } });
});

test('inlay hints follow the level and the verdict filter', () => {
  const doc = TextDocument.create(analysis.uri, 'diff', 1, text);
  const at = (s: typeof defaultSettings) => hintsFor(analysis, s, doc).map((h) => String(h.label));
  assert.deepEqual(at(defaultSettings), ['  ⟵ 1 behaviour · 2 value · 5 callers']);
  const only = readSettings({ annotations: { verdicts: ['no-change'], level: 'all-changes' } });
  assert.deepEqual(at(only), [], 'counting only no-change callers: nothing changes, nothing said');
  assert.deepEqual(at(readSettings({ annotations: { verdicts: ['no-change'], level: 'everything' } })), ['  ⟵ 2 callers']);
  assert.deepEqual(at(readSettings({ annotations: { enabled: false } })), []);
  assert.equal(hintsFor(analysis, defaultSettings, doc)[0].position.character, '-\tret = -EIO;'.length);
});

test('hover: the caller tree as markdown with links to the call sites', () => {
  const md = hoverAt(analysis, null, 12, true)!;
  assert.match(md, /^\*\*invalidate_range\*\* \(mm\/truncate\.c\) · -EIO → -EBUSY/);
  assert.match(md, /returns \{0, -EIO\} → \{0, -EBUSY\}/);
  assert.match(md, /^- \[`direct_write`\]\(file:\/\/\/w\/linux\/mm\/filemap\.c#L100\) mm\/filemap\.c:100 · `compared` · \*\*behaviour change\*\*/m);
  assert.match(md, /^ {2}- \[`do_sync`\]\(file:\/\/\/w\/linux\/fs\/sync\.c#L20\) .*user space: fsync\(2\): EIO -> EBUSY/m);
  assert.match(hoverAt(analysis, 'do_sync', 3, false)!, /\*\*do_sync\*\* calls toward \*\*invalidate_range\*\*/);
  assert.equal(hoverAt(analysis, 'unrelated', 3, false), null);
});

test('changed functions carry counts; without impacts the reason comes from the warnings', () => {
  const [f] = changedFunctions(analysis);
  assert.deepEqual(f.counts, { 'behaviour-change': 1, 'value-change': 2, 'no-change': 2, unknown: 0 });
  const bare: Review = { ...review, impacts: [], warnings: [{ message: 'the index could not be opened: disk full' }] };
  assert.equal(callersUnavailableReason(bare, '/w/linux', ''), 'the index could not be opened: disk full');
  assert.equal(callersUnavailableReason(bare, null, 'no kernel tree in the workspace'), 'no kernel tree in the workspace');
  assert.equal(callersUnavailableReason(review, '/w/linux', ''), null);
});

test('settings from untrusted JSON fall back field by field', () => {
  const s = readSettings({ callerDepth: 'deep', tree: 42, annotations: { level: 'loud', verdicts: ['value-change', 'bogus'] } });
  assert.equal(s.callerDepth, 4);
  assert.equal(s.tree, '');
  assert.equal(s.annotations.level, 'all-changes');
  assert.deepEqual(s.annotations.verdicts, ['value-change']);
  assert.deepEqual(readSettings(null), defaultSettings);
});
