/* The NFS client's per-inode state: which caches are known to be stale. */
#ifndef _LINUX_NFS_FS_H
#define _LINUX_NFS_FS_H

#include <linux/fs.h>

#define NFS_INO_INVALID_ATTR	0x0001	/* cached attrs are invalid */
#define NFS_INO_INVALID_DATA	0x0002	/* cached data is invalid */
#define NFS_INO_INVALID_ATIME	0x0004	/* cached atime is invalid */
#define NFS_INO_REVAL_PAGECACHE	0x0020	/* must revalidate pagecache */

struct nfs_server;

struct nfs_inode {
	unsigned long cache_validity;	/* NFS_INO_INVALID_* */
	unsigned long attrtimeo;
	unsigned long read_cache_jiffies;
	struct inode vfs_inode;
};

#define NFS_I(inode)		((struct nfs_inode *)((char *)(inode) - \
					__builtin_offsetof(struct nfs_inode, vfs_inode)))
#define NFS_SERVER(inode)	((struct nfs_server *)(inode)->i_sb->s_fs_info)

extern int nfs_attribute_timeout(struct inode *inode);
extern int nfs_stale(struct inode *inode);
extern int __nfs_revalidate_inode(struct nfs_server *server, struct inode *inode);
extern int nfs_sync_mapping(struct address_space *mapping);
extern void nfs_zap_mapping(struct inode *inode, struct address_space *mapping);
extern int nfs_invalidate_mapping(struct inode *inode, struct address_space *mapping);
extern int nfs_revalidate_mapping(struct inode *inode, struct address_space *mapping);
extern ssize_t nfs_file_direct_write(struct kiocb *iocb, const struct iovec *iov,
			unsigned long nr_segs, loff_t pos);

/* statistics, counted per mount */
enum nfs_stat_eventcounters {
	NFSIOS_INODEREVALIDATE,
	NFSIOS_DATAINVALIDATE,
	NFSIOS_INVALIDATEFAILED,
};
extern void nfs_inc_stats(struct inode *inode, enum nfs_stat_eventcounters stat);

#endif
