// The cheap answers that keep a wide fan-out fast must agree with the syntax tree they replace:
// receivers and binding types read from a line, and whether a verdict needs the caller's body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexFile } from '../../../server/index/file-indexer';
import { createCParser } from '../../../server/index/parser';
import { bindingTypeFromText, bindingTypeIn, receiverFromText, receiverIn } from '../../../server/impact/receiver';
import { needsBody } from '../../../server/impact/verdict';
import type { CallSite } from '../../../server/model';
import type { TreeSource } from '../../../server/tree';

const FILE = 'drivers/demo.c';
const TEXT = [
  'static const struct file_operations demo_fops = {',
  '\t.write = demo_write,',
  '};',
  'typedef struct tty_operations tops_t;',
  'static struct tty_operations demo_compat_tops = {',
  '#ifdef CONFIG_COMPAT',
  '\t.compat_ioctl = demo_compat,',
  '#endif',
  '};',
  'static tops_t demo_tops = {',
  '\t.write = demo_tty_write,',
  '};',
  'int a(struct file *file, char *buf)',
  '{',
  '\tint ret = file->f_op->write(file, buf, 1);',
  '\treturn file->f_op->write(file, buf, 2);',
  '}',
  'int b(struct sysdev_class *cls)',
  '{',
  '\tstruct sysdev_driver *drv;',
  '\tlist_for_each_entry(drv, &cls->drivers, entry)',
  '\t\tdrv->add(cls);',
  '\tif (cls->ops)',
  '\t\tcls->ops->add(cls);',
  '\treturn apic_probe[1]->probe(cls) + (*pp)->probe(cls) + get(cls)->ops->probe(cls);',
  '}',
  'int c(struct mtd_info *mtd)',
  '{',
  '\tmtd->write = c;',
  '\treturn (*(mtd->write))(mtd, 0)',
  '\t\t+ mtd',
  '\t\t->write(mtd, 1);',
  '}',
  '',
].join('\n');
const source: TreeSource = { root: '/demo', description: 'demo', read: (f) => (f === FILE ? TEXT : undefined) };

test('a receiver read from the line is the one the syntax tree gives, or left to the tree', async () => {
  const parser = await createCParser();
  try {
    const index = indexFile(parser, FILE, TEXT);
    const tree = parser.parse(TEXT)!;
    const via = index.calls.filter((s) => s.via);
    assert.ok(via.length >= 8, `indirect sites found: ${via.length}`);
    const quick = new Map<string, string | null | undefined>();
    for (const s of via) {
      const q = receiverFromText(s, source);
      quick.set(`${s.line}:${s.column}`, q);
      if (q !== undefined) assert.equal(q, receiverIn(tree.rootNode, s), `line ${s.line}: ${TEXT.split('\n')[s.line - 1]}`);
    }
    const at = (line: number, field: string) => quick.get(`${line}:${TEXT.split('\n')[line - 1].indexOf(`${field}(`) + 1}`);
    assert.equal(at(15, 'write'), 'f_op');
    assert.equal(at(16, 'write'), 'f_op', '`return` before the chain is a keyword, not the object');
    assert.equal(at(22, 'add'), undefined, 'after an unexpanded iterator macro the tree decides');
    assert.equal(at(24, 'add'), undefined, 'a line above that does not end a statement: the tree decides');
    assert.equal(at(25, 'probe'), 'apic_probe');
    tree.delete();
  } finally {
    parser.delete();
  }
});

test('a binding\'s struct type read from the text is the one the syntax tree gives, or left to the tree', async () => {
  const parser = await createCParser();
  try {
    const index = indexFile(parser, FILE, TEXT);
    const tree = parser.parse(TEXT)!;
    assert.ok(index.bindings.length >= 4, `bindings found: ${index.bindings.length}`);
    let read = 0;
    for (const b of index.bindings) {
      const q = bindingTypeFromText(b, source);
      if (q !== undefined) { read++; assert.equal(q, bindingTypeIn(tree.rootNode, b), `${b.field} = ${b.function} (owner ${b.owner})`); }
    }
    assert.ok(read >= 3, `read from the text: ${read}`);
    tree.delete();
  } finally {
    parser.delete();
  }
  assert.equal(bindingTypeFromText({ file: FILE, line: 8, field: '.compat_ioctl', function: 'demo_compat', owner: 'CONFIG_COMPAT' }, source), 'tty_operations');
  assert.equal(bindingTypeFromText({ file: FILE, line: 29, field: '.write', function: 'c', owner: 'mtd' }, source), null, 'an assignment is in no declaration');

  assert.equal(bindingTypeFromText({ file: FILE, line: 2, field: '.write', function: 'demo_write', owner: 'demo_fops' }, source), 'file_operations');
  assert.equal(bindingTypeFromText({ file: FILE, line: 11, field: '.write', function: 'demo_tty_write', owner: 'demo_tops' }, source), undefined);
  assert.equal(bindingTypeFromText({ file: FILE, line: 2, field: '.write', function: 'demo_write' }, source), 'file_operations', 'no owner: the initialiser opening above');
});

test('the index holds every indirect site\'s receiver and every binding\'s struct type, as the syntax tree gives them', async () => {
  const parser = await createCParser();
  try {
    const index = indexFile(parser, FILE, TEXT);
    const tree = parser.parse(TEXT)!;
    const via = index.calls.filter((s) => s.via);
    // receiverIn finds a call only where its object starts on the field's line and the file's
    // tree holds the call whole; the index sees `mtd\n->write(...)` (mtd), and says '' (keep the
    // site) for the call an unexpanded iterator macro runs into.
    for (const s of via) {
      const fromTree = receiverIn(tree.rootNode, s);
      if (fromTree !== null) assert.equal(s.receiver, fromTree, `line ${s.line}: ${TEXT.split('\n')[s.line - 1]}`);
      else assert.ok([22, 32].includes(s.line), `line ${s.line}`);
    }
    assert.deepEqual(via.map((s) => s.receiver).sort(), ['', 'apic_probe', 'f_op', 'f_op', 'mtd', 'mtd', 'ops', 'ops', 'pp'].sort());
    assert.ok(index.calls.filter((s) => !s.via).every((s) => s.receiver === undefined), 'direct calls have none');
    for (const b of index.bindings) assert.equal(b.ownerType, bindingTypeIn(tree.rootNode, b) ?? '', `${b.field} = ${b.function}`);
    assert.deepEqual(index.bindings.map((b) => `${b.function}:${b.ownerType}`).sort(), ['c:', 'demo_compat:tty_operations', 'demo_tty_write:', 'demo_write:file_operations']);
    tree.delete();
  } finally {
    parser.delete();
  }
});

test('the caller\'s body is parsed only when the verdict reads it', () => {
  const site = (uses: CallSite['uses'], more: Partial<CallSite> = {}): CallSite => ({
    file: FILE, line: 10, column: 1, caller: 'a', callee: 'f', use: uses[0], uses, via: null, ...more,
  });
  const eioToEbusy = { before: ['-EIO'], after: ['-EBUSY'] }, eioToOk = { before: ['-EIO'], after: ['0'] };
  assert.equal(needsBody(site(['propagated']), eioToEbusy), false, '`return f();`: nothing to read');
  assert.equal(needsBody(site(['propagated'], { local: 'ret' }), eioToEbusy), true, 'is `ret` returned only under tests?');
  assert.equal(needsBody(site(['compared'], { comparedWith: ['-EINVAL'] }), eioToEbusy), false);
  assert.equal(needsBody(site(['compared'], { comparedWith: ['-EBUSY'] }), eioToEbusy), true);
  assert.equal(needsBody(site(['sign-checked']), eioToEbusy), false, 'both negative: the same branch');
  assert.equal(needsBody(site(['sign-checked']), eioToOk), true, 'the branch flips: described from the body');
  assert.equal(needsBody(site(['ignored', 'stored', 'passed']), eioToOk), false);
});
