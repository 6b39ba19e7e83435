// FunctionLocator on kernel signatures with section attributes (`__init`, `__devexit`, ...) and
// unknown attribute macros: the enclosing function's real name, never a keyword such as `void`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexFile } from '../../../server/index/file-indexer';
import { createCParser } from '../../../server/index/parser';
import { FunctionLocator } from '../../../server/patch/locate';
import { signatureName } from '../../../server/patch/functions';
import type { TreeSource } from '../../../server/tree';

/** A tree held in memory: file name -> text. */
function memoryTree(files: Record<string, string>): TreeSource {
  return { root: '/nonexistent', description: 'memory', read: (f) => files[f] };
}

// Our own driver-shaped example: a module init that fails with -ENODEV, a remove hook, an
// exit hook, and a probe with an attribute macro the masking does not know.
const DRIVER = [
  '/* demo driver */',                                   // 1
  'static int __init foo_init(void)',                    // 2
  '{',                                                   // 3
  '\tint n = foo_probe_all();',                          // 4
  '\tif (n == 0)',                                       // 5
  '\t\treturn -ENODEV;',                                 // 6
  '\treturn 0;',                                         // 7
  '}',                                                   // 8
  '',                                                    // 9
  'static void __devexit bar_remove(struct pci_dev *pdev)', // 10
  '{',                                                   // 11
  '\tif (!pdev)',                                        // 12
  '\t\treturn;',                                         // 13
  '\tbar_release(pdev, -EIO);',                          // 14
  '}',                                                   // 15
  '',                                                    // 16
  'static void __exit foo_exit(void)',                   // 17
  '{',                                                   // 18
  '\tfoo_unregister(-ENODEV);',                          // 19
  '}',                                                   // 20
  '',                                                    // 21
  'static int __foo_section baz_probe(void)',            // 22
  '{',                                                   // 23
  '\treturn -EBUSY;',                                    // 24
  '}',                                                   // 25
  '',                                                    // 26
  '/**',                                                 // 27
  ' * qux_setup - set up a qux',                         // 28
  ' * Returns -ENOMEM when out of memory.',              // 29
  ' */',                                                 // 30
  'int __devinit qux_setup(void)',                       // 31
  '{',                                                   // 32
  '\treturn -ENOMEM;',                                   // 33
  '}',                                                   // 34
  '',
].join('\n');

const KEYWORDS = new Set(['void', 'int', 'static', 'struct', 'long', 'char', 'unsigned']);

test('section attributes in the signature: the function is named, not `void`', async () => {
  const loc = new FunctionLocator();
  const tree = memoryTree({ 'drivers/demo.c': DRIVER });
  assert.equal(await loc.enclosing(tree, 'drivers/demo.c', 6, false), 'foo_init');
  assert.equal(await loc.enclosing(tree, 'drivers/demo.c', 14, false), 'bar_remove');
  assert.equal(await loc.enclosing(tree, 'drivers/demo.c', 19, false), 'foo_exit');
  assert.equal(await loc.enclosing(tree, 'drivers/demo.c', 33, false), 'qux_setup');
  assert.equal(await loc.enclosing(tree, 'drivers/demo.c', 29, true), 'qux_setup', 'kernel-doc before an __devinit function');
});

test('an attribute macro the masking does not know: the real name from the text, or nothing', async () => {
  const loc = new FunctionLocator();
  const tree = memoryTree({ 'drivers/demo.c': DRIVER });
  const name = await loc.enclosing(tree, 'drivers/demo.c', 24, false);
  assert.equal(name, 'baz_probe');
});

test('no line of the file is ever put in a keyword-named function', async () => {
  const loc = new FunctionLocator();
  const tree = memoryTree({ 'drivers/demo.c': DRIVER });
  const lines = DRIVER.split('\n').length;
  for (let line = 1; line <= lines; line++) {
    for (const doc of [false, true]) {
      const name = await loc.enclosing(tree, 'drivers/demo.c', line, doc);
      assert.ok(!name || !KEYWORDS.has(name), `line ${line}: ${name}`);
    }
  }
});

test('signatureName: a keyword before the parenthesis is no function', () => {
  assert.equal(signatureName('static int __init foo_init(void)'), 'foo_init');
  assert.equal(signatureName('static void (fn)(int x)'), null);
  assert.equal(signatureName('static void'), null);
  assert.equal(signatureName('int (x)'), null);
});

test('with a file index, the index names the function; the parse answers what it does not hold', async () => {
  const loc = new FunctionLocator();
  const tree = memoryTree({ 'drivers/demo.c': DRIVER });
  const parser = await createCParser();
  const index = indexFile(parser, 'drivers/demo.c', DRIVER);
  parser.delete();
  let asked = 0;
  const fromIndex = async () => { asked++; return index.functions; };
  const lines = DRIVER.split('\n').length;
  for (let line = 1; line <= lines; line++) {
    const named = await loc.enclosing(tree, 'drivers/demo.c', line, false, fromIndex);
    const plain = new FunctionLocator();
    const parsed = await plain.enclosing(tree, 'drivers/demo.c', line, false);
    plain.dispose();
    // The same answers, except where the parse is lost (the signature line of an attribute
    // macro it does not know): the index still has the function's lines.
    if (line === 22) assert.deepEqual([parsed, named], [null, 'baz_probe']);
    else assert.equal(named, parsed, `line ${line}`);
  }
  assert.ok(asked > 0);
  // A kernel-doc line is the parse's question (the function after the comment).
  assert.equal(await loc.enclosing(tree, 'drivers/demo.c', 29, true, fromIndex), 'qux_setup');
  // An index that holds nothing there: the parse decides.
  assert.equal(await loc.enclosing(tree, 'drivers/demo.c', 6, false, async () => []), 'foo_init');
  loc.dispose();
});
