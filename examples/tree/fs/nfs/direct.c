/*
 * fs/nfs/direct.c - NFS client O_DIRECT writes (the end of one)
 *
 * Kernel Patch Lens example tree. A simplified re-implementation, written for the example,
 * of the 2.6.2x NFS direct write entry point. It sends the data straight to the server and
 * then drops any cached pages of the file; whether that succeeds does not change the
 * result of the write, so the value is ignored.
 */

#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/aio.h>
#include <linux/uio.h>
#include <linux/pagemap.h>
#include <linux/nfs_fs.h>

extern ssize_t nfs_direct_write(struct kiocb *iocb, const struct iovec *iov,
				unsigned long nr_segs, loff_t pos, size_t count);

ssize_t nfs_file_direct_write(struct kiocb *iocb, const struct iovec *iov,
				unsigned long nr_segs, loff_t pos)
{
	ssize_t retval = -EINVAL;
	struct file *file = iocb->ki_filp;
	struct address_space *mapping = file->f_mapping;
	size_t count;

	count = iov_length(iov, nr_segs);

	retval = generic_write_checks(file, &pos, &count, 0);
	if (retval)
		goto out;

	retval = -EINVAL;
	if ((ssize_t) count < 0)
		goto out;
	retval = 0;
	if (!count)
		goto out;

	retval = nfs_sync_mapping(mapping);
	if (retval)
		goto out;

	retval = nfs_direct_write(iocb, iov, nr_segs, pos, count);

	/*
	 * Cached pages of the range are stale now. Dropping them is best effort:
	 * the write has happened whatever comes of it.
	 */
	if (mapping->nrpages)
		invalidate_inode_pages2(mapping);

	if (retval > 0)
		iocb->ki_pos = pos + retval;

out:
	return retval;
}
