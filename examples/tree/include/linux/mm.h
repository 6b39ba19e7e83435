/* Memory-management declarations the page cache code needs. */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/mm_types.h>
#include <linux/page-flags.h>

struct address_space;
struct writeback_control;

static inline int page_mapped(struct page *page)
{
	return atomic_read(&page->_mapcount) >= 0;
}

static inline void get_page(struct page *page)
{
	atomic_inc(&page->_count);
}

extern void put_page(struct page *page);
extern void unmap_mapping_range(struct address_space *mapping,
		loff_t const holebegin, loff_t const holelen, int even_cows);
extern int set_page_dirty(struct page *page);
extern int clear_page_dirty_for_io(struct page *page);
extern void cancel_dirty_page(struct page *page, unsigned int account_size);
extern int redirty_page_for_writepage(struct writeback_control *wbc,
				struct page *page);
extern void zero_user_segment(struct page *page, unsigned start, unsigned end);

#endif
