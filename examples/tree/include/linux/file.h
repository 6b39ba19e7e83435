/* Looking up a struct file from a descriptor without taking a reference when not shared. */
#ifndef _LINUX_FILE_H
#define _LINUX_FILE_H

struct file;

extern struct file *fget_light(unsigned int fd, int *fput_needed);
extern void fput(struct file *file);

static inline void fput_light(struct file *file, int fput_needed)
{
	if (fput_needed)
		fput(file);
}

#endif
