// Errno-change detection: every change kind, pairing of removed/added lines, and the enclosing
// function read from the patch alone (hunk header, hunk context, unknown).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeErrnos, docErrnos, findErrnoChanges } from '../../../server/patch/errno';
import { signatureName } from '../../../server/patch/functions';
import { readPatchSeries } from '../../../server/patch/reader';
import type { ErrnoChange } from '../../../server/model';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'patches');
const changesOf = (name: string) => findErrnoChanges(readPatchSeries(readFileSync(join(fixtures, name))));
const brief = (c: ErrnoChange) => [c.function, c.kind, c.old.join(','), c.new.join(','), c.line, c.functionFrom];

/** A one-file git diff around the given hunk body. */
function diff(body: string, header = '', start = 10): Buffer {
  const lines = body.split('\n');
  const old = lines.filter((l) => !l.startsWith('+')).length;
  const neu = lines.filter((l) => !l.startsWith('-')).length;
  return Buffer.from(`diff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -${start},${old} +${start},${neu} @@${header ? ' ' + header : ''}\n${body}\n`);
}
const find = (b: Buffer) => findErrnoChanges(readPatchSeries(b));

test('the defining example: kernel-doc and assignment in invalidate_inode_pages2_range, -EIO -> -EBUSY', () => {
  const changes = findErrnoChanges(readPatchSeries(readFileSync('/work/shared/patches/vfs-dio-eio-ebusy.patch')));
  assert.deepEqual(changes.map(brief), [
    ['invalidate_inode_pages2_range', 'doc', '-EIO', '-EBUSY', 383, 'context'],
    ['invalidate_inode_pages2_range', 'assign', '-EIO', '-EBUSY', 443, 'context'],
  ]);
  assert.deepEqual(changes.map((c) => c.patchLine), [56, 65]);
});

test('return and doc changes of one patch, function after the kernel-doc comment', () => {
  assert.deepEqual(changesOf('format-patch.patch').map(brief), [
    ['demo_release', 'doc', '-EIO', '-EBUSY', 13, 'context'],
    ['demo_release', 'return', '-EIO', '-EBUSY', 18, 'context'],
  ]);
});

test('a series: a caller\'s new handling is an added compare; case and != compare changes', () => {
  const changes = changesOf('series.mbox');
  assert.deepEqual(changes.filter((c) => c.patch === 1).map(brief), [
    ['demo_write', 'compare', '', '-EBUSY', 51, 'hunk-header'],
    ['demo_classify', 'case', '-EIO', '-EBUSY', 59, 'context'],
    ['demo_map', 'compare', '-EIO', '-EBUSY', 9, 'hunk-header'],
  ]);
});

test('git show: *errp assignment, ERR_PTR return, added error return and assignment, removed case', () => {
  assert.deepEqual(changesOf('git-show.txt').map(brief), [
    ['demo_flush', 'added', '', '-ENODATA', 28, 'hunk-header'],
    ['demo_flush', 'assign', '-EIO', '-EBUSY', 30, 'hunk-header'],
    ['demo_lookup', 'return', '-EINVAL', '-ERANGE', 39, 'context'],
    ['demo_lookup', 'added', '', '-ENOMEM', 43, 'context'],
    ['demo_classify', 'case', '-ENOSPC', '', 63, 'hunk-header'],
  ]);
});

test('a deleted file\'s error returns are removed; a new file\'s are added', () => {
  const changes = changesOf('extras.patch');
  assert.ok(changes.some((c) => c.file === 'fs/demo.c' && c.kind === 'removed' && c.old[0] === '-EIO'));
  assert.deepEqual(changes.filter((c) => c.file === 'fs/new.c').map(brief), [['demo_new', 'added', '', '-ENOSYS', 3, 'context']]);
});

test('lines whose codes stay the same are not changes; moved lines neither', () => {
  assert.deepEqual(find(diff('-\treturn -EIO;  /* old */\n+\treturn -EIO;')), []);
  assert.deepEqual(find(diff(' int f(void)\n {\n-\tif (x) return -EIO;\n+\tif (x && y)\n+\t\treturn -EIO;\n }')), []);
});

test('several codes on one line, comparisons both ways, ERR_PTR assignment', () => {
  const c = find(diff(' int f(int err)\n {\n-\tif (err == -EIO || -ENOSPC == err)\n+\tif (err == -EIO || -ENOSPC == err || err == -EBUSY)\n \t\treturn 0;\n-\tp = ERR_PTR(-ENOMEM);\n+\tp = ERR_PTR(-EAGAIN);\n }'));
  assert.deepEqual(c.map(brief), [
    ['f', 'compare', '-EIO,-ENOSPC', '-EIO,-ENOSPC,-EBUSY', 12, 'context'],
    ['f', 'assign', '-ENOMEM', '-EAGAIN', 14, 'context'],
  ]);
});

test('removed error return; ERESTARTSYS; a mixed line gives one change per role', () => {
  const c = find(diff(' int g(void)\n {\n-\treturn -ERESTARTSYS;\n+\treturn 0;\n-\tif (e == -EIO) return -EIO;\n+\tif (e == -EBUSY) return -EIO;\n }'));
  assert.deepEqual(c.map(brief), [
    ['g', 'removed', '-ERESTARTSYS', '', 12, 'context'],
    ['g', 'compare', '-EIO', '-EBUSY', 13, 'context'],
  ]);
});

test('subtraction and identifiers that look like errnos are not codes', () => {
  assert.deepEqual(codeErrnos('len = total - EXTRA_BYTES;'), []);
  assert.deepEqual(codeErrnos('x = a[i]-EFOO;'), []);
  assert.deepEqual(codeErrnos('return -EIO;').map((c) => c.code), ['-EIO']);
  assert.deepEqual(codeErrnos('case -E2BIG:').map((c) => c.code), ['-E2BIG']);
  assert.deepEqual(docErrnos(' * returns EIO on failure, -ENOSPC when full; see EXPORT'), ['-EIO', '-ENOSPC']);
});

test('a comment inside a function is a doc change of that function', () => {
  const c = find(diff(' int h(void)\n {\n-\t/* fails with -EIO */\n+\t/* fails with -EBUSY */\n \treturn 0;\n }'));
  assert.deepEqual(c.map(brief), [['h', 'doc', '-EIO', '-EBUSY', 12, 'context']]);
});

test('multi-line block comment text keeps its doc kind', () => {
  const c = find(diff(' /*\n- * The caller sees EIO\n+ * The caller sees EBUSY\n  */\n int k(void)\n {'));
  assert.deepEqual(c.map(brief), [['k', 'doc', '-EIO', '-EBUSY', 11, 'context']]);
});

test('function from the hunk header when the hunk shows no signature; unknown when nothing tells', () => {
  assert.deepEqual(find(diff(' \tret = 1;\n-\treturn -EIO;\n+\treturn -EBUSY;', 'static long demo_ioctl(struct file *f, unsigned int cmd)')).map(brief),
    [['demo_ioctl', 'return', '-EIO', '-EBUSY', 11, 'hunk-header']]);
  assert.deepEqual(find(diff(' \tret = 1;\n-\treturn -EIO;\n+\treturn -EBUSY;')).map(brief),
    [[null, 'return', '-EIO', '-EBUSY', 11, 'unknown']]);
  // A function that ended in the hunk: the header's function is over, the next one's name unseen.
  assert.deepEqual(find(diff(' }\n \n-\tx = -EIO;\n+\tx = -EBUSY;', 'int before(void)')).map((c) => c.function), [null]);
});

test('function from an earlier hunk of the same file', () => {
  const doc = 'diff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,2 @@\n int outer(int a,\n-\t  int b)\n+\t  long b)\n@@ -20,1 +20,1 @@\n-\treturn -EIO;\n+\treturn -EBUSY;\n';
  assert.deepEqual(find(Buffer.from(doc)).map(brief), [['outer', 'return', '-EIO', '-EBUSY', 20, 'context']]);
});

test('signature lines', () => {
  assert.equal(signatureName('static int __init demo_init(void)'), 'demo_init');
  assert.equal(signatureName('struct page *find_get_page(struct address_space *mapping, pgoff_t offset)'), 'find_get_page');
  assert.equal(signatureName('SYSCALL_DEFINE3(write, unsigned int, fd, const char __user *, buf,'), 'sys_write');
  assert.equal(signatureName('EXPORT_SYMBOL(demo_write);'), null);
  assert.equal(signatureName('\tif (x)'), null);
  assert.equal(signatureName('static const struct address_space_operations demo_aops = {'), null);
  assert.equal(signatureName('out:'), null);
  assert.equal(signatureName('DEFINE_MUTEX(demo_lock)'), null);
});
