// Property tests: the reader never throws on any bytes except NoPatchError (and what comes after
// it - errno detection, in-memory apply - never throws either), and a generated well-formed diff
// round-trips every line's patch-document, old and new line numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PatchedTree } from '../../../server/patch/apply';
import { findErrnoChanges } from '../../../server/patch/errno';
import { NoPatchError, readPatchSeries } from '../../../server/patch/reader';
import type { TreeSource } from '../../../server/tree';

const emptyTree: TreeSource = { root: '/none', description: 'empty', read: (f) => (f.endsWith('.c') ? 'int a;\nint b;\n' : undefined) };

/** Reads, finds changes and applies; only NoPatchError may escape. */
function survive(bytes: Uint8Array): void {
  try {
    const s = readPatchSeries(bytes);
    findErrnoChanges(s);
    for (const p of s.patches) new PatchedTree(emptyTree, p.files);
  } catch (e) {
    if (!(e instanceof NoPatchError)) throw e;
  }
}

test('arbitrary bytes: only NoPatchError is ever thrown', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (b) => survive(b)), { numRuns: 300 });
});

const FRAGMENTS = [
  'diff --git a/x.c b/x.c', 'diff --git a/x.c', '--- a/x.c', '+++ b/x.c', '--- /dev/null', '+++ /dev/null', '@@ -1,3 +1,3 @@',
  '@@ -0,0 +1 @@ f(void)', '@@ -5 +5,0 @@', '@@ -999999999999,1 +1,99999999999 @@', ' \treturn -EIO;', '-\treturn -EIO;',
  '+\treturn -EBUSY;', '-\tret = -EIO;', '+\tif (err == -EBUSY)', '+\tcase -ENOSPC:', ' * Returns -EIO', '-', '+', ' ', '',
  '\\ No newline at end of file', 'From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001', 'Subject: [PATCH 1/2] x',
  'commit 0123456789abcdef0123456789abcdef01234567', 'Author: A <a@b>', '    message', '> diff --git a/y.c b/y.c', '> @@ -1 +1 @@',
  '>-a', '>+b', 'rename from x.c', 'rename to y.c', 'new file mode 100644', 'deleted file mode 100644', 'GIT binary patch',
  'literal 5', 'Binary files a/x and b/x differ', 'old mode 100644', 'new mode 100755', 'base-commit: abcdef0', 'Index: x.c',
  '===================================================================', 'diff -u x.c.orig x.c', 'int f(int a)', '}', '---', '-- ',
  '=?UTF-8?q?J=C3=B6rg?=', '=?x?b?####?=', 'static int g(void) /* c', '\r',
];

test('patch-like line soup (with CRLF and odd bytes): only NoPatchError is ever thrown', () => {
  const line = fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 20 }));
  const doc = fc.tuple(fc.array(line, { maxLength: 60 }), fc.constantFrom('\n', '\r\n'), fc.uint8Array({ maxLength: 3 }))
    .map(([lines, eol, junk]) => Buffer.concat([Buffer.from(lines.join(eol)), Buffer.from(junk)]));
  fc.assert(fc.property(doc, (b) => survive(b)), { numRuns: 1500 });
});

interface GenHunk { gap: number; lines: ['context' | 'add' | 'del', string][] }

/** A hunk body with at least one line; text never starts a header by accident. */
const hunkArb: fc.Arbitrary<GenHunk> = fc.record({
  gap: fc.integer({ min: 0, max: 50 }),
  lines: fc.array(fc.tuple(fc.constantFrom('context', 'add', 'del') as fc.Arbitrary<'context' | 'add' | 'del'>, fc.stringMatching(/^[a-z0-9 ();=-]{0,12}$/)), { minLength: 1, maxLength: 12 }),
});

test('a generated well-formed diff round-trips its line numbers', () => {
  const arb = fc.record({
    preamble: fc.array(fc.stringMatching(/^[A-Za-z][a-z ]{0,20}$/), { maxLength: 4 }),
    files: fc.array(fc.array(hunkArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
  });
  fc.assert(fc.property(arb, ({ preamble, files }) => {
    const out: string[] = [...preamble, ...(preamble.length ? [''] : [])];
    const expected: { patchLine: number; kind: string; text: string; oldLine?: number; newLine?: number }[] = [];
    files.forEach((hunks, f) => {
      out.push(`diff --git a/f${f}.c b/f${f}.c`, `--- a/f${f}.c`, `+++ b/f${f}.c`);
      let oldLine = 1;
      let newLine = 1;
      for (const h of hunks) {
        oldLine += h.gap;
        newLine += h.gap;
        const oldCount = h.lines.filter(([k]) => k !== 'add').length;
        const newCount = h.lines.filter(([k]) => k !== 'del').length;
        out.push(`@@ -${oldCount ? oldLine : oldLine - 1},${oldCount} +${newCount ? newLine : newLine - 1},${newCount} @@`);
        for (const [kind, text] of h.lines) {
          out.push((kind === 'add' ? '+' : kind === 'del' ? '-' : ' ') + text);
          const e: (typeof expected)[number] = { patchLine: out.length, kind, text };
          if (kind !== 'add') e.oldLine = oldLine++;
          if (kind !== 'del') e.newLine = newLine++;
          expected.push(e);
        }
      }
    });
    const s = readPatchSeries(Buffer.from(out.join('\n') + '\n'));
    const got = s.patches.flatMap((p) => p.files.flatMap((f) => f.hunks.flatMap((h) => h.lines)))
      .map((l) => { const e: (typeof expected)[number] = { patchLine: l.patchLine, kind: l.kind, text: l.text }; if (l.oldLine !== undefined) e.oldLine = l.oldLine; if (l.newLine !== undefined) e.newLine = l.newLine; return e; });
    assert.deepEqual(got, expected);
    assert.deepEqual(s.warnings, []);
  }), { numRuns: 300 });
});
