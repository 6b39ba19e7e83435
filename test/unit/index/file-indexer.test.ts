// Checks the file indexer on fixtures written here: definitions and call sites.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCParser } from '../../../server/index/parser';
import { indexFile } from '../../../server/index/file-indexer';

test('finds definitions and direct calls', async () => {
  const parser = await createCParser();
  const idx = indexFile(parser, 'a.c', 'static int f(void)\n{\n\treturn g(1);\n}\n');
  assert.deepEqual(idx.functions.map((f) => [f.name, f.line, f.endLine, f.isStatic]), [['f', 1, 4, true]]);
  assert.deepEqual(idx.calls.map((c) => [c.caller, c.callee, c.line, c.column]), [['f', 'g', 3, 9]]);
});
