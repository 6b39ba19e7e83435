/* Allocation context flags: may the callee sleep, do I/O, call into the file system? */
#ifndef _LINUX_GFP_H
#define _LINUX_GFP_H

#include <linux/types.h>

#define __GFP_WAIT	((gfp_t)0x10u)	/* can sleep */
#define __GFP_IO	((gfp_t)0x40u)	/* can start physical I/O */
#define __GFP_FS	((gfp_t)0x80u)	/* can call down to the low-level FS */

#define GFP_NOFS	(__GFP_WAIT | __GFP_IO)
#define GFP_KERNEL	(__GFP_WAIT | __GFP_IO | __GFP_FS)

#endif
