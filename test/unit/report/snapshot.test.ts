// Snapshot of the text report for the embedded example (examples/patches against examples/tree).
// Update after an intended change with:
//   UPDATE_SNAPSHOTS=1 node scripts/run-tests.mjs test/unit/report
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderText } from '../../../server/report/text';
import { review } from '../../../server/review';
import { WorkTree } from '../../../server/tree';

const root = join(__dirname, '..', '..', '..');
const UPDATE = 'UPDATE_SNAPSHOTS=1 node scripts/run-tests.mjs test/unit/report';

/** A short line diff (expected vs actual) that reads well in a test failure. */
export function lineDiff(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  // Longest common subsequence over lines: the reports are small.
  const l = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) l[i][j] = a[i] === b[j] ? l[i + 1][j + 1] + 1 : Math.max(l[i + 1][j], l[i][j + 1]);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) { out.push(`  ${a[i]}`); i++; j++; }
    else if (i < a.length && (j >= b.length || l[i + 1][j] >= l[i][j + 1])) out.push(`- ${a[i++]}`);
    else out.push(`+ ${b[j++]}`);
  }
  return out.join('\n');
}

function matchSnapshot(name: string, actual: string): void {
  const file = join(__dirname, 'snapshots', name);
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `no snapshot ${name} yet: create it with\n  ${UPDATE}`);
  const expected = readFileSync(file, 'utf8');
  if (expected !== actual) {
    assert.fail(`the text report differs from snapshots/${name} (- snapshot, + now):\n${lineDiff(expected, actual)}\n\nIf the change is intended: ${UPDATE}`);
  }
}

const patch = join(root, 'examples', 'patches', 'vfs-dio-eio-ebusy.patch');
const tree = join(root, 'examples', 'tree');

test('text report of the example patch on the example tree', { skip: !existsSync(patch) || !existsSync(tree) }, async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'kpl-cache-'));
  const r = await review({ input: readFileSync(patch), tree, cacheDir }).finally(() => rmSync(cacheDir, { recursive: true, force: true }));
  matchSnapshot('vfs-dio-eio-ebusy.txt', renderText(r, { tree: new WorkTree(tree) }));
});

test('the snapshot diff shows removed and added lines', () => {
  assert.equal(lineDiff('a\nb\nc', 'a\nB\nc\nd'), '  a\n- b\n+ B\n  c\n+ d');
});
