// Self-checks of the embedded example: both patches apply to the tree (GNU patch and git apply,
// on a scratch copy), the shared patch is a byte-exact copy, every file parses as C once kernel
// annotations are masked, and the file:line anchors examples/README.md quotes as the expected
// answer still hold. Run: node scripts/run-tests.mjs test/unit/examples
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { maskKernelMacros } from '../../../server/index/extract-mask';
import { createCParser, type SyntaxNode } from '../../../server/index/parser';

const HERE = join(__dirname, '..', '..', '..', 'examples');
const TREE = join(HERE, 'tree');
const PATCHES = join(HERE, 'patches');
// The shared folder sits beside the repository (as in CI); the copy in examples/ must match it.
const SHARED = join(HERE, '..', '..', 'shared', 'patches', 'vfs-dio-eio-ebusy.patch');

function has(tool: string): boolean {
  return spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Runs `cmd` in a scratch copy of the tree, which is removed afterwards. */
function inScratchCopy<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'kpl-example-'));
  try {
    cpSync(TREE, dir, { recursive: true });
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function* cFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* cFiles(p);
    else if (/\.[ch]$/.test(name)) yield p;
  }
}

test('the shared patch is copied byte for byte', { skip: !existsSync(SHARED) && 'no ../shared here' }, () => {
  assert.ok(readFileSync(join(PATCHES, 'vfs-dio-eio-ebusy.patch')).equals(readFileSync(SHARED)));
});

test('both patches apply to the tree with GNU patch, at the lines they name', { skip: !has('patch') && 'GNU patch not installed' }, () => {
  for (const name of ['vfs-dio-eio-ebusy.patch', 'vfs-dio-eio-ebusy-complete.patch']) {
    let input = readFileSync(join(PATCHES, name));
    // The real patch ends without a newline after its last context line; GNU patch then drops
    // that line and reports fuzz. Completing the line shows the hunks match exactly.
    if (input[input.length - 1] !== 0x0a) input = Buffer.concat([input, Buffer.from('\n')]);
    const r = inScratchCopy((dir) => spawnSync('patch', ['-p1', '--dry-run', '-d', dir], { input, encoding: 'utf8' }));
    assert.equal(r.status, 0, `${name}: ${r.stdout}${r.stderr}`);
    assert.doesNotMatch(r.stdout, /offset|fuzz|FAILED|Reversed/, `${name} should apply exactly:\n${r.stdout}`);
  }
});

test('the complete fix applies with git apply and changes what it says', { skip: !has('git') && 'git not installed' }, () => {
  const patch = join(PATCHES, 'vfs-dio-eio-ebusy-complete.patch');
  inScratchCopy((dir) => {
    const check = spawnSync('git', ['apply', '--check', patch], { cwd: dir, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    const stat = spawnSync('git', ['apply', '--numstat', patch], { cwd: dir, encoding: 'utf8' });
    assert.deepEqual(stat.stdout.trim().split('\n'), ['9\t1\tmm/filemap.c', '2\t2\tmm/truncate.c']);
    assert.equal(spawnSync('git', ['apply', patch], { cwd: dir }).status, 0);
    const filemap = readFileSync(join(dir, 'mm/filemap.c'), 'utf8').split('\n');
    assert.equal(filemap[252 - 1].trim(), 'if (written == -EBUSY)');
    assert.equal(filemap[253 - 1].trim(), 'return 0;');
    const truncate = readFileSync(join(dir, 'mm/truncate.c'), 'utf8').split('\n');
    assert.equal(truncate[443 - 1].trim(), 'ret2 = -EBUSY;');
  });
  // The user's copy is untouched.
  assert.match(readFileSync(join(TREE, 'mm/truncate.c'), 'utf8'), /\tret2 = -EIO;/);
});

/** 1-based lines of the ERROR and MISSING nodes under `root`. */
function parseErrors(root: SyntaxNode | undefined): number[] {
  const errors: number[] = [];
  const visit = (n: SyntaxNode) => {
    if (n.type === 'ERROR' || n.isMissing) errors.push(n.startPosition.row + 1);
    else if (n.hasError) for (const c of n.children) if (c) visit(c);
  };
  if (root) visit(root);
  return errors;
}

test('every .c and .h parses as C once kernel annotations are masked', async () => {
  const parser = await createCParser();
  const broken: string[] = [];
  let files = 0;
  for (const file of cFiles(TREE)) {
    files++;
    const text = readFileSync(file, 'utf8');
    // Masking blanks `__user` in its own `#define` too (compiler.h), so a file passes when
    // either the masked or the raw text parses cleanly.
    const errors = parseErrors(parser.parse(maskKernelMacros(text).text)?.rootNode);
    if (errors.length && parseErrors(parser.parse(text)?.rootNode).length)
      broken.push(`${relative(TREE, file)}: lines ${errors.slice(0, 5).join(', ')}`);
  }
  assert.ok(files >= 40, `only ${files} C files`);
  assert.deepEqual(broken, []);
});

/** The places examples/README.md quotes, with a word each line must hold. */
const ANCHORS: [string, number, string][] = [
  ['mm/truncate.c', 383, ' * Returns -EIO if any pages could not be invalidated.'],
  ['mm/truncate.c', 385, 'int invalidate_inode_pages2_range('],
  ['mm/truncate.c', 405, 'lock_page(page);'],
  ['mm/truncate.c', 418, 'wait_on_page_writeback(page);'],
  ['mm/truncate.c', 440, 'ret2 = do_launder_page(mapping, page);'],
  ['mm/truncate.c', 442, 'if (!invalidate_complete_page2(mapping, page))'],
  ['mm/truncate.c', 443, 'ret2 = -EIO;'],
  ['mm/truncate.c', 327, 'try_to_release_page(page, GFP_KERNEL)'],
  ['mm/truncate.c', 463, 'Returns -EIO'],
  ['mm/truncate.c', 467, 'return invalidate_inode_pages2_range(mapping, 0, -1);'],
  ['mm/filemap.c', 114, 'mapping->a_ops->releasepage(page, gfp_mask)'],
  ['mm/filemap.c', 244, 'written = invalidate_inode_pages2_range(mapping,'],
  ['mm/filemap.c', 259, 'invalidate_inode_pages2_range(mapping,'],
  ['mm/filemap.c', 360, 'written = generic_file_direct_write('],
  ['mm/filemap.c', 422, 'ret = __generic_file_aio_write_nolock('],
  ['mm/page-writeback.c', 83, 'lock_page(page);'],
  ['mm/page-writeback.c', 105, 'mapping->a_ops->writepage(page, wbc)'],
  ['fs/read_write.c', 74, 'filp->f_op->aio_read('],
  ['fs/read_write.c', 102, 'file->f_op->read('],
  ['fs/read_write.c', 104, 'ret = do_sync_read('],
  ['fs/read_write.c', 128, 'filp->f_op->aio_write('],
  ['fs/read_write.c', 156, 'file->f_op->write('],
  ['fs/read_write.c', 158, 'ret = do_sync_write('],
  ['fs/read_write.c', 186, 'ret = vfs_read('],
  ['fs/read_write.c', 204, 'ret = vfs_write('],
  ['fs/read_write.c', 230, 'ret = vfs_write('],
  ['fs/buffer.c', 109, 'end_page_writeback(page);'],
  ['fs/buffer.c', 155, 'set_page_writeback(page);'],
  ['fs/buffer.c', 156, 'unlock_page(page);'],
  ['fs/buffer.c', 162, 'submit_bh(WRITE, bh);'],
  ['fs/buffer.c', 276, 'if (buffer_busy(bh))'],
  ['fs/jbd/transaction.c', 87, 'ret = try_to_free_buffers(page);'],
  ['fs/jbd/transaction.c', 98, 'ret = try_to_free_buffers(page);'],
  ['fs/ext3/inode.c', 171, 'bget_one);'],
  ['fs/ext3/inode.c', 173, 'ret = block_write_full_page(page, ext3_get_block, wbc);'],
  ['fs/ext3/inode.c', 192, 'bput_one);'],
  ['fs/nfs/dir.c', 42, 'if (invalidate_inode_pages2_range('],
  ['fs/nfs/direct.c', 52, 'invalidate_inode_pages2(mapping);'],
  ['fs/nfs/inode.c', 38, 'int ret = invalidate_inode_pages2(mapping);'],
  ['fs/nfs/inode.c', 61, 'ret = nfs_invalidate_mapping_nolock('],
  ['fs/nfs/inode.c', 88, 'ret = nfs_invalidate_mapping('],
  ['fs/nfs/file.c', 28, 'result = nfs_revalidate_mapping('],
  ['fs/nfs/file.c', 40, 'status = nfs_revalidate_mapping('],
  ['fs/9p/vfs_file.c', 86, 'invalidate_inode_pages2_range(inode->i_mapping,'],
];

test('the file:line places the README quotes still hold what it says', () => {
  const readme = readFileSync(join(HERE, 'README.md'), 'utf8');
  const wrong: string[] = [];
  for (const [file, line, text] of ANCHORS) {
    const got = readFileSync(join(TREE, file), 'utf8').split('\n')[line - 1] ?? '';
    if (!got.includes(text)) wrong.push(`${file}:${line} should hold "${text}", holds "${got.trim()}"`);
  }
  assert.deepEqual(wrong, []);
  // Every tree place the README's caller tables name is one of the anchors above.
  const anchored = new Set(ANCHORS.map(([f, l]) => `${f}:${l}`));
  const quoted = [...readme.matchAll(/\b((?:mm|fs)\/[\w/.-]+\.c):(\d+)/g)].map((m) => `${m[1]}:${m[2]}`);
  assert.ok(quoted.length > 20);
  assert.deepEqual(quoted.filter((q) => !anchored.has(q)), []);
});
