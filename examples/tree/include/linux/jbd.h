/* The journalling layer ext3 sits on: handles, journals, and freeing a page's buffers. */
#ifndef _LINUX_JBD_H
#define _LINUX_JBD_H

#include <linux/types.h>
#include <linux/buffer_head.h>

typedef struct journal_s journal_t;
typedef struct handle_s handle_t;

struct journal_s {
	spinlock_t j_list_lock;
	unsigned long j_flags;
};

struct handle_s {
	journal_t *h_journal;
	int h_buffer_credits;
};

static inline int is_handle_aborted(handle_t *handle)
{
	return handle->h_buffer_credits < 0;
}

extern int journal_dirty_data(handle_t *handle, struct buffer_head *bh);
extern int journal_try_to_free_buffers(journal_t *journal, struct page *page,
				       gfp_t gfp_mask);
extern void journal_invalidatepage(journal_t *journal, struct page *page,
				   unsigned long offset);

#endif
