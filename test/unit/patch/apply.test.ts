// In-memory patch application: exact, offset and fuzzy matches, failing hunks, new/deleted/renamed
// files, and PatchedTree as a TreeSource over a base tree that is never written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { applyFileDiff, PatchedTree } from '../../../server/patch/apply';
import { readPatchSeries } from '../../../server/patch/reader';
import { WorkTree, type TreeSource } from '../../../server/tree';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'patches');
const tree = join(fixtures, 'tree');
const series = (name: string) => readPatchSeries(readFileSync(join(fixtures, name)));
const demo = () => readFileSync(join(tree, 'fs', 'demo.c'), 'utf8');

/** A tree held in memory, for shifted or broken variants of the fixture tree. */
class MemoryTree implements TreeSource {
  readonly root = '/memory';
  readonly description = 'memory';
  constructor(private files: Record<string, string>) {}
  read(file: string) { return this.files[file]; }
}

test('exact application gives the post-image and where each hunk landed', () => {
  const f = series('format-patch.patch').patches[0].files[0];
  const r = applyFileDiff(demo(), f);
  assert.deepEqual(r.failures, []);
  assert.match(r.text!, /return -EBUSY;/);
  assert.doesNotMatch(r.text!, /return -EIO;/);
  assert.deepEqual(r.placements.get(f.hunks[0]), { oldStart: 10, newStart: 10, offset: 0, fuzz: 0 });
  assert.equal(r.text!.split('\n').length, demo().split('\n').length);
});

test('offset: the file has 5 more lines on top, the hunk is found 5 lines lower', () => {
  const f = series('format-patch.patch').patches[0].files[0];
  const shifted = '/* 1 */\n/* 2 */\n/* 3 */\n/* 4 */\n/* 5 */\n' + demo();
  const r = applyFileDiff(shifted, f);
  assert.deepEqual(r.failures, []);
  assert.deepEqual(r.placements.get(f.hunks[0]), { oldStart: 15, newStart: 15, offset: 5, fuzz: 0 });
  assert.equal(r.text!.split('\n')[22], '\t\treturn -EBUSY;');
});

test('offset upwards and hunks after an earlier one changed the line count', () => {
  const f = series('git-show.txt').patches[0].files[0];
  const post1 = applyFileDiff(demo(), series('series.mbox').patches[0].files[0]).text!;
  const post2 = applyFileDiff(post1, series('series.mbox').patches[1].files[0]).text!;
  const trimmed = post2.split('\n').slice(3).join('\n'); // 3 lines fewer above every hunk
  const r = applyFileDiff(trimmed, f);
  assert.deepEqual(r.failures, []);
  assert.deepEqual(f.hunks.map((h) => r.placements.get(h)!.offset), [-3, -3, -3]);
  assert.deepEqual(f.hunks.map((h) => r.placements.get(h)!.newStart), [21, 35, 61]);
  assert.match(r.text!, /ret = -ENODATA;[^]*ERR_PTR\(-ERANGE\)[^]*ERR_PTR\(-ENOMEM\)/);
});

test('fuzz: an outer context line that differs is ignored, the changed lines still apply', () => {
  const f = series('format-patch.patch').patches[0].files[0];
  const edited = demo().replace(' * demo_release - drop a page from the cache', ' * demo_release - drop one page');
  const r = applyFileDiff(edited, f);
  assert.deepEqual(r.failures, []);
  assert.equal(r.placements.get(f.hunks[0])!.fuzz, 1);
  assert.match(r.text!, /drop one page[^]*Returns -EBUSY[^]*return -EBUSY;/);
});

test('a hunk whose changed lines are not in the file is reported and not applied', () => {
  const f = series('format-patch.patch').patches[0].files[0];
  const broken = demo().replace('\t\treturn -EIO;', '\t\treturn -EAGAIN;');
  const r = applyFileDiff(broken, f);
  assert.equal(r.failures.length, 1);
  assert.match(r.failures[0].reason, /does not apply/);
  assert.equal(r.failures[0].patchLine, 21);
  assert.equal(r.text, broken, 'nothing applied, nothing invented');
});

test('new, deleted and renamed files; a missing file fails every hunk', () => {
  const files = series('extras.patch').patches[0].files;
  const base = new MemoryTree({ 'README.demo': 'old readme\n', 'fs/demo.c': demo(), 'mm/demo_map.c': 'x\n', 'logo.png': 'PNG' });
  const t = new PatchedTree(base, files);
  assert.equal(t.read('README.txt'), 'old readme\nmore\n');
  assert.equal(t.read('README.demo'), undefined);
  assert.equal(t.read('fs/demo.c'), undefined);
  assert.equal(t.read('fs/new.c'), 'int demo_new(void)\n{\n\treturn -ENOSYS;\n}\n');
  assert.equal(t.read('mm/demo_map.c'), 'x\n');
  assert.deepEqual(t.failures.map((f) => f.reason), ['binary patch: not applied']);
  const missing = applyFileDiff(undefined, series('format-patch.patch').patches[0].files[0]);
  assert.deepEqual(missing.failures.map((f) => f.reason), ['file not found in the tree']);
});

test('PatchedTree chains a series over the work tree and never writes it', () => {
  const before = readdirSync(join(tree, 'fs')).map((n) => [n, statSync(join(tree, 'fs', n)).mtimeMs]);
  const s = series('series.mbox');
  const work = new WorkTree(tree);
  const p1 = new PatchedTree(work, s.patches[0].files);
  const p2 = new PatchedTree(p1, s.patches[1].files);
  assert.deepEqual([...p1.failures, ...p2.failures], []);
  assert.match(p2.read('fs/demo.c')!, /if \(written == -EBUSY\)\n\t\treturn 0;/);
  assert.match(p2.read('mm/demo_map.c')!, /err != -EBUSY/);
  assert.equal(work.read('fs/demo.c'), demo());
  assert.equal(p2.read('fs/nothing.c'), undefined);
  assert.deepEqual(readdirSync(join(tree, 'fs')).map((n) => [n, statSync(join(tree, 'fs', n)).mtimeMs]), before);
});

test('CRLF files keep their line ends', () => {
  const f = series('format-patch.patch').patches[0].files[0];
  const r = applyFileDiff(demo().replace(/\n/g, '\r\n'), f);
  assert.deepEqual(r.failures, []);
  assert.ok(r.text!.includes('\t\treturn -EBUSY;\r\n'));
  assert.ok(!/[^\r]\n/.test(r.text!));
});
