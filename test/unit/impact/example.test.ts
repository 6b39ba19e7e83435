// Snapshot tests on the embedded example (examples/tree + examples/patches): every caller the
// analysis finds, with use, verdict, via, what user space sees and why, for the example patch and
// the complete fix. Update after a deliberate change with:
//   UPDATE_SNAPSHOTS=1 node scripts/run-tests.mjs test/unit/impact
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { computeImpacts } from '../../../server/impact/index';
import { openCallGraph } from '../../../server/index/project';
import type { FunctionImpact, Warning } from '../../../server/model';
import { readPatchSeries } from '../../../server/patch/reader';
import { buildTrees, resolvePaths, review } from '../../../server/review';
import { WorkTree } from '../../../server/tree';

const REPO = resolve(__dirname, '../../..');
const TREE = join(REPO, 'examples/tree');
const SNAPSHOTS = join(REPO, 'test/fixtures/impact');

/** The impact section as a reviewer reads it: one caller per line, indented by depth. */
export function renderImpacts(impacts: FunctionImpact[]): string {
  const out: string[] = [];
  for (const i of impacts) {
    out.push(`${i.function} (${i.file}): {${i.returnsBefore.join(', ')}} -> {${i.returnsAfter.join(', ')}}`);
    for (const c of i.callers) {
      const pad = '  '.repeat(c.depth);
      out.push(`${pad}${c.function} ${c.file}:${c.line} use=${c.use} verdict=${c.verdict}${c.via ? ` via=${c.via}` : ''}${c.userVisible ? ` user-visible="${c.userVisible}"` : ''}`);
      out.push(`${pad}  why: ${c.reason}`);
    }
  }
  return out.join('\n') + '\n';
}

async function analyse(patch: string, depth = 4): Promise<FunctionImpact[]> {
  const input = readFileSync(join(REPO, 'examples/patches', patch));
  const { changes } = await review({ input, tree: TREE });
  const series = readPatchSeries(input);
  const warnings: Warning[] = [];
  resolvePaths(series, new WorkTree(TREE), warnings);
  const trees = buildTrees(series, TREE, warnings);
  const cacheDir = mkdtempSync(join(tmpdir(), 'kpl-impact-example-'));
  const graph = await openCallGraph(TREE, { cacheDir, workers: 1 });
  try {
    return await computeImpacts(changes, { graph, pre: trees.pre, post: trees.after[trees.after.length - 1], depth, warnings, overrides: new Map() });
  } finally {
    await graph.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

function snapshot(name: string, actual: string): void {
  const file = join(SNAPSHOTS, name);
  if (process.env.UPDATE_SNAPSHOTS || !existsSync(file)) { writeFileSync(file, actual); return; }
  const expected = readFileSync(file, 'utf8');
  if (actual !== expected) {
    const a = actual.split('\n'), e = expected.split('\n');
    const diff: string[] = [];
    for (let k = 0; k < Math.max(a.length, e.length); k++) if (a[k] !== e[k]) diff.push(`line ${k + 1}:\n  - ${e[k] ?? '(none)'}\n  + ${a[k] ?? '(none)'}`);
    assert.fail(`${name} differs from the snapshot (UPDATE_SNAPSHOTS=1 node scripts/run-tests.mjs test/unit/impact to accept):\n${diff.slice(0, 12).join('\n')}`);
  }
}

test('the example patch: callers of invalidate_inode_pages2_range, and write(2): EIO -> EBUSY', async () => {
  const impacts = await analyse('vfs-dio-eio-ebusy.patch');
  assert.equal(impacts.length, 1);
  const [f] = impacts;
  assert.deepEqual([f.function, f.returnsBefore, f.returnsAfter], ['invalidate_inode_pages2_range', ['0', '-EIO', 'unknown'], ['0', '-EBUSY', 'unknown']]);
  const direct = f.callers.filter((c) => c.depth === 1).map((c) => `${c.function}:${c.use}:${c.verdict}`);
  assert.deepEqual(direct, [
    'v9fs_file_write:ignored:no-change',
    'nfs_readdir_filler:sign-checked:no-change',
    'generic_file_direct_write:propagated:value-change',
    'generic_file_direct_write:ignored:no-change',
    'invalidate_inode_pages2:propagated:value-change',
  ]);
  assert.ok(f.callers.every((c) => c.verdict !== 'behaviour-change'), 'nothing compares -EIO or -EBUSY before the complete fix');
  assert.ok(f.callers.some((c) => c.userVisible?.includes('write(2): EIO -> EBUSY')));
  snapshot('example-patch.txt', renderImpacts(impacts));
});

// examples/README.md's table, written by hand from the code by the example's author, at --depth 8.
const README_TABLE = `
1 generic_file_direct_write mm/filemap.c:244 propagated value-change
1 generic_file_direct_write mm/filemap.c:259 ignored no-change
1 invalidate_inode_pages2 mm/truncate.c:467 propagated value-change
1 nfs_readdir_filler fs/nfs/dir.c:42 sign-checked no-change
1 v9fs_file_write fs/9p/vfs_file.c:86 ignored no-change
2 __generic_file_aio_write_nolock mm/filemap.c:360 propagated value-change
2 nfs_invalidate_mapping_nolock fs/nfs/inode.c:38 propagated value-change
2 nfs_file_direct_write fs/nfs/direct.c:52 ignored no-change
3 generic_file_aio_write mm/filemap.c:422 propagated value-change
3 nfs_invalidate_mapping fs/nfs/inode.c:61 propagated value-change
4 do_sync_write fs/read_write.c:128 propagated value-change via .aio_write
4 nfs_revalidate_mapping fs/nfs/inode.c:88 propagated value-change
5 vfs_write fs/read_write.c:156 propagated value-change via .write
5 vfs_write fs/read_write.c:158 propagated value-change
5 nfs_file_read fs/nfs/file.c:28 propagated value-change
5 nfs_file_mmap fs/nfs/file.c:40 propagated value-change => .mmap (nfs_file_operations): EIO -> EBUSY
6 sys_write fs/read_write.c:204 propagated value-change => write(2): EIO -> EBUSY
6 sys_pwrite64 fs/read_write.c:230 propagated value-change => pwrite64(2): EIO -> EBUSY
6 do_sync_read fs/read_write.c:74 propagated value-change via .aio_read
7 vfs_read fs/read_write.c:102 propagated value-change via .read
7 vfs_read fs/read_write.c:104 propagated value-change
8 sys_read fs/read_write.c:186 propagated value-change => read(2): EIO -> EBUSY`.trim().split('\n').sort();

test('the example patch at --depth 8 gives exactly the callers of examples/README.md', async () => {
  const [f] = await analyse('vfs-dio-eio-ebusy.patch', 8);
  const rows = f.callers.map((c) => `${c.depth} ${c.function} ${c.file}:${c.line} ${c.use} ${c.verdict}${c.via ? ` via ${c.via}` : ''}${c.userVisible ? ` => ${c.userVisible}` : ''}`);
  assert.deepEqual(rows.sort(), README_TABLE);
});

test('the complete fix: generic_file_direct_write read on its post-image, write(2) now succeeds', async () => {
  const impacts = await analyse('vfs-dio-eio-ebusy-complete.patch', 8);
  const f = impacts.find((i) => i.function === 'invalidate_inode_pages2_range')!;
  const gfdw = f.callers.find((c) => c.function === 'generic_file_direct_write' && c.use === 'compared')!;
  assert.equal(gfdw.verdict, 'behaviour-change');
  assert.match(gfdw.reason, /^`written == -EBUSY` now true: returns 0 \("A page that is merely pinned/);
  const sys = f.callers.find((c) => c.function === 'sys_write')!;
  assert.equal(sys.userVisible, 'write(2): EIO -> success');
  assert.match(sys.reason, /write\(2\) now succeeds where it failed with EIO/);
  assert.deepEqual(sys.path.slice(0, 3), ['sys_write', 'vfs_write', 'do_sync_write']);
  snapshot('example-complete.txt', renderImpacts(impacts));
});
