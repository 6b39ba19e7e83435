/*
 * fs/nfs/inode.c - NFS client inode cache revalidation
 *
 * Kernel Patch Lens example tree. A simplified re-implementation, written for the example,
 * of how Linux 2.6.27's NFS client drops its cached file data when the server says the file
 * changed. Unlike direct I/O, this caller passes the invalidation error on: a read(2) on
 * an NFS file returns it. Note that NFS has a ->launder_page, so invalidation can also fail
 * with whatever writing a dirty page back to the server returned.
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/nfs_fs.h>

/* Mark the cached data of an inode as stale; the next revalidation drops it. */
void nfs_zap_mapping(struct inode *inode, struct address_space *mapping)
{
	if (mapping->nrpages != 0) {
		spin_lock(&inode->i_lock);
		NFS_I(inode)->cache_validity |= NFS_INO_INVALID_DATA;
		spin_unlock(&inode->i_lock);
	}
}

/*
 * Drop every cached page of the file and clear the "data invalid" flag. The caller holds
 * i_mutex. If a page cannot be dropped the flag stays set, so that the next access tries
 * again, and the error goes back to the caller.
 */
static int nfs_invalidate_mapping_nolock(struct inode *inode, struct address_space *mapping)
{
	struct nfs_inode *nfsi = NFS_I(inode);

	if (mapping->nrpages != 0) {
		int ret = invalidate_inode_pages2(mapping);
		if (ret < 0)
			return ret;
	}
	spin_lock(&inode->i_lock);
	nfsi->cache_validity &= ~NFS_INO_INVALID_DATA;
	spin_unlock(&inode->i_lock);
	nfs_inc_stats(inode, NFSIOS_DATAINVALIDATE);
	return 0;
}

/*
 * As above, taking i_mutex, and writing dirty pages back first; the flag is rechecked
 * under the mutex because another task may have done the work meanwhile.
 */
int nfs_invalidate_mapping(struct inode *inode, struct address_space *mapping)
{
	int ret = 0;

	mutex_lock(&inode->i_mutex);
	if (NFS_I(inode)->cache_validity & NFS_INO_INVALID_DATA) {
		ret = nfs_sync_mapping(mapping);
		if (ret == 0)
			ret = nfs_invalidate_mapping_nolock(inode, mapping);
	}
	mutex_unlock(&inode->i_mutex);
	return ret;
}

/**
 * nfs_revalidate_mapping - make sure the cached data of a file is current
 * @inode: the file
 * @mapping: its page cache
 *
 * Refreshes the attributes from the server when they may be stale; if that shows the
 * data changed, the cached pages go. Returns 0 or a negative error, which the read and
 * mmap paths return as they are.
 */
int nfs_revalidate_mapping(struct inode *inode, struct address_space *mapping)
{
	struct nfs_inode *nfsi = NFS_I(inode);
	int ret = 0;

	if ((nfsi->cache_validity & NFS_INO_REVAL_PAGECACHE)
			|| nfs_attribute_timeout(inode) || nfs_stale(inode)) {
		ret = __nfs_revalidate_inode(NFS_SERVER(inode), inode);
		if (ret < 0)
			goto out;
	}
	if (nfsi->cache_validity & NFS_INO_INVALID_DATA)
		ret = nfs_invalidate_mapping(inode, mapping);
out:
	return ret;
}
