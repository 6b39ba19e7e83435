/* The kernel I/O control block: one read or write request, synchronous or not. */
#ifndef _LINUX_AIO_H
#define _LINUX_AIO_H

#include <linux/types.h>

struct file;

struct kiocb {
	struct file	*ki_filp;
	loff_t		ki_pos;
	size_t		ki_left;
	void		*ki_obj;
};

static inline void init_sync_kiocb(struct kiocb *kiocb, struct file *filp)
{
	kiocb->ki_filp = filp;
	kiocb->ki_pos = 0;
	kiocb->ki_left = 0;
	kiocb->ki_obj = NULL;
}

extern ssize_t wait_on_sync_kiocb(struct kiocb *iocb);
extern void wait_on_retry_sync_kiocb(struct kiocb *iocb);

#endif
