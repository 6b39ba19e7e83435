/*
 * fs/nfs/file.c - NFS client regular file operations (the read side)
 *
 * Kernel Patch Lens example tree. A simplified version, written for the example, of
 * Linux 2.6.27's NFS file operations. Reads and mmaps first revalidate the cached data
 * (fs/nfs/inode.c) and fail with its error. The write side is left out of the example:
 * NFS sends O_DIRECT writes down its own path (fs/nfs/direct.c), never through
 * generic_file_direct_write().
 */

#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/aio.h>
#include <linux/uio.h>
#include <linux/nfs_fs.h>

extern int nfs_file_open(struct inode *inode, struct file *filp);
extern int nfs_file_release(struct inode *inode, struct file *filp);

static ssize_t
nfs_file_read(struct kiocb *iocb, const struct iovec *iov,
		unsigned long nr_segs, loff_t pos)
{
	struct file *filp = iocb->ki_filp;
	struct inode *inode = filp->f_mapping->host;
	ssize_t result;

	result = nfs_revalidate_mapping(inode, iocb->ki_filp->f_mapping);
	if (!result)
		result = generic_file_aio_read(iocb, iov, nr_segs, pos);
	return result;
}

static int
nfs_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct inode *inode = file->f_mapping->host;
	int status;

	status = nfs_revalidate_mapping(inode, file->f_mapping);
	if (!status)
		status = generic_file_mmap(file, vma);
	return status;
}

const struct file_operations nfs_file_operations = {
	.llseek		= generic_file_llseek,
	.read		= do_sync_read,
	.aio_read	= nfs_file_read,
	.mmap		= nfs_file_mmap,
	.open		= nfs_file_open,
	.release	= nfs_file_release,
};
