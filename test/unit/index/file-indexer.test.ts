// The file indexer on C fixtures written here (test/fixtures/c): every use class per call site,
// definitions in kernel shapes, function pointers, macros, #if branches, broken and latin-1 text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import type { CallSite, FileIndex } from '../../../server/model';
import { createCParser } from '../../../server/index/parser';
import { indexFile } from '../../../server/index/file-indexer';
import { decodeText } from '../../../server/tree';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'c');
let parser: Parser | undefined;

async function index(name: string): Promise<FileIndex> {
  parser ??= await createCParser();
  return indexFile(parser, `c/${name}`, decodeText(readFileSync(join(fixtures, name))));
}

function site(idx: FileIndex, callee: string, caller?: string): CallSite {
  const found = idx.calls.filter((c) => c.callee === callee && (caller === undefined || c.caller === caller));
  assert.equal(found.length, 1, `one call of ${callee}${caller ? ` in ${caller}` : ''}, found ${found.length}`);
  return found[0];
}

function uses(idx: FileIndex, callee: string): [string, string[], string[] | undefined, string | undefined] {
  const c = site(idx, callee);
  return [c.use, c.uses, c.comparedWith, c.local];
}

test('uses: compared, with the codes, directly, by switch and through a local', async () => {
  const idx = await index('uses.c');
  assert.deepEqual(uses(idx, 'probe_a'), ['compared', ['compared'], ['-EBUSY'], undefined]);
  assert.deepEqual(uses(idx, 'probe_b'), ['compared', ['compared'], ['-EIO', '-EAGAIN'], undefined]);
  assert.deepEqual(uses(idx, 'probe_c'), ['compared', ['compared', 'truth-checked', 'propagated'], ['-EBUSY'], 'ret']);
  // An ordering against a non-zero value keeps its operator: the impact can tell it from `== -E...`.
  assert.deepEqual(uses(idx, 'probe_count'), ['compared', ['compared'], ['> 1'], 'got']);
});

test('uses: propagated directly, through goto, casts, ERR_PTR, ternaries, aliases', async () => {
  const idx = await index('uses.c');
  assert.deepEqual(uses(idx, 'probe_d'), ['propagated', ['propagated'], undefined, undefined]);
  assert.deepEqual(uses(idx, 'probe_e'), ['propagated', ['truth-checked', 'propagated'], undefined, 'err']);
  assert.deepEqual(uses(idx, 'probe_f'), ['propagated', ['propagated'], undefined, undefined]);
  assert.deepEqual(uses(idx, 'probe_g'), ['propagated', ['propagated'], undefined, undefined]);
  assert.deepEqual(uses(idx, 'probe_h'), ['propagated', ['propagated'], undefined, 'ret']);
  assert.deepEqual(uses(idx, 'probe_alias'), ['propagated', ['propagated'], undefined, 'ret']);
  assert.deepEqual(uses(idx, 'probe_cond'), ['propagated', ['truth-checked', 'propagated'], undefined, 'err']);
  assert.deepEqual(uses(idx, 'probe_q'), ['propagated', ['is-err', 'propagated'], undefined, 'page']);
  // PTR_ERR into `error`, then `goto splat; ... splat: goto out; ... out: return error;` (an earlier label).
  assert.deepEqual(uses(idx, 'probe_root'), ['propagated', ['is-err', 'propagated'], undefined, 'root']);
  // Only the error arm leaves: past `if (ret < 0) return ret;` the local holds no error.
  assert.deepEqual(uses(idx, 'probe_guard'), ['propagated', ['sign-checked', 'propagated'], undefined, 'ret']);
  // `if (!err) err = g();` replaces only a success: the error still reaches `return err`.
  assert.deepEqual(uses(idx, 'probe_first'), ['propagated', ['truth-checked', 'propagated'], undefined, 'err']);
});

test('uses: overwritten when tested then replaced by the caller\'s own code', async () => {
  const idx = await index('uses.c');
  assert.deepEqual(uses(idx, 'probe_i'), ['overwritten', ['truth-checked', 'overwritten'], undefined, undefined]);
  assert.deepEqual(uses(idx, 'probe_j'), ['overwritten', ['sign-checked', 'overwritten'], undefined, undefined]);
  assert.deepEqual(uses(idx, 'probe_k'), ['overwritten', ['truth-checked', 'overwritten'], undefined, 'ret']);
  assert.deepEqual(uses(idx, 'probe_l'), ['overwritten', ['overwritten'], undefined, 'ret']);
  assert.deepEqual(uses(idx, 'probe_z'), ['overwritten', ['truth-checked', 'overwritten'], undefined, undefined]);
  // `page = NULL;` in the error arm is cleanup: the code is checked, not replaced.
  assert.deepEqual(uses(idx, 'probe_add'), ['truth-checked', ['truth-checked'], undefined, 'err']);
});

test('uses: checks, is-err, passed, stored, ignored, unknown', async () => {
  const idx = await index('uses.c');
  assert.deepEqual(uses(idx, 'probe_m'), ['sign-checked', ['sign-checked'], undefined, 'n']);
  assert.deepEqual(uses(idx, 'probe_y'), ['sign-checked', ['sign-checked'], undefined, undefined]);
  for (const f of ['probe_n', 'probe_o', 'probe_x', 'probe_logged']) assert.equal(site(idx, f).use, 'truth-checked', f);
  assert.deepEqual(uses(idx, 'probe_p'), ['is-err', ['is-err'], undefined, 'page']);
  assert.deepEqual(uses(idx, 'probe_r'), ['passed', ['passed'], undefined, 'ret']);
  assert.equal(site(idx, 'probe_s').use, 'stored');
  assert.equal(site(idx, 'probe_t').use, 'stored'); // a file-scope variable
  assert.equal(site(idx, 'probe_u').use, 'ignored');
  assert.equal(site(idx, 'probe_v').use, 'ignored'); // (void)f()
  assert.equal(site(idx, 'probe_w').use, 'unknown'); // arithmetic on the value
  // The condition macros are calls too, whose own value is dropped here.
  assert.equal(site(idx, 'WARN_ON').use, 'ignored');
  assert.equal(site(idx, 'unlikely', 'use_macro_conditions').use, 'overwritten');
});

test('call sites carry caller, line and the column of the callee name', async () => {
  const idx = await index('uses.c');
  const c = site(idx, 'probe_c');
  assert.deepEqual([c.caller, c.line, c.column, c.via, c.file], ['use_compared_through_local', 32, 8, null, 'c/uses.c']);
  assert.equal(idx.problem, undefined);
});

test('definitions: attributes, pointer returns, K&R, syscalls, exports, #if branches', async () => {
  const idx = await index('decls.c');
  const defs = idx.functions.map((f) => [f.name, f.line, f.endLine, f.isStatic, f.exported, f.syscall ?? null]);
  assert.deepEqual(defs, [
    ['demo_init', 10, 13, true, false, null],
    ['demo_exit', 15, 18, true, false, null],
    ['demo_grab', 20, 23, true, true, null],
    ['sys_demo', 25, 28, false, false, 'demo'],
    ['sys_demowrite', 30, 34, false, false, 'demowrite'],
    ['compat_sys_demo32', 36, 39, false, false, 'demo32'],
    ['demo_old_style', 41, 46, false, false, null],
    ['demo_locked', 48, 51, false, false, null],
    ['demo_pick', 54, 57, false, true, null],
    ['demo_pick', 59, 62, false, true, null],
    ['demo_body_branches', 65, 77, false, false, null],
    ['demo_inline', 79, 82, true, false, null],
  ]);
  const sig = (n: string) => idx.functions.find((f) => f.name === n)!.signature;
  assert.equal(sig('demo_grab'), 'static noinline struct page * __must_check demo_grab(struct address_space *mapping)');
  assert.equal(sig('sys_demowrite'), 'SYSCALL_DEFINE3(demowrite, unsigned int, fd, const char __user *, buf, size_t, count)');
  assert.equal(sig('sys_demo'), 'asmlinkage long sys_demo(int fd)');
  assert.deepEqual(idx.exports, ['demo_grab', 'demo_pick']);
  assert.equal(site(idx, 'do_demo_write').caller, 'sys_demowrite');
  assert.equal(site(idx, 'do_demo', 'compat_sys_demo32').use, 'propagated');
  // Both #if branches, at file scope and inside a body.
  assert.equal(site(idx, 'fast_pick').use, 'propagated');
  assert.equal(site(idx, 'slow_pick').use, 'propagated');
  assert.deepEqual(uses(idx, 'pick_a'), ['propagated', ['propagated'], undefined, 'ret']);
  assert.deepEqual(uses(idx, 'pick_b'), ['propagated', ['propagated'], undefined, 'ret']);
  assert.equal(idx.calls.some((c) => c.callee.startsWith('EXPORT_')), false);
});

test('macros: wrappers, calls in other macro bodies, calls inside macro arguments', async () => {
  const idx = await index('decls.c');
  assert.deepEqual(idx.macros.map((m) => [m.name, m.callee, m.line]), [['demo_lock', '__demo_lock', 5], ['demo_check', 'demo_do_check', 6]]);
  const inMacro = idx.calls.filter((c) => c.caller === null && c.line === 7).map((c) => [c.callee, c.column, c.use]);
  assert.deepEqual(inMacro, [['step_one', 29, 'unknown'], ['step_two', 42, 'unknown']]);
  assert.deepEqual(idx.refs.map((r) => [r.function, r.argumentOf]), [['demo_init', 'module_init']]);
});

test('function pointers: ops initialisers, field assignments, indirect calls, references', async () => {
  const idx = await index('pointers.c');
  assert.deepEqual(idx.bindings.map((b) => [b.field, b.function, b.owner ?? null, b.line]), [
    ['.writepage', 'demo_writepage', 'demo_ordered_aops', 14],
    ['.releasepage', 'demo_releasepage', 'demo_ordered_aops', 15],
    ['.remove', 'demo_remove', 'demo_ordered_aops', 19],
    ['.writepage', 'demo_writepage', 'ops', 57],
    ['.releasepage', 'demo_releasepage', null, 58],
    ['.b_end_io', 'end_buffer_io_sync', 'bh', 59],
  ]);
  const rel = site(idx, '.releasepage');
  assert.deepEqual([rel.caller, rel.via, rel.use, rel.line, rel.column], ['try_release', '.releasepage', 'propagated', 42, 26]);
  const write = site(idx, '.write');
  assert.deepEqual([write.via, write.use, write.uses, write.local], ['.write', 'propagated', ['sign-checked', 'propagated'], 'err']);
  assert.deepEqual(uses(idx, '*actor'), ['compared', ['compared'], ['-EAGAIN'], undefined]);
  assert.deepEqual(idx.refs.map((r) => [r.function, r.inFunction, r.argumentOf ?? null, r.line]), [
    ['get_one', null, null, 22],
    ['put_one', null, null, 22],
    ['get_one', 'demo_writepage', 'walk_buffers', 28],
    ['put_one', 'demo_writepage', 'walk_buffers', 30],
  ]);
});

test('broken C: a partial index and the problem said, never a throw', async () => {
  const idx = await index('broken.c');
  assert.equal(site(idx, 'probe_before').use, 'propagated');
  assert.ok(idx.functions.some((f) => f.name === 'fine_before'));
  assert.match(idx.problem ?? '', /syntax errors near line 9/);
  parser ??= await createCParser();
  for (const junk of ['', '}}}}', '((((((', 'int f(', '#if\n#else', '\0\0\0', 'x'.repeat(100000), '{'.repeat(5000)]) {
    const r = indexFile(parser, 'junk.c', junk);
    assert.equal(r.file, 'junk.c');
  }
});

test('latin-1 bytes: decoded byte per character, positions kept', async () => {
  const idx = await index('latin1.c');
  const c = site(idx, 'probe_latin');
  assert.deepEqual([c.caller, c.line, c.column, c.use], ['latin_fn', 5, 21, 'propagated']);
  assert.equal(idx.problem, undefined);
});

test('oversized input is skipped with the option to change named', async () => {
  parser ??= await createCParser();
  const idx = indexFile(parser, 'big.c', 'int x;\n'.repeat(20), { maxChars: 50 });
  assert.match(idx.problem ?? '', /maxChars/);
  assert.equal(idx.functions.length, 0);
  assert.match(idx.hash, /^[0-9a-f]{40}$/);
});
