/* User I/O vectors: what read/write system calls hand to the file system. */
#ifndef _LINUX_UIO_H
#define _LINUX_UIO_H

#include <linux/types.h>
#include <linux/compiler.h>

struct iovec {
	void __user *iov_base;
	size_t iov_len;
};

static inline size_t iov_length(const struct iovec *iov, unsigned long nr_segs)
{
	unsigned long seg;
	size_t ret = 0;

	for (seg = 0; seg < nr_segs; seg++)
		ret += iov[seg].iov_len;
	return ret;
}

extern unsigned long iov_shorten(struct iovec *iov, unsigned long nr_segs, size_t to);

#endif
