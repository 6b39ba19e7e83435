/*
 * mm/truncate.c - taking pages out of an address_space
 *
 * Kernel Patch Lens example tree. This file is a simplified re-implementation, written for
 * the example, of the page cache truncation and invalidation code of Linux 2.6.27. It keeps
 * the control flow and the return-value handling that matter to the example patch:
 * invalidate_inode_pages2_range() collects the result of ->launder_page and of
 * invalidate_complete_page2() in ret2, and hands the first failure back as ret.
 *
 * Two families of functions live here:
 *
 *  - truncation (truncate_inode_pages*): the pages go, whatever state they are in, because
 *    the file itself is getting shorter. Nothing can fail, so nothing is returned.
 *
 *  - invalidation (invalidate_mapping_pages, invalidate_inode_pages2*): the file stays, only
 *    its cached copy is thrown away. invalidate_mapping_pages() is best effort and counts
 *    what it managed; invalidate_inode_pages2*() must not leave stale pages behind (direct
 *    I/O and network file systems rely on it), so it reports a page it could not drop.
 *
 * Locking, as callers must know it: a page is examined under its page lock; the mapping's
 * tree_lock is only taken to unhook a page from the radix tree.
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/pagevec.h>
#include <linux/buffer_head.h>	/* try_to_release_page, block_invalidatepage */

extern void task_io_account_cancelled_write(size_t bytes);

/**
 * do_invalidatepage - drop the file system's private state for part of a page
 * @page: the page which is affected
 * @offset: the byte offset in the page from which the data goes away
 *
 * Called when some or all of a page stops being part of the file. The file system need not
 * free its buffers, but it must make sure that none past @offset stays dirty and that no I/O
 * on them is still running: the caller is about to give those disk blocks back.
 */
void do_invalidatepage(struct page *page, unsigned long offset)
{
	void (*invalidatepage)(struct page *, unsigned long);

	invalidatepage = page->mapping->a_ops->invalidatepage;
	if (!invalidatepage)
		invalidatepage = block_invalidatepage;
	if (invalidatepage)
		(*invalidatepage)(page, offset);
}

/*
 * Zero the tail of a page that straddles the new end of file, and let the file system
 * forget the buffers past that point.
 */
static inline void truncate_partial_page(struct page *page, unsigned partial)
{
	zero_user_segment(page, partial, PAGE_CACHE_SIZE);
	if (PagePrivate(page))
		do_invalidatepage(page, partial);
}

/*
 * Someone dirtied a page we are about to remove from the cache. The write will never
 * happen, so undo the dirty accounting that was charged for it.
 */
void cancel_dirty_page(struct page *page, unsigned int account_size)
{
	if (test_and_clear_bit(PG_dirty, &page->flags)) {
		struct address_space *mapping = page->mapping;

		if (mapping && account_size)
			task_io_account_cancelled_write(account_size);
	}
}
EXPORT_SYMBOL(cancel_dirty_page);

/*
 * Remove one locked page from the cache during truncation.
 *
 * If the file system cannot let go of its private data, the page is left anonymous: it
 * stays on the LRU and may still be mapped by a racing fault. The mapping check covers the
 * page having been reclaimed, or invalidated by someone else, while we slept on its lock.
 */
static void
truncate_complete_page(struct address_space *mapping, struct page *page)
{
	if (page->mapping != mapping)
		return;

	if (PagePrivate(page))
		do_invalidatepage(page, 0);

	cancel_dirty_page(page, PAGE_CACHE_SIZE);

	ClearPageUptodate(page);
	ClearPageMappedToDisk(page);
	remove_from_page_cache(page);
	page_cache_release(page);	/* the page cache's own reference */
}

/*
 * The gentle variant, for invalidate_mapping_pages(): it may run at any time and must not
 * throw away dirty or in-use pages, so it lets remove_mapping() decide.
 *
 * Returns non-zero if the page went away.
 */
extern int remove_mapping(struct address_space *mapping, struct page *page);

static int
invalidate_complete_page(struct address_space *mapping, struct page *page)
{
	int ret;

	if (page->mapping != mapping)
		return 0;

	if (PagePrivate(page) && !try_to_release_page(page, 0))
		return 0;

	ret = remove_mapping(mapping, page);

	return ret;
}

/**
 * truncate_inode_pages_range - remove the cached pages between two byte offsets
 * @mapping: the mapping to truncate
 * @lstart: first byte to drop
 * @lend: last byte to drop (inclusive), or -1 for "to the end"
 *
 * The work is done in two sweeps. The first one skips anything busy (locked, or under
 * writeback) so that it never sleeps and clears most of the range quickly. The second one
 * waits for each remaining page, and by then there are few of them left to look up.
 *
 * A page's index is read into a local before we hold its lock, because it can change
 * under us until then.
 */
void truncate_inode_pages_range(struct address_space *mapping,
				loff_t lstart, loff_t lend)
{
	const pgoff_t start = (lstart + PAGE_CACHE_SIZE-1) >> PAGE_CACHE_SHIFT;
	const unsigned partial = lstart & (PAGE_CACHE_SIZE - 1);
	struct pagevec pvec;
	pgoff_t next;
	pgoff_t end;
	int i;

	if (mapping->nrpages == 0)
		return;

	BUG_ON((lend & (PAGE_CACHE_SIZE - 1)) != (PAGE_CACHE_SIZE - 1));
	end = (lend >> PAGE_CACHE_SHIFT);

	/* First sweep: take what can be taken without waiting. */
	pagevec_init(&pvec, 0);
	next = start;
	while (next <= end &&
	       pagevec_lookup(&pvec, mapping, next, PAGEVEC_SIZE)) {
		for (i = 0; i < pagevec_count(&pvec); i++) {
			struct page *page = pvec.pages[i];
			pgoff_t page_index = page->index;

			if (page_index > end) {
				next = page_index;
				break;
			}

			if (page_index > next)
				next = page_index;
			next++;
			if (!trylock_page(page))
				continue;
			if (PageWriteback(page)) {
				unlock_page(page);
				continue;
			}
			truncate_complete_page(mapping, page);
			unlock_page(page);
		}
		pagevec_release(&pvec);
		cond_resched();
	}

	/* The page holding the new end of file keeps its head, loses its tail. */
	if (partial) {
		struct page *page = find_lock_page(mapping, start - 1);
		if (page) {
			wait_on_page_writeback(page);
			truncate_partial_page(page, partial);
			unlock_page(page);
			page_cache_release(page);
		}
	}

	/* Second sweep: wait for whatever was busy the first time round. */
	next = start;
	for ( ; ; ) {
		cond_resched();
		if (!pagevec_lookup(&pvec, mapping, next, PAGEVEC_SIZE)) {
			if (next == start)
				break;
			next = start;
			continue;
		}
		if (pvec.pages[0]->index > end) {
			pagevec_release(&pvec);
			break;
		}
		for (i = 0; i < pagevec_count(&pvec); i++) {
			struct page *page = pvec.pages[i];

			if (page->index > end)
				break;
			lock_page(page);
			wait_on_page_writeback(page);
			if (page->index > next)
				next = page->index;
			next++;
			truncate_complete_page(mapping, page);
			unlock_page(page);
		}
		pagevec_release(&pvec);
	}
}
EXPORT_SYMBOL(truncate_inode_pages_range);

/**
 * truncate_inode_pages - remove every cached page from an offset to the end of file
 * @mapping: the mapping to truncate
 * @lstart: first byte to drop
 *
 * The caller holds inode->i_mutex, which keeps two truncations apart.
 */
void truncate_inode_pages(struct address_space *mapping, loff_t lstart)
{
	truncate_inode_pages_range(mapping, lstart, (loff_t)-1);
}
EXPORT_SYMBOL(truncate_inode_pages);

/*
 * The body of invalidate_mapping_pages(). @be_atomic is set by callers that hold a spinlock
 * (dropping caches walks the inode list under one) and so must not reschedule.
 */
unsigned long __invalidate_mapping_pages(struct address_space *mapping,
				pgoff_t start, pgoff_t end, int be_atomic)
{
	struct pagevec pvec;
	pgoff_t next = start;
	unsigned long ret = 0;
	int i;

	pagevec_init(&pvec, 0);
	while (next <= end &&
			pagevec_lookup(&pvec, mapping, next, PAGEVEC_SIZE)) {
		for (i = 0; i < pagevec_count(&pvec); i++) {
			struct page *page = pvec.pages[i];
			pgoff_t index;
			int lock_failed;

			lock_failed = !trylock_page(page);

			/*
			 * Reading ->index without the page lock is tolerable here: we
			 * hold a reference from the lookup, and nobody moves a
			 * referenced page to another offset.
			 */
			index = page->index;
			if (index > next)
				next = index;
			next++;
			if (lock_failed)
				continue;

			if (PageDirty(page) || PageWriteback(page))
				goto unlock;
			if (page_mapped(page))
				goto unlock;
			ret += invalidate_complete_page(mapping, page);
unlock:
			unlock_page(page);
			if (next > end)
				break;
		}
		pagevec_release(&pvec);
		if (likely(!be_atomic))
			cond_resched();
	}
	return ret;
}

/**
 * invalidate_mapping_pages - drop the clean, unused cached pages of a range
 * @mapping: the mapping whose pages go
 * @start: first page index
 * @end: last page index (inclusive)
 *
 * Best effort: locked, dirty, under writeback or mapped pages are left alone, and nothing
 * sleeps on I/O. To be rid of every page, use truncate_inode_pages().
 *
 * Returns how many pages were dropped.
 */
unsigned long invalidate_mapping_pages(struct address_space *mapping,
				pgoff_t start, pgoff_t end)
{
	return __invalidate_mapping_pages(mapping, start, end, 0);
}
EXPORT_SYMBOL(invalidate_mapping_pages);

/*
 * The strict variant of invalidate_complete_page(), for invalidate_inode_pages2(): it does
 * not look at the page's reference count, because transient references (a pagevec, the
 * LRU scanner) must not make invalidation fail. What does make it fail: the page moved to
 * another mapping, the file system refused to release the page's buffers, or the page was
 * dirtied again before we got the tree lock.
 *
 * Returns 1 if the page left the cache, 0 if it is still there.
 */
static int
invalidate_complete_page2(struct address_space *mapping, struct page *page)
{
	if (page->mapping != mapping)
		return 0;

	/* ext3 says no here while someone still holds one of the page's buffer_heads */
	if (PagePrivate(page) && !try_to_release_page(page, GFP_KERNEL))
		return 0;

	write_lock_irq(&mapping->tree_lock);
	if (PageDirty(page))
		goto failed;

	BUG_ON(PagePrivate(page));
	__remove_from_page_cache(page);
	write_unlock_irq(&mapping->tree_lock);
	page_cache_release(page);	/* the page cache's own reference */
	return 1;
failed:
	write_unlock_irq(&mapping->tree_lock);
	return 0;
}

/*
 * Give the file system a chance to write a dirty page out before we invalidate it (NFS
 * uses this to push dirty data to the server). Returns 0, or what ->launder_page returned.
 *
 * The caller treats the result as the page's verdict: a negative value is an error that
 * becomes the return value of the whole invalidation, and only a page that laundered
 * cleanly goes on to invalidate_complete_page2(). So two different codes can come out of
 * invalidate_inode_pages2_range(): whatever ->launder_page returns, and the one it uses
 * itself for a page that would not let go. Callers that test for a particular code must
 * keep both in mind.
 */
static int do_launder_page(struct address_space *mapping, struct page *page)
{
	if (!PageDirty(page))
		return 0;
	if (page->mapping != mapping || mapping->a_ops->launder_page == NULL)
		return 0;
	return mapping->a_ops->launder_page(page);
}

/*
 * Invalidation below walks the range in pagevec-sized batches. A batch ends early when a
 * page lies beyond @end; the walk ends when a page index wraps past ~0UL.
 *
 * Note for reviewers of the example: every exit from the page loop below unlocks the page
 * it locked. The page lock is what keeps ->writepage away while we decide; PG_writeback is
 * waited for separately, and a file system may still hold references to the buffers after
 * both are released (see fs/ext3/inode.c).
 */

/**
 * invalidate_inode_pages2_range - remove range of pages from an address_space
 * @mapping: the address_space
 * @start: the page offset 'from' which to invalidate
 * @end: the page offset 'to' which to invalidate (inclusive)
 *
 * Any pages which are found to be mapped into pagetables are unmapped prior to
 * invalidation.
 *
 * Returns -EIO if any pages could not be invalidated.
 */
int invalidate_inode_pages2_range(struct address_space *mapping,
				  pgoff_t start, pgoff_t end)
{
	struct pagevec pvec;
	pgoff_t next;
	int i;
	int ret = 0;
	int ret2 = 0;
	int did_range_unmap = 0;
	int wrapped = 0;

	pagevec_init(&pvec, 0);
	next = start;
	while (next <= end && !wrapped &&
		pagevec_lookup(&pvec, mapping, next,
			min(end - next, (pgoff_t)PAGEVEC_SIZE - 1) + 1)) {
		for (i = 0; i < pagevec_count(&pvec); i++) {
			struct page *page = pvec.pages[i];
			pgoff_t page_index;

			lock_page(page);
			if (page->mapping != mapping) {
				unlock_page(page);
				continue;
			}
			page_index = page->index;
			next = page_index + 1;
			if (next == 0)
				wrapped = 1;
			if (page_index > end) {
				unlock_page(page);
				break;
			}
			wait_on_page_writeback(page);
			if (page_mapped(page)) {
				if (!did_range_unmap) {
					/*
					 * First mapped page: zap the rest of the range.
					 */
					unmap_mapping_range(mapping,
					   (loff_t)page_index << PAGE_CACHE_SHIFT,
					   (loff_t)(end - page_index + 1)
							<< PAGE_CACHE_SHIFT,
					    0);
					did_range_unmap = 1;
				} else {
					/*
					 * Faulted back in: zap only this page.
					 */
					unmap_mapping_range(mapping,
					  (loff_t)page_index << PAGE_CACHE_SHIFT,
					  PAGE_CACHE_SIZE, 0);
				}
			}
			BUG_ON(page_mapped(page));
			ret2 = do_launder_page(mapping, page);
			if (ret2 == 0) {
				if (!invalidate_complete_page2(mapping, page))
					ret2 = -EIO;
			}
			if (ret2 < 0)
				ret = ret2;
			unlock_page(page);
		}
		pagevec_release(&pvec);
		cond_resched();
	}
	return ret;
}
EXPORT_SYMBOL_GPL(invalidate_inode_pages2_range);

/**
 * invalidate_inode_pages2 - remove all pages from an address_space
 * @mapping: the address_space
 *
 * Any pages which are found to be mapped into pagetables are unmapped prior to
 * invalidation.
 *
 * Returns -EIO if any pages could not be invalidated.
 */
int invalidate_inode_pages2(struct address_space *mapping)
{
	return invalidate_inode_pages2_range(mapping, 0, -1);
}
EXPORT_SYMBOL_GPL(invalidate_inode_pages2);
