// Wrapper macros are scoped by where they are defined (server/index/macro-scope.ts): an
// architecture's macro is not applied to another architecture, nor to generic code that other
// definitions serve; a .c file's macro stays in that file; a generic header's macro applies
// everywhere. The tree is written here, in the shapes of 2.6.27's ioremap/xen/driver headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CallSite } from '../../../server/model';
import { indexTree, openCallGraph } from '../../../server/index/project';
import { archOf, definitionsInEffect } from '../../../server/index/macro-scope';

const TREE: Record<string, string> = {
  // ARM: ioremap -> __arch_ioremap (generic ARM header) -> __ixp_ioremap (one machine's header).
  'arch/arm/include/asm/io.h': `
#define ioremap(cookie, size) __arch_ioremap(cookie, size, 0)
`,
  'arch/arm/mach-ixp/include/mach/io.h': `
#define __arch_ioremap(a, s, f) __ixp_ioremap(a, s, f)
`,
  'arch/arm/mach-ixp/common.c': `
void *__ixp_ioremap(unsigned long addr, unsigned long size, int flags)
{
	return (void *)addr;
}

int ixp_setup(void)
{
	void *regs = ioremap(0x1000, 64);
	return regs ? 0 : -ENOMEM;
}
`,
  // Another ARM machine never sees mach-ixp's header; ARM-wide code may be built with it.
  'arch/arm/mach-pxa/ssp.c': `
int ssp_probe(void)
{
	void *p = ioremap(0x5000, 8);
	return p ? 0 : -ENOMEM;
}
`,
  'arch/arm/mm/iomap.c': `
void *arm_iomap(unsigned long addr)
{
	return ioremap(addr, 4096);
}
`,
  // MIPS and SH have their own ioremap: a macro and a header function.
  'include/asm-mips/io.h': `
#define ioremap(offset, size) __mips_ioremap(offset, size, 0)
`,
  'include/asm-sh/io.h': `
static inline void *ioremap(unsigned long offset, unsigned long size)
{
	return __sh_ioremap(offset, size);
}
`,
  'arch/mips/kernel/setup.c': `
int mips_setup(void)
{
	void *p = ioremap(0x2000, 16);
	return p ? 0 : -ENOMEM;
}
`,
  'arch/alpha/kernel/core.c': `
int alpha_probe(void)
{
	void *p = ioremap(0x3000, 16);
	return p ? 0 : -ENODEV;
}
`,
  // Generic driver: ioremap is the interface every architecture provides.
  'drivers/net/card.c': `
int card_probe(void)
{
	void *p = ioremap(0x4000, 32);
	return p ? 0 : -EIO;
}
`,
  // A macro only x86 defines: generic code calling it can only be built there.
  'include/asm-x86/xen/page.h': `
#define virt_to_mfn(v) pfn_to_mfn(v)
`,
  'arch/x86/xen/mmu.c': `
unsigned long pfn_to_mfn(unsigned long pfn)
{
	return pfn;
}

unsigned long xen_mfn(void *v)
{
	return virt_to_mfn(v);
}
`,
  'drivers/xen/balloon.c': `
unsigned long balloon_frame(void *v)
{
	return virt_to_mfn(v);
}
`,
  'arch/sparc/mm/iommu.c': `
unsigned long sparc_frame(void *v)
{
	return virt_to_mfn(v);
}
`,
  'arch/um/kernel/mem.c': `
unsigned long um_frame(void *v)
{
	return virt_to_mfn(v);
}
`,
  // A generic header's wrapper applies everywhere.
  'include/linux/bus.h': `
int bus_read(int reg, int flags);
#define bus_read_quick(r) bus_read(r, 0)
`,
  'drivers/bus/core.c': `
int bus_read(int reg, int flags)
{
	return reg + flags;
}
`,
  // A .c file's own wrapper; another file calls a function of the same name.
  'drivers/a/a.c': `
#define a_read(r) bus_read(r, 1)

int a_probe(void)
{
	return a_read(4) + bus_read_quick(5);
}
`,
  'drivers/b/b.c': `
int b_probe(void)
{
	if (a_read(8) < 0)
		return -EIO;
	return bus_read_quick(6);
}
`,
  'arch/mips/kernel/bus.c': `
int mips_bus(void)
{
	return bus_read_quick(7);
}
`,
  // Two drivers' private headers define the same name: each file sees its own folder's.
  'drivers/c/c.h': `
#define reg_get(r) c_reg(r)
`,
  'drivers/c/c.c': `
int c_reg(int r)
{
	return r;
}

int c_probe(void)
{
	return reg_get(1);
}
`,
  'drivers/d/d.h': `
#define reg_get(r) d_reg(r)
`,
  'drivers/d/d.c': `
int d_probe(void)
{
	return reg_get(2);
}
`,
};

function makeScopeTree(): { root: string; cache: string; cleanup(): void } {
  const base = mkdtempSync(join(tmpdir(), 'kpl-macro-scope-'));
  const root = join(base, 'linux');
  for (const [rel, text] of Object.entries(TREE)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return { root, cache: join(base, 'cache'), cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

function brief(sites: CallSite[]): string[] {
  return sites.map((c) => `${c.file}:${c.line} ${c.caller}${c.macro ? ` macro ${c.macro}` : ''}`);
}

const NAMES = ['__ixp_ioremap', '__mips_ioremap', '__sh_ioremap', 'pfn_to_mfn', 'bus_read', 'c_reg', 'd_reg'];

test('wrapper macros count only where their definition is in effect (full and lazy alike)', async (t) => {
  const fx = makeScopeTree();
  t.after(fx.cleanup);
  const { graph } = await indexTree(fx.root, { cacheDir: `${fx.cache}-full`, workers: 1 });
  t.after(() => graph.close());
  const lazy = await openCallGraph(fx.root, { cacheDir: `${fx.cache}-lazy`, workers: 1, scanner: 'node' });
  t.after(() => lazy.close());
  for (const name of NAMES) assert.deepEqual(await lazy.callers(name), await graph.callers(name), `callers(${name}) lazy = full`);

  // ARM's ioremap -> __arch_ioremap -> __ixp_ioremap holds in arch/arm only, outside other
  // machines' folders: not in MIPS (its own ioremap), not in alpha (sees no ARM header), not in
  // a generic driver (several architectures define ioremap: a call of the interface).
  assert.deepEqual(brief(await graph.callers('__ixp_ioremap')), [
    'arch/arm/mach-ixp/common.c:9 ixp_setup macro ioremap',
    'arch/arm/mm/iomap.c:4 arm_iomap macro ioremap',
  ]);
  assert.deepEqual(brief(await graph.callers('__mips_ioremap')), ['arch/mips/kernel/setup.c:4 mips_setup macro ioremap']);
  // SH's ioremap is a function body: its callers are ioremap's, not __sh_ioremap's.
  assert.deepEqual(brief(await graph.callers('__sh_ioremap')), ['include/asm-sh/io.h:4 ioremap']);
});

test('an architecture-only macro reaches generic code, not other architectures (um sees x86)', async (t) => {
  const fx = makeScopeTree();
  t.after(fx.cleanup);
  const { graph } = await indexTree(fx.root, { cacheDir: fx.cache, workers: 1 });
  t.after(() => graph.close());
  assert.deepEqual(brief(await graph.callers('pfn_to_mfn')), [
    'arch/um/kernel/mem.c:4 um_frame macro virt_to_mfn',
    'arch/x86/xen/mmu.c:9 xen_mfn macro virt_to_mfn',
    'drivers/xen/balloon.c:4 balloon_frame macro virt_to_mfn',
  ]);
});

test('a .c file keeps its macros; a generic header macro applies everywhere; a folder sees its own header', async (t) => {
  const fx = makeScopeTree();
  t.after(fx.cleanup);
  const { graph } = await indexTree(fx.root, { cacheDir: fx.cache, workers: 1 });
  t.after(() => graph.close());
  assert.deepEqual(brief(await graph.callers('bus_read')), [
    'arch/mips/kernel/bus.c:4 mips_bus macro bus_read_quick',
    'drivers/a/a.c:6 a_probe macro a_read',
    'drivers/a/a.c:6 a_probe macro bus_read_quick',
    'drivers/b/b.c:6 b_probe macro bus_read_quick',
  ]);
  assert.deepEqual(brief(await graph.callers('c_reg')), ['drivers/c/c.c:9 c_probe macro reg_get']);
  assert.deepEqual(brief(await graph.callers('d_reg')), ['drivers/d/d.c:4 d_probe macro reg_get']);
});

test('the rule itself: architecture of a path, definitions in effect', () => {
  assert.equal(archOf('arch/arm/mach-ixp/include/mach/io.h'), 'arm');
  assert.equal(archOf('include/asm-x86/io.h'), 'x86');
  assert.equal(archOf('include/asm-generic/io.h'), null);
  assert.equal(archOf('include/linux/io.h'), null);
  assert.equal(archOf('drivers/arch/x.c'), null);
  const machines = [{ file: 'arch/arm/mach-ixp/include/mach/io.h', callee: 'ixp_map' }, { file: 'include/asm-mips/mach-ip27/io.h', callee: 'ip27_map' }];
  assert.deepEqual(definitionsInEffect(machines, 'arch/arm/mach-pxa/ssp.c'), []);
  assert.deepEqual(definitionsInEffect(machines, 'arch/arm/mach-ixp/setup.c').map((d) => d.callee), ['ixp_map']);
  assert.deepEqual(definitionsInEffect(machines, 'arch/mips/sgi-ip27/ip27-init.c').map((d) => d.callee), ['ip27_map']);
  const defs = [
    { file: 'include/asm-arm/io.h', callee: 'arm_map' },
    { file: 'include/asm-generic/io.h', callee: 'generic_map' },
    { file: 'lib/map.c', callee: 'local_map' },
  ];
  const at = (file: string) => definitionsInEffect(defs, file).map((d) => d.callee);
  assert.deepEqual(at('arch/arm/kernel/a.c'), ['arm_map', 'generic_map']);
  assert.deepEqual(at('include/asm-arm/other.h'), ['arm_map']); // same folder: its own header
  assert.deepEqual(at('drivers/x/x.c'), ['generic_map']);
  assert.deepEqual(at('arch/mips/kernel/m.c'), ['generic_map']);
  assert.deepEqual(at('lib/map.c'), ['local_map']);
  // Only one architecture defines the name: generic code gets it; a static function elsewhere does not count.
  const only = [{ file: 'include/asm-x86/page.h', callee: 'x86_frame' }, { file: 'fs/a.c', callee: null, isStatic: true }];
  assert.deepEqual(definitionsInEffect(only, 'drivers/y/y.c').map((d) => d.callee), ['x86_frame']);
  // A non-static function in generic code competes with it: the macro is not applied there.
  const both = [...only, { file: 'lib/frame.c', callee: null }];
  assert.deepEqual(definitionsInEffect(both, 'drivers/y/y.c'), []);
});
