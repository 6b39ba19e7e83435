// The project index as a CallGraph: lazy answers (word scan + parse only what mentions the
// name) equal the answers of a full index, for every scanner available here; indirect calls
// through an ops field carry `via`; calls of a wrapping macro count as calls of what it wraps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { CallSite } from '../../../server/model';
import { indexTree, openCallGraph } from '../../../server/index/project';
import { createWordScanner, hasWord, type ScannerName } from '../../../server/index/word-scan';
import { makeTree } from './tree-fixture';

const NAMES = ['invalidate_inode_pages2_range', 'invalidate_inode_pages2', 'ext3_releasepage', 'ext3_writepage', '__invalidate_range', 'try_to_release_page', 'invalidate_range_quick', 'no_such_function'];

function brief(sites: CallSite[]): string[] {
  return sites.map((c) => `${c.file}:${c.line} ${c.caller} ${c.callee} ${c.use}${c.via ? ` via ${c.via}` : ''}${c.macro ? ` macro ${c.macro}` : ''}`);
}

const scanners: ScannerName[] = ['node'];
if (spawnSync('rg', ['--version']).status === 0) scanners.push('rg');

test('lazy callers equal full-index callers, for every scanner', async (t) => {
  const fx = makeTree();
  t.after(fx.cleanup);
  const full = await indexTree(fx.root, { cacheDir: `${fx.cache}-full`, workers: 1 });
  for (const scanner of scanners) {
    const lazy = await openCallGraph(fx.root, { cacheDir: `${fx.cache}-${scanner}`, workers: 1, scanner });
    assert.equal(lazy.scannerName, scanner);
    for (const name of NAMES) {
      assert.deepEqual(await lazy.callers(name), await full.graph.callers(name), `callers(${name}) with ${scanner}`);
      assert.deepEqual(await lazy.definitions(name), await full.graph.definitions(name), `definitions(${name}) with ${scanner}`);
      assert.deepEqual(await lazy.bindings(name), await full.graph.bindings(name), `bindings(${name}) with ${scanner}`);
    }
    await lazy.close();
    // Lazy means lazy: one question parses only the files that mention its names.
    const one = await openCallGraph(fx.root, { cacheDir: `${fx.cache}-one-${scanner}`, workers: 1, scanner });
    await one.callers('ext3_writepage');
    assert.equal(one.fileCount, 2, 'fs/ext3/inode.c for the binding, include/linux/fs.h for the ->writepage field');
    await one.close();
  }
  await full.graph.close();
});

test('callers: direct uses, indirect through .releasepage, through a wrapping macro', async (t) => {
  const fx = makeTree();
  t.after(fx.cleanup);
  const graph = await openCallGraph(fx.root, { cacheDir: fx.cache, workers: 1 });
  t.after(() => graph.close());
  assert.deepEqual(brief(await graph.callers('invalidate_inode_pages2_range')), [
    'fs/nfs/dir.c:6 nfs_revalidate_mapping_range invalidate_inode_pages2_range compared',
    'fs/nfs/dir.c:14 nfs_zap invalidate_inode_pages2_range ignored',
    'mm/filemap.c:14 generic_file_direct_write invalidate_inode_pages2_range propagated',
    'mm/truncate.c:15 invalidate_inode_pages2 invalidate_inode_pages2_range propagated',
  ]);
  // Bound to .releasepage in ext3's aops: the call through mapping->a_ops->releasepage counts.
  const rel = await graph.callers('ext3_releasepage');
  assert.deepEqual(brief(rel), ['mm/filemap.c:7 try_to_release_page ext3_releasepage propagated via .releasepage']);
  assert.deepEqual((await graph.bindings('ext3_releasepage')).map((b) => [b.field, b.file, b.owner]), [['.releasepage', 'fs/ext3/inode.c', 'ext3_ordered_aops']]);
  // ext3_writepage is bound too, but nothing calls ->writepage.
  assert.deepEqual(await graph.callers('ext3_writepage'), []);
  // `#define invalidate_range_quick(m) __invalidate_range(m, 1)`: its callers are __invalidate_range's.
  const wrapped = brief(await graph.callers('__invalidate_range'));
  assert.ok(wrapped.some((w) => w.startsWith('mm/filemap.c:17 generic_file_direct_write __invalidate_range ') && w.endsWith(' macro invalidate_range_quick')), wrapped.join('\n'));
  assert.ok(wrapped.some((w) => w.startsWith('mm/invalidate.c:11 shrink_mapping __invalidate_range ')), wrapped.join('\n'));
  // Files that are not .c/.h, or inside dot-folders, are not part of the tree.
  assert.ok(!(await graph.callers('invalidate_inode_pages2_range')).some((c) => /Documentation|\.git-like/.test(c.file)));
  assert.deepEqual((await graph.definitions('invalidate_inode_pages2_range')).map((d) => [d.file, d.line, d.exported]), [['mm/truncate.c', 4, true]]);
});

test('reindexFile updates a complete index; file() answers for one file', async (t) => {
  const fx = makeTree(false);
  t.after(fx.cleanup);
  const { graph } = await indexTree(fx.root, { cacheDir: fx.cache, workers: 1 });
  t.after(() => graph.close());
  assert.equal(graph.complete, true);
  assert.equal((await graph.callers('invalidate_inode_pages2')).length, 1);
  fx.write('fs/nfs/dir.c', 'int nfs_flush(struct address_space *m)\n{\n\treturn invalidate_inode_pages2(m) ? -EIO : 0;\n}\n');
  const idx = await graph.reindexFile('fs/nfs/dir.c');
  assert.deepEqual(idx?.functions.map((f) => f.name), ['nfs_flush']);
  assert.deepEqual((await graph.callers('invalidate_inode_pages2')).map((c) => `${c.file}:${c.line} ${c.caller}`), [
    'drivers/broken/broken.c:9 still_fine',
    'fs/nfs/dir.c:3 nfs_flush',
  ]);
  assert.equal((await graph.callers('invalidate_inode_pages2_range')).filter((c) => c.file === 'fs/nfs/dir.c').length, 0);
  // Text from an editor, not yet saved.
  await graph.reindexFile('fs/nfs/dir.c', 'void nfs_nop(void) { invalidate_inode_pages2(0); }\n');
  assert.deepEqual(brief(await graph.callers('invalidate_inode_pages2')).filter((l) => l.startsWith('fs/nfs')), ['fs/nfs/dir.c:1 nfs_nop invalidate_inode_pages2 ignored']);
  assert.equal((await graph.file('mm/truncate.c'))?.functions.length, 2);
  // Answers are kept between questions, but a caller's changes to one do not reach the next.
  const kept = await graph.callers('invalidate_inode_pages2');
  kept.length = 0;
  assert.equal((await graph.callers('invalidate_inode_pages2')).length, 2);
  assert.equal(await graph.file('mm/truncate.c'), await graph.file('mm/truncate.c'), 'a file is decoded once per entry');
  assert.equal(await graph.file('../outside.c'), undefined);
  assert.equal(await graph.file('mm/none.c'), undefined);
});

test('word scan: whole words only, same file set for every scanner', async (t) => {
  assert.equal(hasWord(Buffer.from('x = foo_bar(1); foo2(); (foo)'), Buffer.from('foo')), true);
  assert.equal(hasWord(Buffer.from('x = foo_bar(1); foo2(); _foo'), Buffer.from('foo')), false);
  const fx = makeTree();
  t.after(fx.cleanup);
  const all: ScannerName[] = [...scanners];
  // As a git work tree (the fixture's own repository), `git grep` must see the same files,
  // untracked ones included.
  const git = (...args: string[]) => spawnSync('git', ['-C', fx.root, ...args], { encoding: 'utf8' });
  if (git('init', '-q').status === 0 && git('add', '-A').status === 0) all.push('git');
  fx.write('drivers/new/untracked.c', 'void probe(void) { try_to_release_page(0, 0); }\n');
  for (const s of all) {
    const scanner = createWordScanner(fx.root, s);
    assert.equal(scanner.name, s);
    const found = await scanner.scan(['invalidate_inode_pages2_range', 'releasepage']);
    assert.deepEqual([...found].sort(), ['fs/ext3/inode.c', 'fs/nfs/dir.c', 'include/linux/fs.h', 'mm/filemap.c', 'mm/truncate.c'], s);
    assert.deepEqual([...await scanner.scan(['try_to_release_page'])].sort(), ['drivers/new/untracked.c', 'mm/filemap.c', 'mm/truncate.c'], s);
  }
});

test('close() during indexAll cancels it: the index stays lazy and still answers', async (t) => {
  const fx = makeTree(false);
  t.after(fx.cleanup);
  const graph = await openCallGraph(fx.root, { cacheDir: fx.cache, workers: 1 });
  t.after(() => graph.close());
  const run = graph.indexAll();
  await graph.close();
  const summary = await run;
  assert.equal(summary.cancelled, true);
  assert.equal(graph.complete, false);
  assert.equal(summary.problems.length, 0, 'files not reached are not reported as problems');
  assert.deepEqual((await graph.callers('invalidate_inode_pages2')).map((c) => c.caller), ['still_fine']);
  const again = await graph.indexAll();
  assert.equal(again.cancelled, undefined);
  assert.equal(graph.complete, true);
});
