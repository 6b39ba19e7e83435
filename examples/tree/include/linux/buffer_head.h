/*
 * buffer_heads: the block-sized pieces of a page cache page. A page whose buffers have a
 * non-zero b_count, or are dirty or locked, cannot drop them (try_to_free_buffers fails) and
 * so cannot be invalidated. That is the whole of the example's race.
 */
#ifndef _LINUX_BUFFER_HEAD_H
#define _LINUX_BUFFER_HEAD_H

#include <linux/types.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/bitops.h>
#include <asm-generic/atomic.h>

enum bh_state_bits {
	BH_Uptodate,	/* contains valid data */
	BH_Dirty,	/* is dirty */
	BH_Lock,	/* is locked */
	BH_Req,		/* has been submitted for I/O */
	BH_Mapped,	/* has a disk mapping */
	BH_New,		/* disk mapping was newly created by get_block */
	BH_Async_Write,	/* is under end_buffer_async_write I/O */
	BH_Write_EIO,	/* I/O error on write */
	BH_JBD,		/* has an attached journal_head */
};

struct buffer_head;
typedef void (bh_end_io_t)(struct buffer_head *bh, int uptodate);

struct buffer_head {
	unsigned long b_state;		/* buffer state bitmap (see above) */
	struct buffer_head *b_this_page;/* circular list of page's buffers */
	struct page *b_page;		/* the page this bh is mapped to */
	sector_t b_blocknr;		/* start block number */
	size_t b_size;			/* size of mapping */
	char *b_data;			/* pointer to data within the page */
	bh_end_io_t *b_end_io;		/* I/O completion */
	void *b_private;		/* reserved for b_end_io */
	struct address_space *b_assoc_map;	/* mapping this buffer is associated with */
	atomic_t b_count;		/* users using this buffer_head */
};

static inline int buffer_uptodate(const struct buffer_head *bh)
{
	return test_bit(BH_Uptodate, &bh->b_state);
}

static inline int buffer_dirty(const struct buffer_head *bh)
{
	return test_bit(BH_Dirty, &bh->b_state);
}

static inline int test_clear_buffer_dirty(struct buffer_head *bh)
{
	return test_and_clear_bit(BH_Dirty, &bh->b_state);
}

static inline int buffer_locked(const struct buffer_head *bh)
{
	return test_bit(BH_Lock, &bh->b_state);
}

static inline int buffer_mapped(const struct buffer_head *bh)
{
	return test_bit(BH_Mapped, &bh->b_state);
}

static inline int buffer_async_write(const struct buffer_head *bh)
{
	return test_bit(BH_Async_Write, &bh->b_state);
}

static inline void set_buffer_async_write(struct buffer_head *bh)
{
	set_bit(BH_Async_Write, &bh->b_state);
}

static inline void clear_buffer_async_write(struct buffer_head *bh)
{
	clear_bit(BH_Async_Write, &bh->b_state);
}

static inline int buffer_write_io_error(const struct buffer_head *bh)
{
	return test_bit(BH_Write_EIO, &bh->b_state);
}

static inline int buffer_jbd(const struct buffer_head *bh)
{
	return test_bit(BH_JBD, &bh->b_state);
}

/* The page's buffer ring hangs off page->private while PG_private is set. */
#define page_has_buffers(page)	PagePrivate(page)
#define page_buffers(page)					\
	({							\
		BUG_ON(!PagePrivate(page));			\
		((struct buffer_head *)(page)->private);	\
	})

/* Taking a reference pins the buffer: try_to_free_buffers() will refuse the page. */
static inline void get_bh(struct buffer_head *bh)
{
	atomic_inc(&bh->b_count);
}

static inline void put_bh(struct buffer_head *bh)
{
	smp_mb__before_atomic_dec();
	atomic_dec(&bh->b_count);
}

extern void create_empty_buffers(struct page *page, unsigned long blocksize,
			unsigned long b_state);
extern void free_buffer_head(struct buffer_head *bh);
extern void submit_bh(int rw, struct buffer_head *bh);
extern void lock_buffer(struct buffer_head *bh);
extern void unlock_buffer(struct buffer_head *bh);
extern void mark_buffer_dirty(struct buffer_head *bh);

#endif
