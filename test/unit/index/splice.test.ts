// The post-image index made from the pre-image's (splice.ts) must be the index a whole parse of
// the post-image gives; where the edit cannot be confined to whole functions, it says so (null).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { indexFile } from '../../../server/index/file-indexer';
import { createCParser } from '../../../server/index/parser';
import { spliceIndex } from '../../../server/index/splice';

const FLUSH = join(resolve(__dirname, '..', '..', 'fixtures', 'impact', 'tree'), 'lib', 'flush.c');

test('an edit inside functions: the same index as parsing the whole new text', async (t) => {
  const parser = await createCParser();
  t.after(() => parser.delete());
  const before = readFileSync(FLUSH, 'utf8');
  const old = indexFile(parser, 'lib/flush.c', before);
  const edits: [string, string][] = [
    ['ret2 = -EIO;', 'ret2 = -EBUSY;'], // one line, same length
    ['ret2 = -EIO;', 'ret2 = -EBUSY;\n\t\t\t\tlog_block(c, i);\n\t\t\t\tret2 = -EBUSY;'], // lines added: what follows moves
    ['\tint ret2;\n', ''], // a line removed
    ['return flush_range(c, 0, c->nr - 1);', 'return flush_range(c, 0, c->nr - 2);'], // a second function
  ];
  for (const [from, to] of edits) {
    const after = before.replace(from, to);
    assert.notEqual(after, before);
    const spliced = spliceIndex(parser, old, before, after);
    assert.ok(spliced, `${from} -> ${to}: spliced`);
    assert.deepEqual(spliced, indexFile(parser, 'lib/flush.c', after), `${from} -> ${to}`);
  }
  // Two edits far apart: the stretch covers both functions and what lies between.
  const both = before.replace('ret2 = -EIO;', 'ret2 = -EBUSY;').replace('return b->busy ? -EBUSY : 0;', 'return b->busy ? -EAGAIN : 0;');
  assert.deepEqual(spliceIndex(parser, old, before, both), indexFile(parser, 'lib/flush.c', both));
  // The kernel-doc above a function edited with it, a comment alone, a self-contained line added
  // between functions: all within reach.
  for (const after of [
    before.replace(' * Returns -EIO if', ' * Returns -EBUSY if').replace('ret2 = -EIO;', 'ret2 = -EBUSY;'),
    before.replace(' * Returns -EIO if', ' * Returns -EBUSY if'),
    before.replace('#include "cache.h"', '#include "cache.h"\n#include "other.h"'),
  ]) {
    assert.notEqual(after, before);
    const spliced = spliceIndex(parser, old, before, after);
    assert.ok(spliced);
    assert.deepEqual(spliced, indexFile(parser, 'lib/flush.c', after));
  }
  // No edit at all: the same records, the new text's hash.
  assert.deepEqual(spliceIndex(parser, old, before, before), old);
});

test('edits that are not inside whole functions fall back to the whole file (null)', async (t) => {
  const parser = await createCParser();
  t.after(() => parser.delete());
  const before = readFileSync(FLUSH, 'utf8');
  const old = indexFile(parser, 'lib/flush.c', before);
  const outside = before.replace('#include "cache.h"', '#include "cache2.h"');
  assert.equal(spliceIndex(parser, old, before, outside), null, 'a file-scope line changed');
  const cut = before.replace('int flush_all(struct cache *c)\n{', 'int flush_all(struct cache *c)\n{\n#ifdef X\n\tif (!c) {\n#endif');
  assert.equal(spliceIndex(parser, old, before, cut), null, 'a part that parses worse than its whole file');
  const added = before.replace('int flush_all(struct cache *c)', 'int flush_none(void)\n{\n\treturn 0;\n}\n\nint flush_all(struct cache *c)');
  assert.equal(spliceIndex(parser, old, before, added), null, 'a function added');
  const ref = before.replace('ret2 = flush_one(c, i);', 'ret2 = walk_blocks(c, i, flush_one);');
  assert.equal(spliceIndex(parser, old, before, ref), null, 'a function reference on an edited line');
  const skipped = { ...old, problem: 'skipped: too big' };
  assert.equal(spliceIndex(parser, skipped, before, before.replace('ret2 = -EIO;', 'ret2 = -EBUSY;')), null, 'no index to start from');
});
