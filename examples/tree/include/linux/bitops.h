/* Bit operations on page and buffer flag words. */
#ifndef _LINUX_BITOPS_H
#define _LINUX_BITOPS_H

extern int test_bit(int nr, const volatile unsigned long *addr);
extern void set_bit(int nr, volatile unsigned long *addr);
extern void clear_bit(int nr, volatile unsigned long *addr);
extern int test_and_set_bit(int nr, volatile unsigned long *addr);
extern int test_and_clear_bit(int nr, volatile unsigned long *addr);

#endif
