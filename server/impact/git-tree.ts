// The pre-image read from git's objects at a patch's `base-commit:`, so a review matches the tree
// the patch was written against even when the work tree has moved on. Reads through
// `git cat-file` only (never checkout, never the index): the user's work tree is not touched.
import { spawnSync } from 'node:child_process';
import { WorkTree, decodeText, type TextCache, type TreeSource } from '../tree';
import type { Warning } from '../model';

function git(root: string, args: string[], input?: string): { ok: boolean; out: Buffer } {
  const r = spawnSync('git', ['-C', root, ...args], { input, maxBuffer: 256 * 1024 * 1024, encoding: 'buffer' });
  return { ok: r.status === 0 && !r.error, out: r.stdout ?? Buffer.alloc(0) };
}

/** The files of a tree as they were at one commit, read from git objects. */
export class GitTree implements TreeSource {
  readonly description: string;
  private cache = new Map<string, string | undefined>();

  /**
   * @param root the tree's root (absolute); it may be a sub-folder of the git work tree.
   * @param commit the full object name of the commit.
   * @param prefix the root's path inside the repository ("" or "sub/dir/").
   */
  constructor(readonly root: string, readonly commit: string, private prefix: string) {
    this.description = `git object ${commit.slice(0, 12)}`;
  }

  read(file: string): string | undefined {
    if (!this.cache.has(file)) {
      const clean = file.replace(/^\.?\/+/, '');
      if (clean.split('/').includes('..')) return undefined;
      const r = git(this.root, ['cat-file', 'blob', `${this.commit}:${this.prefix}${clean}`]);
      this.cache.set(file, r.ok ? decodeText(r.out) : undefined);
    }
    return this.cache.get(file);
  }
}

/**
 * The pre-image source for a review: git objects at `baseCommit` when the tree is in a git
 * repository that has that commit, else the work tree. Says which in `warnings` (as a note).
 */
export function openBaseTree(root: string, baseCommit: string | undefined, warnings: Warning[], texts?: TextCache): TreeSource {
  if (!baseCommit) return new WorkTree(root, texts);
  if (!/^[0-9a-fA-F]{4,40}$/.test(baseCommit)) {
    warnings.push({ message: `base-commit "${baseCommit}" is not a commit id: the work tree is read as the pre-image` });
    return new WorkTree(root, texts);
  }
  const inside = git(root, ['rev-parse', '--is-inside-work-tree']);
  if (!inside.ok || inside.out.toString().trim() !== 'true') {
    warnings.push({ message: `base-commit ${baseCommit.slice(0, 12)} named, but the tree is not a git work tree: the work tree is read as the pre-image` });
    return new WorkTree(root, texts);
  }
  const commit = git(root, ['rev-parse', '--verify', '--quiet', `${baseCommit}^{commit}`]);
  if (!commit.ok) {
    warnings.push({ message: `base-commit ${baseCommit.slice(0, 12)} is not in the tree's repository: the work tree is read as the pre-image` });
    return new WorkTree(root, texts);
  }
  const prefix = git(root, ['rev-parse', '--show-prefix']).out.toString().trim();
  const tree = new GitTree(root, commit.out.toString().trim(), prefix);
  warnings.push({ message: `pre-image read from git objects at base-commit ${tree.commit.slice(0, 12)} (the work tree is not used for it)` });
  return tree;
}
