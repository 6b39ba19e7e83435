/*
 * fs/jbd/transaction.c - journal transactions (the part ext3's releasepage uses)
 *
 * Kernel Patch Lens example tree. A simplified re-implementation, written for the example,
 * of two functions of Linux 2.6.27's JBD: filing a data buffer with the running
 * transaction (ordered mode), and freeing a page's buffers on behalf of ->releasepage.
 *
 * journal_try_to_free_buffers() already carries the earlier fix for this race (commit
 * 3f31fddf, "jbd: fix race between free buffer and commit transaction"): when the caller
 * may wait, a failed attempt is retried after the running transaction has flushed its
 * data buffers. That cures the commit-side reference, not ext3_ordered_writepage()'s.
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/buffer_head.h>
#include <linux/jbd.h>

struct journal_head;

extern struct journal_head *journal_grab_journal_head(struct buffer_head *bh);
extern void journal_put_journal_head(struct journal_head *jh);
extern void jbd_lock_bh_state(struct buffer_head *bh);
extern void jbd_unlock_bh_state(struct buffer_head *bh);
extern void __journal_try_to_free_buffer(journal_t *journal, struct buffer_head *bh);
extern void journal_wait_for_transaction_sync_data(journal_t *journal);
extern int __journal_file_data_buffer(handle_t *handle, struct buffer_head *bh);

/**
 * journal_dirty_data - put a data buffer on the running transaction's data list
 * @handle: the transaction handle
 * @bh: the buffer
 *
 * In ordered mode, data buffers must reach disk before the metadata that points at them
 * commits; filing them with the transaction makes commit write them first.
 */
int journal_dirty_data(handle_t *handle, struct buffer_head *bh)
{
	if (is_handle_aborted(handle))
		return -EIO;

	return __journal_file_data_buffer(handle, bh);
}
EXPORT_SYMBOL(journal_dirty_data);

/**
 * journal_try_to_free_buffers - try to free a page's buffers for ->releasepage
 * @journal: the journal the page's buffers may belong to
 * @page: the locked page
 * @gfp_mask: may we wait?
 *
 * Buffers still owned by a transaction (checkpoint or data lists) are detached first if
 * they are done; one that is still in use makes the page busy. Then the generic code
 * frees the ring, which fails if any buffer has an elevated b_count.
 *
 * Returns 1 if the buffers were freed, 0 if not.
 */
int journal_try_to_free_buffers(journal_t *journal,
				struct page *page, gfp_t gfp_mask)
{
	struct buffer_head *head;
	struct buffer_head *bh;
	int ret = 0;

	BUG_ON(!PageLocked(page));

	head = page_buffers(page);
	bh = head;
	do {
		struct journal_head *jh;

		jh = journal_grab_journal_head(bh);
		if (!jh)
			continue;

		jbd_lock_bh_state(bh);
		__journal_try_to_free_buffer(journal, bh);
		journal_put_journal_head(jh);
		jbd_unlock_bh_state(bh);
		if (buffer_jbd(bh))
			goto busy;
	} while ((bh = bh->b_this_page) != head);

	ret = try_to_free_buffers(page);

	/*
	 * The commit thread may still hold references to buffers it is writing. A
	 * caller that wants the buffers gone on return (invalidation for direct I/O
	 * passes GFP_KERNEL) gets one more try after the running transaction has
	 * written its data. A reference held by someone other than the commit
	 * thread -- ext3_ordered_writepage(), say -- survives that wait.
	 */
	if (ret == 0 && (gfp_mask & __GFP_WAIT) && (gfp_mask & __GFP_FS)) {
		journal_wait_for_transaction_sync_data(journal);
		ret = try_to_free_buffers(page);
	}

busy:
	return ret;
}
