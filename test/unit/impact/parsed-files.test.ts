import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParsedFiles } from '../../../server/impact/c-syntax';
import { WorkTree, type TreeSource } from '../../../server/tree';
import { FIXTURE, MemoryGraph, OverlayTree, patched } from './helpers';

test('a file is parsed once per text, whichever image it is read from', async (t) => {
  const files = new ParsedFiles();
  t.after(() => files.dispose());
  const pre = new WorkTree(FIXTURE);
  // Two images that leave lib/flush.c alone (a series' patches 1 and 2), and one that changes it.
  const other = new OverlayTree(pre, { 'lib/other.c': 'int x;\n' });
  const post = patched(pre, [{ file: 'lib/flush.c', from: 'ret2 = -EIO;', to: 'ret2 = -EBUSY;' }]);
  const a = await files.function(pre, 'lib/flush.c', 'flush_range');
  const b = await files.function(other, 'lib/flush.c', 'flush_range');
  const c = await files.function(post, 'lib/flush.c', 'flush_range');
  assert.ok(a && b && c);
  assert.equal(a, b, 'the same text gives the same parsed body');
  assert.notEqual(a, c, 'a changed text is parsed again');
  assert.match(c.body.text, /-EBUSY/);
  assert.doesNotMatch(a.body.text, /-EBUSY/);
  // Answers kept with a text follow it the same way.
  let computed = 0;
  const ask = (src: TreeSource) => files.answer(src, 'lib/flush.c', 'n', (text) => { computed++; return text.length; });
  assert.equal(ask(pre), ask(other));
  assert.notEqual(ask(post), ask(pre));
  assert.equal(computed, 2);
  assert.equal(files.answer(pre, 'no/such.c', 'n', () => 1), undefined);
});

test('the index of a text is the graph\'s own when the graph was built from that text, else made here', async (t) => {
  const files = new ParsedFiles();
  t.after(() => files.dispose());
  const graph = await MemoryGraph.of(FIXTURE);
  const pre = new WorkTree(FIXTURE);
  const post = patched(pre, [{ file: 'lib/flush.c', from: 'ret2 = -EIO;', to: 'ret2 = -EBUSY;\n\t\tret2 = ret2;' }]);
  const indexed = await graph.file('lib/flush.c');
  assert.equal(await files.index(pre, 'lib/flush.c', graph), indexed);
  const after = await files.index(post, 'lib/flush.c', graph);
  assert.ok(after && after !== indexed);
  const end = (i: typeof after, name: string) => i!.functions.find((f) => f.name === name)!.endLine;
  assert.equal(end(after, 'flush_range'), end(indexed!, 'flush_range') + 1, 'the post-image index has the post-image lines');
});

test('a work tree reads each file once: one review sees one text per file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kpl-worktree-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'a.c'), 'int a;\n');
  const tree = new WorkTree(dir);
  const first = tree.read('a.c');
  writeFileSync(join(dir, 'a.c'), 'int b;\n');
  assert.equal(tree.read('a.c'), first);
  assert.equal(new WorkTree(dir).read('a.c'), 'int b;\n', 'a new review reads the file again');
  assert.equal(tree.read('../outside.c'), undefined);
  assert.equal(tree.read('none.c'), undefined);
});
