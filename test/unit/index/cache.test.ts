// The index cache: packed records survive a round trip, a second run parses nothing, a changed
// file is parsed alone, a touched-but-unchanged file is recognised by its hash, a damaged cache
// is ignored, and nothing is ever written inside the tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, utimesSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FileIndex } from '../../../server/model';
import { cacheFileFor, CacheLocationError } from '../../../server/index/cache-file';
import { LocalStrings, packFileIndex, unpackFileIndex } from '../../../server/index/packed';
import { indexTree, openCallGraph } from '../../../server/index/project';
import { makeTree, snapshot } from './tree-fixture';

test('packed records round-trip, including fields this module does not know', () => {
  const index: FileIndex = {
    file: 'mm/x.c', hash: 'abc',
    functions: [{ file: 'mm/x.c', name: 'f', line: 3, endLine: 9, signature: 'f(void)', isStatic: true, exported: false, syscall: 'write' }],
    calls: [
      { file: 'mm/x.c', caller: 'f', callee: 'g', line: 4, column: 8, use: 'compared', uses: ['truth-checked', 'compared'], comparedWith: ['-EBUSY', '-EIO'], via: null, local: 'ret' },
      { file: 'mm/x.c', caller: null, callee: '.releasepage', line: 5, column: 2, use: 'ignored', uses: [], via: '.releasepage' },
    ],
    bindings: [{ file: 'mm/x.c', field: '.writepage', function: 'w', line: 12, owner: 'aops' }],
    refs: [{ file: 'mm/x.c', function: 'cb', line: 6, inFunction: 'f', argumentOf: 'walk' }, { file: 'mm/x.c', function: 'cb', line: 7, inFunction: null }],
    macros: [{ file: 'mm/x.c', name: 'foo', callee: '__foo', line: 1 }],
    exports: ['f'],
  };
  (index.calls[0] as unknown as Record<string, unknown>).argumentCount = 3; // a field added to the model later
  const strings = new LocalStrings();
  const back = unpackFileIndex(packFileIndex(index, strings), { file: 'mm/x.c', hash: 'abc' }, strings);
  assert.deepEqual(back, index);
});

test('second run comes from the cache; a changed file is parsed alone; a touched file is not', async (t) => {
  const fx = makeTree();
  t.after(fx.cleanup);
  const first = await indexTree(fx.root, { cacheDir: fx.cache, workers: 1 });
  assert.equal(first.summary.fromCache, 0);
  assert.equal(first.summary.parsed, first.summary.files);
  const callersBefore = await first.graph.callers('invalidate_inode_pages2_range');
  first.graph.save();
  await first.graph.close();

  const second = await indexTree(fx.root, { cacheDir: fx.cache, workers: 1 });
  assert.equal(second.summary.parsed, 0, 'nothing parsed on a warm run');
  assert.equal(second.summary.fromCache, first.summary.files);
  assert.deepEqual(await second.graph.callers('invalidate_inode_pages2_range'), callersBefore);
  await second.graph.close();

  // New content: parsed again, the answer follows the file.
  fx.write('fs/nfs/dir.c', 'static void nfs_zap(struct address_space *m)\n{\n\tif (invalidate_inode_pages2_range(m, 0, 1) < 0)\n\t\treturn;\n}\n');
  // Same content, new mtime: recognised by its hash.
  const truncate = join(fx.root, 'mm/truncate.c');
  utimesSync(truncate, new Date(), new Date(Date.now() + 5000));
  const third = await indexTree(fx.root, { cacheDir: fx.cache, workers: 1 });
  assert.equal(third.summary.parsed, 1);
  const nfs = (await third.graph.callers('invalidate_inode_pages2_range')).filter((c) => c.file === 'fs/nfs/dir.c');
  assert.deepEqual(nfs.map((c) => [c.caller, c.line, c.use]), [['nfs_zap', 3, 'sign-checked']]);
  third.graph.save();
  await third.graph.close();

  // A deleted file leaves the index.
  rmSync(join(fx.root, 'fs/nfs/dir.c'));
  const fourth = await indexTree(fx.root, { cacheDir: fx.cache, workers: 1 });
  assert.equal(fourth.summary.removed, 1);
  assert.equal(fourth.summary.parsed, 0);
  assert.ok(!(await fourth.graph.callers('invalidate_inode_pages2_range')).some((c) => c.file === 'fs/nfs/dir.c'));
  await fourth.graph.close();
});

test('the cache is one file outside the tree, and the tree is never written', async (t) => {
  const fx = makeTree();
  t.after(fx.cleanup);
  const before = snapshot(fx.root);
  const { graph } = await indexTree(fx.root, { cacheDir: fx.cache, workers: 1 });
  await graph.callers('ext3_releasepage');
  await graph.reindexFile('mm/filemap.c');
  graph.save();
  await graph.close();
  const lazy = await openCallGraph(fx.root, { cacheDir: fx.cache, workers: 1 });
  await lazy.callers('__invalidate_range');
  lazy.save();
  await lazy.close();
  assert.deepEqual(snapshot(fx.root), before);
  assert.equal(snapshot(fx.cache).length, 1, 'one packed file per tree');
  assert.ok(existsSync(cacheFileFor(fx.root, fx.cache)));
  assert.throws(() => cacheFileFor(fx.root, join(fx.root, 'cache')), CacheLocationError);
  await assert.rejects(openCallGraph(fx.root, { cacheDir: join(fx.root, '.kpl') }), CacheLocationError);
});

test('a damaged cache file is ignored with a reason, never trusted, never fatal', async (t) => {
  const fx = makeTree(false);
  t.after(fx.cleanup);
  const { graph, summary } = await indexTree(fx.root, { cacheDir: fx.cache, workers: 1 });
  const expected = await graph.callers('invalidate_inode_pages2');
  graph.save();
  await graph.close();
  const file = cacheFileFor(fx.root, fx.cache);
  const bytes = readFileSync(file);
  for (const damage of [bytes.subarray(0, bytes.length - 13), Buffer.from('garbage'), Buffer.concat([bytes.subarray(0, 40), Buffer.alloc(bytes.length - 40, 0xff)])]) {
    writeFileSync(file, damage);
    const again = await indexTree(fx.root, { cacheDir: fx.cache, workers: 1 });
    assert.match(again.summary.cacheRejected ?? '', /ignored the cache/);
    assert.equal(again.summary.parsed, summary.files);
    assert.deepEqual(await again.graph.callers('invalidate_inode_pages2'), expected);
    await again.graph.close();
  }
});
