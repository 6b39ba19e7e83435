// A cache saved from a complete index lets a later process answer from memory: opening with
// `refreshCompleteCache` re-stats the tree (parsing only what changed, adding new files) instead
// of scanning the tree for every name asked about. A cache filled lazily does not claim that.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexTree, openCallGraph } from '../../../server/index/project';
import { makeTree } from './tree-fixture';

test('a complete cache opens complete and picks up files added since', async (t) => {
  const fx = makeTree();
  t.after(fx.cleanup);
  const first = await indexTree(fx.root, { cacheDir: fx.cache, workers: 1 });
  first.graph.save();
  await first.graph.close();

  writeFileSync(join(fx.root, 'mm', 'late_caller.c'), 'int late_caller(void)\n{\n\treturn invalidate_inode_pages2_range(0, 0, 1);\n}\n');
  const again = await openCallGraph(fx.root, { cacheDir: fx.cache, workers: 1, refreshCompleteCache: true });
  t.after(() => again.close());
  assert.equal(again.cacheWasComplete, true);
  assert.equal(again.complete, true, 'answers come from memory');
  const sites = await again.callers('invalidate_inode_pages2_range');
  assert.ok(sites.some((s) => s.file === 'mm/late_caller.c' && s.caller === 'late_caller' && s.use === 'propagated'), 'the file added after the index is found');
});

test('a lazily filled cache is not taken for a complete one', async (t) => {
  const fx = makeTree();
  t.after(fx.cleanup);
  const lazy = await openCallGraph(fx.root, { cacheDir: fx.cache, workers: 1 });
  await lazy.callers('invalidate_inode_pages2_range');
  assert.ok(lazy.save(), 'the lazily parsed files were written');
  await lazy.close();

  const again = await openCallGraph(fx.root, { cacheDir: fx.cache, workers: 1, refreshCompleteCache: true });
  t.after(() => again.close());
  assert.equal(again.cacheWasComplete, false);
  assert.equal(again.complete, false, 'still answers by scanning');
});
