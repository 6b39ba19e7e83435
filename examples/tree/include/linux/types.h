/* The scalar types the example's kernel code is written in. */
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H

typedef unsigned long	size_t;
typedef long		ssize_t;
typedef long long	loff_t;
typedef unsigned long	pgoff_t;
typedef unsigned long	sector_t;
typedef unsigned int	gfp_t;
typedef unsigned int	fmode_t;
typedef unsigned short	umode_t;
typedef unsigned char	u8;
typedef unsigned int	u32;
typedef unsigned long long u64;

#define NULL ((void *)0)

#endif
