// The text report: checkpatch-style finding lines grouped per patch, the caller tree with
// verdicts, uses, via, user-visible effects and quoted source lines, and the summary line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changeLine, renderText } from '../../../server/report/text';
import type { TreeSource } from '../../../server/tree';
import { sampleReview } from './sample-review';

const tree: TreeSource = {
  root: '/t', description: 'memory',
  read: (f) => (f === 'mm/filemap.c' ? Array.from({ length: 200 }, (_, i) => (i === 149 ? '\tif (ret == -EIO)' : `/* ${i + 1} */`)).join('\n') : undefined),
};

test('findings read file:line: function(): what changed, grouped under their patch', () => {
  const text = renderText(sampleReview());
  const lines = text.split('\n');
  assert.equal(lines[0], '[PATCH 1/1] VFS: fix dio write returning EIO when try_to_release_page fails');
  assert.ok(lines.includes('mm/truncate.c:383: invalidate_inode_pages2_range(): comment says -EBUSY instead of -EIO [doc, patch line 56]'));
  assert.ok(lines.includes('mm/truncate.c:443: invalidate_inode_pages2_range(): assigns -EBUSY instead of -EIO [assign, patch line 65]'));
});

test('impacts: changed function with returns before -> after, then an indented caller tree', () => {
  const lines = renderText(sampleReview(), { tree }).split('\n');
  const at = lines.indexOf('  invalidate_inode_pages2_range() in mm/truncate.c: returns 0, -EIO -> 0, -EBUSY');
  assert.ok(at > 0, 'impact head line');
  assert.deepEqual(lines.slice(at + 1, at + 10), [
    '    mm/filemap.c:120: generic_file_direct_write() propagated -> value-change (returns it through written)',
    '        | /* 120 */',
    '      fs/read_write.c:40: vfs_write() propagated via .write -> value-change; user space sees write(2): EIO -> EBUSY (returns it)',
    '    mm/truncate.c:470: invalidate_inode_pages2() propagated -> value-change',
    '      fs/nfs/inode.c:77: nfs_revalidate_mapping() sign-checked -> no-change (only tests ret < 0)',
    '      fs/9p/vfs_dir.c:12: v9fs_dir_release() unknown -> unknown (called through a macro)',
    '    mm/filemap.c:150: dio_fallback() compared -> behaviour-change (if (ret == -EIO) flips)',
    '        | if (ret == -EIO)',
    '  summary: 1 function changed, 6 callers, 1 behaviour change, 1 unknown',
  ]);
});

test('warnings close the report, with their patch line when they have one', () => {
  const text = renderText(sampleReview());
  assert.match(text, /\nwarnings:\n  patch line 52: an example warning\n  a warning without a line\n$/);
});

test('no changes, unknown functions, one-sided changes, several patches', () => {
  const r = sampleReview();
  r.patches.push({ subject: '', files: ['a.c'] });
  r.changes.push({ file: 'a.c', function: null, kind: 'added', old: [], new: ['-ENOMEM'], patchLine: 90, line: 7, patch: 1, functionFrom: 'unknown' });
  r.patches.push({ subject: 'nothing here', files: [] });
  const text = renderText({ ...r, impacts: [], warnings: [] });
  assert.match(text, /\n\n\[PATCH 2\/3\] \(no subject\)\n  files: a.c\na.c:7: \(function unknown\): new error return -ENOMEM \[added, patch line 90\]\n  summary: 1 function changed, 0 callers, 0 behaviour changes, 0 unknown\n/);
  assert.match(text, /\[PATCH 3\/3\] nothing here\n  files: \(none\)\n  no return-code changes found\n  summary: 0 functions changed/);
  assert.equal(changeLine({ ...r.changes[0], kind: 'compare', old: [], new: ['-EBUSY'] }), 'mm/truncate.c:383: invalidate_inode_pages2_range(): new handling: compares with -EBUSY [compare, patch line 56]');
});
