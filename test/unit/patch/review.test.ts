// The review pipeline on a tree: changes mapped to tree lines (also when hunks apply at an
// offset), enclosing functions from the tree's source via tree-sitter, warnings without a tree.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FunctionLocator } from '../../../server/patch/locate';
import { NoPatchError } from '../../../server/patch/reader';
import { review } from '../../../server/review';
import { WorkTree } from '../../../server/tree';
import type { ErrnoChange } from '../../../server/model';

const root = join(__dirname, '..', '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'patches');
const tree = join(fixtures, 'tree');
const patch = (name: string) => readFileSync(join(fixtures, name));
// The index cache goes to a scratch folder, not the user's cache.
const cacheDir = mkdtempSync(join(tmpdir(), 'kpl-cache-'));
after(() => rmSync(cacheDir, { recursive: true, force: true }));
const brief = (c: ErrnoChange) => [c.patch, c.function, c.kind, c.old.join(','), c.new.join(','), c.line, c.functionFrom];

test('FunctionLocator: enclosing and documented functions from the source', async () => {
  const loc = new FunctionLocator();
  const work = new WorkTree(tree);
  assert.equal(await loc.enclosing(work, 'fs/demo.c', 18, false), 'demo_release');
  assert.equal(await loc.enclosing(work, 'fs/demo.c', 13, true), 'demo_release', 'kernel-doc belongs to the function after it');
  assert.equal(await loc.enclosing(work, 'fs/demo.c', 30, false), 'demo_flush');
  assert.equal(await loc.enclosing(work, 'fs/demo.c', 40, false), 'demo_lookup', 'pointer declarator');
  assert.equal(await loc.enclosing(work, 'fs/demo.c', 3, true), null, 'the file comment documents no function');
  assert.equal(await loc.enclosing(work, 'fs/demo.c', 6, false), null);
  assert.equal(await loc.enclosing(work, 'fs/missing.c', 6, false), undefined);
});

test('the defining example against the example tree: -EIO -> -EBUSY in invalidate_inode_pages2_range', { skip: !existsSync(join(root, 'examples/tree/mm/truncate.c')) }, async () => {
  const r = await review({ input: readFileSync('/work/shared/patches/vfs-dio-eio-ebusy.patch'), tree: join(root, 'examples/tree'), cacheDir });
  const main = r.changes.map((c) => [c.function, c.kind, c.old, c.new, c.functionFrom]);
  assert.deepEqual(main, [
    ['invalidate_inode_pages2_range', 'doc', ['-EIO'], ['-EBUSY'], 'tree'],
    ['invalidate_inode_pages2_range', 'assign', ['-EIO'], ['-EBUSY'], 'tree'],
  ]);
  const lines = readFileSync(join(root, 'examples/tree/mm/truncate.c'), 'utf8').split('\n');
  for (const c of r.changes) assert.match(lines[c.line - 1], /-EIO/, `line ${c.line} of the tree holds the old code`);
  assert.ok(!r.warnings.some((w) => /does not apply/.test(w.message)), 'the example patch applies to the example tree');
});

test('a series on the fixture tree: functions from the tree, patch 2 mapped onto patch 1\'s post-image', async () => {
  const r = await review({ input: patch('series.mbox'), tree, cacheDir });
  assert.deepEqual(r.changes.map(brief), [
    [0, 'demo_release', 'doc', '-EIO', '-EBUSY', 13, 'tree'],
    [0, 'demo_release', 'return', '-EIO', '-EBUSY', 18, 'tree'],
    [1, 'demo_write', 'compare', '', '-EBUSY', 51, 'tree'],
    [1, 'demo_classify', 'case', '-EIO', '-EBUSY', 59, 'tree'],
    [1, 'demo_map', 'compare', '-EIO', '-EBUSY', 9, 'tree'],
  ]);
  assert.deepEqual(r.patches.map((p) => p.subject), ['demo: report a busy page as -EBUSY', 'demo: fall back when a page is busy']);
  assert.equal(r.patches[0].baseCommit, '07dedbf13701ead0fdc0cfc7219a34b2cf589e85');
  // The call graph is wired: the changed function's callers are walked (what they do is the impact tests' business).
  const release = r.impacts.find((i) => i.function === 'demo_release');
  assert.ok(release, 'impact of demo_release');
  assert.deepEqual([release.returnsBefore, release.returnsAfter], [['0', '-EIO'], ['0', '-EBUSY']]);
  assert.ok(release.callers.some((c) => c.function === 'demo_write' && c.depth === 1));
});

test('hunks that apply at an offset: tree lines follow the tree, patch lines stay', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpl-review-'));
  try {
    cpSync(tree, dir, { recursive: true });
    writeFileSync(join(dir, 'fs/demo.c'), '/* a */\n/* b */\n/* c */\n' + readFileSync(join(tree, 'fs/demo.c'), 'utf8'));
    const plain = await review({ input: patch('format-patch.patch'), tree, cacheDir });
    const shifted = await review({ input: patch('format-patch.patch'), tree: dir, cacheDir });
    assert.deepEqual(shifted.changes.map((c) => c.line), plain.changes.map((c) => c.line + 3));
    assert.deepEqual(shifted.changes.map((c) => c.patchLine), plain.changes.map((c) => c.patchLine));
    assert.deepEqual(shifted.changes.map((c) => c.function), ['demo_release', 'demo_release']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bare diff whose paths carry an extra folder is resolved against the tree', async () => {
  const doc = readFileSync(join(fixtures, 'plain.diff'), 'utf8').replace(/linux(\.orig)?\/mm/g, 'linux$1/src/mm');
  const dir = mkdtempSync(join(tmpdir(), 'kpl-review-'));
  try {
    cpSync(tree, dir, { recursive: true });
    const r = await review({ input: Buffer.from(doc), tree: dir, cacheDir });
    assert.deepEqual(r.changes.map((c) => [c.file, c.function, c.functionFrom]), [['mm/demo_map.c', 'demo_map', 'tree']]);
    assert.ok(r.warnings.some((w) => /src\/mm\/demo_map.c is not in the tree: read as mm\/demo_map.c/.test(w.message)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a hunk that does not apply: warned, the change keeps the patch\'s line and function', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpl-review-'));
  try {
    cpSync(tree, dir, { recursive: true });
    writeFileSync(join(dir, 'mm/demo_map.c'), 'int unrelated;\n');
    const r = await review({ input: patch('plain.diff'), tree: dir, cacheDir });
    assert.deepEqual(r.changes.map((c) => [c.function, c.line, c.functionFrom]), [[null, 9, 'unknown']]);
    assert.ok(r.warnings.some((w) => /mm\/demo_map.c: hunk @@ -6,7 \+6,7 @@ does not apply/.test(w.message)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without a tree: changes from the patch alone, callers said to be unavailable', async () => {
  const r = await review({ input: patch('git-show.txt') });
  assert.equal(r.changes.length, 5);
  assert.ok(r.changes.every((c) => c.functionFrom !== 'tree'));
  assert.ok(r.warnings.some((w) => /callers are not available/.test(w.message)));
  assert.deepEqual(r.impacts, []);
});

test('unusable input: no patch, or a tree that is not a folder', async () => {
  await assert.rejects(review({ input: Buffer.from('just words\n') }), NoPatchError);
  await assert.rejects(review({ input: patch('plain.diff'), tree: join(fixtures, 'plain.diff') }), /not a folder/);
});
