/*
 * Page flag bits and their helpers. PG_locked and PG_writeback are the two the example's race
 * turns on: invalidation takes the lock, then waits for writeback to end.
 */
#ifndef _LINUX_PAGE_FLAGS_H
#define _LINUX_PAGE_FLAGS_H

#include <linux/bitops.h>
#include <linux/mm_types.h>

enum pageflags {
	PG_locked,		/* page is locked: I/O or invalidation in progress */
	PG_error,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_private,		/* page->private holds buffer_heads */
	PG_writeback,		/* page is under writeback I/O */
	PG_mappedtodisk,
	PG_reclaim,
};

static inline int PageLocked(struct page *page)
{
	return test_bit(PG_locked, &page->flags);
}

static inline int PageUptodate(struct page *page)
{
	return test_bit(PG_uptodate, &page->flags);
}

static inline void SetPageUptodate(struct page *page)
{
	set_bit(PG_uptodate, &page->flags);
}

static inline void ClearPageUptodate(struct page *page)
{
	clear_bit(PG_uptodate, &page->flags);
}

static inline int PageDirty(struct page *page)
{
	return test_bit(PG_dirty, &page->flags);
}

static inline int PagePrivate(struct page *page)
{
	return test_bit(PG_private, &page->flags);
}

static inline void SetPagePrivate(struct page *page)
{
	set_bit(PG_private, &page->flags);
}

static inline void ClearPagePrivate(struct page *page)
{
	clear_bit(PG_private, &page->flags);
}

static inline int PageWriteback(struct page *page)
{
	return test_bit(PG_writeback, &page->flags);
}

static inline void ClearPageMappedToDisk(struct page *page)
{
	clear_bit(PG_mappedtodisk, &page->flags);
}

static inline int TestClearPageReclaim(struct page *page)
{
	return test_and_clear_bit(PG_reclaim, &page->flags);
}

extern int test_set_page_writeback(struct page *page);
extern int test_clear_page_writeback(struct page *page);

static inline void set_page_writeback(struct page *page)
{
	test_set_page_writeback(page);
}

#endif
