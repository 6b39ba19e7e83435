/*
 * The VFS objects the example needs: inodes, files, mappings and the two operation tables
 * that file systems fill in. Calls through these tables (a_ops->releasepage, f_op->aio_write)
 * are how the error code travels from mm/ up to the write system call.
 */
#ifndef _LINUX_FS_H
#define _LINUX_FS_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/errno.h>

struct page;
struct kiocb;
struct iovec;
struct writeback_control;
struct vm_area_struct;
struct super_block;
struct dentry;
struct file_lock;
struct buffer_head;

/* file->f_mode */
#define FMODE_READ	((fmode_t)1)
#define FMODE_WRITE	((fmode_t)2)
#define FMODE_PREAD	((fmode_t)8)
#define FMODE_PWRITE	((fmode_t)16)

/* file->f_flags */
#define O_APPEND	00002000
#define O_SYNC		00010000
#define O_DIRECT	00040000

#define READ	0
#define WRITE	1

#define S_IFMT	00170000
#define S_IFREG	0100000
#define S_IFDIR	0040000
#define S_IFBLK	0060000
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISBLK(m)	(((m) & S_IFMT) == S_IFBLK)

/* address_space->flags: a write-back error is remembered here until someone asks */
#define AS_EIO		0
#define AS_ENOSPC	1

typedef int (get_block_t)(struct inode *inode, sector_t iblock,
			struct buffer_head *bh_result, int create);

struct address_space_operations {
	int (*writepage)(struct page *page, struct writeback_control *wbc);
	int (*readpage)(struct file *, struct page *);
	void (*sync_page)(struct page *);
	int (*writepages)(struct address_space *, struct writeback_control *);
	int (*set_page_dirty)(struct page *page);
	int (*write_begin)(struct file *, struct address_space *mapping,
				loff_t pos, unsigned len, unsigned flags,
				struct page **pagep, void **fsdata);
	int (*write_end)(struct file *, struct address_space *mapping,
				loff_t pos, unsigned len, unsigned copied,
				struct page *page, void *fsdata);
	sector_t (*bmap)(struct address_space *, sector_t);
	void (*invalidatepage)(struct page *, unsigned long);
	int (*releasepage)(struct page *, gfp_t);
	ssize_t (*direct_IO)(int, struct kiocb *, const struct iovec *iov,
			loff_t offset, unsigned long nr_segs);
	int (*launder_page)(struct page *);
};

struct address_space {
	struct inode		*host;		/* owner: inode, block_device */
	rwlock_t		tree_lock;	/* guards the page tree */
	unsigned int		i_mmap_writable;/* count VM_SHARED mappings */
	unsigned long		nrpages;	/* number of cached pages */
	const struct address_space_operations *a_ops;
	unsigned long		flags;		/* AS_EIO, AS_ENOSPC */
	spinlock_t		private_lock;	/* for use by the address_space */
};

struct super_block {
	unsigned long		s_blocksize;
	void			*s_fs_info;	/* the file system's own superblock info */
	const char		*s_id;
};

struct inode {
	unsigned long		i_ino;
	umode_t			i_mode;
	loff_t			i_size;
	spinlock_t		i_lock;
	struct mutex		i_mutex;
	struct super_block	*i_sb;
	struct address_space	*i_mapping;
	struct address_space	i_data;
	void			*i_private;
};

struct path {
	struct dentry *dentry;
};

struct file {
	struct path		f_path;
	const struct file_operations *f_op;
	unsigned int		f_flags;
	fmode_t			f_mode;
	loff_t			f_pos;
	void			*private_data;
	struct address_space	*f_mapping;
};

struct file_operations {
	loff_t (*llseek) (struct file *, loff_t, int);
	ssize_t (*read) (struct file *, char __user *, size_t, loff_t *);
	ssize_t (*write) (struct file *, const char __user *, size_t, loff_t *);
	ssize_t (*aio_read) (struct kiocb *, const struct iovec *, unsigned long, loff_t);
	ssize_t (*aio_write) (struct kiocb *, const struct iovec *, unsigned long, loff_t);
	int (*mmap) (struct file *, struct vm_area_struct *);
	int (*open) (struct inode *, struct file *);
	int (*release) (struct inode *, struct file *);
	int (*fsync) (struct file *, struct dentry *, int datasync);
	int (*lock) (struct file *, int, struct file_lock *);
};

static inline loff_t i_size_read(const struct inode *inode)
{
	return inode->i_size;
}

static inline void i_size_write(struct inode *inode, loff_t i_size)
{
	inode->i_size = i_size;
}

#define IS_SYNC(inode)	0

extern struct inode *file_inode_of(struct file *file);
extern void mark_inode_dirty(struct inode *inode);

/* mm/truncate.c */
extern void truncate_inode_pages(struct address_space *mapping, loff_t lstart);
extern void truncate_inode_pages_range(struct address_space *mapping,
				loff_t lstart, loff_t lend);
extern unsigned long invalidate_mapping_pages(struct address_space *mapping,
					pgoff_t start, pgoff_t end);
extern int invalidate_inode_pages2(struct address_space *mapping);
extern int invalidate_inode_pages2_range(struct address_space *mapping,
					 pgoff_t start, pgoff_t end);

/* mm/filemap.c and mm/page-writeback.c */
extern int filemap_fdatawrite(struct address_space *mapping);
extern int filemap_fdatawait(struct address_space *mapping);
extern int filemap_write_and_wait(struct address_space *mapping);
extern int do_writepages(struct address_space *mapping, struct writeback_control *wbc);
extern int generic_writepages(struct address_space *mapping,
			struct writeback_control *wbc);
extern int sync_page_range(struct inode *inode, struct address_space *mapping,
			loff_t pos, loff_t count);
extern int generic_osync_inode(struct inode *inode, struct address_space *mapping,
			int what);
#define OSYNC_METADATA	(1<<0)

extern ssize_t generic_file_aio_read(struct kiocb *iocb, const struct iovec *iov,
		unsigned long nr_segs, loff_t pos);
extern ssize_t generic_file_aio_write(struct kiocb *iocb, const struct iovec *iov,
		unsigned long nr_segs, loff_t pos);
extern ssize_t generic_file_direct_write(struct kiocb *iocb, const struct iovec *iov,
		unsigned long *nr_segs, loff_t pos, loff_t *ppos,
		size_t count, size_t ocount);
extern ssize_t generic_file_buffered_write(struct kiocb *iocb, const struct iovec *iov,
		unsigned long nr_segs, loff_t pos, loff_t *ppos,
		size_t count, ssize_t written);
extern int generic_write_checks(struct file *file, loff_t *pos, size_t *count, int isblk);
extern int generic_file_mmap(struct file *file, struct vm_area_struct *vma);
extern loff_t generic_file_llseek(struct file *file, loff_t offset, int origin);
extern int generic_file_open(struct inode *inode, struct file *filp);
extern int try_to_release_page(struct page *page, gfp_t gfp_mask);

/* fs/read_write.c */
extern ssize_t do_sync_read(struct file *filp, char __user *buf, size_t len, loff_t *ppos);
extern ssize_t do_sync_write(struct file *filp, const char __user *buf, size_t len, loff_t *ppos);
extern ssize_t vfs_read(struct file *file, char __user *buf, size_t count, loff_t *pos);
extern ssize_t vfs_write(struct file *file, const char __user *buf, size_t count, loff_t *pos);

/* fs/buffer.c */
extern int block_write_full_page(struct page *page, get_block_t *get_block,
				struct writeback_control *wbc);
extern void block_invalidatepage(struct page *page, unsigned long offset);
extern int try_to_free_buffers(struct page *page);
extern ssize_t blockdev_direct_IO(int rw, struct kiocb *iocb, struct inode *inode,
	void *bdev, const struct iovec *iov, loff_t offset,
	unsigned long nr_segs, get_block_t get_block, void *end_io);

#endif
