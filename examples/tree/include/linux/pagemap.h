/*
 * The page cache: page-size constants, the page lock and waiting for writeback.
 * lock_page() sleeps until PG_locked is free; wait_on_page_writeback() sleeps while PG_writeback
 * is set. Both are primitives the race simulator's catalogue knows by these names.
 */
#ifndef _LINUX_PAGEMAP_H
#define _LINUX_PAGEMAP_H

#include <linux/mm.h>
#include <linux/fs.h>

#define PAGE_CACHE_SHIFT	12
#define PAGE_CACHE_SIZE		(1UL << PAGE_CACHE_SHIFT)
#define PAGE_CACHE_MASK		(~(PAGE_CACHE_SIZE - 1))

#define page_cache_get(page)		get_page(page)
#define page_cache_release(page)	put_page(page)

extern void __lock_page(struct page *page);
extern void unlock_page(struct page *page);
extern void end_page_writeback(struct page *page);
extern void wait_on_page_bit(struct page *page, int bit_nr);

static inline int trylock_page(struct page *page)
{
	return !test_and_set_bit(PG_locked, &page->flags);
}

static inline void lock_page(struct page *page)
{
	might_sleep();
	if (!trylock_page(page))
		__lock_page(page);
}

static inline void wait_on_page_writeback(struct page *page)
{
	if (PageWriteback(page))
		wait_on_page_bit(page, PG_writeback);
}

static inline int mapping_mapped(struct address_space *mapping)
{
	return mapping->i_mmap_writable != 0;
}

extern struct page *find_lock_page(struct address_space *mapping, pgoff_t index);
extern void remove_from_page_cache(struct page *page);
extern void __remove_from_page_cache(struct page *page);

#endif
