/*
 * fs/9p/vfs_file.c - 9P file operations (the write side)
 *
 * Kernel Patch Lens example tree. A simplified re-implementation, written for the example,
 * of Linux 2.6.27's v9fs file write. 9P writes go to the server synchronously; afterwards
 * the cached pages of the written range are dropped, and the result of that is ignored.
 */

#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>

#define P9_IOHDRSZ	24

struct p9_client {
	int msize;
};

struct p9_fid {
	struct p9_client *clnt;
	unsigned int iounit;
};

extern int p9_client_read(struct p9_fid *fid, char *data, char __user *udata,
			  u64 offset, u32 count);
extern int p9_client_write(struct p9_fid *fid, char *data, const char __user *udata,
			   u64 offset, u32 count);
extern int v9fs_file_open(struct inode *inode, struct file *file);
extern int v9fs_dir_release(struct inode *inode, struct file *filp);

static ssize_t
v9fs_file_read(struct file *filp, char __user *udata, size_t count,
	       loff_t *offset)
{
	struct p9_fid *fid = filp->private_data;
	int ret;

	ret = p9_client_read(fid, NULL, udata, *offset, count);
	if (ret > 0)
		*offset += ret;

	return ret;
}

/**
 * v9fs_file_write - write to a file
 * @filp: file pointer to write
 * @data: data buffer to write data from
 * @count: size of buffer
 * @offset: offset at which to write data
 *
 * Writes in chunks of at most one 9P message. Returns the bytes written, or the error of
 * the first chunk that failed when nothing was written.
 */
static ssize_t
v9fs_file_write(struct file *filp, const char __user *data,
		size_t count, loff_t *offset)
{
	int n, rsize, total = 0;
	struct p9_fid *fid;
	struct p9_client *clnt;
	struct inode *inode = filp->f_mapping->host;
	loff_t origin = *offset;

	fid = filp->private_data;
	clnt = fid->clnt;

	rsize = fid->iounit;
	if (!rsize || rsize > clnt->msize - P9_IOHDRSZ)
		rsize = clnt->msize - P9_IOHDRSZ;

	n = 0;
	do {
		if (count < rsize)
			rsize = count;

		n = p9_client_write(fid, NULL, data + total, origin + total, rsize);
		if (n <= 0)
			break;
		count -= n;
		total += n;
	} while (count > 0);

	if (total > 0) {
		invalidate_inode_pages2_range(inode->i_mapping,
					      origin >> PAGE_CACHE_SHIFT,
					      (origin + total) >> PAGE_CACHE_SHIFT);
		*offset += total;
	}

	if (n < 0)
		return n;

	return total;
}

const struct file_operations v9fs_file_operations = {
	.llseek = generic_file_llseek,
	.read = v9fs_file_read,
	.write = v9fs_file_write,
	.open = v9fs_file_open,
	.release = v9fs_dir_release,
};
