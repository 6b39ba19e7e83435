// The review's wiring to the impact analysis: the pre-image read from git objects at the patch's
// base-commit, each patch of a series judged on its own trees, and the overrides file. The trees
// and patches are written here (our own small C), the patches made by git itself.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { review } from '../../../server/review';
import { run as runReview } from '../../../server/commands/review';

const scratch = mkdtempSync(join(tmpdir(), 'kpl-wiring-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
const cacheDir = () => join(scratch, `cache-${n++}`);

function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', ['-C', dir, '-c', 'user.name=Ada Writer', '-c', 'user.email=ada@example.org', '-c', 'commit.gpgsign=false', ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function write(dir: string, file: string, text: string): void {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), text);
}

/** A one-patch mail around a diff, with an optional base-commit trailer. */
function mail(subject: string, diff: string, base?: string): string {
  return `From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\nFrom: Ada Writer <ada@example.org>\nDate: Fri, 4 Dec 2026 16:05:23 +0000\nSubject: [PATCH] ${subject}\n\nWhy it changes.\n\nSigned-off-by: Ada Writer <ada@example.org>\n---\n${diff}${base ? `\nbase-commit: ${base}\n` : ''}-- \n2.39.5\n\n`;
}

/** The diff git makes between `before` and `after` of one file (the tree is left with `before`). */
function diffOf(dir: string, file: string, before: string, afterText: string): string {
  git(dir, 'init', '-q');
  write(dir, file, before);
  git(dir, 'add', '--', file);
  write(dir, file, afterText);
  const d = git(dir, 'diff', '--', file);
  write(dir, file, before);
  return d;
}

const DEMO = (code: string, extra = '') => `/* demo block driver */
#include <linux/errno.h>

static int demo_ready;

int demo_get(int id)
{
\tif (!demo_ready)
\t\treturn ${code};
\treturn 0;
}
${extra}
int demo_read(int id)
{
\tint err = demo_get(id);

\tif (err)
\t\treturn err;
\treturn 0;
}
`;

test('base-commit: the pre-image comes from git objects, not the work tree changed since', async () => {
  const dir = join(scratch, 'base');
  mkdirSync(dir);
  git(dir, 'init', '-q');
  write(dir, 'drivers/demo.c', DEMO('-EIO'));
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'demo');
  const sha = git(dir, 'rev-parse', 'HEAD').trim();
  const diff = diffOf(dir, 'drivers/demo.c', DEMO('-EIO'), DEMO('-EBUSY'));
  // The work tree moves on after the commit: the patch's old line is no longer there.
  write(dir, 'drivers/demo.c', DEMO('-ENOENT'));
  const input = Buffer.from(mail('demo: say busy', diff, sha));

  const r = await review({ input, tree: dir, depth: 1, cacheDir: cacheDir() });
  assert.ok(r.warnings.some((w) => /pre-image read from git objects at base-commit/.test(w.message)), JSON.stringify(r.warnings));
  assert.ok(!r.warnings.some((w) => /does not apply|failed/i.test(w.message)), JSON.stringify(r.warnings));
  assert.deepEqual(r.changes.map((c) => [c.function, c.old, c.new, c.line]), [['demo_get', ['-EIO'], ['-EBUSY'], 9]]);
  const get = r.impacts.find((i) => i.function === 'demo_get');
  assert.deepEqual([get?.returnsBefore, get?.returnsAfter], [['0', '-EIO'], ['0', '-EBUSY']], 'read at the commit, not the work tree (-ENOENT)');
  assert.equal(readFileSync(join(dir, 'drivers/demo.c'), 'utf8'), DEMO('-ENOENT'), 'the work tree is not written');

  // A base-commit the repository does not have: the work tree, said in a warning.
  const other = await review({ input: Buffer.from(mail('demo: say busy', diff, '1234567890abcdef1234567890abcdef12345678')), tree: dir, depth: 1, cacheDir: cacheDir() });
  assert.ok(other.warnings.some((w) => /not in the tree's repository: the work tree is read/.test(w.message)));
});

test('a series: patch 2 changes a function patch 1 added, judged on patch 1\'s post-image', async () => {
  const dir = join(scratch, 'series');
  write(dir, 'drivers/demo.c', DEMO('-EIO'));
  const added = (code: string) => `\nint demo_check(int id)\n{\n\tif (id < 0)\n\t\treturn ${code};\n\treturn 0;\n}\n`;
  // Patch 1 against the tree; patch 2 against patch 1's result.
  const p1 = diffOf(dir, 'drivers/demo.c', DEMO('-EIO'), DEMO('-EIO', added('-EINVAL')));
  write(dir, 'drivers/demo.c', DEMO('-EIO', added('-EINVAL')));
  const p2 = diffOf(dir, 'drivers/demo.c', DEMO('-EIO', added('-EINVAL')), DEMO('-EIO', added('-ERANGE')));
  write(dir, 'drivers/demo.c', DEMO('-EIO'));
  const input = Buffer.from(mail('demo: add a check', p1) + mail('demo: out of range', p2));

  const r = await review({ input, tree: dir, depth: 1, cacheDir: cacheDir() });
  const ofPatch2 = r.changes.filter((c) => c.patch === 1).map((c) => [c.function, c.old, c.new]);
  assert.deepEqual(ofPatch2, [['demo_check', ['-EINVAL'], ['-ERANGE']]]);
  const checks = r.impacts.filter((i) => i.function === 'demo_check').map((i) => [i.returnsBefore, i.returnsAfter]);
  assert.deepEqual(checks, [[[], ['0', '-EINVAL']], [['0', '-EINVAL'], ['0', '-ERANGE']]], 'patch 1 adds it; patch 2 changes what it returns');
  assert.ok(!r.warnings.some((w) => /demo_check is not found/.test(w.message)));
});

test('overrides: a callee\'s return set from the file given, or from .kpl-overrides.json in the tree', async () => {
  const dir = join(scratch, 'overrides');
  const SRC = (code: string) => `/* demo */
static int demo_inner(int id)
{
\tif (id > 4)
\t\treturn -ENOMEM;
\treturn 0;
}

int demo_open(int id)
{
\tif (id < 0)
\t\treturn ${code};
\treturn demo_inner(id);
}
`;
  write(dir, 'lib/demo.c', SRC('-EIO'));
  const input = Buffer.from(mail('demo: busy', diffOf(dir, 'lib/demo.c', SRC('-EIO'), SRC('-EBUSY'))));
  const setsOf = (r: Awaited<ReturnType<typeof review>>) => r.impacts.filter((i) => i.function === 'demo_open').map((i) => [i.returnsBefore, i.returnsAfter]);

  const plain = await review({ input, tree: dir, depth: 1, cacheDir: cacheDir() });
  assert.deepEqual(setsOf(plain), [[['0', '-EIO', '-ENOMEM'], ['0', '-EBUSY', '-ENOMEM']]]);

  const file = join(scratch, 'my-overrides.json');
  writeFileSync(file, JSON.stringify({ demo_inner: ['0', '-ENOSPC'] }));
  const given = await review({ input, tree: dir, depth: 1, cacheDir: cacheDir(), overridesFile: file });
  assert.deepEqual(setsOf(given), [[['0', '-EIO', '-ENOSPC'], ['0', '-EBUSY', '-ENOSPC']]]);
  assert.equal(given.warnings.filter((w) => /taken from/.test(w.message)).length, 1, 'read once per review');

  write(dir, '.kpl-overrides.json', JSON.stringify({ demo_inner: ['0', '-EROFS'] }));
  const inTree = await review({ input, tree: dir, depth: 1, cacheDir: cacheDir() });
  assert.deepEqual(setsOf(inTree), [[['0', '-EIO', '-EROFS'], ['0', '-EBUSY', '-EROFS']]]);
  const fileWins = await review({ input, tree: dir, depth: 1, cacheDir: cacheDir(), overridesFile: file });
  assert.deepEqual(setsOf(fileWins), [[['0', '-EIO', '-ENOSPC'], ['0', '-EBUSY', '-ENOSPC']]]);
  rmSync(join(dir, '.kpl-overrides.json'));

  // The CLI: --overrides FILE; a missing file is a usage error.
  const patchFile = join(scratch, 'busy.patch');
  writeFileSync(patchFile, input);
  const out: string[] = [];
  const write0 = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => { out.push(String(s)); return true; }) as typeof process.stdout.write;
  try {
    await runReview([patchFile, '--tree', dir, '--format', 'json', '--depth', '1', '--cache', cacheDir(), '--overrides', file]);
  } finally {
    process.stdout.write = write0;
  }
  assert.match(out.join(''), /-ENOSPC/);
  await assert.rejects(runReview([patchFile, '--tree', dir, '--overrides', join(scratch, 'missing.json')]), /--overrides is not a file/);
});
