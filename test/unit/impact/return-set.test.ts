import { test } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { ParsedFiles } from '../../../server/impact/c-syntax';
import { ReturnSets } from '../../../server/impact/return-set';
import { deltaOf, renderSet } from '../../../server/impact/values';
import { WorkTree } from '../../../server/tree';
import { FIXTURE, MemoryGraph, patched } from './helpers';

async function setsOf(names: [string, string][], opts: { callDepth?: number; overrides?: Record<string, string[]> } = {}) {
  const graph = await MemoryGraph.of(FIXTURE);
  const files = new ParsedFiles();
  const rs = new ReturnSets(graph, files, { maxCallDepth: opts.callDepth ?? 3, overrides: new Map(Object.entries(opts.overrides ?? {})) });
  const pre = new WorkTree(FIXTURE);
  const out: Record<string, { values: string[]; unknown: string[] }> = {};
  for (const [file, name] of names) {
    const s = await rs.of(pre, file, name);
    out[name] = { values: s ? renderSet(s) : ['(not found)'], unknown: s?.unknown ?? [] };
  }
  files.dispose();
  return out;
}

test('a local traced through assignments, narrowed by the if that guards it', async () => {
  const s = await setsOf([['lib/flush.c', 'flush_range']]);
  // ret = ret2 only under `if (ret2 < 0)`: flush_one's 0 does not reach ret that way, but ret = 0 does.
  assert.deepEqual(s.flush_range.values, ['0', '-EIO', 'unknown']);
  assert.deepEqual(s.flush_range.unknown, ['->flush() is an indirect call']);
});

test('an indirect call stays unknown, with its reason; return f() takes f\'s set', async () => {
  const s = await setsOf([['lib/flush.c', 'flush_one'], ['lib/flush.c', 'flush_all']]);
  assert.deepEqual(s.flush_one.values, ['0', 'unknown']);
  assert.deepEqual(s.flush_all.values, ['0', '-EIO', 'unknown']);
});

test('ERR_PTR, PTR_ERR and a ternary', async () => {
  const s = await setsOf([['lib/flush.c', 'get_block'], ['lib/flush.c', 'block_state']]);
  assert.deepEqual(s.get_block.values, ['ERR_PTR(-EINVAL)', 'ERR_PTR(-ENOMEM)', 'unknown']);
  assert.ok(s.get_block.unknown.includes('lookup_block() has no definition in the tree'));
  assert.deepEqual(s.block_state.values, ['0', '-EBUSY', '-EINVAL', '-ENOMEM', 'unknown']);
});

test('goto chains to `return err;` and a recursive call cut as unknown', async () => {
  const s = await setsOf([['lib/flush.c', 'settle']]);
  assert.deepEqual(s.settle.values, ['0', '-EIO', 'unknown']);
  assert.ok(s.settle.unknown.includes('settle() is recursive'), s.settle.unknown.join('|'));
});

test('overrides replace what the analysis cannot see; the call depth bound makes callees unknown', async () => {
  const o = await setsOf([['lib/flush.c', 'flush_range']], { overrides: { flush_one: ['0', '-EAGAIN'] } });
  assert.deepEqual(o.flush_range.values, ['0', '-EAGAIN', '-EIO']);
  const d = await setsOf([['lib/flush.c', 'flush_all']], { callDepth: 0 });
  assert.deepEqual(d.flush_all.values, ['unknown']);
  assert.deepEqual(d.flush_all.unknown, ['flush_range() is beyond the call depth bound']);
});

test('before and after the patch: the delta', async () => {
  const graph = await MemoryGraph.of(FIXTURE);
  const files = new ParsedFiles();
  const rs = new ReturnSets(graph, files, { maxCallDepth: 3, overrides: new Map() });
  const pre = new WorkTree(FIXTURE);
  const post = patched(pre, [{ file: 'lib/flush.c', from: 'ret2 = -EIO;', to: 'ret2 = -EBUSY;' }]);
  const before = (await rs.of(pre, 'lib/flush.c', 'flush_range'))!;
  const after = (await rs.of(post, 'lib/flush.c', 'flush_range'))!;
  assert.deepEqual(renderSet(after), ['0', '-EBUSY', 'unknown']);
  assert.deepEqual(deltaOf(before, after), { before: ['-EIO'], after: ['-EBUSY'] });
  // and a caller's set that takes it through `return f()` follows in the post-image
  assert.deepEqual(renderSet((await rs.of(post, 'lib/flush.c', 'flush_all'))!), ['0', '-EBUSY', 'unknown']);
  files.dispose();
});

test('a missing function or file is null, never a crash; broken C gives what it can', async () => {
  const graph = await MemoryGraph.of(FIXTURE);
  const files = new ParsedFiles();
  const rs = new ReturnSets(graph, files, { maxCallDepth: 3, overrides: new Map() });
  const pre = new WorkTree(FIXTURE);
  assert.equal(await rs.of(pre, 'lib/flush.c', 'no_such_function'), null);
  assert.equal(await rs.of(pre, 'no/such/file.c', 'flush_range'), null);
  const broken = patched(pre, [{ file: 'lib/flush.c', from: 'int flush_all(struct cache *c)\n{', to: 'int flush_all(struct cache *c)\n{ ))) {{ "' }]);
  const s = await rs.of(broken, 'lib/flush.c', 'flush_range');
  assert.ok(s === null || renderSet(s).length > 0);
  files.dispose();
});

test('a code the function catches after the assignment does not leave through `return written;`', async () => {
  const graph = await MemoryGraph.of(FIXTURE);
  const files = new ParsedFiles();
  const rs = new ReturnSets(graph, files, { maxCallDepth: 3, overrides: new Map() });
  const pre = new WorkTree(FIXTURE);
  const post = patched(pre, [
    { file: 'lib/flush.c', from: 'ret2 = -EIO;', to: 'ret2 = -EBUSY;' },
    { file: 'fs/direct.c', from: '\t\tif (written)\n\t\t\tgoto out;', to: '\t\tif (written) {\n\t\t\tif (written == -EBUSY)\n\t\t\t\treturn 0;\n\t\t\tgoto out;\n\t\t}' },
  ]);
  assert.deepEqual(renderSet((await rs.of(pre, 'fs/direct.c', 'direct_write'))!), ['0', '-EIO', 'unknown']);
  assert.deepEqual(renderSet((await rs.of(post, 'fs/direct.c', 'direct_write'))!), ['0', 'unknown']);
  files.dispose();
});

test('functions inside #ifdef blocks are found, both versions', async () => {
  const graph = await MemoryGraph.of(FIXTURE);
  const files = new ParsedFiles();
  const rs = new ReturnSets(graph, files, { maxCallDepth: 3, overrides: new Map() });
  const pre = new WorkTree(FIXTURE);
  const post = patched(pre, [{ file: 'lib/flush.c', from: 'int flush_all(struct cache *c)\n{\n\treturn flush_range(c, 0, c->nr - 1);\n}', to: '#ifdef CONFIG_FLUSH\nint flush_all(struct cache *c)\n{\n\treturn flush_range(c, 0, c->nr - 1);\n}\n#else\nint flush_all(struct cache *c)\n{\n\treturn -ENOSYS;\n}\n#endif' }]);
  assert.deepEqual(renderSet((await rs.of(post, 'lib/flush.c', 'flush_all'))!), ['0', '-EIO', '-ENOSYS', 'unknown']);
  assert.equal((await files.functions(post, 'lib/flush.c'))!.get('flush_all')!.length, 2);
  files.dispose();
});

test('a function with a section attribute (`static int __init foo(void)`) has its return set', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kpl-init-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'drivers'));
  writeFileSync(join(dir, 'drivers', 'demo.c'), [
    'static int __init demo_init(void)',
    '{',
    '\tint err = demo_register();',
    '\tif (err)',
    '\t\treturn -ENODEV;',
    '\treturn 0;',
    '}',
    '',
  ].join('\n'));
  const graph = await MemoryGraph.of(dir);
  const files = new ParsedFiles();
  t.after(() => files.dispose());
  const rs = new ReturnSets(graph, files, { maxCallDepth: 3, overrides: new Map() });
  const s = await rs.of(new WorkTree(dir), 'drivers/demo.c', 'demo_init');
  assert.ok(s, 'found');
  assert.deepEqual(renderSet(s), ['0', '-ENODEV']);
});
