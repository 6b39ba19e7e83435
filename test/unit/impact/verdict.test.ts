import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParsedFiles } from '../../../server/impact/c-syntax';
import { judgeSite } from '../../../server/impact/verdict';
import type { CallSite, ReturnUse } from '../../../server/model';
import { WorkTree, type TreeSource } from '../../../server/tree';
import { FIXTURE, patched } from './helpers';

// Call sites are written out here as the indexer would give them, so that each use class is
// judged on its own; the branch descriptions come from the fixture's real source.
function site(caller: string, line: number, uses: ReturnUse[], extra: Partial<CallSite> = {}): CallSite {
  return { file: 'fs/users.c', line, column: 12, caller, callee: 'flush_range', use: uses[0], uses, via: null, ...extra };
}
const EIO_TO_EBUSY = { before: ['-EIO'], after: ['-EBUSY'] };

async function body(name: string, file = 'fs/users.c', source: TreeSource = new WorkTree(FIXTURE)) {
  const files = new ParsedFiles();
  const b = await files.function(source, file, name);
  return { b, done: () => files.dispose() };
}

test('compared with the old code: behaviour change, naming the branch from the source', async () => {
  const { b, done } = await body('retry_flush');
  const j = judgeSite(site('retry_flush', 6, ['compared'], { comparedWith: ['-EIO'], local: 'err' }), EIO_TO_EBUSY, b);
  done();
  assert.equal(j.verdict, 'behaviour-change');
  assert.equal(j.use, 'compared');
  assert.equal(j.reason, '`err == -EIO` now false: skips the branch (sets err = flush_range(c, 0, 7)), then returns 0 ("a block was still in use: try once more")');
  assert.equal(j.next, null);
});

test('compared with other codes only: no change', async () => {
  const j = judgeSite(site('shrink_cache', 16, ['compared'], { comparedWith: ['-ENOMEM'], local: 'err' }), EIO_TO_EBUSY, null);
  assert.equal(j.verdict, 'no-change');
  assert.match(j.reason, /compared only with -ENOMEM/);
});

test('sign and truth checks do not notice -EIO -> -EBUSY, but do notice -EIO -> 0', async () => {
  const sign = judgeSite(site('trim_cache', 26, ['sign-checked']), EIO_TO_EBUSY, null);
  assert.equal(sign.verdict, 'no-change');
  const truth = judgeSite(site('sync_cache', 45, ['truth-checked', 'overwritten']), EIO_TO_EBUSY, null);
  assert.equal(truth.verdict, 'no-change');
  const { b, done } = await body('sync_cache');
  const flipped = judgeSite(site('sync_cache', 45, ['truth-checked', 'overwritten']), { before: ['-EIO'], after: ['0'] }, b);
  done();
  assert.equal(flipped.verdict, 'behaviour-change');
  assert.equal(flipped.reason.split(';')[0], '`flush_range(c, 0, 9)` now false: skips the branch (sets ret = -EINVAL), then returns ret');
});

test('propagated: value change, and the delta goes on up', () => {
  const j = judgeSite(site('flush_all', 40, ['propagated'], { file: 'lib/flush.c' }), EIO_TO_EBUSY, null);
  assert.equal(j.verdict, 'value-change');
  assert.deepEqual(j.next, EIO_TO_EBUSY);
});

test('truth-checked and propagated: no change at the check, value change carried up', () => {
  const j = judgeSite(site('direct_write', 9, ['truth-checked', 'propagated'], { file: 'fs/direct.c', local: 'written' }), EIO_TO_EBUSY, null);
  assert.equal(j.verdict, 'value-change');
  assert.equal(j.use, 'propagated');
  assert.match(j.reason, /truth-checked only/);
  assert.deepEqual(j.next, EIO_TO_EBUSY);
});

test('passed and stored: value change, not followed; ignored and overwritten: no change; unknown said', () => {
  for (const [use, verdict] of [['passed', 'value-change'], ['stored', 'value-change'], ['ignored', 'no-change'], ['overwritten', 'no-change'], ['unknown', 'unknown']] as const) {
    const j = judgeSite(site('note_flush', 30, [use]), EIO_TO_EBUSY, null);
    assert.equal(j.verdict, verdict, use);
    assert.equal(j.next, null, use);
  }
  const u = judgeSite(site('x', 1, ['unknown']), EIO_TO_EBUSY, null);
  assert.match(u.reason, /could not be resolved/);
});

test('the patched caller handles the new code: its branch returns 0, carried up as the new value', async () => {
  const pre = new WorkTree(FIXTURE);
  const post = patched(pre, [{ file: 'fs/direct.c', from: '\t\tif (written)\n\t\t\tgoto out;', to: '\t\tif (written) {\n\t\t\t/* busy blocks: write through the cache instead */\n\t\t\tif (written == -EBUSY)\n\t\t\t\treturn 0;\n\t\t\tgoto out;\n\t\t}' }]);
  const { b, done } = await body('direct_write', 'fs/direct.c', post);
  const j = judgeSite(site('direct_write', 9, ['truth-checked', 'compared', 'propagated'], { file: 'fs/direct.c', local: 'written', comparedWith: ['-EBUSY'] }), EIO_TO_EBUSY, b);
  done();
  assert.equal(j.verdict, 'behaviour-change');
  assert.equal(j.use, 'compared');
  assert.equal(j.reason.split(';')[0], '`written == -EBUSY` now true: returns 0 ("busy blocks: write through the cache instead")');
  assert.deepEqual(j.next, { before: ['-EIO'], after: ['0'] });
});

test('a sign check that flips with a condition that still depends on something else', async () => {
  const { b, done } = await body('file_write', 'fs/direct.c');
  const j = judgeSite({ file: 'fs/direct.c', line: 23, column: 8, caller: 'file_write', callee: 'direct_write', use: 'sign-checked', uses: ['sign-checked', 'propagated'], via: null, local: 'ret' }, { before: ['-EIO'], after: ['0'] }, b);
  done();
  assert.equal(j.verdict, 'behaviour-change');
  assert.equal(j.reason.split(';')[0], '`ret < 0 || ret == count` was true, now may be false: skips the branch (jumps to out), then sets ret = cached_write(c, buf + ret, count - ret) ("the direct write stopped short: finish through the cache")');
  assert.deepEqual(j.next, { before: ['-EIO'], after: ['success'] });
});
