// The patch reader on every input form and every kind of awkward input, with exact patch lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoPatchError, readPatchSeries } from '../../../server/patch/reader';
import type { PatchSeries } from '../../../server/model';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'patches');
const bytes = (name: string) => readFileSync(join(fixtures, name));
const text = (name: string) => bytes(name).toString('utf8');
const EXAMPLE = '/work/shared/patches/vfs-dio-eio-ebusy.patch';
const example = () => readFileSync(EXAMPLE);

/** Every hunk line's patchLine points at a document line with the same text. */
function assertLinesExact(series: PatchSeries, doc: string) {
  const lines = doc.replace(/\r\n/g, '\n').split('\n');
  for (const p of series.patches) {
    for (const f of p.files) {
      for (const h of f.hunks) {
        assert.match(lines[h.patchLine - 1], /@@ -\d/);
        for (const l of h.lines) {
          const want = l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' ';
          const got = lines[l.patchLine - 1];
          assert.ok(got === want + l.text || (got === '' && l.kind === 'context' && l.text === ''), `patch line ${l.patchLine}: ${got}`);
        }
      }
    }
  }
}

test('the defining example: commit message, then a diff whose hunk headers carry no function name', () => {
  const s = readPatchSeries(example());
  assert.equal(s.patches.length, 1);
  const p = s.patches[0];
  assert.equal(p.meta.subject, 'VFS: fix dio write returning EIO when try_to_release_page fails');
  assert.match(p.meta.message, /falling back to buffered\nwrites/);
  assert.equal(p.files.length, 1);
  const f = p.files[0];
  assert.deepEqual([f.oldPath, f.newPath, f.status], ['mm/truncate.c', 'mm/truncate.c', 'modified']);
  assert.deepEqual(f.hunks.map((h) => [h.oldStart, h.header, h.patchLine]), [[380, '', 52], [440, '', 61]]);
  const del = f.hunks[1].lines.find((l) => l.kind === 'del')!;
  assert.deepEqual([del.text.trim(), del.patchLine, del.oldLine], ['ret2 = -EIO;', 65, 443]);
  const add = f.hunks[1].lines.find((l) => l.kind === 'add')!;
  assert.deepEqual([add.patchLine, add.newLine], [66, 443]);
  assert.deepEqual(s.warnings, []);
  assertLinesExact(s, example().toString('utf8'));
});

test('an mbox series: cover letter skipped, subject tags stripped, author, date, message-id, base-commit', () => {
  const s = readPatchSeries(bytes('series.mbox'));
  assert.equal(s.patches.length, 2);
  assert.ok(s.warnings.some((w) => /holds no diff \(a cover letter\?\)/.test(w.message)));
  const [a, b] = s.patches;
  assert.equal(a.meta.subject, 'demo: report a busy page as -EBUSY');
  assert.equal(b.meta.subject, 'demo: fall back when a page is busy');
  assert.equal(a.meta.author, 'Ada Writer <ada@example.org>');
  assert.match(a.meta.date ?? '', /2026/);
  assert.match(a.meta.messageId ?? '', /^c7cf10c2b1d15cd1b04270736888b3045b7ac32c\..*@example\.org$/);
  assert.match(a.meta.message, /^demo_release\(\) cannot drop a page/);
  assert.ok(a.meta.message.endsWith('Signed-off-by: Ada Writer <ada@example.org>'), 'message ends before the --- separator');
  assert.deepEqual(b.files.map((f) => f.newPath), ['fs/demo.c', 'mm/demo_map.c']);
  assert.ok(a.startLine < a.endLine && a.endLine < b.startLine);
  assertLinesExact(s, text('series.mbox'));
});

test('base-commit trailer is recorded per patch', () => {
  const mbox = text('format-patch.patch').replace(/^-- $/m, 'base-commit: 07dedbf13701ead0fdc0cfc7219a34b2cf589e85\n-- ');
  const s = readPatchSeries(Buffer.from(mbox));
  assert.equal(s.patches[0].meta.baseCommit, '07dedbf13701ead0fdc0cfc7219a34b2cf589e85');
  assert.equal(readPatchSeries(bytes('format-patch.patch')).patches[0].meta.baseCommit, undefined);
});

test('a single format-patch file', () => {
  const s = readPatchSeries(bytes('format-patch.patch'));
  assert.equal(s.patches.length, 1);
  assert.equal(s.patches[0].meta.subject, 'demo: report a busy page as -EBUSY');
  assert.equal(s.patches[0].files[0].hunks[0].lines.length, 14);
  assertLinesExact(s, text('format-patch.patch'));
});

test('git show output: commit header, Author:, indented message', () => {
  const s = readPatchSeries(bytes('git-show.txt'));
  assert.equal(s.patches.length, 1);
  const m = s.patches[0].meta;
  assert.equal(m.subject, 'demo: tighten error codes in lookup and flush');
  assert.equal(m.author, 'Ada Writer <ada@example.org>');
  assert.match(m.message, /^demo: tighten error codes in lookup and flush\n\nOut-of-range lookups are -ERANGE/);
  assert.deepEqual(s.patches[0].files[0].hunks.map((h) => h.header), ['static int demo_flush(struct demo_page *page, int *errp)', 'out:', 'static int demo_classify(int err)']);
  assertLinesExact(s, text('git-show.txt'));
});

test('git log -p output splits into one patch per commit', () => {
  const s = readPatchSeries(bytes('git-log.txt'));
  assert.deepEqual(s.patches.map((p) => p.meta.subject), ['demo: report a busy page as -EBUSY', 'demo: fall back when a page is busy']);
});

test('a bare diff -u between two folders: top folders stripped, no subject', () => {
  const s = readPatchSeries(bytes('plain.diff'));
  const f = s.patches[0].files[0];
  assert.deepEqual([f.oldPath, f.newPath, f.status], ['mm/demo_map.c', 'mm/demo_map.c', 'modified']);
  assert.equal(s.patches[0].meta.subject, '');
  assert.equal(f.hunks[0].lines.find((l) => l.kind === 'del')!.oldLine, 9);
  assertLinesExact(s, text('plain.diff'));
});

test('rename, deletion, new file without final newline, binary and mode change: read and reported', () => {
  const s = readPatchSeries(bytes('extras.patch'));
  const files = s.patches[0].files;
  assert.deepEqual(files.map((f) => [f.oldPath, f.newPath, f.status]), [
    ['README.demo', 'README.txt', 'renamed'],
    ['fs/demo.c', null, 'deleted'],
    [null, 'fs/new.c', 'added'],
    ['logo.png', 'logo.png', 'binary'],
    ['mm/demo_map.c', 'mm/demo_map.c', 'mode-only'],
  ]);
  const newFile = files[2].hunks[0];
  assert.deepEqual(newFile.lines.map((l) => l.newLine), [1, 2, 3, 4]);
  assert.equal(files[1].hunks[0].lines.length, 66);
  const said = s.warnings.map((w) => w.message).join('\n');
  for (const re of [/README.txt: renamed from README.demo/, /fs\/demo.c: deleted file/, /fs\/new.c: new file/, /logo.png: binary patch/, /mm\/demo_map.c: file mode changed/]) assert.match(said, re);
  assertLinesExact(s, text('extras.patch'));
});

test('CRLF line ends: read as LF, same lines, one warning', () => {
  const crlf = Buffer.from(example().toString('utf8').replace(/\n/g, '\r\n'));
  const s = readPatchSeries(crlf);
  const plain = readPatchSeries(example());
  assert.deepEqual(s.patches, plain.patches);
  assert.equal(s.warnings.length, 1);
  assert.match(s.warnings[0].message, /CRLF/);
});

test('a quoted review reply: quote prefixes stripped consistently, truncated hunks reported', () => {
  const s = readPatchSeries(bytes('quoted-reply.eml'));
  assert.equal(s.patches.length, 1);
  assert.equal(s.patches[0].meta.subject, 'demo: fall back when a page is busy');
  const hunks = s.patches[0].files[0].hunks;
  assert.equal(hunks.length, 2);
  assert.deepEqual(hunks[0].lines.filter((l) => l.kind === 'add').map((l) => [l.text, l.patchLine, l.newLine]), [['\tif (written == -EBUSY)', 23, 51], ['\t\treturn 0;', 24, 52]]);
  assert.equal(hunks[1].lines.length, 6);
  const said = s.warnings.map((w) => w.message);
  assert.ok(said.some((m) => /quoted reply: stripped ">" quote prefixes/.test(m)));
  assert.ok(said.includes('hunk @@ -56,7 +58,7 @@ is truncated or its counts do not match its lines (5/7 old, 5/7 new): read as far as it goes'), said.join('\n'));
});

test('truncated hunks: read as far as they go, never swallowing the next file', () => {
  const s = readPatchSeries(bytes('truncated.patch'));
  const files = s.patches[0].files;
  assert.deepEqual(files.map((f) => f.newPath), ['fs/demo.c', 'mm/demo_map.c']);
  assert.equal(files[0].hunks[0].lines.length, 11);
  assert.deepEqual(files[1].hunks[0].lines.map((l) => l.kind), ['del', 'add']);
  assert.equal(s.warnings.filter((w) => /truncated/.test(w.message)).length, 2);
  assert.equal(s.warnings[0].patchLine, 21);
});

test('no newline at end of file markers are not hunk lines', () => {
  const d = 'diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,2 @@\n int a;\n-int b = -EIO;\n\\ No newline at end of file\n+int b = -EBUSY;\n\\ No newline at end of file\n';
  const s = readPatchSeries(Buffer.from(d));
  const h = s.patches[0].files[0].hunks[0];
  assert.deepEqual(h.lines.map((l) => [l.kind, l.patchLine]), [['context', 5], ['del', 6], ['add', 8]]);
  assert.deepEqual(s.warnings, []);
});

test('non-UTF-8 bytes: decoded as latin1 with a warning naming the line', () => {
  const doc = Buffer.concat([Buffer.from('Subject line by J'), Buffer.from([0xf6]), Buffer.from('rg\n\n'), example().subarray(example().indexOf('diff --git'))]);
  const s = readPatchSeries(doc);
  assert.equal(s.patches[0].meta.subject, 'Subject line by J\u00f6rg');
  assert.ok(s.warnings.some((w) => /not valid UTF-8/.test(w.message) && w.patchLine === 1));
  assert.equal(s.patches[0].files[0].hunks.length, 2);
});

test('input without any diff throws NoPatchError, and only that', () => {
  for (const input of [Buffer.alloc(0), Buffer.from('\n\n'), bytes('not-a-patch.txt'), Buffer.from([0, 1, 2, 255, 254])]) {
    assert.throws(() => readPatchSeries(input), NoPatchError);
  }
});

test('a hunk without a file header is skipped with a warning', () => {
  const doc = '@@ -1,1 +1,1 @@\n-a\n+b\n' + example().toString('utf8');
  const s = readPatchSeries(Buffer.from(doc));
  assert.ok(s.warnings.some((w) => w.patchLine === 1 && /without a file header/.test(w.message)));
  assert.equal(s.patches[0].files.length, 1);
});
