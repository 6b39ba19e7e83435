// The indexer's speed shortcuts must not change what it finds: tables, struct members and enum
// values it skips when they can hold nothing, the parents under which it does not ask for a
// field, and the uses of a local read many times. Written C only, in our own words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import type { FileIndex } from '../../../server/model';
import { createCParser } from '../../../server/index/parser';
import { indexFile } from '../../../server/index/file-indexer';
import { FIELDLESS_PARENTS } from '../../../server/index/extract-syntax';

let parser: Parser | undefined;

async function index(text: string): Promise<FileIndex> {
  parser ??= await createCParser();
  return indexFile(parser, 'speed.c', text);
}

test('the parents walked without asking for a field have no fields in the grammar', () => {
  const types = JSON.parse(readFileSync(join(dirname(require.resolve('tree-sitter-c/package.json')), 'src', 'node-types.json'), 'utf8')) as
    { type: string; named: boolean; fields?: Record<string, unknown> }[];
  const withFields = new Set(types.filter((t) => t.named && t.fields && Object.keys(t.fields).length > 0).map((t) => t.type));
  const known = new Set(types.map((t) => t.type));
  for (const p of FIELDLESS_PARENTS) {
    assert.ok(known.has(p), `${p} is a node type of tree-sitter-c`);
    assert.ok(!withFields.has(p), `${p} has fields in tree-sitter-c: the walker would miss them`);
  }
});

test('a table of numbers is skipped; a table naming functions is not', async () => {
  const idx = await index([
    'static int tick_a(void) { return 0; }',
    'static const unsigned char crc_table[] = {',
    '\t0x00, 0x07, 0x0e, 0x09, /* row 0 */ 0x1cUL, 0x1b, 1.5e-3f, .5,',
    '\t"not a name", \'x\',',
    '};',
    'static int (*const ticks[])(void) = { 0x10, tick_a, 3 };',
    'static struct clock_ops ops = { .tick = tick_a, .rate = { 1, 2, 3 } };',
    'int rates[] = { 1, 2, pick_rate(3) };',
  ].join('\n'));
  assert.deepEqual(idx.refs.map((r) => [r.function, r.line]), [['tick_a', 6]]);
  assert.deepEqual(idx.bindings.map((b) => [b.field, b.function, b.owner, b.line]), [['.tick', 'tick_a', 'ops', 7]]);
  assert.deepEqual(idx.calls.map((c) => [c.callee, c.caller, c.line, c.use]), [['pick_rate', null, 8, 'stored']]);
  assert.equal(idx.problem, undefined);
});

test('struct members and enum values: calls and #define lines inside them are still found', async () => {
  const idx = await index([
    'struct ring {',
    '\tint head;',
    '\tchar slots[ring_size(4)];',
    '#define RING_WRAP(x) ring_wrap_at(x, 0)',
    '\tstruct { int a; int b; } pair;',
    '};',
    'enum level { LOW = 1, HIGH = level_of(2), TOP = HIGH + 1 };',
    'struct plain { int a; unsigned b : 3; char c[16]; };',
  ].join('\n'));
  assert.deepEqual(idx.calls.map((c) => [c.callee, c.caller, c.line]), [['ring_size', null, 3], ['level_of', null, 7]]);
  assert.deepEqual(idx.macros.map((m) => [m.name, m.callee, m.line]), [['RING_WRAP', 'ring_wrap_at', 4]]);
});

test('a skippable list with a syntax error inside is walked: the problem names its line', async () => {
  const idx = await index([
    'struct pair { int a; };',
    'static const int table[] = {',
    '\t1, 2, 3 4 ] 5,',
    '};',
    'int use_pair(struct pair *p) { return check_pair(p); }',
  ].join('\n'));
  assert.match(idx.problem ?? '', /syntax errors near line 3\b/);
  assert.deepEqual(idx.calls.map((c) => [c.callee, c.caller, c.use]), [['check_pair', 'use_pair', 'propagated']]);
});

test('a local read many times: each use once, in first-seen order, the codes once each', async () => {
  const reads = Array.from({ length: 40 }, (_, i) => `\tif (err == -EAGAIN) note(${i});\n\tif (err) count++;`).join('\n');
  const idx = await index([
    'int many_reads(void)',
    '{',
    '\tint err, count = 0;',
    '\terr = try_once();',
    reads,
    '\treturn err;',
    '}',
  ].join('\n'));
  const c = idx.calls.find((s) => s.callee === 'try_once');
  assert.ok(c);
  assert.equal(c.use, 'compared');
  assert.deepEqual(c.uses, ['compared', 'truth-checked', 'propagated']);
  assert.deepEqual(c.comparedWith, ['-EAGAIN']);
  assert.equal(c.local, 'err');
});
