/* The sleeping lock that serialises writers of one inode (inode->i_mutex). */
#ifndef _LINUX_MUTEX_H
#define _LINUX_MUTEX_H

struct mutex {
	int count;
};

extern void mutex_lock(struct mutex *lock);
extern void mutex_unlock(struct mutex *lock);

#endif
