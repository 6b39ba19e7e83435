// A small kernel-like tree for the project-index tests, written here in our own words (the
// shapes of the 2.6.27 dio/ext3 code, not its text), created in a temporary folder per test so
// that tests may change files freely. The cache always goes to a separate temporary folder.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

export const FILES: Record<string, string> = {
  'mm/truncate.c': `
#include <linux/fs.h>

int invalidate_inode_pages2_range(struct address_space *mapping, unsigned long start, unsigned long end)
{
	int ret = 0;
	if (!try_to_release_page(mapping, start))
		ret = -EIO;
	return ret;
}
EXPORT_SYMBOL_GPL(invalidate_inode_pages2_range);

int invalidate_inode_pages2(struct address_space *mapping)
{
	return invalidate_inode_pages2_range(mapping, 0, ~0UL);
}
`,
  'mm/filemap.c': `
#include <linux/fs.h>

int try_to_release_page(struct address_space *mapping, unsigned long index)
{
	if (mapping->a_ops->releasepage)
		return mapping->a_ops->releasepage(mapping, index);
	return 1;
}

long generic_file_direct_write(struct address_space *mapping, long pos)
{
	long written;
	written = invalidate_inode_pages2_range(mapping, pos, pos + 1);
	if (written)
		goto out;
	if (invalidate_range_quick(mapping) < 0)
		written = -EINVAL;
out:
	return written;
}
`,
  'fs/ext3/inode.c': `
#include <linux/fs.h>

static int ext3_releasepage(struct address_space *mapping, unsigned long index)
{
	return index != 0;
}

static int ext3_writepage(struct address_space *mapping, unsigned long index)
{
	return 0;
}

static const struct address_space_operations ext3_ordered_aops = {
	.releasepage	= ext3_releasepage,
	.writepage	= ext3_writepage,
};
`,
  'fs/nfs/dir.c': `
#include <linux/fs.h>

static int nfs_revalidate_mapping_range(struct address_space *mapping)
{
	int err = invalidate_inode_pages2_range(mapping, 0, 10);
	if (err == -EBUSY)
		return 0;
	return err;
}

static void nfs_zap(struct address_space *mapping)
{
	invalidate_inode_pages2_range(mapping, 0, 1);
}
`,
  'include/linux/fs.h': `
#ifndef FS_H
#define FS_H
struct address_space;
struct address_space_operations {
	int (*releasepage)(struct address_space *, unsigned long);
	int (*writepage)(struct address_space *, unsigned long);
};
int __invalidate_range(struct address_space *mapping, int quick);
#define invalidate_range_quick(m) __invalidate_range(m, 1)
#endif
`,
  'mm/invalidate.c': `
#include <linux/fs.h>

int __invalidate_range(struct address_space *mapping, int quick)
{
	return quick ? -EAGAIN : 0;
}

int shrink_mapping(struct address_space *mapping)
{
	int err = __invalidate_range(mapping, 0);
	if (IS_ERR_VALUE(err))
		return err;
	return 0;
}
`,
  // Broken C: an unfinished function, then a good one. The good one must still be indexed.
  'drivers/broken/broken.c': `
int half_written(int x
{
	if (x
}

int still_fine(struct address_space *m)
{
	return invalidate_inode_pages2(m);
}
`,
};

/** A file not valid UTF-8 (a Latin-1 name in a comment, as in old drivers). */
export const LATIN1_FILE = 'drivers/old/latin.c';
export const LATIN1_BYTES = Buffer.concat([
  Buffer.from('/* (c) Fran', 'latin1'), Buffer.from([0xe7]), Buffer.from('ois */\nint old_probe(struct address_space *m)\n{\n\treturn invalidate_inode_pages2(m);\n}\n', 'latin1'),
]);

/** A generated table over the size limit the tests set (LIMIT bytes). */
export const BIG_FILE = 'drivers/fw/table.h';
export const LIMIT = 8192;
export function bigTable(): string {
  const rows: string[] = ['static const unsigned char fw_table[] = {'];
  while (rows.join('\n').length < LIMIT * 2) rows.push('\t0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,');
  rows.push('};', 'int fw_load(void) { return invalidate_inode_pages2(0); }');
  return rows.join('\n');
}

export interface Fixture {
  root: string;
  cache: string;
  write(rel: string, text: string | Buffer): void;
  cleanup(): void;
}

export function makeTree(extra = true): Fixture {
  const base = mkdtempSync(join(tmpdir(), 'kpl-index-'));
  const root = join(base, 'linux');
  const cache = join(base, 'cache');
  const write = (rel: string, text: string | Buffer) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  for (const [rel, text] of Object.entries(FILES)) write(rel, text);
  if (extra) {
    write(LATIN1_FILE, LATIN1_BYTES);
    write(BIG_FILE, bigTable());
  }
  // Not source files: must be ignored by the walk and the scanners alike.
  write('Documentation/notes.txt', 'invalidate_inode_pages2_range(mapping, 0, 1);\n');
  write('.git-like/hidden.c', 'int hidden(void) { return invalidate_inode_pages2_range(0, 0, 0); }\n');
  return { root, cache, write, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

/** Every path under `dir` with its size and mtime: proves a run wrote nothing there. */
export function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out.push(`${relative(dir, p)} ${st.size} ${st.mtimeMs}`);
    }
  };
  walk(dir);
  return out.sort();
}
