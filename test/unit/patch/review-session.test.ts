// A session (what the language server keeps per tree) makes the next review of a tree reuse the
// texts and parses of the last one; the answers must be those of a review without it, and a
// file changed on disk between reviews must be read again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { indexTree } from '../../../server/index/project';
import { renderJson } from '../../../server/report/json';
import { review } from '../../../server/review';
import { ReviewSession } from '../../../server/session';
import { TextCache } from '../../../server/tree';

const root = resolve(__dirname, '..', '..', '..');
const patch = readFileSync(join(root, 'examples', 'patches', 'vfs-dio-eio-ebusy.patch'));
const fix = readFileSync(join(root, 'examples', 'patches', 'vfs-dio-eio-ebusy-complete.patch'));

test('reviews with a session answer as reviews without one, and see files that changed', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'kpl-session-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const tree = join(work, 'tree');
  cpSync(join(root, 'examples', 'tree'), tree, { recursive: true });
  const { graph } = await indexTree(tree, { cacheDir: join(work, 'cache'), workers: 1 });
  t.after(() => graph.close());
  const session = new ReviewSession();
  t.after(() => session.dispose());

  const plain = renderJson(await review({ input: patch, tree, graph }));
  const first = renderJson(await review({ input: patch, tree, graph, session }));
  const kept = session.files.keptChars;
  assert.ok(kept > 0, 'the session keeps what the review read');
  const second = renderJson(await review({ input: patch, tree, graph, session }));
  assert.equal(first, plain);
  assert.equal(second, plain);
  assert.equal(session.files.keptChars, kept, 'nothing was read anew for the same patch on the same tree');
  // Another patch on the same session: the same answers as on its own.
  assert.equal(renderJson(await review({ input: fix, tree, graph, session })), renderJson(await review({ input: fix, tree, graph })));

  // A caller changes on disk (the graph is not told): the text the verdict reads is the new one.
  const file = join(tree, 'fs', 'nfs', 'dir.c');
  const text = readFileSync(file, 'utf8');
  assert.match(text, /invalidate_inode_pages2_range\(/);
  const mtime = statSync(file).mtime;
  writeFileSync(file, text.replace(/\n/, '\n/* touched */\n'));
  utimesSync(file, mtime, new Date(mtime.getTime() + 5000));
  await review({ input: patch, tree, graph, session });
  assert.ok(session.files.keptChars > kept, 'the changed file was read again');

  // A new caller, and the graph told (as the server does on save): the session's kept call sites
  // are for the graph as it was; the next review sees the new caller.
  writeFileSync(file, `${readFileSync(file, 'utf8')}\nint nfs_drop_all(struct address_space *m)\n{\n\treturn invalidate_inode_pages2_range(m, 0, -1);\n}\n`);
  await graph.reindexFile('fs/nfs/dir.c');
  const after = await review({ input: patch, tree, graph, session });
  assert.ok(after.impacts[0].callers.some((c) => c.function === 'nfs_drop_all'), 'the new caller is walked');
  assert.equal(renderJson(after), renderJson(await review({ input: patch, tree, graph })));
});

test('a session forgets what it kept once that passes its bound, between reviews', async (t) => {
  const session = new ReviewSession(1);
  t.after(() => session.dispose());
  const tree = join(root, 'examples', 'tree');
  const r = await review({ input: patch, tree, session });
  assert.ok(r.impacts.length > 0);
  assert.equal(session.trims, 1);
  assert.equal(session.files.keptChars, 0);
  assert.equal(session.texts.size, 0);
});

test('kept texts are checked against the disk: size and modification time', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kpl-texts-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'a.c');
  writeFileSync(file, 'int a;\n');
  const texts = new TextCache();
  const first = texts.read(file);
  assert.equal(first, 'int a;\n');
  assert.equal(texts.read(file), first);
  const mtime = statSync(file).mtime;
  writeFileSync(file, 'int b;\n'); // same size
  utimesSync(file, mtime, new Date(mtime.getTime() + 5000));
  assert.equal(texts.read(file), 'int b;\n');
  rmSync(file);
  assert.equal(texts.read(file), undefined);
  assert.equal(texts.read(dir), undefined, 'a folder is no file');
});
