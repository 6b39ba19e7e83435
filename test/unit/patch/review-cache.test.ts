// A review whose index cache cannot be used (built by another indexer version, damaged) still
// answers, and says why it is slower and how to mend it, instead of scanning in silence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { cacheFileFor } from '../../../server/index/cache-file';
import { review } from '../../../server/review';

const root = resolve(__dirname, '..', '..', '..');
const tree = join(root, 'examples', 'tree');
const patch = join(root, 'examples', 'patches', 'vfs-dio-eio-ebusy.patch');

test('an unusable index cache is named in the warnings, with the command that rebuilds it', async (t) => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'kpl-review-cache-'));
  t.after(() => rmSync(cacheDir, { recursive: true, force: true }));
  const file = cacheFileFor(tree, cacheDir);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, 'not a cache at all');

  const r = await review({ input: readFileSync(patch), tree, cacheDir });
  const said = r.warnings.map((w) => w.message).find((m) => m.includes('ignored the cache'));
  assert.ok(said, `warnings: ${JSON.stringify(r.warnings)}`);
  assert.match(said, /kpl index /);
  assert.ok(r.impacts.length > 0 && r.impacts[0].callers.length > 0, 'callers still come, from scanning the tree');
});

test('a usable cache gives no such warning', async (t) => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'kpl-review-cache-'));
  t.after(() => rmSync(cacheDir, { recursive: true, force: true }));
  await review({ input: readFileSync(patch), tree, cacheDir });
  const again = await review({ input: readFileSync(patch), tree, cacheDir });
  assert.equal(again.warnings.filter((w) => w.message.includes('ignored the cache')).length, 0);
});
