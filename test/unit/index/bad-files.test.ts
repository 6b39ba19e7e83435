// One bad file never stops a run: a generated table over the size limit is skipped with a
// message naming the limit, a non-UTF-8 file is read as Latin-1 and said so, broken C is
// indexed as far as it parses; all of them are counted, and the rest of the tree is indexed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexTree, openCallGraph } from '../../../server/index/project';
import { BIG_FILE, FILES, LATIN1_FILE, LIMIT, makeTree } from './tree-fixture';

test('bad files are counted with their reason and do not stop the run', async (t) => {
  const fx = makeTree();
  t.after(fx.cleanup);
  const progress: number[] = [];
  const { graph, summary } = await indexTree(fx.root, { cacheDir: fx.cache, workers: 2, maxFileBytes: LIMIT, onProgress: (p) => progress.push(p.done) });
  t.after(() => graph.close());
  assert.equal(summary.files, Object.keys(FILES).length + 2);
  assert.equal(progress.at(-1), summary.files, 'progress reaches done = total');
  assert.ok(progress.every((d, i) => i === 0 || d >= progress[i - 1]), 'progress only goes up');
  const reason = (file: string) => summary.problems.find((p) => p.file === file)?.reason ?? '';
  assert.match(reason(BIG_FILE), /over the size limit of 8\.0 KiB \(maxFileBytes, --max-file-size\)/);
  assert.match(reason(LATIN1_FILE), /not valid UTF-8/);
  // The skipped table's function is not indexed; the Latin-1 and broken files' functions are.
  const callers = (await graph.callers('invalidate_inode_pages2')).map((c) => `${c.file} ${c.caller}`);
  assert.deepEqual(callers, ['drivers/broken/broken.c still_fine', 'drivers/old/latin.c old_probe']);
  assert.ok(summary.functions >= 10);
});

test('the same bad files answer lazily without failing the question', async (t) => {
  const fx = makeTree();
  t.after(fx.cleanup);
  const graph = await openCallGraph(fx.root, { cacheDir: fx.cache, workers: 1, maxFileBytes: LIMIT });
  t.after(() => graph.close());
  const callers = (await graph.callers('invalidate_inode_pages2')).map((c) => `${c.file} ${c.caller}`);
  assert.deepEqual(callers, ['drivers/broken/broken.c still_fine', 'drivers/old/latin.c old_probe']);
  assert.match((await graph.file(BIG_FILE))?.problem ?? '', /size limit/);
});
