import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeImpacts } from '../../../server/impact/index';
import type { CallerImpact, ErrnoChange, Warning } from '../../../server/model';
import { WorkTree } from '../../../server/tree';
import { FIXTURE, MemoryGraph, patched } from './helpers';

// The whole analysis on the fixture tree, with the real per-file indexer: the changed function
// flush_range (lib/flush.c) starts returning -EBUSY where it returned -EIO.
const change: ErrnoChange = {
  file: 'lib/flush.c', function: 'flush_range', kind: 'assign', old: ['-EIO'], new: ['-EBUSY'],
  patchLine: 1, line: 27, patch: 0, functionFrom: 'tree',
};
const EBUSY = { file: 'lib/flush.c', from: 'ret2 = -EIO;', to: 'ret2 = -EBUSY;' };
const COMPLETE = {
  file: 'fs/direct.c', from: '\t\tif (written)\n\t\t\tgoto out;',
  to: '\t\tif (written) {\n\t\t\t/* busy blocks: write through the cache instead */\n\t\t\tif (written == -EBUSY)\n\t\t\t\treturn 0;\n\t\t\tgoto out;\n\t\t}',
};

async function run(edits: { file: string; from: string; to: string }[], depth = 4, changes = [change]) {
  const graph = await MemoryGraph.of(FIXTURE);
  const pre = new WorkTree(FIXTURE);
  const warnings: Warning[] = [];
  const impacts = await computeImpacts(changes, { graph, pre, post: patched(pre, edits), depth, warnings, overrides: new Map() });
  return { impacts, warnings };
}

const row = (c: CallerImpact) => `${'  '.repeat(c.depth - 1)}${c.function} ${c.file}:${c.line} ${c.use} ${c.verdict}${c.via ? ` via ${c.via}` : ''}${c.userVisible ? ` => ${c.userVisible}` : ''}`;

test('the caller tree of flush_range: every use class, the ops table, the system call, cycles cut', async () => {
  const { impacts } = await run([EBUSY]);
  assert.equal(impacts.length, 1);
  const f = impacts[0];
  assert.deepEqual([f.function, f.returnsBefore, f.returnsAfter], ['flush_range', ['0', '-EIO', 'unknown'], ['0', '-EBUSY', 'unknown']]);
  assert.deepEqual(f.callers.map(row), [
    'direct_write fs/direct.c:9 propagated value-change',
    '  file_write fs/direct.c:23 propagated value-change',
    '    vfs_write fs/rw.c:10 propagated value-change via .write',
    '      sys_write fs/rw.c:22 propagated value-change => write(2): EIO -> EBUSY',
    'retry_flush fs/users.c:6 compared behaviour-change',
    'retry_flush fs/users.c:10 ignored no-change',
    'shrink_cache fs/users.c:17 compared no-change',
    'drop_caches fs/users.c:32 ignored no-change',
    'note_flush fs/users.c:37 passed value-change',
    'note_flush fs/users.c:38 stored value-change',
    'sync_cache fs/users.c:45 truth-checked no-change',
    'flush_quietly fs/users.c:64 compared no-change',
    'flush_all lib/flush.c:38 propagated value-change',
    '  trim_cache fs/users.c:26 sign-checked no-change',
    '  pong fs/users.c:54 propagated value-change',
    '    ping fs/users.c:59 propagated value-change',
    '      pong fs/users.c:54 propagated value-change',
    '  settle lib/flush.c:68 propagated value-change',
    '    settle lib/flush.c:71 propagated value-change',
  ]);
  const sys = f.callers.find((c) => c.function === 'sys_write')!;
  assert.deepEqual(sys.path, ['sys_write', 'vfs_write', 'file_write', 'direct_write', 'flush_range']);
  assert.match(sys.reason, /write\(2\) may now fail with EBUSY instead of EIO/);
  assert.match(f.callers.find((c) => c.function === 'retry_flush')!.reason, /^`err == -EIO` now false: skips the branch/);
  assert.match(f.callers.filter((c) => c.function === 'pong')[1].reason, /cycle through pong/);
  assert.equal(f.callers.find((c) => c.function === 'flush_quietly')!.reason,
    'compared with -EIO, -EBUSY, but every such test comes out the same for EIO and EBUSY; returned only when `err != -EIO && err != -EBUSY`, which is false for EIO and EBUSY');
});

test('the depth bound stops the walk and says so', async () => {
  const { impacts } = await run([EBUSY], 2);
  const rows = impacts[0].callers;
  assert.equal(Math.max(...rows.map((c) => c.depth)), 2);
  assert.ok(!rows.some((c) => c.function === 'vfs_write'));
  const last = rows.find((c) => c.function === 'file_write')!;
  assert.match(last.reason, /the walk stops at depth 2/);
  // a silent probe past the bound still says what user space sees, and through which path
  assert.equal(last.userVisible, 'write(2): EIO -> EBUSY');
  assert.match(last.reason, /beyond it the value reaches write\(2\): EIO -> EBUSY \(sys_write → vfs_write → file_write\)/);
});

test('the complete fix: the patched caller is read on its post-image, and user space now succeeds', async () => {
  const complete: ErrnoChange = { ...change, file: 'fs/direct.c', function: 'direct_write', kind: 'compare', old: [], new: ['-EBUSY'], line: 11 };
  const { impacts } = await run([EBUSY, COMPLETE], 4, [change, complete]);
  assert.deepEqual(impacts.map((i) => i.function), ['flush_range']); // direct_write is shown in flush_range's walk
  const top = impacts[0].callers.filter((c) => c.path.includes('direct_write'));
  assert.deepEqual(top.map(row), [
    'direct_write fs/direct.c:9 compared behaviour-change',
    '  file_write fs/direct.c:23 sign-checked behaviour-change',
    '    vfs_write fs/rw.c:10 sign-checked behaviour-change via .write',
    '      sys_write fs/rw.c:22 propagated value-change => write(2): EIO -> success',
  ]);
  assert.match(top[0].reason, /^`written == -EBUSY` now true: returns 0 \("busy blocks: write through the cache instead"\)/);
  assert.match(top[0].reason, /caller read after the patch/);
  assert.match(top[3].reason, /write\(2\) now succeeds where it failed with EIO/);
});

test('a kernel-doc-only change walks the codes the patch states', async () => {
  const doc: ErrnoChange = { ...change, kind: 'doc', line: 16 };
  const { impacts, warnings } = await run([{ file: 'lib/flush.c', from: 'Returns -EIO', to: 'Returns -EBUSY' }], 1, [doc]);
  assert.deepEqual(impacts[0].returnsBefore, impacts[0].returnsAfter);
  assert.ok(warnings.some((w) => /codes the patch states \(-EIO -> -EBUSY\)/.test(w.message)));
  assert.equal(impacts[0].callers.find((c) => c.function === 'retry_flush')?.verdict, 'behaviour-change');
});

test('a code assigned but never returned changes nothing: said, not walked', async () => {
  const change2: ErrnoChange = { ...change, file: 'fs/users.c', function: 'retry_flush', kind: 'assign', old: ['-EIO'], new: ['-EAGAIN'], line: 10 };
  const { impacts, warnings } = await run([{ file: 'fs/users.c', from: '\t\terr = flush_range(c, 0, 7);', to: '\t\terr = -EAGAIN;' }], 4, [change2]);
  assert.deepEqual(impacts[0].callers, []);
  assert.ok(warnings.some((w) => /never reach a return of retry_flush/.test(w.message)), warnings.map((w) => w.message).join('\n'));
});

test('an added error return takes over a success path: 0 -> -EINVAL, and a `== 0` test flips', async () => {
  const added: ErrnoChange = { ...change, function: 'flush_one', kind: 'added', old: [], new: ['-EINVAL'], line: 6 };
  const { impacts } = await run([{ file: 'lib/flush.c', from: '\tif (!block_dirty(c, idx))', to: '\tif (idx < 0)\n\t\treturn -EINVAL;\n\tif (!block_dirty(c, idx))' }], 1, [added]);
  const [f] = impacts;
  assert.deepEqual([f.returnsBefore, f.returnsAfter], [['0', 'unknown'], ['0', '-EINVAL', 'unknown']]);
  const site = f.callers.find((c) => c.function === 'flush_range')!;
  assert.equal(site.verdict, 'behaviour-change');
  assert.match(site.reason, /^`ret2 == 0` now false/);
});
