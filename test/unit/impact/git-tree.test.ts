import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitTree, openBaseTree } from '../../../server/impact/git-tree';
import type { Warning } from '../../../server/model';

function repo(): { dir: string; commit: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'kpl-git-'));
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { encoding: 'utf8' }).trim();
  git('init', '-q');
  mkdirSync(join(dir, 'sub/mm'), { recursive: true });
  writeFileSync(join(dir, 'sub/mm/a.c'), 'int f(void) { return -EIO; }\n');
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  const commit = git('rev-parse', 'HEAD');
  writeFileSync(join(dir, 'sub/mm/a.c'), 'int f(void) { return -EBUSY; }\n'); // the work tree moved on
  return { dir, commit, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('reads the pre-image at the base commit from git objects, not the work tree, and writes nothing', () => {
  const r = repo();
  try {
    const warnings: Warning[] = [];
    const tree = openBaseTree(join(r.dir, 'sub'), r.commit.slice(0, 10), warnings);
    assert.ok(tree instanceof GitTree);
    assert.equal(tree.read('mm/a.c'), 'int f(void) { return -EIO; }\n');
    assert.equal(tree.read('mm/none.c'), undefined);
    assert.equal(tree.read('../sub/mm/a.c'), undefined);
    assert.match(tree.description, /^git object [0-9a-f]{12}$/);
    assert.match(warnings[0].message, /pre-image read from git objects at base-commit/);
    assert.equal(readFileSync(join(r.dir, 'sub/mm/a.c'), 'utf8'), 'int f(void) { return -EBUSY; }\n');
    assert.equal(execFileSync('git', ['-C', r.dir, 'status', '--porcelain'], { encoding: 'utf8' }).trim(), 'M sub/mm/a.c');
  } finally { r.cleanup(); }
});

test('falls back to the work tree, and says why: no base commit, unknown commit, not a repository, bad id', () => {
  const r = repo();
  const plain = mkdtempSync(join(tmpdir(), 'kpl-plain-'));
  try {
    const w1: Warning[] = [];
    assert.equal(openBaseTree(r.dir, undefined, w1).description, 'work tree');
    assert.equal(w1.length, 0);
    const w2: Warning[] = [];
    assert.equal(openBaseTree(r.dir, 'deadbeefdeadbeef', w2).description, 'work tree');
    assert.match(w2[0].message, /not in the tree's repository/);
    const w3: Warning[] = [];
    assert.equal(openBaseTree(plain, r.commit, w3).description, 'work tree');
    assert.match(w3[0].message, /not a git work tree/);
    const w4: Warning[] = [];
    assert.equal(openBaseTree(r.dir, 'HEAD; rm -rf /', w4).description, 'work tree');
    assert.match(w4[0].message, /not a commit id/);
  } finally { r.cleanup(); rmSync(plain, { recursive: true, force: true }); }
});
