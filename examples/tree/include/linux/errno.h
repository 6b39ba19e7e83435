/* Error numbers: the user-visible ones, plus codes that never leave the kernel. */
#ifndef _LINUX_ERRNO_H
#define _LINUX_ERRNO_H

#include <asm-generic/errno.h>

/*
 * These are kernel-internal: a system call must never hand them to user space.
 * The AIO ones tell do_sync_write() that a request was queued or must be retried.
 */
#define ERESTARTSYS	512
#define ENOIOCTLCMD	515
#define EIOCBQUEUED	529	/* iocb queued, will get completion event */
#define EIOCBRETRY	530	/* iocb queued, will trigger a retry */

#endif
