/*
 * fs/ext3/file.c - ext3 regular file operations
 *
 * Kernel Patch Lens example tree. A simplified version, written for the example, of
 * Linux 2.6.27's ext3 file_operations. ext3 does its reads and writes through the generic
 * page cache code: write(2) arrives in do_sync_write(), which calls ->aio_write.
 * (2.6.27 had a thin ext3_file_write() wrapper in between that only adds O_SYNC journal
 * handling; the example binds generic_file_aio_write directly, as later kernels do.)
 */

#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/ext3_fs.h>

extern int ext3_release_file(struct inode *inode, struct file *filp);
extern int ext3_sync_file(struct file *file, struct dentry *dentry, int datasync);

const struct file_operations ext3_file_operations = {
	.llseek		= generic_file_llseek,
	.read		= do_sync_read,
	.write		= do_sync_write,
	.aio_read	= generic_file_aio_read,
	.aio_write	= generic_file_aio_write,
	.mmap		= generic_file_mmap,
	.open		= generic_file_open,
	.release	= ext3_release_file,
	.fsync		= ext3_sync_file,
};
