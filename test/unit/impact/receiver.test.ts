import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abbreviates } from '../../../server/impact/receiver';
import { computeImpacts } from '../../../server/impact/index';
import type { ErrnoChange, Warning } from '../../../server/model';
import { WorkTree } from '../../../server/tree';
import { FIXTURE, MemoryGraph, patched } from './helpers';

test('a member abbreviates the struct type of the table it holds, the kernel way', () => {
  for (const [m, t] of [['f_op', 'file_operations'], ['a_ops', 'address_space_operations'], ['fops', 'file_operations'], ['i_op', 'inode_operations'], ['s_op', 'super_operations'], ['f_op', 'file_ops'], ['ops', 'proto_ops'], ['ops', 'file_operations']]) {
    assert.ok(abbreviates(m, t), `${m} ~ ${t}`);
  }
  for (const [m, t] of [['driver', 'file_operations'], ['i_op', 'file_operations'], ['', 'file_operations'], ['mtd', 'file_operations']]) {
    assert.ok(!abbreviates(m, t), `${m} !~ ${t}`);
  }
});

test('an indirect call through another table\'s field is left out of the walk, and counted', async () => {
  const graph = await MemoryGraph.of(FIXTURE);
  const sites = await graph.callers('file_write');
  assert.ok(sites.some((s) => s.caller === 'tty_put_char'), 'the graph matches by field name alone');
  const pre = new WorkTree(FIXTURE);
  const warnings: Warning[] = [];
  const change: ErrnoChange = { file: 'lib/flush.c', function: 'flush_range', kind: 'assign', old: ['-EIO'], new: ['-EBUSY'], patchLine: 1, line: 27, patch: 0, functionFrom: 'tree' };
  const [f] = await computeImpacts([change], { graph, pre, post: patched(pre, [{ file: 'lib/flush.c', from: 'ret2 = -EIO;', to: 'ret2 = -EBUSY;' }]), depth: 4, warnings, overrides: new Map() });
  assert.ok(f.callers.some((c) => c.function === 'vfs_write' && c.via === '.write'));
  assert.ok(!f.callers.some((c) => c.function === 'tty_put_char'));
  assert.ok(warnings.some((w) => /left out \(\.write: 1\)/.test(w.message)), warnings.map((w) => w.message).join('\n'));
});
