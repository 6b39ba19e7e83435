/*
 * fs/buffer.c - buffer_heads: block-sized views of page cache pages
 *
 * Kernel Patch Lens example tree. A simplified re-implementation, written for the example,
 * of the parts of Linux 2.6.27's fs/buffer.c that the race in the example runs through:
 *
 *  - block_write_full_page(): the writeback side. It sets PG_writeback, submits the
 *    buffers, and unlocks the page right away; end of I/O clears PG_writeback later.
 *  - try_to_free_buffers(): the invalidation side. It refuses a page while any of its
 *    buffers is busy, and "busy" includes a non-zero b_count: a reference someone holds.
 *
 * The example has no block layer: submit_bh() completes the write at once by calling the
 * buffer's b_end_io, as the disk interrupt would. That keeps the order of events of real
 * hardware -- unlock_page, then end_page_writeback -- with the completion made visible.
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include <linux/buffer_head.h>

extern struct buffer_head *alloc_page_buffers(struct page *page, unsigned long size);
extern void __remove_assoc_queue(struct buffer_head *bh);
extern void clear_buffer_dirty(struct buffer_head *bh);
extern void set_buffer_uptodate(struct buffer_head *bh);
extern void mark_buffer_write_io_error(struct buffer_head *bh);

/* Attach a ring of buffers to a page and mark the page as carrying private data. */
static void attach_page_buffers(struct page *page, struct buffer_head *head)
{
	page_cache_get(page);
	SetPagePrivate(page);
	page->private = (unsigned long)head;
}

/* Detach the ring again; the caller frees the buffer_heads. */
static void __clear_page_buffers(struct page *page)
{
	ClearPagePrivate(page);
	page->private = 0;
	page_cache_release(page);
}

/*
 * Give a page a ring of buffers, all in state @b_state. ext3's writepage uses this when a
 * dirty page reaches it without buffers (written through mmap).
 */
void create_empty_buffers(struct page *page,
			unsigned long blocksize, unsigned long b_state)
{
	struct buffer_head *bh, *head, *tail;

	head = alloc_page_buffers(page, blocksize);
	bh = head;
	do {
		bh->b_state |= b_state;
		tail = bh;
		bh = bh->b_this_page;
	} while (bh);
	tail->b_this_page = head;

	attach_page_buffers(page, head);
}
EXPORT_SYMBOL(create_empty_buffers);

/*
 * Start I/O on a locked buffer. Here the "device" finishes immediately and reports
 * success through b_end_io, in the submitter's context.
 */
void submit_bh(int rw, struct buffer_head *bh)
{
	BUG_ON(!buffer_locked(bh));
	BUG_ON(!bh->b_end_io);
	bh->b_end_io(bh, 1);
}
EXPORT_SYMBOL(submit_bh);

/*
 * I/O completion for a buffer written by block_write_full_page(). The last buffer of the
 * page to complete ends the page's writeback.
 */
static void end_buffer_async_write(struct buffer_head *bh, int uptodate)
{
	struct buffer_head *tmp;
	struct page *page;

	BUG_ON(!buffer_async_write(bh));

	page = bh->b_page;
	if (uptodate) {
		set_buffer_uptodate(bh);
	} else {
		mark_buffer_write_io_error(bh);
		set_bit(AS_EIO, &page->mapping->flags);
	}

	clear_buffer_async_write(bh);
	unlock_buffer(bh);

	tmp = bh->b_this_page;
	while (tmp != bh) {
		if (buffer_async_write(tmp))
			return;		/* another buffer of the page is still in flight */
		tmp = tmp->b_this_page;
	}
	end_page_writeback(page);
}

/*
 * Write out a locked page's dirty buffers.
 *
 * Order matters here, and the example's race lives in it: PG_writeback is set while the
 * page is still locked, then the buffers are submitted, then the page is unlocked, and
 * only when the I/O finishes is PG_writeback cleared. After both, the page looks idle to
 * invalidation, whatever references the caller still holds on the buffers.
 */
static int __block_write_full_page(struct inode *inode, struct page *page,
			get_block_t *get_block, struct writeback_control *wbc)
{
	int err = 0;
	struct buffer_head *bh, *head;
	int nr_underway = 0;

	BUG_ON(!PageLocked(page));

	if (!page_has_buffers(page))
		create_empty_buffers(page, inode->i_sb->s_blocksize,
					(1 << BH_Dirty)|(1 << BH_Uptodate));

	head = page_buffers(page);
	bh = head;

	/* Map every dirty buffer to its disk block, and mark those we will write. */
	do {
		if (!buffer_mapped(bh) && buffer_dirty(bh)) {
			err = get_block(inode, bh->b_blocknr, bh, 1);
			if (err)
				goto recover;
		}
		if (test_clear_buffer_dirty(bh)) {
			lock_buffer(bh);
			set_buffer_async_write(bh);
		}
		bh = bh->b_this_page;
	} while (bh != head);

	/*
	 * From here PG_writeback protects the page and its buffers, so the page lock
	 * can go before the I/O is even started.
	 */
	BUG_ON(PageWriteback(page));
	set_page_writeback(page);
	unlock_page(page);

	do {
		struct buffer_head *next = bh->b_this_page;
		if (buffer_async_write(bh)) {
			bh->b_end_io = end_buffer_async_write;
			submit_bh(WRITE, bh);
			nr_underway++;
		}
		bh = next;
	} while (bh != head);

	if (nr_underway == 0) {
		/*
		 * The page was dirty but its buffers were clean: someone wrote
		 * them by hand. Nothing is in flight, so writeback ends now.
		 */
		end_page_writeback(page);
	}
	return err;

recover:
	/* The page is still locked here; leave it dirty for another try. */
	set_page_dirty(page);
	unlock_page(page);
	return err;
}

/**
 * block_write_full_page - the generic ->writepage helper for block-based file systems
 * @page: the locked, dirty page
 * @get_block: maps a file block to a disk block
 * @wbc: the writeback control
 *
 * The page comes in locked and always goes out unlocked. A page wholly past end of file
 * (a truncate is running) is dropped instead of written.
 */
int block_write_full_page(struct page *page, get_block_t *get_block,
			struct writeback_control *wbc)
{
	struct inode * const inode = page->mapping->host;
	loff_t i_size = i_size_read(inode);
	const pgoff_t end_index = i_size >> PAGE_CACHE_SHIFT;
	unsigned offset;

	/* Wholly inside i_size: the common case. */
	if (page->index < end_index)
		return __block_write_full_page(inode, page, get_block, wbc);

	/* Wholly outside i_size: truncate will take it. */
	offset = i_size & (PAGE_CACHE_SIZE-1);
	if (page->index >= end_index+1 || !offset) {
		block_invalidatepage(page, 0);
		unlock_page(page);
		return 0;	/* not an error: the data is gone with the file's tail */
	}

	/* Straddles i_size: zero the part past it before writing. */
	zero_user_segment(page, offset, PAGE_CACHE_SIZE);
	return __block_write_full_page(inode, page, get_block, wbc);
}
EXPORT_SYMBOL(block_write_full_page);

/*
 * Forget the buffers of a page past @offset (truncate). A whole-page invalidation also
 * tries to free the buffer ring.
 */
void block_invalidatepage(struct page *page, unsigned long offset)
{
	struct buffer_head *head, *bh, *next;
	unsigned int curr_off = 0;

	BUG_ON(!PageLocked(page));
	if (!page_has_buffers(page))
		return;

	head = page_buffers(page);
	bh = head;
	do {
		unsigned int next_off = curr_off + bh->b_size;
		next = bh->b_this_page;

		if (offset <= curr_off) {
			lock_buffer(bh);
			clear_buffer_dirty(bh);
			unlock_buffer(bh);
		}
		curr_off = next_off;
		bh = next;
	} while (bh != head);

	if (offset == 0)
		try_to_release_page(page, 0);
}
EXPORT_SYMBOL(block_invalidatepage);

/*
 * A buffer is busy while anyone holds a reference to it (b_count), or while it is dirty
 * or locked for I/O. A busy buffer pins its page's whole buffer ring.
 */
static inline int buffer_busy(struct buffer_head *bh)
{
	return atomic_read(&bh->b_count) |
		(bh->b_state & ((1 << BH_Dirty) | (1 << BH_Lock)));
}

/*
 * Unhook the buffer ring from the page if none of its buffers is busy.
 * Returns 1 and the ring in *buffers_to_free on success, 0 if a buffer is busy.
 */
static int
drop_buffers(struct page *page, struct buffer_head **buffers_to_free)
{
	struct buffer_head *head = page_buffers(page);
	struct buffer_head *bh;

	bh = head;
	do {
		if (buffer_write_io_error(bh) && page->mapping)
			set_bit(AS_EIO, &page->mapping->flags);
		if (buffer_busy(bh))
			goto failed;
		bh = bh->b_this_page;
	} while (bh != head);

	do {
		struct buffer_head *next = bh->b_this_page;

		if (bh->b_assoc_map)
			__remove_assoc_queue(bh);
		bh = next;
	} while (bh != head);
	*buffers_to_free = head;
	__clear_page_buffers(page);
	return 1;
failed:
	return 0;
}

/**
 * try_to_free_buffers - free a locked page's buffers if nobody is using them
 * @page: the locked page
 *
 * Returns 1 if the buffers were freed (the page no longer has private data), 0 if the
 * page is under writeback or one of its buffers is busy.
 */
int try_to_free_buffers(struct page *page)
{
	struct address_space * const mapping = page->mapping;
	struct buffer_head *buffers_to_free = NULL;
	int ret = 0;

	BUG_ON(!PageLocked(page));
	if (PageWriteback(page))
		return 0;

	if (mapping == NULL) {		/* the page has been truncated already */
		ret = drop_buffers(page, &buffers_to_free);
		goto out;
	}

	spin_lock(&mapping->private_lock);
	ret = drop_buffers(page, &buffers_to_free);

	/*
	 * Clean buffers mean a clean page: if the page is still marked dirty, that
	 * mark is stale, and leaving it would make the VM try to write a page that
	 * has nothing to write.
	 */
	if (ret)
		cancel_dirty_page(page, PAGE_CACHE_SIZE);
	spin_unlock(&mapping->private_lock);
out:
	if (buffers_to_free) {
		struct buffer_head *bh = buffers_to_free;

		do {
			struct buffer_head *next = bh->b_this_page;
			free_buffer_head(bh);
			bh = next;
		} while (bh != buffers_to_free);
	}
	return ret;
}
EXPORT_SYMBOL(try_to_free_buffers);
