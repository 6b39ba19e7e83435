/*
 * mm/filemap.c - the page cache's generic read and write paths
 *
 * Kernel Patch Lens example tree. A simplified re-implementation, written for the example,
 * of the parts of Linux 2.6.27's mm/filemap.c that the direct-I/O write path runs through:
 *
 *   write(2) -> vfs_write -> do_sync_write -> ->aio_write = generic_file_aio_write
 *     -> __generic_file_aio_write_nolock -> generic_file_direct_write
 *       -> invalidate_inode_pages2_range (mm/truncate.c)
 *
 * plus the page lock and writeback-bit primitives, and try_to_release_page(), through which
 * invalidation asks the file system (->releasepage) to drop a page's buffers.
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/aio.h>
#include <linux/uio.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include <linux/buffer_head.h>	/* try_to_free_buffers */

extern void wake_up_page(struct page *page, int bit);
extern void __wait_on_page_bit(struct page *page, int bit_nr);
extern void rotate_reclaimable_page(struct page *page);
extern ssize_t generic_perform_write(struct file *file, const struct iovec *iov,
				     unsigned long nr_segs, loff_t pos, size_t count);
extern ssize_t generic_file_read_pages(struct file *filp, const struct iovec *iov,
				       unsigned long nr_segs, loff_t *ppos);
extern int wait_on_page_writeback_range(struct address_space *mapping,
				pgoff_t start, pgoff_t end);
extern int file_remove_suid(struct file *file);
extern void file_update_time(struct file *file);

/*
 * The page lock. Whoever holds PG_locked owns the page's state transitions: I/O submission,
 * truncation, invalidation. Writeback drops the lock as soon as the I/O is submitted and
 * signals the end of I/O separately, with PG_writeback.
 */

/* Sleep until PG_locked is ours. */
void __lock_page(struct page *page)
{
	while (test_and_set_bit(PG_locked, &page->flags))
		__wait_on_page_bit(page, PG_locked);
}
EXPORT_SYMBOL(__lock_page);

/**
 * unlock_page - release PG_locked and wake whoever sleeps on it
 * @page: the page
 *
 * The barrier orders everything done under the lock before the bit clears.
 */
void unlock_page(struct page *page)
{
	smp_mb__before_clear_bit();
	if (!test_and_clear_bit(PG_locked, &page->flags))
		BUG();
	smp_mb__after_clear_bit();
	wake_up_page(page, PG_locked);
}
EXPORT_SYMBOL(unlock_page);

/**
 * end_page_writeback - the write-out I/O of a page has completed
 * @page: the page
 *
 * Clears PG_writeback and wakes wait_on_page_writeback() sleepers. Note what it does not
 * do: it knows nothing of references the file system may still hold on the page's buffers.
 */
void end_page_writeback(struct page *page)
{
	if (TestClearPageReclaim(page))
		rotate_reclaimable_page(page);

	if (!test_clear_page_writeback(page))
		BUG();

	smp_mb__after_clear_bit();
	wake_up_page(page, PG_writeback);
}
EXPORT_SYMBOL(end_page_writeback);

/* Sleep while a page flag (PG_locked, PG_writeback) is set. */
void wait_on_page_bit(struct page *page, int bit_nr)
{
	while (test_bit(bit_nr, &page->flags))
		__wait_on_page_bit(page, bit_nr);
}
EXPORT_SYMBOL(wait_on_page_bit);

/**
 * try_to_release_page - ask the owner of a page's private data to let it go
 * @page: the locked page whose buffers should be freed
 * @gfp_mask: whether the file system may sleep or do I/O to succeed
 *
 * A page under writeback is never released. Otherwise the file system's ->releasepage
 * decides (ext3 goes through the journal); without one, the generic buffer code does.
 *
 * Returns 1 if the page's private data is gone, 0 if it could not be released.
 */
int try_to_release_page(struct page *page, gfp_t gfp_mask)
{
	struct address_space * const mapping = page->mapping;

	BUG_ON(!PageLocked(page));
	if (PageWriteback(page))
		return 0;

	if (mapping && mapping->a_ops->releasepage)
		return mapping->a_ops->releasepage(page, gfp_mask);
	return try_to_free_buffers(page);
}
EXPORT_SYMBOL(try_to_release_page);

/*
 * Write back every dirty page of a mapping and wait for it. filemap_fdatawrite() starts
 * the I/O, filemap_fdatawait() collects its result.
 */
int filemap_fdatawrite(struct address_space *mapping)
{
	struct writeback_control wbc = {
		.sync_mode = WB_SYNC_ALL,
		.nr_to_write = mapping->nrpages * 2,
		.range_start = 0,
		.range_end = (loff_t)-1,
	};

	if (!mapping->nrpages)
		return 0;
	return do_writepages(mapping, &wbc);
}
EXPORT_SYMBOL(filemap_fdatawrite);

int filemap_fdatawait(struct address_space *mapping)
{
	loff_t i_size = i_size_read(mapping->host);

	if (i_size == 0)
		return 0;

	return wait_on_page_writeback_range(mapping, 0,
				(i_size - 1) >> PAGE_CACHE_SHIFT);
}
EXPORT_SYMBOL(filemap_fdatawait);

int filemap_write_and_wait(struct address_space *mapping)
{
	int err = 0;

	if (mapping->nrpages) {
		err = filemap_fdatawrite(mapping);
		/*
		 * After a partial failure (-ENOSPC, say) some pages are still in
		 * flight, so wait for them. -EIO may mean something went badly
		 * wrong, and then we do not wait.
		 */
		if (err != -EIO) {
			int err2 = filemap_fdatawait(mapping);
			if (!err)
				err = err2;
		}
	}
	return err;
}
EXPORT_SYMBOL(filemap_write_and_wait);

/**
 * generic_file_aio_read - the ->aio_read of most block file systems
 * @iocb: the request
 * @iov: where the data goes
 * @nr_segs: how many iovecs
 * @pos: file offset
 *
 * Reads through the page cache. (The example leaves out the O_DIRECT read branch: it never
 * invalidates anything.)
 */
ssize_t
generic_file_aio_read(struct kiocb *iocb, const struct iovec *iov,
		unsigned long nr_segs, loff_t pos)
{
	struct file *filp = iocb->ki_filp;
	loff_t *ppos = &iocb->ki_pos;

	BUG_ON(iocb->ki_pos != pos);
	return generic_file_read_pages(filp, iov, nr_segs, ppos);
}
EXPORT_SYMBOL(generic_file_aio_read);

/**
 * generic_file_direct_write - write straight from user memory to disk, bypassing the cache
 * @iocb: the request
 * @iov: the data
 * @nr_segs: how many iovecs (may be shortened)
 * @pos: file offset
 * @ppos: updated to the end of what was written
 * @count: bytes to write after the limit checks
 * @ocount: bytes asked for
 *
 * The page cache must not keep a stale copy of what goes to disk, so cached pages of the
 * range are written back and then invalidated before ->direct_IO runs. If invalidation
 * fails, its error is what the write returns.
 *
 * Called with i_mutex held.
 */
ssize_t
generic_file_direct_write(struct kiocb *iocb, const struct iovec *iov,
		unsigned long *nr_segs, loff_t pos, loff_t *ppos,
		size_t count, size_t ocount)
{
	struct file	*file = iocb->ki_filp;
	struct address_space *mapping = file->f_mapping;
	struct inode	*inode = mapping->host;
	ssize_t		written;
	size_t		write_len;
	pgoff_t		end;

	if (count != ocount)
		*nr_segs = iov_shorten((struct iovec *)iov, *nr_segs, count);

	/*
	 * Unmap the range from user page tables first, so that dirty bits in the
	 * ptes reach the pages before filemap_write_and_wait() looks at them.
	 */
	write_len = iov_length(iov, *nr_segs);
	end = (pos + write_len - 1) >> PAGE_CACHE_SHIFT;
	if (mapping_mapped(mapping))
		unmap_mapping_range(mapping, pos, write_len, 0);

	written = filemap_write_and_wait(mapping);
	if (written)
		goto out;

	/*
	 * Drop the clean cached pages of the range, so that buffered reads after
	 * this write go to disk. Doing it before the write, rather than after,
	 * lets us fail with the invalidation error without losing an
	 * -EIOCBQUEUED from ->direct_IO.
	 */
	if (mapping->nrpages) {
		written = invalidate_inode_pages2_range(mapping,
					pos >> PAGE_CACHE_SHIFT, end);
		if (written)
			goto out;
	}

	written = mapping->a_ops->direct_IO(WRITE, iocb, iov, pos, *nr_segs);

	/*
	 * Pages may have come back into the cache while the write ran (readahead,
	 * or get_user_pages() on an mmap of this very file as the source). Try to
	 * drop them again, but the data is on disk by now, so a failure here does
	 * not fail the write.
	 */
	if (mapping->nrpages) {
		invalidate_inode_pages2_range(mapping,
					      pos >> PAGE_CACHE_SHIFT, end);
	}

	if (written > 0) {
		loff_t end = pos + written;
		if (end > i_size_read(inode) && !S_ISBLK(inode->i_mode)) {
			i_size_write(inode,  end);
			mark_inode_dirty(inode);
		}
		*ppos = end;
	}

	/*
	 * For O_SYNC, sync the metadata (not the data: that went by DMA). A queued
	 * AIO request gets its metadata synced here too.
	 */
out:
	if ((written >= 0 || written == -EIOCBQUEUED) &&
	    ((file->f_flags & O_SYNC) || IS_SYNC(inode))) {
		int err = generic_osync_inode(inode, mapping, OSYNC_METADATA);
		if (err < 0)
			written = err;
	}
	return written;
}
EXPORT_SYMBOL(generic_file_direct_write);

/**
 * generic_file_buffered_write - write through the page cache
 *
 * Returns the bytes written so far (including @written from an earlier direct write), or
 * an error when nothing was written.
 */
ssize_t
generic_file_buffered_write(struct kiocb *iocb, const struct iovec *iov,
		unsigned long nr_segs, loff_t pos, loff_t *ppos,
		size_t count, ssize_t written)
{
	struct file *file = iocb->ki_filp;
	struct address_space *mapping = file->f_mapping;
	ssize_t status;

	status = generic_perform_write(file, iov, nr_segs, pos, count);
	if (likely(status >= 0)) {
		written += status;
		*ppos = pos + status;
	}

	/*
	 * An O_DIRECT write that fell back to the page cache still wants its data
	 * on disk when the call returns.
	 */
	if (unlikely(file->f_flags & O_DIRECT) && written)
		status = filemap_write_and_wait(mapping);

	return written ? written : status;
}
EXPORT_SYMBOL(generic_file_buffered_write);

/*
 * The body of a write, called with i_mutex held: checks, then either the direct path or
 * the buffered one. A direct write that comes back short (a hole in the file, say) is
 * completed through the page cache.
 */
static ssize_t
__generic_file_aio_write_nolock(struct kiocb *iocb, const struct iovec *iov,
				unsigned long nr_segs, loff_t *ppos)
{
	struct file *file = iocb->ki_filp;
	struct address_space * mapping = file->f_mapping;
	size_t ocount;		/* bytes asked for */
	size_t count;		/* after the file limit checks */
	struct inode	*inode = mapping->host;
	loff_t		pos;
	ssize_t		written;
	ssize_t		err;

	ocount = iov_length(iov, nr_segs);
	count = ocount;
	pos = *ppos;

	written = 0;

	err = generic_write_checks(file, &pos, &count, S_ISBLK(inode->i_mode));
	if (err)
		goto out;

	if (count == 0)
		goto out;

	err = file_remove_suid(file);
	if (err)
		goto out;

	file_update_time(file);

	if (unlikely(file->f_flags & O_DIRECT)) {
		loff_t endbyte;
		ssize_t written_buffered;

		written = generic_file_direct_write(iocb, iov, &nr_segs, pos,
							ppos, count, ocount);
		if (written < 0 || written == count)
			goto out;
		/*
		 * Short direct write: finish the rest of the request through the
		 * page cache.
		 */
		pos += written;
		count -= written;
		written_buffered = generic_file_buffered_write(iocb, iov,
						nr_segs, pos, ppos, count,
						written);
		/*
		 * A buffered failure reports the bytes written directly, or the
		 * error when there were none.
		 */
		if (written_buffered < 0) {
			err = written_buffered;
			goto out;
		}

		/*
		 * O_DIRECT promises the data is on disk and not left in the cache:
		 * write the buffered part out and drop it again.
		 */
		endbyte = pos + written_buffered - written - 1;
		err = filemap_write_and_wait(file->f_mapping);
		if (err == 0) {
			written = written_buffered;
			invalidate_mapping_pages(mapping,
						 pos >> PAGE_CACHE_SHIFT,
						 endbyte >> PAGE_CACHE_SHIFT);
		}
	} else {
		written = generic_file_buffered_write(iocb, iov, nr_segs,
				pos, ppos, count, written);
	}
out:
	return written ? written : err;
}

/**
 * generic_file_aio_write - the ->aio_write of most block file systems
 * @iocb: the request
 * @iov: the data
 * @nr_segs: how many iovecs
 * @pos: file offset
 *
 * Takes i_mutex around the write, then syncs the written range for O_SYNC files.
 */
ssize_t generic_file_aio_write(struct kiocb *iocb, const struct iovec *iov,
		unsigned long nr_segs, loff_t pos)
{
	struct file *file = iocb->ki_filp;
	struct address_space *mapping = file->f_mapping;
	struct inode *inode = mapping->host;
	ssize_t ret;

	BUG_ON(iocb->ki_pos != pos);

	mutex_lock(&inode->i_mutex);
	ret = __generic_file_aio_write_nolock(iocb, iov, nr_segs,
			&iocb->ki_pos);
	mutex_unlock(&inode->i_mutex);

	if (ret > 0 && ((file->f_flags & O_SYNC) || IS_SYNC(inode))) {
		ssize_t err;

		err = sync_page_range(inode, mapping, pos, ret);
		if (err < 0)
			ret = err;
	}
	return ret;
}
EXPORT_SYMBOL(generic_file_aio_write);
