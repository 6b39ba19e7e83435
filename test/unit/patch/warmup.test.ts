// The language server's warm-up: a one-line change of its own to a file of the tree, reviewed in
// memory and dropped. It must find such a change on kernel-shaped code, never write the tree, and
// say when there is none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { indexTree } from '../../../server/index/project';
import { review } from '../../../server/review';
import { warmUp, warmUpPatch } from '../../../server/warmup';

const DRIVER = [
  'int demo_open(struct demo *d)',
  '{',
  '\tif (!d->ready) {',
  '\t\tkfree(d->buf);',
  '\t\treturn -ENODEV;',
  '\t}',
  '\treturn 0;',
  '}',
  'int demo_a(struct demo *d) { return demo_open(d); }',
  'int demo_b(struct demo *d) { if (demo_open(d) < 0) return -EIO; return 0; }',
  'int demo_c(struct demo *d) { int err = demo_open(d); if (err == -ENODEV) return 0; return err; }',
  '',
].join('\n');

test('the warm-up changes one errno return of a function with callers, in memory only', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'kpl-warmup-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const dir = join(work, 'tree');
  mkdirSync(join(dir, 'drivers'), { recursive: true });
  writeFileSync(join(dir, 'drivers', 'demo.c'), DRIVER);
  const { graph } = await indexTree(dir, { cacheDir: join(work, 'cache'), workers: 1 });
  t.after(() => graph.close());
  const patch = await warmUpPatch(dir, graph);
  assert.ok(patch);
  assert.match(patch.toString(), /^-\t\treturn -ENODEV;\n\+\t\treturn -EIO;$/m);
  const r = await review({ input: patch, tree: dir, graph });
  assert.deepEqual(r.impacts.map((i) => i.function), ['demo_open']);
  assert.deepEqual(r.impacts[0].callers.map((c) => c.function).sort(), ['demo_a', 'demo_b', 'demo_c']);
  assert.equal(await warmUp(dir, graph), true);
  assert.equal(readFileSync(join(dir, 'drivers', 'demo.c'), 'utf8'), DRIVER, 'the tree is never written');
});

test('a tree with nothing to change: no warm-up', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'kpl-warmup-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const dir = join(work, 'tree');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.c'), 'int a(void) { return 0; }\n');
  const { graph } = await indexTree(dir, { cacheDir: join(work, 'cache'), workers: 1 });
  t.after(() => graph.close());
  assert.equal(await warmUpPatch(dir, graph), null);
  assert.equal(await warmUp(dir, graph), false);
});
