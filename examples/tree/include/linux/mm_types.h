/* struct page: one page of the page cache, with its flag word and owning mapping. */
#ifndef _LINUX_MM_TYPES_H
#define _LINUX_MM_TYPES_H

#include <linux/types.h>
#include <asm-generic/atomic.h>

struct address_space;

struct page {
	unsigned long flags;		/* PG_locked, PG_writeback, ... (page-flags.h) */
	atomic_t _count;		/* references: page cache, pagevecs, I/O */
	atomic_t _mapcount;		/* how many page tables map it, minus one */
	struct address_space *mapping;	/* the file it caches, NULL once removed */
	pgoff_t index;			/* its offset in the file, in pages */
	unsigned long private;		/* buffer_heads when PG_private is set */
};

#endif
