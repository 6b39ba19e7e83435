/*
 * fs/nfs/dir.c - NFS client directory page cache (one function of it)
 *
 * Kernel Patch Lens example tree. A simplified re-implementation, written for the example,
 * of how Linux 2.6.27's NFS readdir fills a page of the directory cache. After refilling
 * a page it drops the pages behind it, whose contents may no longer line up; a failure is
 * only sign-checked, and turned into "revalidate later".
 */

#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/nfs_fs.h>

struct nfs_readdir_descriptor {
	struct file *file;
	struct page *page;
	int error;
	int plus;
};

extern int nfs_readdir_rpc(struct nfs_readdir_descriptor *desc, struct page *page);
extern void nfs_zap_caches(struct inode *inode);

/* Fill one page of a directory's cache from the server. Runs as ->readpage via read_cache_page. */
int nfs_readdir_filler(struct nfs_readdir_descriptor *desc, struct page *page)
{
	struct file *file = desc->file;
	struct inode *inode = file->f_mapping->host;
	int error;

	error = nfs_readdir_rpc(desc, page);
	if (error < 0)
		goto error;
	SetPageUptodate(page);

	/*
	 * The pages after this one may hold entries at other offsets now. We hold
	 * i_mutex, so nobody else is filling them.
	 */
	if (invalidate_inode_pages2_range(inode->i_mapping, page->index + 1, -1) < 0) {
		/* Should never happen; if it does, drop the cache at the next look */
		nfs_zap_mapping(inode, inode->i_mapping);
	}
	unlock_page(page);
	return 0;
 error:
	unlock_page(page);
	nfs_zap_caches(inode);
	desc->error = error;
	return -EIO;
}
