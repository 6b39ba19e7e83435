/* Assertions, min/max and printk: what almost every file of the example includes. */
#ifndef _LINUX_KERNEL_H
#define _LINUX_KERNEL_H

#include <linux/types.h>
#include <linux/compiler.h>

#define KERN_ERR	"<3>"
#define KERN_WARNING	"<4>"
#define KERN_DEBUG	"<7>"

extern int printk(const char *fmt, ...);
extern void panic(const char *fmt, ...);

#define BUG()		panic("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(cond)	do { if (unlikely(cond)) BUG(); } while (0)
#define WARN_ON(cond)	({ int __c = !!(cond); if (unlikely(__c)) printk(KERN_WARNING "WARN_ON\n"); __c; })
#define WARN_ON_ONCE(cond)	WARN_ON(cond)

#define min(x, y)	((x) < (y) ? (x) : (y))
#define max(x, y)	((x) > (y) ? (x) : (y))

extern void might_sleep(void);
extern void cond_resched(void);

#endif
