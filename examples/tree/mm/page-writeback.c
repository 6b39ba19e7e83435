/*
 * mm/page-writeback.c - writing dirty page cache pages back to disk
 *
 * Kernel Patch Lens example tree. A simplified re-implementation, written for the example,
 * of the write-out loop of Linux 2.6.27. It is the other thread of the example's race:
 * background writeout walks a mapping's dirty pages and calls ->writepage on each one with
 * the page locked; for an ext3 file in ordered mode that is ext3_ordered_writepage().
 *
 *   background_writeout -> writeback_inodes -> do_writepages -> generic_writepages
 *     -> write_cache_pages -> ->writepage = ext3_ordered_writepage (fs/ext3/inode.c)
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/pagevec.h>
#include <linux/writeback.h>

#define PAGECACHE_TAG_DIRTY	0

extern void writeback_inodes(struct writeback_control *wbc);
extern void account_page_redirty(struct page *page);

/*
 * PG_writeback transitions. Setting it is done with the page locked, by the code that
 * submits the write; clearing it is done at I/O completion, with no lock held.
 */
int test_set_page_writeback(struct page *page)
{
	return test_and_set_bit(PG_writeback, &page->flags);
}
EXPORT_SYMBOL(test_set_page_writeback);

int test_clear_page_writeback(struct page *page)
{
	return test_and_clear_bit(PG_writeback, &page->flags);
}

/*
 * A ->writepage that cannot write the page now (ext3 re-entered from inside a transaction,
 * for instance) puts it back on the dirty list and leaves it for a later pass.
 */
int redirty_page_for_writepage(struct writeback_control *wbc, struct page *page)
{
	wbc->pages_skipped++;
	account_page_redirty(page);
	return set_page_dirty(page);
}
EXPORT_SYMBOL(redirty_page_for_writepage);

/**
 * write_cache_pages - call ->writepage on each dirty page of a mapping
 * @mapping: the mapping to write
 * @wbc: how much and how hard
 *
 * Each page is locked, rechecked (it may have been truncated or cleaned meanwhile) and
 * handed to ->writepage locked. ->writepage unlocks it, normally as soon as the I/O is
 * submitted: from then on, only PG_writeback says the page is busy.
 */
int write_cache_pages(struct address_space *mapping, struct writeback_control *wbc)
{
	int ret = 0;
	int done = 0;
	struct pagevec pvec;
	int nr_pages;
	pgoff_t index;
	pgoff_t end;
	int i;

	pagevec_init(&pvec, 0);
	index = wbc->range_start >> PAGE_CACHE_SHIFT;
	end = wbc->range_end >> PAGE_CACHE_SHIFT;

	while (!done && (index <= end) &&
	       (nr_pages = pagevec_lookup_tag(&pvec, mapping, &index,
					      PAGECACHE_TAG_DIRTY,
					      min(end - index, (pgoff_t)PAGEVEC_SIZE-1) + 1))) {
		for (i = 0; i < nr_pages; i++) {
			struct page *page = pvec.pages[i];

			lock_page(page);

			if (unlikely(page->mapping != mapping)) {
				unlock_page(page);
				continue;
			}

			if (page->index > end) {
				done = 1;
				unlock_page(page);
				continue;
			}

			if (wbc->sync_mode != WB_SYNC_NONE)
				wait_on_page_writeback(page);

			if (PageWriteback(page) ||
			    !clear_page_dirty_for_io(page)) {
				unlock_page(page);
				continue;
			}

			ret = mapping->a_ops->writepage(page, wbc);
			if (ret < 0) {
				done = 1;
				break;
			}
			if (--(wbc->nr_to_write) <= 0)
				done = 1;
		}
		pagevec_release(&pvec);
		cond_resched();
	}
	return ret;
}
EXPORT_SYMBOL(write_cache_pages);

/* The ->writepages of file systems that have none of their own. */
int generic_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	/* deal with chardevs and other special files */
	if (!mapping->a_ops->writepage)
		return 0;

	return write_cache_pages(mapping, wbc);
}
EXPORT_SYMBOL(generic_writepages);

int do_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	int ret;

	if (wbc->nr_to_write <= 0)
		return 0;
	if (mapping->a_ops->writepages)
		ret = mapping->a_ops->writepages(mapping, wbc);
	else
		ret = generic_writepages(mapping, wbc);
	return ret;
}

/*
 * The flusher: started when too much of memory is dirty, it writes back until the
 * dirty count is under the background threshold. Nobody looks at its result.
 */
void background_writeout(unsigned long min_pages)
{
	struct writeback_control wbc = {
		.sync_mode	= WB_SYNC_NONE,
		.nr_to_write	= 1024,
		.nonblocking	= 1,
		.range_cyclic	= 1,
	};

	while (min_pages > 0) {
		wbc.pages_skipped = 0;
		writeback_inodes(&wbc);
		min_pages -= 1024 - wbc.nr_to_write;
		if (wbc.nr_to_write > 0 || wbc.pages_skipped > 0)
			break;
		wbc.nr_to_write = 1024;
	}
}
