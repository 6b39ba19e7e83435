/*
 * fs/ext3/inode.c - ext3 page cache operations (ordered data mode)
 *
 * Kernel Patch Lens example tree. A simplified re-implementation, written for the example,
 * of the address_space operations of Linux 2.6.27's ext3 in data=ordered mode.
 *
 * The example's race is in ext3_ordered_writepage(): it pins every buffer of the page
 * (bget_one) before block_write_full_page() and unpins them (bput_one) after. But
 * block_write_full_page() unlocks the page, and the I/O may complete and clear
 * PG_writeback, before bput_one runs. In that window a direct-I/O writer can lock the page,
 * see no writeback, and ask ->releasepage to free the buffers -- which fails, because
 * b_count is still raised. invalidate_inode_pages2_range() then reports the page as one
 * that "could not be invalidated", and the write(2) fails.
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/aio.h>
#include <linux/uio.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include <linux/buffer_head.h>
#include <linux/jbd.h>
#include <linux/ext3_fs.h>

extern int mpage_readpage(struct page *page, get_block_t get_block);
extern int ext3_get_blocks_handle(handle_t *handle, struct inode *inode,
		sector_t iblock, unsigned long maxblocks,
		struct buffer_head *bh_result, int create);
extern int ext3_orphan_add(handle_t *handle, struct inode *inode);
extern int ext3_orphan_del(handle_t *handle, struct inode *inode);
extern void ClearPageChecked(struct page *page);
extern int PageChecked(struct page *page);

/*
 * Map a file block to a disk block, allocating it inside a transaction when @create.
 */
int ext3_get_block(struct inode *inode, sector_t iblock,
			struct buffer_head *bh_result, int create)
{
	handle_t *handle = ext3_journal_current_handle();
	int ret;

	ret = ext3_get_blocks_handle(handle, inode, iblock, 1, bh_result, create);
	if (ret > 0) {
		bh_result->b_size = (ret << inode->i_sb->s_blocksize);
		ret = 0;
	}
	return ret;
}

/*
 * Call @fn on each buffer of a page's ring that overlaps the byte range [from, to).
 * Stops at the first error and returns it; *partial is set if a buffer outside the range
 * is not uptodate.
 */
static int walk_page_buffers(handle_t *handle,
			     struct buffer_head *head,
			     unsigned from,
			     unsigned to,
			     int *partial,
			     int (*fn)(handle_t *handle,
				       struct buffer_head *bh))
{
	struct buffer_head *bh;
	unsigned block_start, block_end;
	unsigned blocksize = head->b_size;
	int err, ret = 0;
	struct buffer_head *next;

	for (bh = head, block_start = 0;
	     ret == 0 && (bh != head || !block_start);
	     block_start = block_end, bh = next) {
		next = bh->b_this_page;
		block_end = block_start + blocksize;
		if (block_end <= from || block_start >= to) {
			if (partial && !buffer_uptodate(bh))
				*partial = 1;
			continue;
		}
		err = (*fn)(handle, bh);
		if (!ret)
			ret = err;
	}
	return ret;
}

/* walk_page_buffers() callbacks */

static int buffer_unmapped(handle_t *handle, struct buffer_head *bh)
{
	return !buffer_mapped(bh);
}

/* Pin a buffer so that it outlives the page lock during writeout. */
static int bget_one(handle_t *handle, struct buffer_head *bh)
{
	get_bh(bh);
	return 0;
}

/* Drop the pin taken by bget_one(). */
static int bput_one(handle_t *handle, struct buffer_head *bh)
{
	put_bh(bh);
	return 0;
}

/* File a written data buffer with the running transaction (ordered mode). */
static int journal_dirty_data_fn(handle_t *handle, struct buffer_head *bh)
{
	if (buffer_mapped(bh))
		return journal_dirty_data(handle, bh);
	return 0;
}

/*
 * ->writepage for data=ordered.
 *
 * The page comes in locked. Its buffers are written by block_write_full_page(), which
 * unlocks the page; afterwards the buffers are filed with the running transaction so that
 * commit waits for them. The buffers must still exist at that point even though the page
 * may already have been truncated, hence the bget_one/bput_one pins around the write.
 * That pin is what a concurrent invalidation trips over (see the top of this file).
 */
static int ext3_ordered_writepage(struct page *page,
				struct writeback_control *wbc)
{
	struct inode *inode = page->mapping->host;
	struct buffer_head *page_bufs;
	handle_t *handle = NULL;
	int ret = 0;
	int err;

	BUG_ON(!PageLocked(page));

	/*
	 * Re-entered from inside a transaction (memory reclaim during a journal
	 * operation, perhaps for another file system): give up on this page.
	 */
	if (ext3_journal_current_handle())
		goto out_fail;

	if (!page_has_buffers(page)) {
		create_empty_buffers(page, inode->i_sb->s_blocksize,
				(1 << BH_Dirty)|(1 << BH_Uptodate));
		page_bufs = page_buffers(page);
	} else {
		page_bufs = page_buffers(page);
		if (!walk_page_buffers(NULL, page_bufs, 0, PAGE_CACHE_SIZE,
				       NULL, buffer_unmapped)) {
			/*
			 * Every buffer is mapped already: no block allocation, so
			 * no transaction. A NULL get_block would catch the bug if
			 * that were not true.
			 */
			return block_write_full_page(page, NULL, wbc);
		}
	}
	handle = ext3_journal_start(inode, ext3_writepage_trans_blocks(inode));

	if (IS_ERR(handle)) {
		ret = PTR_ERR(handle);
		goto out_fail;
	}

	walk_page_buffers(handle, page_bufs, 0,
			PAGE_CACHE_SIZE, NULL, bget_one);

	ret = block_write_full_page(page, ext3_get_block, wbc);

	/*
	 * The page is unlocked now and may be under writeback, done with it, or
	 * being truncated: we must not touch *page any more. page_bufs is still
	 * safe, because we hold a reference on every buffer.
	 */

	/*
	 * Attach the buffers to the transaction, but only if the write was set up
	 * correctly; otherwise they are unmapped and meaningless.
	 */
	if (ret == 0) {
		err = walk_page_buffers(handle, page_bufs, 0, PAGE_CACHE_SIZE,
					NULL, journal_dirty_data_fn);
		if (!ret)
			ret = err;
	}
	walk_page_buffers(handle, page_bufs, 0,
			PAGE_CACHE_SIZE, NULL, bput_one);
	err = ext3_journal_stop(handle);
	if (!ret)
		ret = err;
	return ret;

out_fail:
	redirty_page_for_writepage(wbc, page);
	unlock_page(page);
	return ret;
}

static int ext3_readpage(struct file *file, struct page *page)
{
	return mpage_readpage(page, ext3_get_block);
}

static void ext3_invalidatepage(struct page *page, unsigned long offset)
{
	journal_t *journal = EXT3_JOURNAL(page->mapping->host);

	/* a full truncate: the pending "dirty data" mark goes with the page */
	if (offset == 0)
		ClearPageChecked(page);

	journal_invalidatepage(journal, page, offset);
}

/*
 * ->releasepage: free the page's buffers if the journal is done with them.
 * Returns 1 if they were freed, 0 if not (a buffer is busy or still journalled).
 */
static int ext3_releasepage(struct page *page, gfp_t wait)
{
	journal_t *journal = EXT3_JOURNAL(page->mapping->host);

	WARN_ON(PageChecked(page));
	if (!page_has_buffers(page))
		return 0;
	return journal_try_to_free_buffers(journal, page, wait);
}

/*
 * ->direct_IO. A write that extends the file puts the inode on the orphan list first, so
 * that a crash in the middle does not leave blocks allocated past i_size.
 */
static ssize_t ext3_direct_IO(int rw, struct kiocb *iocb,
			const struct iovec *iov, loff_t offset,
			unsigned long nr_segs)
{
	struct file *file = iocb->ki_filp;
	struct inode *inode = file->f_mapping->host;
	handle_t *handle = NULL;
	ssize_t ret;
	int orphan = 0;
	size_t count = iov_length(iov, nr_segs);

	if (rw == WRITE) {
		loff_t final_size = offset + count;

		handle = ext3_journal_start(inode, 2);
		if (IS_ERR(handle)) {
			ret = PTR_ERR(handle);
			goto out;
		}
		if (final_size > inode->i_size) {
			ret = ext3_orphan_add(handle, inode);
			if (ret)
				goto out_stop;
			orphan = 1;
		}
	}

	ret = blockdev_direct_IO(rw, iocb, inode, NULL, iov,
				 offset, nr_segs,
				 ext3_get_block, NULL);

	if (orphan) {
		int err;

		ext3_orphan_del(handle, inode);
		if (ret > 0) {
			loff_t end = offset + ret;
			if (end > inode->i_size)
				i_size_write(inode, end);
		}
out_stop:
		err = ext3_journal_stop(handle);
		if (ret == 0)
			ret = err;
	}
out:
	return ret;
}

static const struct address_space_operations ext3_ordered_aops = {
	.readpage	= ext3_readpage,
	.writepage	= ext3_ordered_writepage,
	.invalidatepage	= ext3_invalidatepage,
	.releasepage	= ext3_releasepage,
	.direct_IO	= ext3_direct_IO,
};

/* Pick the address_space operations for a new regular-file inode. */
void ext3_set_aops(struct inode *inode)
{
	inode->i_mapping->a_ops = &ext3_ordered_aops;
}
