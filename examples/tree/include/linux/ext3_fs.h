/* ext3 declarations shared between its files. */
#ifndef _LINUX_EXT3_FS_H
#define _LINUX_EXT3_FS_H

#include <linux/fs.h>
#include <linux/jbd.h>

struct ext3_sb_info {
	journal_t *s_journal;
	unsigned long s_mount_opt;
};

#define EXT3_SB(sb)		((struct ext3_sb_info *)(sb)->s_fs_info)
#define EXT3_JOURNAL(inode)	(EXT3_SB((inode)->i_sb)->s_journal)

extern int ext3_get_block(struct inode *inode, sector_t iblock,
			struct buffer_head *bh_result, int create);
extern handle_t *ext3_journal_start(struct inode *inode, int nblocks);
extern int ext3_journal_stop(handle_t *handle);
extern handle_t *ext3_journal_current_handle(void);
extern int ext3_writepage_trans_blocks(struct inode *inode);

extern const struct file_operations ext3_file_operations;

#endif
