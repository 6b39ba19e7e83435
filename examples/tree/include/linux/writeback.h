/* How much, and how hard, a writeback pass should write. */
#ifndef _LINUX_WRITEBACK_H
#define _LINUX_WRITEBACK_H

enum writeback_sync_modes {
	WB_SYNC_NONE,	/* background writeout: do not wait */
	WB_SYNC_ALL,	/* data integrity: wait on every page */
};

struct writeback_control {
	enum writeback_sync_modes sync_mode;
	long nr_to_write;
	long pages_skipped;
	loff_t range_start;
	loff_t range_end;
	unsigned nonblocking:1;
	unsigned for_writepages:1;
	unsigned range_cyclic:1;
};

#endif
